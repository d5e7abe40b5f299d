package health.careloop.platform;

import health.careloop.common.config.DatabaseConfig;
import health.careloop.common.db.Database;
import health.careloop.common.db.PracticeScope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PostgreSQL itself keeps practices apart: SQL that forgets to filter by practice, run for a staff member of practice
 * A, sees and changes only A's rows, and cannot write a row into B.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PracticeIsolationTest {
    static Platform platform;
    static String practiceA;
    static String practiceB;
    static String patientA;
    static String patientB;

    @BeforeAll
    static void start() throws Exception {
        platform = EmbeddedPlatforms.start();
        ApiClient system = new ApiClient(platform.httpPort(), platform.apiToken());
        practiceA = system.id(system.post("/api/v1/practices", "{\"name\":\"RLS A\",\"timeZone\":\"UTC\"}"));
        practiceB = system.id(system.post("/api/v1/practices", "{\"name\":\"RLS B\",\"timeZone\":\"UTC\"}"));
        patientA = system.id(system.post("/api/v1/patients", "{\"practiceId\":\"" + practiceA + "\",\"externalRef\":\"MRN-A\"}"));
        patientB = system.id(system.post("/api/v1/patients", "{\"practiceId\":\"" + practiceB + "\",\"externalRef\":\"MRN-B\"}"));
        system.post("/api/v1/devices", "{\"deviceId\":\"rls-scale-b\",\"practiceId\":\"" + practiceB + "\",\"kind\":\"scale\"}");
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void theStaffRoleSeesAndChangesOnlyItsPracticesRowsWhateverTheSqlSays() throws Exception {
        try (Connection c = DriverManager.getConnection(platform.jdbcUrlForTests()); Statement s = c.createStatement()) {
            assertThat(count(c, "SELECT count(*) FROM core.patient")).as("the process's own role sees every practice").isEqualTo(2);
            s.execute("SET ROLE " + PracticeScope.ROLE);
            assertThat(count(c, "SELECT count(*) FROM core.patient")).as("no practice set: nothing").isZero();
            s.execute("SELECT set_config('careloop.practice_id', '" + practiceA + "', false)");
            assertThat(count(c, "SELECT count(*) FROM core.patient")).isEqualTo(1);
            assertThat(count(c, "SELECT count(*) FROM core.patient WHERE id = '" + patientB + "'")).isZero();
            assertThat(count(c, "SELECT count(*) FROM core.practice")).isEqualTo(1);
            assertThat(count(c, "SELECT count(*) FROM ingest.device")).isZero();
            assertThat(count(c, "SELECT count(*) FROM ingest.dead_letter")).as("no policy means no rows").isZero();
            assertThat(s.executeUpdate("UPDATE core.patient SET external_ref = 'stolen' WHERE id = '" + patientB + "'")).isZero();
            assertThat(s.executeUpdate("DELETE FROM core.patient WHERE practice_id = '" + practiceB + "'")).isZero();
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO core.patient (id, practice_id, external_ref) VALUES ('"
                    + UUID.randomUUID() + "', '" + practiceB + "', 'planted')"))
                    .hasMessageContaining("row-level security");
            assertThatThrownBy(() -> s.executeUpdate("UPDATE core.patient SET practice_id = '" + practiceB + "' WHERE id = '" + patientA + "'"))
                    .hasMessageContaining("row-level security");
            s.execute("RESET ROLE");
            assertThat(count(c, "SELECT count(*) FROM core.patient WHERE external_ref IN ('MRN-A', 'MRN-B')")).isEqualTo(2);
        }
    }

    @Test
    void careLoopRunsAsARoleThatRowLevelSecurityHolds() throws Exception {
        try (Connection c = DriverManager.getConnection(platform.jdbcUrlForTests()); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")) {
            rs.next();
            assertThat(rs.getString(1)).as("the embedded default connects as the application role").isEqualTo("careloop");
            assertThat(rs.getBoolean(2)).as("superuser").isFalse();
            assertThat(rs.getBoolean(3)).as("bypasses row-level security").isFalse();
        }
        // Staff-scoped work on CareLoop's own pool, as the API runs it: practice B's query sees nothing of A.
        try (Database database = Database.connect(new DatabaseConfig(platform.jdbcUrlForTests(), null, null, 2))) {
            long seen = PracticeScope.call(UUID.fromString(practiceB), () -> {
                try (Connection c = database.dataSource().getConnection()) {
                    return count(c, "SELECT count(*) FROM core.patient WHERE id = '" + patientA + "' OR practice_id = '" + practiceA + "'");
                }
            });
            assertThat(seen).isZero();
            String user = PracticeScope.call(UUID.fromString(practiceB), () -> {
                try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                     var rs = s.executeQuery("SELECT current_user || '/' || session_user")) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            assertThat(user).isEqualTo(PracticeScope.ROLE + "/careloop");
        }
    }

    @Test
    void connectionsHandedOutInsideAPracticeScopeAreConfinedAndComeBackUnconfined() throws Exception {
        String url = platform.jdbcUrlForTests();
        try (Database database = Database.connect(new DatabaseConfig(url, null, null, 1))) {
            long inScope = PracticeScope.call(UUID.fromString(practiceB), () -> {
                try (Connection c = database.dataSource().getConnection()) {
                    return count(c, "SELECT count(*) FROM core.patient");
                }
            });
            assertThat(inScope).isEqualTo(1);
            // The pool has one connection: the same one, back in the process's own role, sees everything again.
            try (Connection c = database.dataSource().getConnection()) {
                assertThat(count(c, "SELECT count(*) FROM core.patient")).isEqualTo(2);
                assertThat(count(c, "SELECT count(*) FROM core.patient WHERE current_user = session_user")).isEqualTo(2);
            }
        }
    }
}
