package health.careloop.common.audit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import health.careloop.common.auth.StaffAccounts;
import health.careloop.common.auth.StaffRole;
import health.careloop.common.config.DatabaseConfig;
import health.careloop.common.db.Database;
import health.careloop.common.directory.CoreSchema;
import health.careloop.common.directory.Directory;
import health.careloop.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The audit writer against a real PostgreSQL: one row per request naming every patient, the practice of the record a
 * refused call addressed, the account a sign-in was for, one row per practice for the API token's cross-practice
 * list, and no event lost when the insert fails: kept, retried, and the API told to refuse new calls meanwhile.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AuditWriterTest {
    DatabaseConfig config;
    Database database;
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    UUID practiceA;
    UUID practiceB;
    UUID patientA1;
    UUID patientA2;
    UUID patientB;

    @BeforeEach
    void setUp() throws Exception {
        config = TestDatabases.fresh();
        database = Database.connect(config);
        CoreSchema.migrate(database.dataSource());
        Directory directory = new Directory(database.dataSource());
        practiceA = directory.createPractice("Audit A", ZoneId.of("UTC")).id();
        practiceB = directory.createPractice("Audit B", ZoneId.of("UTC")).id();
        patientA1 = directory.createPatient(practiceA, "A1").id();
        patientA2 = directory.createPatient(practiceA, "A2").id();
        patientB = directory.createPatient(practiceB, "B1").id();
    }

    @AfterEach
    void tearDown() {
        database.close();
        TestDatabases.drop(config);
    }

    private AuditWriter writer(int backlog) {
        return new AuditWriter(database.dataSource(), Directory.auditedRecords(), backlog, meters);
    }

    private static AuditEvent event(String actor, UUID staff, String path, String query, int outcome, UUID patient, List<UUID> others) {
        return new AuditEvent(Instant.parse("2026-03-02T10:15:30.123456Z"), actor, staff, "GET", path, query, outcome, null, patient,
                others, "127.0.0.1");
    }

    @Test
    void aListIsOneRowNamingEveryPatientAndTheCallersPractice() throws Exception {
        UUID nurse = UUID.randomUUID();
        try (AuditWriter writer = writer(100)) {
            writer.submit(new AuditWriter.Recorded(event("staff:" + nurse, nurse, "/api/v1/patients", "limit=50", 200, null,
                    List.of(patientA1, patientA2)), practiceA, Map.of(), null));
            await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM core.audit_event") == 1);
        }
        try (Connection c = database.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT practice_id, staff_id, patient_id, patient_ids, query, client_address, at FROM core.audit_event")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getObject(1, UUID.class)).isEqualTo(practiceA);
            assertThat(rs.getObject(2, UUID.class)).isEqualTo(nurse);
            assertThat(rs.getObject(3)).isNull();
            assertThat(uuids(rs.getArray(4))).containsExactly(patientA1, patientA2);
            assertThat(rs.getString(5)).isEqualTo("limit=50");
            assertThat(rs.getString(6)).isEqualTo("127.0.0.1");
            assertThat(rs.getTimestamp(7).toInstant()).isEqualTo(Instant.parse("2026-03-02T10:15:30.123456Z"));
        }
    }

    @Test
    void aRefusedCallNamesThePracticeAndPatientOfTheRecordItAddressed() throws Exception {
        UUID outsider = UUID.randomUUID();
        try (AuditWriter writer = writer(100)) {
            // Practice B's nurse asks for A's patient: the handler only saw "not found" (row-level security hid it).
            writer.submit(new AuditWriter.Recorded(event("staff:" + outsider, outsider, "/api/v1/patients/" + patientA1, "asOf=2026-01-01",
                    404, patientA1, null), practiceB, Map.of("patientId", patientA1.toString()), null));
            // An id that names nothing: the caller's own practice.
            writer.submit(new AuditWriter.Recorded(event("staff:" + outsider, outsider, "/api/v1/patients/" + UUID.randomUUID(), null,
                    404, null, null), practiceB, Map.of("patientId", UUID.randomUUID().toString()), null));
            // A stranger: no practice known.
            writer.submit(new AuditWriter.Recorded(event(AuditEvent.ANONYMOUS, null, "/api/v1/tasks", "status=open", 401, null, null),
                    null, Map.of(), null));
            await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM core.audit_event") == 3);
        }
        assertThat(count("SELECT count(*) FROM core.audit_event WHERE outcome = 404 AND practice_id = '" + practiceA + "' AND patient_id = '"
                + patientA1 + "' AND query = 'asOf=2026-01-01'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM core.audit_event WHERE outcome = 404 AND practice_id = '" + practiceB + "'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM core.audit_event WHERE outcome = 401 AND actor = 'anonymous' AND practice_id IS NULL "
                + "AND resource = '/api/v1/tasks' AND query = 'status=open'")).isEqualTo(1);
    }

    @Test
    void aSignInNamesTheAccountItWasForGoodOrFailed() throws Exception {
        UUID nurse = new StaffAccounts(database.dataSource()).create(practiceA, "audit.nurse@example.org", "Nurse, Audit", StaffRole.RN,
                null, "correct horse battery").id();
        try (AuditWriter writer = writer(100)) {
            AuditEvent good = new AuditEvent(Instant.now(), AuditEvent.ANONYMOUS, null, "POST", "/api/v1/auth/login", null, 200, null, null,
                    null, "10.0.0.7");
            AuditEvent bad = new AuditEvent(Instant.now(), AuditEvent.ANONYMOUS, null, "POST", "/api/v1/auth/login", null, 401, null, null,
                    null, "10.0.0.8");
            AuditEvent unknown = new AuditEvent(Instant.now(), AuditEvent.ANONYMOUS, null, "POST", "/api/v1/auth/login", null, 401, null,
                    null, null, "10.0.0.9");
            writer.submit(new AuditWriter.Recorded(good, null, Map.of(), "Audit.Nurse@example.org"));
            writer.submit(new AuditWriter.Recorded(bad, null, Map.of(), "audit.nurse@example.org"));
            writer.submit(new AuditWriter.Recorded(unknown, null, Map.of(), "nobody@example.org"));
            await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM core.audit_event") == 3);
        }
        assertThat(count("SELECT count(*) FROM core.audit_event WHERE outcome = 200 AND actor = 'staff:" + nurse + "' AND staff_id = '"
                + nurse + "' AND practice_id = '" + practiceA + "'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM core.audit_event WHERE outcome = 401 AND actor = 'anonymous' AND staff_id = '" + nurse
                + "' AND practice_id = '" + practiceA + "' AND client_address = '10.0.0.8'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM core.audit_event WHERE outcome = 401 AND staff_id IS NULL AND practice_id IS NULL "
                + "AND client_address = '10.0.0.9'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM core.audit_event WHERE resource LIKE '%nobody%' OR query LIKE '%nobody%'"))
                .as("the e-mail typed is never stored").isZero();
    }

    @Test
    void theApiTokensListAcrossPracticesIsOneRowPerPracticeNamingItsOwnPatients() throws Exception {
        try (AuditWriter writer = writer(100)) {
            writer.submit(new AuditWriter.Recorded(event("api-token:abcd", null, "/api/v1/alerts", null, 200, null,
                    List.of(patientA1, patientB, patientA2)), null, Map.of(), null));
            await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM core.audit_event") == 2);
        }
        try (Connection c = database.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT practice_id, patient_ids FROM core.audit_event ORDER BY practice_id = '" + practiceA + "' DESC")) {
            rs.next();
            assertThat(rs.getObject(1, UUID.class)).isEqualTo(practiceA);
            assertThat(uuids(rs.getArray(2))).containsExactlyInAnyOrder(patientA1, patientA2);
            rs.next();
            assertThat(rs.getObject(1, UUID.class)).isEqualTo(practiceB);
            assertThat(uuids(rs.getArray(2))).containsExactly(patientB);
        }
    }

    @Test
    void controlCharactersAndOverlongValuesAreStoredCleanedNotRefused() throws Exception {
        try (AuditWriter writer = writer(100)) {
            writer.submit(new AuditWriter.Recorded(event(AuditEvent.ANONYMOUS, null, "/api/v1/x\u0000y", "a=\u0001" + "q".repeat(3000), 401,
                    null, null), null, Map.of(), null));
            await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM core.audit_event") == 1);
        }
        assertThat(count("SELECT count(*) FROM core.audit_event WHERE resource = '/api/v1/x?y' AND length(query) = 2000 AND query LIKE 'a=?q%'"))
                .isEqualTo(1);
    }

    @Test
    void whenTheInsertFailsEventsAreKeptRetriedAndNewCallsAreToldToWait() throws Exception {
        try (AuditWriter writer = writer(3)) {
            execute("ALTER TABLE core.audit_event RENAME TO audit_event_away");
            for (int i = 0; i < 3; i++) {
                writer.submit(new AuditWriter.Recorded(event(AuditEvent.ANONYMOUS, null, "/api/v1/tasks", "n=" + i, 401, null, null), null,
                        Map.of(), null));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> meters.counter(AuditWriter.FAILURES).count() >= 2);
            assertThat(writer.pending()).isEqualTo(3);
            assertThat(writer.saturated()).as("at the backlog limit the API refuses new calls").isTrue();
            assertThat(meters.get(AuditWriter.PENDING_GAUGE).gauge().value()).isEqualTo(3.0);

            execute("ALTER TABLE core.audit_event_away RENAME TO audit_event");
            await().atMost(Duration.ofSeconds(20)).until(() -> writer.pending() == 0);
            assertThat(writer.saturated()).isFalse();
        }
        assertThat(count("SELECT count(*) FROM core.audit_event WHERE query IN ('n=0', 'n=1', 'n=2')")).isEqualTo(3);
    }

    @Test
    void whatCannotBeStoredByShutdownIsLoggedEventByEventWithoutQueryValues() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(AuditWriter.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            execute("ALTER TABLE core.audit_event RENAME TO audit_event_away");
            AuditWriter writer = writer(100);
            writer.submit(new AuditWriter.Recorded(event("staff:x", null, "/api/v1/patients", "name=Edith&limit=5", 200, patientA1, null),
                    practiceA, Map.of(), null));
            writer.submit(new AuditWriter.Recorded(event("staff:x", null, "/api/v1/patients", null, 200, patientA2, null),
                    practiceA, Map.of(), null));
            await().atMost(Duration.ofSeconds(10)).until(() -> meters.counter(AuditWriter.FAILURES).count() >= 1);
            writer.close();
            List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.startsWith("Audit event not stored"))
                    .toList();
            assertThat(lines).hasSize(2);
            assertThat(lines.get(0)).contains(patientA1.toString(), practiceA.toString(), "[name, limit]").doesNotContain("Edith");
            assertThat(lines.get(1)).contains(patientA2.toString());
        } finally {
            logger.detachAppender(appender);
            execute("ALTER TABLE core.audit_event_away RENAME TO audit_event");
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = database.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = database.connection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<UUID> uuids(Array array) throws SQLException {
        return Arrays.asList((UUID[]) array.getArray());
    }
}
