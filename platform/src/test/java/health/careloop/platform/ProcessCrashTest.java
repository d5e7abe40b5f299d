package health.careloop.platform;

import health.careloop.common.config.DatabaseConfig;
import health.careloop.embedded.EmbeddedBroker;
import health.careloop.testing.TestDatabases;
import health.careloop.testing.TestDevice;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Crashes of real CareLoop processes (SIGKILL: no shutdown hook, no drain) with the broker and database left running:
 * ingest and the evaluator killed mid-stream lose no reading the broker accepted, store none twice, and raise every
 * alert exactly once after the restart; a month close killed halfway and run again gives exactly what an uninterrupted
 * close of the same data gives. Neither process writes a patient's name, birth date, MBI, phone, address or MRN to
 * its log.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ProcessCrashTest {
    private static final String TOKEN = "process-crash-test-token-" + UUID.randomUUID();
    private static final ZoneId ZONE = ZoneId.of("America/Chicago");

    @TempDir
    Path dir;
    private EmbeddedBroker broker;
    private final List<DatabaseConfig> databases = new ArrayList<>();
    private final List<CareLoopProcess> processes = new ArrayList<>();
    /** What the logs must never contain. */
    private final Set<String> phi = new HashSet<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(dir.resolve("broker"), 0, true);
    }

    @AfterEach
    void stop() throws Exception {
        for (CareLoopProcess p : processes) {
            p.close();
        }
        broker.close();
        databases.forEach(TestDatabases::drop);
        for (CareLoopProcess p : processes) {
            String log = p.log();
            assertThat(log).as("the log was captured").contains("CareLoop is up");
            for (String secret : phi) {
                assertThat(log).as("a process log contains patient data").doesNotContain(secret);
            }
        }
    }

    private CareLoopProcess launch(DatabaseConfig db, String name) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("CARELOOP_DB_URL", db.jdbcUrl());
        env.put("CARELOOP_DB_USER", db.user());
        env.put("CARELOOP_DB_PASSWORD", db.password());
        env.put("CARELOOP_MQTT_URL", "tcp://127.0.0.1:" + broker.port());
        env.put("CARELOOP_INGEST_CLIENT_ID", "careloop-ingest-crash-" + db.jdbcUrl().hashCode());
        env.put("CARELOOP_HTTP_PORT", Integer.toString(EmbeddedPlatforms.freePort()));
        env.put("CARELOOP_API_TOKEN", TOKEN);
        env.put("CARELOOP_DATA_DIR", dir.resolve("data-" + name).toString());
        CareLoopProcess process = CareLoopProcess.start(env, dir.resolve(name + ".log"));
        processes.add(process);
        return process;
    }

    private DatabaseConfig freshDatabase() {
        DatabaseConfig db = TestDatabases.fresh();
        databases.add(db);
        return db;
    }

    @Test
    void ingestAndTheEvaluatorKilledMidStreamLoseNothingAndRaiseEachAlertOnce() throws Exception {
        DatabaseConfig db = freshDatabase();
        CareLoopProcess first = launch(db, "ingest-first");
        ApiClient api = new ApiClient(first.httpPort(), TOKEN);
        String practice = api.id(api.post("/api/v1/practices", "{\"name\":\"Crash Clinic\",\"timeZone\":\"America/Chicago\"}"));
        CrisisStream stream = CrisisStream.register(api, practice, "CRASH-" + UUID.randomUUID().toString().substring(0, 6), 40, phi);
        stream.start("tcp://127.0.0.1:" + broker.port(), 3000, 0);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> scalar(db, "SELECT count(*) FROM ingest.reading") >= 300);
            first.kill();
            long storedAtKill = scalar(db, "SELECT count(*) FROM ingest.reading");
            int acknowledgedAtKill = stream.acknowledgedCount();
            await().atMost(Duration.ofSeconds(30)).until(() -> stream.acknowledgedCount() >= acknowledgedAtKill + 100);

            CareLoopProcess second = launch(db, "ingest-second");
            Thread.sleep(500);
            stream.stop(Duration.ofSeconds(15));
            await().atMost(Duration.ofSeconds(30)).until(() -> scalar(db, "SELECT count(*) FROM ingest.reading") >= stream.acknowledgedCount());
            stream.assertStoredOnce(db, "every reading the broker accepted, stored once (" + storedAtKill + " stored when ingest was killed)");
            await().atMost(Duration.ofSeconds(30)).until(() -> scalar(db,
                    "SELECT count(*) FROM clinical.alert_reading WHERE rule_id = 'bp_crisis' AND triggered") >= stream.crisisCount());
            int alerted = stream.assertEachCrisisAlertedOnce(db);
            assertThat(second.terminate(Duration.ofSeconds(25))).isZero();
            System.out.printf("SIGKILL mid-stream: %d stored at the kill, %d acknowledged and stored once after the restart, %d alerts%n",
                    storedAtKill, stream.acknowledgedCount(), alerted);
        } finally {
            stream.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void aMonthCloseKilledHalfwayAndRunAgainGivesWhatAnUninterruptedCloseGives() throws Exception {
        DatabaseConfig db = freshDatabase();
        CareLoopProcess seeding = launch(db, "close-seed");
        String practice = seedAMonth(seeding);
        assertThat(seeding.terminate(Duration.ofSeconds(25))).isZero();
        DatabaseConfig untouched = TestDatabases.copyOf(db);
        databases.add(untouched);
        String month = YearMonth.now(ZONE).minusMonths(1).toString();
        String close = "/api/v1/billing/months/" + month + "/close?practiceId=" + practice;

        // Halfway: the close's transaction waits for a lock the test holds on the table it writes last; then SIGKILL.
        CareLoopProcess doomed = launch(db, "close-killed");
        try (Connection lock = connect(db)) {
            lock.setAutoCommit(false);
            try (Statement s = lock.createStatement()) {
                s.execute("LOCK TABLE billing.code_not_billed IN SHARE MODE");
            }
            CompletableFuture<HttpResponse<String>> pending = http.sendAsync(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + doomed.httpPort() + close)).header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> pending.isDone() || scalar(db,
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") > 0);
            assertThat(pending.isDone()).as("the close finished before it reached the lock: %s", pending.isDone() ? pending.get().body() : "").isFalse();
            doomed.kill();
            lock.rollback();
        }
        long linesAfterKill = scalar(db, "SELECT count(*) FROM billing.claim_line");

        CareLoopProcess again = launch(db, "close-again");
        CareLoopProcess reference = launch(untouched, "close-reference");
        HttpResponse<String> rerun = post(again, close);
        HttpResponse<String> clean = post(reference, close);
        assertThat(rerun.statusCode()).as(rerun.body()).isEqualTo(200);
        assertThat(clean.statusCode()).as(clean.body()).isEqualTo(200);
        assertThat(post(again, close).statusCode()).as("closing again changes nothing").isEqualTo(200);

        List<String> lines = rows(db, CLAIM_LINES);
        List<String> expectedLines = rows(untouched, CLAIM_LINES);
        assertThat(expectedLines).as("the seeded month bills something").isNotEmpty();
        assertThat(lines).isEqualTo(expectedLines);
        assertThat(rows(db, NOT_BILLED)).isEqualTo(rows(untouched, NOT_BILLED));
        assertThat(scalar(db, "SELECT count(*) FROM billing.month_close")).isEqualTo(1);
        System.out.printf("Month close killed halfway (%d claim lines committed at the kill), re-run: %d claim lines, %d reasons, "
                + "as an uninterrupted close%n", linesAfterKill, lines.size(), rows(db, NOT_BILLED).size());
        assertThat(again.terminate(Duration.ofSeconds(25))).isZero();
        assertThat(reference.terminate(Duration.ofSeconds(25))).isZero();
    }

    private static final String CLAIM_LINES = """
            SELECT concat_ws('|', patient_id, program, code, units, date_of_service, period_start, period_end, diagnoses::text,
                             billing_npi, place_of_service, charge, minutes_counted, data_days, justification)
            FROM billing.claim_line ORDER BY 1""";
    private static final String NOT_BILLED = """
            SELECT concat_ws('|', patient_id, code, period_end, reason) FROM billing.code_not_billed ORDER BY 1""";

    /**
     * A practice's last month: 30 patients with demographics (the PHI the logs must not show), hypertension (and
     * diabetes for CCM on every other one), consents and enrolments, a cuff whose store-and-forward upload covers
     * 2 to 21 days of the month, and a nurse's RPM and CCM minutes.
     */
    private String seedAMonth(CareLoopProcess process) throws Exception {
        ApiClient system = new ApiClient(process.httpPort(), TOKEN);
        String practice = system.id(system.post("/api/v1/practices", "{\"name\":\"Close Crash Clinic\",\"timeZone\":\"" + ZONE + "\"}"));
        String doctor = staff(system, practice, "physician", "1234567893");
        String nurseEmail = "rn-" + UUID.randomUUID().toString().substring(0, 6) + "@example.org";
        system.post("/api/v1/staff", new JsonObject().put("practiceId", practice).put("email", nurseEmail).put("displayName", "Crash, Nurse")
                .put("role", "rn").put("password", "correct horse battery"));
        String token = new ApiClient(process.httpPort(), null).post("/api/v1/auth/login",
                new JsonObject().put("email", nurseEmail).put("password", "correct horse battery")).json().getString("token");
        ApiClient nurse = new ApiClient(process.httpPort(), token);

        YearMonth month = YearMonth.now(ZONE).minusMonths(1);
        LocalDate since = month.atDay(1).minusDays(40);
        int patients = 30;
        int readings = 0;
        try (TestDevice hub = new TestDevice("tcp://127.0.0.1:" + broker.port())) {
            for (int k = 0; k < patients; k++) {
                String mrn = "MRN-CLOSE-" + k + "-" + UUID.randomUUID().toString().substring(0, 6);
                String given = "Quillon" + (char) ('a' + k % 26) + "x";
                String family = "Brackenfeather" + k;
                String mbi = "1EG4TE5MK" + String.format("%02d", k);
                String birth = LocalDate.of(1940 + k, 1 + k % 12, 1 + k % 28).toString();
                phi.addAll(List.of(mrn, given, family, mbi, birth, "312555" + String.format("%04d", k), k + " Larkspur Lane"));
                String patient = nurse.id(nurse.post("/api/v1/patients", new JsonObject().put("practiceId", practice).put("externalRef", mrn)));
                assertThat(nurse.post("/api/v1/patients/" + patient + "/profile", new JsonObject().put("givenName", given)
                        .put("familyName", family).put("birthDate", birth).put("sex", k % 2 == 0 ? "female" : "male").put("mbi", mbi)
                        .put("phone", "312555" + String.format("%04d", k)).put("address", new JsonObject().put("line1", k + " Larkspur Lane")
                                .put("city", "Chicago").put("state", "IL").put("zip", "60601-1234"))).status()).isEqualTo(200);
                condition(nurse, patient, "I10", "Essential hypertension");
                consentAndEnrol(nurse, patient, "rpm", since, doctor);
                if (k % 2 == 0) {
                    condition(nurse, patient, "E11.9", "Type 2 diabetes");
                    consentAndEnrol(nurse, patient, "ccm", since, doctor);
                }
                String cuff = "cuff-close-" + k;
                assertThat(nurse.post("/api/v1/devices", new JsonObject().put("deviceId", cuff).put("practiceId", practice)
                        .put("kind", "blood_pressure_cuff")).status()).isEqualTo(201);
                assertThat(nurse.post("/api/v1/devices/" + cuff + "/assignments", new JsonObject().put("patientId", patient)
                        .put("validFrom", since.atStartOfDay(ZONE).toInstant().toString())).status()).isEqualTo(201);
                JsonArray upload = new JsonArray();
                for (int day = 1; day <= 2 + k % 20; day++) {
                    upload.add(new JsonObject().put("type", "blood_pressure").put("measuredAt", month.atDay(day).atTime(8, k)
                            .atZone(ZONE).toInstant().toString()).put("systolic", 124).put("diastolic", 78));
                }
                hub.publish(cuff, upload.encode());
                readings += upload.size();

                Instant start = month.atDay(1 + k % 27).atTime(9 + k / 27, 0).atZone(ZONE).toInstant();
                logTime(nurse, patient, "rpm", start, 5 + 5 * (k % 6), k % 3 == 0);
                if (k % 2 == 0) {
                    logTime(nurse, patient, "ccm", start.plus(Duration.ofMinutes(31)), 10 + 5 * (k % 5), false);
                }
            }
        }
        int expected = readings;
        await().atMost(Duration.ofSeconds(30)).until(() -> scalarOver(process, expected));
        return practice;
    }

    private boolean scalarOver(CareLoopProcess process, int expected) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + process.metricsPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(l -> l.startsWith("careloop_ingest_readings_stored_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum() >= expected;
    }

    private static String staff(ApiClient system, String practice, String role, String npi) throws Exception {
        var created = system.post("/api/v1/staff", new JsonObject().put("practiceId", practice)
                .put("email", role + "-" + UUID.randomUUID().toString().substring(0, 6) + "@example.org").put("displayName", "Crash, " + role)
                .put("role", role).put("npi", npi).put("password", "correct horse battery"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().getString("id");
    }

    private static void condition(ApiClient nurse, String patient, String icd10, String description) throws Exception {
        var r = nurse.post("/api/v1/patients/" + patient + "/conditions", new JsonObject().put("icd10", icd10).put("description", description)
                .put("onset", "2015-01-01").put("expectedDuration", "lifelong").put("significantRisk", true));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    private static void consentAndEnrol(ApiClient nurse, String patient, String program, LocalDate since, String doctor) throws Exception {
        JsonObject told = new JsonObject().put("costSharing", true);
        if (program.equals("ccm")) {
            told.put("serviceAvailable", true).put("onePractitionerPerMonth", true).put("mayStopAnyTime", true);
        }
        var consent = nurse.post("/api/v1/patients/" + patient + "/consents", new JsonObject().put("program", program).put("method", "written")
                .put("obtainedOn", since.toString()).put("told", told).put("accepted", true));
        assertThat(consent.status()).as(consent.body()).isEqualTo(201);
        var enrol = nurse.post("/api/v1/patients/" + patient + "/enrolments", new JsonObject().put("program", program)
                .put("startDate", since.toString()).put("billingPractitionerId", doctor));
        assertThat(enrol.status()).as(enrol.body()).isEqualTo(201);
    }

    private static void logTime(ApiClient nurse, String patient, String program, Instant start, int minutes, boolean call) throws Exception {
        JsonObject entry = new JsonObject().put("patientId", patient).put("program", program).put("activity", call ? "patient_call" : "data_review")
                .put("startedAt", start.toString()).put("endedAt", start.plus(Duration.ofMinutes(minutes)).toString());
        if (call) {
            entry.put("interactive", true).put("interactionMode", "phone");
        }
        var r = nurse.post("/api/v1/time-entries", entry);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    private HttpResponse<String> post(CareLoopProcess process, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + process.httpPort() + path))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Connection connect(DatabaseConfig db) throws Exception {
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }

    private static long scalar(DatabaseConfig db, String sql) throws Exception {
        try (Connection c = connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> rows(DatabaseConfig db, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
