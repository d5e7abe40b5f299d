package health.careloop.common.db;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.LoggerFactory;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/** A database error in a log: the SQLState and the server's names, never the message or detail that quote row values. */
class DatabaseErrorsTest {
    /** What PostgreSQL sends for a CHECK violation on an unconfined connection (issue 14's leak), field by field. */
    private static PSQLException checkViolation() {
        return new PSQLException(new ServerErrorMessage("SERROR\0VERROR\0C23514\0Mnew row for relation \"patient_profile\" violates check "
                + "constraint \"patient_profile_given_name_check\"\0DFailing row contains (b9b2e3f1, 57796013, , Quenneville, 1941-03-17, female, "
                + "1EG4TE5MK73, 4417 Wrenfield Court)\0sclinical\0tpatient_profile\0npatient_profile_given_name_check\0Fexecute.c\0L2000\0"));
    }

    @Test
    void aWrappedCheckViolationLogsItsStateAndConstraintAndWhereButNoRowValue() {
        RuntimeException wrapped = new CompletionException(new IllegalStateException(checkViolation().toString(), checkViolation()));
        assertThat(wrapped.getCause().getMessage()).as("the leak: a wrapper repeats its cause's message").contains("Failing row contains");

        Logger logger = (Logger) LoggerFactory.getLogger("database-errors-test");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            logger.error("Unexpected API failure on POST /patients/:patientId/profile", DatabaseErrors.loggable(wrapped));
        } finally {
            logger.detachAppender(logged);
        }
        StringBuilder rendered = new StringBuilder();
        int frames = 0;
        for (IThrowableProxy t = logged.list.get(0).getThrowableProxy(); t != null; t = t.getCause()) {
            rendered.append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
            for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
                frames++;
                rendered.append(frame.getSTEAsString()).append('\n');
            }
        }
        assertThat(rendered).doesNotContain("Failing row", "Quenneville", "1941-03-17", "1EG4TE5MK73", "Wrenfield", "violates check constraint")
                .contains("SQLState 23514, constraint patient_profile_given_name_check, table clinical.patient_profile")
                .contains("java.util.concurrent.CompletionException (message withheld");
        assertThat(frames).as("the stack frames stay, so the log still says where").isPositive();
        assertThat(DatabaseErrors.describe(wrapped))
                .isEqualTo("org.postgresql.util.PSQLException: SQLState 23514, constraint patient_profile_given_name_check, table clinical.patient_profile");
    }

    @Test
    void aBatchErrorThatQuotesItsStatementAndParametersLogsOnlyStates() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT INTO clinical.patient_profile VALUES ('Philippa', "
                + "'1EG4TE5MK73') was aborted: ERROR: duplicate key value", "23505", new int[0]);
        batch.setNextException(new PSQLException(new ServerErrorMessage("SERROR\0C23505\0Mduplicate key value violates unique constraint "
                + "\"patient_profile_mbi\"\0DKey (practice_id, mbi)=(57796013, 1EG4TE5MK73) already exists.\0npatient_profile_mbi\0")));
        String described = DatabaseErrors.describe(batch);
        assertThat(described).isEqualTo("java.sql.BatchUpdateException: SQLState 23505; next: SQLState 23505, constraint patient_profile_mbi");
        assertThat(DatabaseErrors.loggable(batch).toString()).doesNotContain("Philippa", "1EG4TE5MK73");
    }

    @Test
    void anErrorWithoutADatabaseCauseIsLoggedAsItIs() {
        IllegalStateException plain = new IllegalStateException("Missing resource /openapi.yaml");
        assertThat(DatabaseErrors.loggable(plain)).isSameAs(plain);
        assertThat(DatabaseErrors.describe(plain)).isEqualTo("IllegalStateException: Missing resource /openapi.yaml");
        assertThat(DatabaseErrors.describe(new SQLException("connection refused to 10.0.0.5", "08001")))
                .isEqualTo("java.sql.SQLException: SQLState 08001");
    }
}
