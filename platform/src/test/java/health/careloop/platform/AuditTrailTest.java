package health.careloop.platform;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The audit trail answers an auditor (issue 14), on the embedded default as CareLoop runs: a list names the patients
 * it returned, sign-ins (good and failed) and 401s are recorded, a refused call says what it asked for and whose
 * record it targeted, every row has its practice; administrators read their practice's events by patient, staff
 * member and date, a page at a time or as a CSV whose download is itself audited; a nurse may not, another practice's
 * administrator sees none of it; and the rows cannot be changed the way CareLoop connects.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class AuditTrailTest {
    static Platform platform;
    static ApiClient system;
    static TestPractices practices;
    static String practiceA;
    static String practiceB;
    static String patientA1;
    static String patientA2;
    static String nurseA;
    static String nurseAEmail;
    static ApiClient nurseAClient;
    static ApiClient adminA;
    static ApiClient adminB;
    static ApiClient nurseB;
    static String nurseBId;

    @BeforeAll
    static void start() throws Exception {
        platform = EmbeddedPlatforms.start();
        practices = TestPractices.of(platform);
        system = practices.system();
        practiceA = practices.practice("Audit A", "UTC");
        practiceB = practices.practice("Audit B", "UTC");
        patientA1 = system.id(system.post("/api/v1/patients", "{\"practiceId\":\"" + practiceA + "\",\"externalRef\":\"MRN-A1\"}"));
        patientA2 = system.id(system.post("/api/v1/patients", "{\"practiceId\":\"" + practiceA + "\",\"externalRef\":\"MRN-A2\"}"));
        system.post("/api/v1/patients", "{\"practiceId\":\"" + practiceB + "\",\"externalRef\":\"MRN-B1\"}");
        nurseAEmail = "audit-rn-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        nurseA = staff(practiceA, nurseAEmail, "rn");
        nurseAClient = signIn(nurseAEmail);
        adminA = signIn(email(staff(practiceA, null, "admin")));
        adminB = signIn(email(staff(practiceB, null, "admin")));
        String nurseBEmail = "audit-rn-b-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        nurseBId = staff(practiceB, nurseBEmail, "rn");
        nurseB = signIn(nurseBEmail);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static final java.util.Map<String, String> EMAILS = new java.util.HashMap<>();

    private static String staff(String practice, String email, String role) throws Exception {
        String address = email != null ? email : "audit-" + role + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        String id = practices.staffWithEmail(practice, address, role, "Audit, " + role, null).getString("id");
        EMAILS.put(id, address);
        return id;
    }

    private static String email(String staffId) {
        return EMAILS.get(staffId);
    }

    private static ApiClient signIn(String email) throws Exception {
        return practices.signIn(email);
    }

    @Test
    void aListNamesEveryPatientItReturnedInOneRowWithThePractice() throws Exception {
        assertThat(nurseAClient.get("/api/v1/patients?limit=50").status()).isEqualTo(200);
        awaitRow("actor = 'staff:" + nurseA + "' AND resource = '/api/v1/patients' AND query = 'limit=50' AND outcome = 200 "
                + "AND practice_id = '" + practiceA + "' AND staff_id = '" + nurseA + "' AND patient_ids @> ARRAY['" + patientA1 + "', '"
                + patientA2 + "']::uuid[]");
        assertThat(count("SELECT count(*) FROM core.audit_event WHERE resource = '/api/v1/patients' AND query = 'limit=50'"))
                .as("one row per request, not per patient").isEqualTo(1);
    }

    @Test
    void signInsGoodAndFailedAndUnauthenticatedCallsAreRecorded() throws Exception {
        ApiClient anonymous = new ApiClient(platform.httpPort(), null);
        assertThat(anonymous.post("/api/v1/auth/login", new JsonObject().put("email", nurseAEmail).put("password", "not the password").encode())
                .status()).isEqualTo(401);
        signIn(nurseAEmail);
        assertThat(anonymous.get("/api/v1/tasks?status=open").status()).isEqualTo(401);
        awaitRow("resource = '/api/v1/auth/login' AND outcome = 401 AND actor = 'anonymous' AND staff_id = '" + nurseA
                + "' AND practice_id = '" + practiceA + "' AND client_address = '127.0.0.1'");
        awaitRow("resource = '/api/v1/auth/login' AND outcome = 200 AND actor = 'staff:" + nurseA + "' AND practice_id = '" + practiceA + "'");
        awaitRow("resource = '/api/v1/tasks' AND query = 'status=open' AND outcome = 401 AND actor = 'anonymous'");
        assertThat(count("SELECT count(*) FROM core.audit_event WHERE actor LIKE 'staff:%' AND practice_id IS NULL"))
                .as("every signed-in call has its practice").isZero();
    }

    @Test
    void aRefusedCallSaysWhatItAskedForAndWhosePracticesRecordItTargeted() throws Exception {
        assertThat(nurseB.get("/api/v1/patients/" + patientA1 + "?asOf=2026-01-01").status()).isEqualTo(404);
        awaitRow("actor = 'staff:" + nurseBId + "' AND outcome = 404 AND resource = '/api/v1/patients/" + patientA1
                + "' AND query = 'asOf=2026-01-01' AND practice_id = '" + practiceA + "' AND patient_id = '" + patientA1 + "'");
        assertThat(nurseAClient.get("/api/v1/audit-events?limit=5").status()).as("a nurse may not read the trail").isEqualTo(403);
        assertThat(nurseAClient.get("/api/v1/audit-events.csv").status()).isEqualTo(403);
        awaitRow("actor = 'staff:" + nurseA + "' AND outcome = 403 AND resource = '/api/v1/audit-events' AND query = 'limit=5' "
                + "AND practice_id = '" + practiceA + "'");
    }

    @Test
    void administratorsReadTheirPracticesEventsByPatientStaffMemberAndDateAPageAtATime() throws Exception {
        assertThat(nurseAClient.get("/api/v1/patients/" + patientA1).status()).isEqualTo(200);
        assertThat(nurseB.get("/api/v1/patients/" + patientA1).status()).isEqualTo(404);
        for (int i = 0; i < 3; i++) {
            assertThat(nurseAClient.get("/api/v1/patients/" + patientA2 + "?n=" + i).status()).isEqualTo(200);
        }
        awaitRow("actor = 'staff:" + nurseBId + "' AND resource = '/api/v1/patients/" + patientA1 + "' AND query IS NULL");
        awaitRow("resource = '/api/v1/patients/" + patientA2 + "' AND query = 'n=2'");

        JsonArray aboutA1 = adminA.get("/api/v1/audit-events?patientId=" + patientA1 + "&limit=1000").json().getJsonArray("items");
        assertThat(aboutA1).isNotEmpty();
        for (Object o : aboutA1) {
            JsonObject e = (JsonObject) o;
            assertThat(e.getString("practiceId")).isEqualTo(practiceA);
            assertThat(patientA1.equals(e.getString("patientId")) || e.getJsonArray("patientIds").contains(patientA1)).as(e.encode()).isTrue();
        }
        assertThat(actors(aboutA1)).as("the other practice's probe is in A's trail").contains("staff:" + nurseA, "staff:" + nurseBId);

        JsonArray byNurse = adminA.get("/api/v1/audit-events?staffId=" + nurseA + "&limit=1000").json().getJsonArray("items");
        assertThat(byNurse).isNotEmpty();
        byNurse.forEach(o -> assertThat(((JsonObject) o).getString("staffId")).isEqualTo(nurseA));

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        assertThat(adminA.get("/api/v1/audit-events?from=" + today + "&to=" + today).json().getJsonArray("items")).isNotEmpty();
        assertThat(adminA.get("/api/v1/audit-events?from=2001-01-01&to=2001-01-31").json().getJsonArray("items")).isEmpty();
        assertThat(adminA.get("/api/v1/audit-events?from=yesterday").status()).isEqualTo(400);
        assertThat(adminA.get("/api/v1/audit-events?cursor=nonsense").status()).isEqualTo(400);

        // Pages of two, newest first, none repeated, until the cursor runs out.
        String query = "/api/v1/audit-events?patientId=" + patientA2 + "&limit=2";
        List<Long> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonObject page = adminA.get(query + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.getJsonArray("items").forEach(o -> ids.add(((JsonObject) o).getLong("id")));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 20);
        assertThat(pages).isGreaterThanOrEqualTo(2);
        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
        assertThat(ids).hasSizeGreaterThanOrEqualTo(3);
        assertThat(ids).isSortedAccordingTo((x, y) -> Long.compare(y, x));
    }

    @Test
    void anotherPracticesAdministratorSeesNoneOfIt() throws Exception {
        assertThat(nurseAClient.get("/api/v1/patients/" + patientA1).status()).isEqualTo(200);
        awaitRow("actor = 'staff:" + nurseA + "' AND patient_id = '" + patientA1 + "'");
        assertThat(adminB.get("/api/v1/audit-events?practiceId=" + practiceA).status()).isEqualTo(404);
        assertThat(adminB.get("/api/v1/audit-events.csv?practiceId=" + practiceA).status()).isEqualTo(404);
        assertThat(adminB.get("/api/v1/audit-events?patientId=" + patientA1).json().getJsonArray("items")).isEmpty();
        assertThat(adminB.get("/api/v1/audit-events?staffId=" + nurseA).json().getJsonArray("items")).isEmpty();
        var own = adminB.get("/api/v1/audit-events?limit=1000");
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.json().getJsonArray("items")).as("B's own events").isNotEmpty();
        for (Object o : own.json().getJsonArray("items")) {
            JsonObject e = (JsonObject) o;
            assertThat(e.getString("practiceId")).as(e.encode()).isEqualTo(practiceB);
            assertThat(e.getString("patientId")).as(e.encode()).isNotIn(patientA1, patientA2);
            assertThat(e.getJsonArray("patientIds")).as(e.encode()).doesNotContain(patientA1, patientA2);
        }
        // Only what B's administrator typed into their own queries above may name A's records; nothing of A's own trail.
        assertThat(own.body()).doesNotContain(practiceA, patientA2);
    }

    @Test
    void theCsvDownloadDefusesFormulasNamesItsPatientsAndIsItselfAudited() throws Exception {
        assertThat(nurseAClient.get("/api/v1/tasks?=SUM(1)").status()).isEqualTo(200);
        assertThat(nurseAClient.get("/api/v1/patients/" + patientA1).status()).isEqualTo(200);
        awaitRow("actor = 'staff:" + nurseA + "' AND resource = '/api/v1/tasks' AND query = '=SUM(1)'");
        awaitRow("actor = 'staff:" + nurseA + "' AND patient_id = '" + patientA1 + "'");
        var csv = adminA.getResponse("/api/v1/audit-events.csv?staffId=" + nurseA);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        String[] lines = csv.body().split("\r\n");
        assertThat(lines[0]).isEqualTo("id,at,actor,staff_id,action,resource,query,outcome,practice_id,patient_id,patient_ids,client_address");
        assertThat(csv.body()).contains(",'=SUM(1),").doesNotContain(",=SUM(1),");
        assertThat(csv.body()).contains(patientA1);
        awaitRow("resource = '/api/v1/audit-events.csv' AND outcome = 200 AND practice_id = '" + practiceA + "' AND (patient_id = '"
                + patientA1 + "' OR patient_ids @> ARRAY['" + patientA1 + "']::uuid[])");
        assertThat(adminA.get("/api/v1/audit-events.csv?limit=1").header("X-CareLoop-Next-Cursor")).as("more than one event matches").isNotBlank();
    }

    @Test
    void theTrailCannotBeChangedTheWayCareLoopConnects() throws Exception {
        assertThat(nurseAClient.get("/api/v1/auth/me").status()).isEqualTo(200);
        awaitRow("actor = 'staff:" + nurseA + "' AND resource = '/api/v1/auth/me'");
        try (Connection c = DriverManager.getConnection(platform.jdbcUrlForTests()); Statement s = c.createStatement()) {
            long before = count("SELECT count(*) FROM core.audit_event");
            // Its own privileges are revoked...
            assertThatThrownBy(() -> s.executeUpdate("UPDATE core.audit_event SET actor = 'someone else'")).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM core.audit_event")).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.execute("TRUNCATE core.audit_event")).hasMessageContaining("permission denied");
            // ...and when the owner grants them back to itself, the database still refuses.
            s.execute("GRANT UPDATE, DELETE, TRUNCATE ON core.audit_event TO CURRENT_USER");
            try {
                assertThatThrownBy(() -> s.executeUpdate("UPDATE core.audit_event SET actor = 'someone else'")).hasMessageContaining("append-only");
                assertThatThrownBy(() -> s.executeUpdate("DELETE FROM core.audit_event")).hasMessageContaining("append-only");
                assertThatThrownBy(() -> s.execute("TRUNCATE core.audit_event")).hasMessageContaining("append-only");
            } finally {
                s.execute("REVOKE UPDATE, DELETE, TRUNCATE ON core.audit_event FROM CURRENT_USER");
            }
            assertThat(count("SELECT count(*) FROM core.audit_event")).isGreaterThanOrEqualTo(before);
            assertThat(count("SELECT count(*) FROM core.audit_event WHERE actor = 'someone else'")).isZero();
        }
    }

    private static Set<String> actors(JsonArray events) {
        Set<String> actors = new HashSet<>();
        events.forEach(o -> actors.add(((JsonObject) o).getString("actor")));
        return actors;
    }

    private static void awaitRow(String condition) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() ->
                count("SELECT count(*) FROM core.audit_event WHERE " + condition) >= 1);
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(platform.jdbcUrlForTests()); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
