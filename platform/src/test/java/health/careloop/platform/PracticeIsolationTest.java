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

    /**
     * An entered reading is queued for evaluation under the staff role (ingest V9's one row per batch): the row may hold
     * the staff member's own practice's readings only, and rows of other practices are neither seen nor removed. All in
     * one transaction, rolled back, so the running evaluator never sees these made-up rows.
     */
    @Test
    void aStaffSessionQueuesReadingsForEvaluationOnlyForItsOwnPractice() throws Exception {
        try (Connection c = DriverManager.getConnection(platform.jdbcUrlForTests()); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                s.executeUpdate(queueRow(practiceB, patientB));
                s.execute("SET LOCAL ROLE " + PracticeScope.ROLE);
                s.execute("SELECT set_config('careloop.practice_id', '" + practiceA + "', true)");
                assertThat(count(c, "SELECT count(*) FROM ingest.evaluation_batch")).as("B's waiting row is not A's to see").isZero();
                assertThat(s.executeUpdate("DELETE FROM ingest.evaluation_batch")).as("nor to take off the queue").isZero();
                assertRefused(c, s, queueRow(practiceB, patientB));
                assertRefused(c, s, "INSERT INTO ingest.evaluation_batch (size, practice_ids, patient_ids, device_ids, types, measured_ats) "
                        + "VALUES (2, ARRAY['" + practiceA + "', '" + practiceB + "']::uuid[], ARRAY['" + patientA + "', '" + patientB + "']::uuid[], "
                        + "ARRAY['entered', 'entered'], ARRAY['weight', 'weight'], ARRAY[now(), now()])");
                assertThat(s.executeUpdate(queueRow(practiceA, patientA))).as("its own practice's reading").isEqualTo(1);
                assertThat(count(c, "SELECT count(*) FROM ingest.evaluation_queue")).as("the operator's view, through the same policy").isEqualTo(1);
            } finally {
                c.rollback();
            }
        }
    }

    /** Every plain view staff can read runs as the staff role, so row-level security holds through it as well. */
    @Test
    void everyViewTheStaffRoleReadsIsHeldByRowLevelSecurity() throws Exception {
        try (Connection c = DriverManager.getConnection(platform.jdbcUrlForTests())) {
            assertThat(count(c, """
                    SELECT count(*) FROM pg_class v JOIN pg_namespace n ON n.oid = v.relnamespace
                    WHERE v.relkind = 'v' AND n.nspname IN ('core', 'ingest', 'clinical', 'billing', 'fhir')
                      AND has_table_privilege('careloop_practice_staff', v.oid, 'SELECT')""")).as("views the staff role reads").isPositive();
            assertThat(count(c, """
                    SELECT count(*) FROM pg_class v JOIN pg_namespace n ON n.oid = v.relnamespace
                    WHERE v.relkind = 'v' AND n.nspname IN ('core', 'ingest', 'clinical', 'billing', 'fhir')
                      AND has_table_privilege('careloop_practice_staff', v.oid, 'SELECT')
                      AND NOT coalesce(v.reloptions @> ARRAY['security_invoker=true'], false)""")).as("of them, run as their owner").isZero();
        }
    }

    private static String queueRow(String practice, String patient) {
        return "INSERT INTO ingest.evaluation_batch (size, practice_ids, patient_ids, device_ids, types, measured_ats) VALUES (1, ARRAY['"
                + practice + "']::uuid[], ARRAY['" + patient + "']::uuid[], ARRAY['entered'], ARRAY['weight'], ARRAY[now()])";
    }

    /** The statement fails on the row-level policy; the transaction goes on from before it. */
    private static void assertRefused(Connection c, Statement s, String sql) throws SQLException {
        var before = c.setSavepoint();
        assertThatThrownBy(() -> s.executeUpdate(sql)).hasMessageContaining("row-level security");
        c.rollback(before);
    }
}
