package health.careloop.common.audit;

import health.careloop.common.config.DatabaseConfig;
import health.careloop.common.db.Database;
import health.careloop.common.db.PracticeIsolation;
import health.careloop.common.db.PracticeScope;
import health.careloop.common.directory.CoreSchema;
import health.careloop.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * core.audit_event is append-only in the database itself: UPDATE, DELETE and TRUNCATE are refused even for a
 * superuser (the tests' machine PostgreSQL connects as one), and the practice staff role may only read.
 * The same checks for CareLoop's own non-superuser role are in the platform's AuditTrailTest.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuditAppendOnlyTest {
    static DatabaseConfig config;
    static Database database;

    @BeforeAll
    static void setUp() throws Exception {
        config = TestDatabases.fresh();
        database = Database.connect(config);
        CoreSchema.migrate(database.dataSource());
        PracticeIsolation.apply(database.dataSource());
        try (Connection c = database.connection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO core.audit_event (actor, action, resource, outcome) VALUES ('staff:x', 'GET', '/api/v1/patients', 200)");
        }
    }

    @AfterAll
    static void tearDown() {
        database.close();
        TestDatabases.drop(config);
    }

    @Test
    void updateDeleteAndTruncateAreRefusedEvenForASuperuser() throws Exception {
        try (Connection c = database.connection(); Statement s = c.createStatement()) {
            assertThat(isSuperuser(s)).as("the machine's PostgreSQL connects tests as a superuser").isTrue();
            assertThatThrownBy(() -> s.executeUpdate("UPDATE core.audit_event SET actor = 'someone else'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only: UPDATE");
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM core.audit_event"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only: DELETE");
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM core.audit_event WHERE false"))
                    .as("refused per statement, whatever it would touch").hasMessageContaining("append-only");
            assertThatThrownBy(() -> s.execute("TRUNCATE core.audit_event"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only: TRUNCATE");
            assertThat(count(s)).isEqualTo(1);
            s.execute("INSERT INTO core.audit_event (actor, action, resource, outcome) VALUES ('staff:y', 'GET', '/api/v1/tasks', 200)");
            assertThat(count(s)).as("appending still works").isEqualTo(2);
        }
    }

    @Test
    void thePracticeStaffRoleMayOnlyRead() throws Exception {
        try (Connection c = database.connection(); Statement s = c.createStatement()) {
            s.execute("SET ROLE " + PracticeScope.ROLE);
            try {
                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO core.audit_event (actor, action, resource, outcome) "
                        + "VALUES ('forged', 'GET', '/', 200)")).hasMessageContaining("permission denied");
                assertThatThrownBy(() -> s.executeUpdate("UPDATE core.audit_event SET actor = 'x'")).hasMessageContaining("permission denied");
                assertThatThrownBy(() -> s.executeUpdate("DELETE FROM core.audit_event")).hasMessageContaining("permission denied");
                assertThatThrownBy(() -> s.execute("TRUNCATE core.audit_event")).hasMessageContaining("permission denied");
            } finally {
                s.execute("RESET ROLE");
            }
        }
    }

    private static boolean isSuperuser(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static long count(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM core.audit_event")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
