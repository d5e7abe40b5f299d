package health.careloop.fhir.panel;

import health.careloop.common.http.ApiException;

import java.sql.SQLException;

/**
 * Tells a failure caused by the records being written (a refusal of an owner, a constraint of the database) from one of
 * the database itself (a lost connection), and says the former in words for the report: the first is one record's
 * refusal, the second stops the import.
 */
final class RecordProblems {
    private static final String UNIQUE_VIOLATION = "23505";

    private RecordProblems() {
    }

    static boolean isAboutARecord(Exception e) {
        if (e instanceof ApiException) {
            return true;
        }
        String state = state(e);
        // Class 23: integrity constraint violation; class 22: data exception (a value the column cannot hold).
        return state != null && (state.startsWith("23") || state.startsWith("22"));
    }

    static String words(Exception e) {
        if (e instanceof ApiException api) {
            return api.getMessage();
        }
        return UNIQUE_VIOLATION.equals(state(e)) ? "CareLoop already holds a record with the same identity (written meanwhile, or another of the file)"
                : "CareLoop's database refused it (SQLSTATE " + state(e) + ")";
    }

    /** The SQLSTATE of the first chained exception that has one (a batch reports its failing statement as the next exception). */
    private static String state(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException s = sql; s != null; s = s.getNextException()) {
                    if (s.getSQLState() != null) {
                        return s.getSQLState();
                    }
                }
            }
        }
        return null;
    }
}
