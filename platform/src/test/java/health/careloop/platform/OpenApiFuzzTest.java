package health.careloop.platform;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import health.careloop.testing.TestDevice;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14: hostile text in every string a caller can send, driven by openapi.yaml. For every operation, each string
 * field of its request body and each query parameter gets, one at a time, NUL and other control characters, formula
 * strings (=1+1, -1, @SUM(A1), tab-leading), very long strings and odd Unicode, with a valid token and an
 * otherwise valid request (a fixture per operation, fresh records where an operation uses one up), so the field under
 * test is what is judged. The token is the API token wherever it may act: it runs outside row-level security, the case
 * in which PostgreSQL's error detail quotes the failing row; staff sessions where only a person may act (the work queue,
 * time, thresholds). Every answer must be a 4xx JSON error or a 2xx that stored the value; a control character
 * other than tab, CR and LF must be a 400 naming the field; never a 5xx. The log, captured in-process, must stay clean:
 * no ERROR, no stack trace, no "Failing row", none of the seeded patient's name, birth date, MBI, address or phone.
 * An operation with such a string and no fixture fails the test (add one below).
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class OpenApiFuzzTest {
    /**
     * One hostile value. {@code inBody} / {@code inQuery}: must it be a 400 naming the field there, whatever the field?
     * Control characters always are, except tab, CR and LF, which free text keeps (and one-line fields trim at the ends);
     * a query parameter is one line, so there they are refused too. A lone surrogate cannot reach the server in a URL
     * (the decoder makes U+FFFD of it).
     */
    record Hostile(String label, String value, boolean inBody, boolean inQuery) {
        boolean refused(OpenApiTargets.Target target) {
            return target.query() ? inQuery : inBody;
        }
    }

    static final String LONE_SURROGATE = "@@lone-surrogate@@";
    /*
     * One value per way a check can go wrong, to keep the run near three minutes: a C0 control inside and alone, ESC,
     * vertical tab (which Java's \s counts as white space), DEL and a C1 control; formula leaders = - @ and a leading tab;
     * two lengths; four kinds of odd Unicode. Dropped as repeats of a kept case: bell (C0 like ESC), +1 (a leading sign
     * like -1), =HYPERLINK (= like =1+1), a leading CR (like the leading tab), combining marks (several code points a
     * character, like the emoji).
     */
    static final List<Hostile> HOSTILE = List.of(
            new Hostile("NUL", "\u0000", true, true),
            new Hostile("NUL inside", "ok\u0000ok", true, true),
            new Hostile("escape", "\u001b[31mred", true, true),
            new Hostile("DEL", "a\u007fb", true, true),
            new Hostile("C1 NEL", "a\u0085b", true, true),
            new Hostile("vertical tab", "a\u000Bb", true, true),
            new Hostile("line break", "line one\nline two", false, true),
            new Hostile("=1+1", "=1+1", false, false),
            new Hostile("-1", "-1", false, false),
            new Hostile("@SUM", "@SUM(A1)", false, false),
            new Hostile("tab-leading", "\t=1+1", false, true),
            new Hostile("5,000 characters", "x".repeat(5000), false, false),
            new Hostile("70,000 characters", "y".repeat(70_000), false, false),
            new Hostile("right-to-left override", "\u202Eevil\u202C", false, false),
            new Hostile("emoji", "\uD83D\uDE00\uD83D\uDC4D\uD83C\uDFFD", false, false),
            new Hostile("BOM", "\uFEFFbom", false, false),
            new Hostile("line separator", "a\u2028b", false, false),
            new Hostile("lone surrogate", LONE_SURROGATE, true, false));

    /** What the seeded patient is known by; none of it may appear in the log. */
    static final String GIVEN = "Philippa";
    static final String FAMILY = "Quenneville";
    static final String BIRTH = "1941-03-17";
    static final String MBI = "1EG4TE5MK73";
    static final String STREET = "4417 Wrenfield Court";
    static final String PHONE = "3125550199";
    static final List<String> IDENTIFYING = List.of(GIVEN, FAMILY, BIRTH, MBI, "Wrenfield", PHONE);
    static final String PASSWORD = TestPractices.PASSWORD;
    static final String CLOSED_MONTH = "2025-01";
    /** Fields the API stores in a normal form, so an accepted value may come back written otherwise ("+1" is zone +01:00). */
    static final Set<String> NORMALISED = Set.of("timeZone");

    static Platform platform;
    static int mqttPort;
    static ApiClient system;
    static TestPractices practices;
    static String practice;
    static String physicianToken;
    static String adminToken;
    static String physicianId;
    static String colleagueId;
    static String seeded;
    static String scratch;
    static String condition;
    static String task;
    static String loginEmail;
    static final ConcurrentLinkedQueue<String> openAlerts = new ConcurrentLinkedQueue<>();
    static final AtomicInteger counter = new AtomicInteger();
    static final AtomicInteger slots = new AtomicInteger();
    /** Time entries go back from here, a minute each, so no two overlap (one person's time never does). */
    static Instant slotBase;
    /** When a timer was last started: the ledger stops only a timer that ran at least a second. */
    static Instant lastTimerStart = Instant.EPOCH;
    static final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    /** Who calls, the path's parameters, a valid body, valid query parameters, and what a valid request answers. */
    record Fixture(String who, Supplier<Map<String, String>> path, Supplier<JsonObject> body, Supplier<Map<String, String>> query,
                   Set<Integer> baseline) {
    }

    static final Map<String, Fixture> FIXTURES = new LinkedHashMap<>();

    static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    static String unique(String prefix) {
        return prefix + "-" + counter.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    static void fixture(String key, String who, Supplier<Map<String, String>> path, Supplier<JsonObject> body, Supplier<Map<String, String>> query,
                        Integer... baseline) {
        FIXTURES.put(key, new Fixture(who, path == null ? Map::of : path, body, query == null ? Map::of : query,
                Set.of(baseline.length == 0 ? new Integer[]{200, 201} : baseline)));
    }

    static Map<String, String> kv(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    static {
        fixture("POST /auth/login", "none", null, () -> new JsonObject().put("email", loginEmail).put("password", PASSWORD), null);
        // Staff exist here, so a valid setup is refused (409): what is fuzzed is that every field is checked first.
        fixture("POST /setup", "none", null, () -> new JsonObject().put("setupToken", "not this install's token").put("practiceName", "Fuzz Clinic")
                .put("timeZone", "America/Chicago").put("adminName", "Fuzz Admin").put("adminEmail", "fuzz-admin@example.org")
                .put("adminPassword", PASSWORD), null, 409);
        fixture("GET /staff", "system", null, null, () -> kv("practiceId", practice));
        fixture("POST /staff", "system", null, () -> new JsonObject().put("practiceId", practice).put("email", unique("fuzz") + "@example.org")
                .put("displayName", "Fuzz, Doctor").put("role", "physician").put("npi", "1234567893").put("password", PASSWORD), null);
        fixture("POST /staff/{staffId}/password", "system", () -> kv("staffId", colleagueId),
                () -> new JsonObject().put("password", "another long passphrase"), null);
        // The colleague keeps the role it has (ma), so the fixtures that enter its time still work.
        fixture("POST /staff/{staffId}/role", "system", () -> kv("staffId", colleagueId), () -> new JsonObject().put("role", "ma"), null);
        fixture("GET /care-management/worklist", "system", null, null, () -> kv("practiceId", practice));
        fixture("POST /practices/{practiceId}/imports", "system", () -> kv("practiceId", practice),
                () -> new JsonObject().put("resourceType", "Bundle").put("type", "collection"), () -> kv("dryRun", "true"));
        fixture("POST /practices", "system", null, () -> new JsonObject().put("name", "Fuzz Practice").put("timeZone", "America/Chicago"), null);
        fixture("GET /patients", "system", null, null, () -> kv("practiceId", practice, "name", FAMILY, "limit", "10"));
        fixture("POST /patients", "system", null, () -> new JsonObject().put("practiceId", practice).put("externalRef", unique("MRN")), null);
        fixture("GET /devices", "system", null, null, () -> kv("practiceId", practice, "patientId", seeded));
        fixture("POST /devices", "system", null, () -> new JsonObject().put("deviceId", unique("cuff")).put("practiceId", practice)
                .put("kind", "blood_pressure_cuff").put("model", "Omron BP7350"), null);
        fixture("POST /devices/{deviceId}/credentials", "system", () -> kv("deviceId", device()),
                () -> new JsonObject().put("password", "a provisioning system's own secret"), null);
        fixture("POST /devices/{deviceId}/assignments", "system", () -> kv("deviceId", device()), () -> new JsonObject().put("patientId", scratch)
                .put("validFrom", Instant.now().minus(Duration.ofDays(1)).toString()).put("validTo", Instant.now().plus(Duration.ofDays(30)).toString()), null);
        fixture("GET /patients/{patientId}/readings", "system", () -> kv("patientId", seeded), null, () -> kv("from",
                Instant.now().minus(Duration.ofDays(30)).toString(), "to", Instant.now().toString(), "type", "blood_pressure", "limit", "100"));
        fixture("GET /patients/{patientId}/data-days", "system", () -> kv("patientId", seeded), null,
                () -> kv("from", today().minusDays(30).toString(), "to", today().toString()));
        fixture("GET /alerts", "system", null, null, () -> kv("status", "open", "severity", "critical", "rule", "bp_crisis",
                "practiceId", practice, "limit", "50"));
        fixture("GET /patients/{patientId}/alerts", "system", () -> kv("patientId", seeded), null,
                () -> kv("status", "open", "severity", "critical", "rule", "bp_crisis"));
        fixture("POST /alerts/{alertId}/resolve", "physician", () -> kv("alertId", alert()), () -> new JsonObject().put("outcome", "Called the patient"), null);
        fixture("POST /alerts/{alertId}/escalate", "physician", () -> kv("alertId", alert()), () -> new JsonObject().put("reason", "No answer"), null);
        fixture("GET /tasks", "physician", null, null, () -> kv("status", "open", "assignee", "me", "overdue", "false", "patientId", seeded, "limit", "50"));
        fixture("POST /tasks", "physician", null, () -> new JsonObject().put("patientId", scratch).put("title", "Call back").put("detail", "About the cuff")
                .put("priority", "high").put("dueAt", Instant.now().plus(Duration.ofDays(1)).toString()).put("suggestedProgram", "rpm")
                .put("assigneeId", physicianId), null);
        fixture("POST /tasks/{taskId}/complete", "physician", () -> kv("taskId", newTask()),
                () -> new JsonObject().put("outcome", "Spoke to the patient").put("minutes", 5).put("program", "rpm"), null);
        fixture("POST /tasks/{taskId}/cancel", "physician", () -> kv("taskId", newTask()), () -> new JsonObject().put("outcome", "Duplicate"), null);
        fixture("PUT /patients/{patientId}/thresholds", "physician", () -> kv("patientId", seeded),
                () -> new JsonObject().put("values", new JsonObject().put("spo2.low_below", 86)).put("reason", "COPD baseline"), null);
        fixture("GET /patients/{patientId}", "system", () -> kv("patientId", seeded), null, () -> kv("asOf", today().toString()));
        fixture("POST /patients/{patientId}/profile", "system", () -> kv("patientId", seeded), OpenApiFuzzTest::profile, null);
        fixture("POST /patients/{patientId}/conditions", "system", () -> kv("patientId", scratch), () -> new JsonObject().put("icd10", "E11.9")
                .put("description", "Type 2 diabetes").put("onset", "2019-01-01").put("expectedDuration", "lifelong").put("significantRisk", true), null);
        fixture("POST /patients/{patientId}/conditions/{conditionId}/end", "system", () -> kv("patientId", scratch, "conditionId", newCondition()),
                () -> new JsonObject().put("endedOn", today().toString()), null);
        fixture("POST /patients/{patientId}/consents", "system", () -> kv("patientId", scratch), () -> consent(today().minusDays(1)), null);
        fixture("POST /patients/{patientId}/consents/{consentId}/revoke", "system", () -> kv("patientId", scratch, "consentId", newConsent(scratch)),
                () -> new JsonObject().put("revokedOn", today().toString()), null);
        fixture("POST /patients/{patientId}/enrolments", "system", () -> {
            String patient = newPatient();
            newConsent(patient);
            return kv("patientId", patient);
        }, () -> new JsonObject().put("program", "rpm").put("startDate", today().minusDays(5).toString()).put("billingPractitionerId", physicianId), null);
        fixture("POST /patients/{patientId}/enrolments/{enrolmentId}/end", "system", () -> {
            String patient = newPatient();
            newConsent(patient);
            return kv("patientId", patient, "enrolmentId", newEnrolment(patient));
        }, () -> new JsonObject().put("endDate", today().toString()), null);
        fixture("GET /patients/{patientId}/programs/{program}/status", "system", () -> kv("patientId", seeded, "program", "rpm"), null,
                () -> kv("date", today().toString()));
        fixture("POST /patients/{patientId}/care-plan", "system", () -> kv("patientId", seeded), OpenApiFuzzTest::carePlan, null);
        // A new measured time for every request: a reading is stored once per patient, type and time.
        fixture("POST /patients/{patientId}/entered-readings", "physician", () -> kv("patientId", seeded), () -> new JsonObject()
                .put("type", "blood_glucose").put("measuredAt", Instant.now().minusSeconds(60L * counter.incrementAndGet()).toString())
                .put("source", "phoned_in").put("glucose", 104).put("unit", "mg/dL").put("mealContext", "fasting")
                .put("note", "Read out by the patient's daughter"), null);
        fixture("POST /patients/{patientId}/care-plan/versions/{version}/copies", "system", () -> kv("patientId", patientWithCarePlan(), "version", "1"),
                () -> new JsonObject().put("givenOn", today().minusDays(1).toString()).put("method", "mail"), null);
        fixture("POST /patients/{patientId}/ccm-complexity", "physician", () -> kv("patientId", seeded),
                () -> new JsonObject().put("month", YearMonth.now(ZoneOffset.UTC).minusMonths(1).toString()).put("level", "moderate")
                        .put("note", "New insulin regimen and two specialists"), null);
        fixture("GET /care-team", "system", null, null, () -> kv("practiceId", practice));
        fixture("GET /patients/{patientId}/ccm-complexity", "system", () -> kv("patientId", seeded), null, null);
        // A record in force for every request: a withdrawn one cannot be withdrawn again (409).
        fixture("POST /patients/{patientId}/ccm-complexity/{complexityId}/withdraw", "physician", () -> kv("patientId", seeded,
                "complexityId", id(call("physician", "POST", "/patients/" + seeded + "/ccm-complexity", new JsonObject()
                        .put("month", YearMonth.now(ZoneOffset.UTC).minusMonths(1).toString()).put("level", "high").encode()))),
                () -> new JsonObject().put("reason", "Entered for the wrong patient"), null);
        fixture("POST /patients/{patientId}/external-ref", "system", () -> kv("patientId", scratch), () -> new JsonObject().put("externalRef", unique("MRN")), null);
        fixture("POST /time-entries", "physician", null, OpenApiFuzzTest::timeEntry, null);
        fixture("POST /time-entries/timer/start", "physician", () -> {
            stopTimer();
            lastTimerStart = Instant.now(); // the request under test starts one
            return Map.of();
        }, () -> new JsonObject().put("patientId", seeded).put("program", "rpm").put("activity", "data_review").put("note", "Reviewing")
                .put("taskId", task), null);
        fixture("POST /time-entries/timer/stop", "physician", () -> {
            stopTimer();
            ok(call("physician", "POST", "/time-entries/timer/start", new JsonObject().put("patientId", seeded).put("program", "rpm")
                    .put("activity", "patient_call").encode()));
            lastTimerStart = Instant.now();
            waitForTimerToRunASecond();
            return Map.of();
        }, () -> new JsonObject().put("interactive", true).put("interactionMode", "phone").put("note", "Called"), null);
        fixture("POST /time-entries/{entryId}/adjust", "physician", () -> kv("entryId", newTimeEntry()),
                () -> new JsonObject().put("reason", "Typo").put("note", "Reviewed the week's readings").put("activity", "data_review"), null);
        fixture("GET /patients/{patientId}/time-entries", "system", () -> kv("patientId", seeded), null,
                () -> kv("month", YearMonth.now(ZoneOffset.UTC).toString()));
        fixture("POST /patients/{patientId}/visits", "system", () -> kv("patientId", scratch), () -> new JsonObject().put("kind", "em")
                .put("date", today().minusDays(3).toString()).put("practitionerId", physicianId).put("ccmAssessment", false), null);
        fixture("POST /patients/{patientId}/inpatient-stays", "system", () -> kv("patientId", scratch), () -> new JsonObject().put("setting", "hospital")
                .put("admittedAt", Instant.now().minus(Duration.ofDays(10)).toString())
                .put("dischargedAt", Instant.now().minus(Duration.ofDays(8)).toString()), null);
        fixture("POST /patients/{patientId}/inpatient-stays/{stayId}/discharge", "system", () -> kv("patientId", scratch, "stayId", newStay()),
                () -> new JsonObject().put("dischargedAt", Instant.now().minus(Duration.ofDays(1)).toString()), null);
        fixture("GET /billing/readiness", "system", null, null, () -> kv("month", YearMonth.now(ZoneOffset.UTC).toString(), "practiceId", practice));
        fixture("POST /billing/months/{month}/close", "system", () -> kv("month", CLOSED_MONTH), null, () -> kv("practiceId", practice));
        fixture("GET /patients/{patientId}/monthly-summary.pdf", "system", () -> kv("patientId", seeded), null, () -> kv("month", CLOSED_MONTH));
        fixture("GET /practices/{practiceId}/monthly-summaries.zip", "system", () -> kv("practiceId", practice), null, () -> kv("month", CLOSED_MONTH));
        fixture("GET /billing/months/{month}/claims.json", "system", () -> kv("month", CLOSED_MONTH), null, () -> kv("practiceId", practice));
        fixture("GET /billing/months/{month}/claims.csv", "system", () -> kv("month", CLOSED_MONTH), null, () -> kv("practiceId", practice));
        // Nothing was billed in the closed month: the valid request is refused (409 no_claims) after every parameter was read.
        fixture("GET /billing/months/{month}/claims.837", "system", () -> kv("month", CLOSED_MONTH), null,
                () -> kv("practiceId", practice, "skipIncomplete", "false"), 409);
        fixture("POST /billing/months/{month}/corrections", "system", () -> kv("month", CLOSED_MONTH), null, () -> kv("practiceId", practice));
        fixture("GET /billing/months/{month}/corrections", "system", () -> kv("month", CLOSED_MONTH), null, () -> kv("practiceId", practice));
        // Nothing was billed in the closed month, so nothing to correct: refused (409 no_corrections_ready) after every parameter was read.
        fixture("GET /billing/months/{month}/corrections.837", "system", () -> kv("month", CLOSED_MONTH), null, () -> kv("practiceId", practice), 409);
        fixture("GET /billing/profile", "system", null, null, () -> kv("practiceId", practice));
        fixture("PUT /billing/profile", "system", null, OpenApiFuzzTest::billingProfile, () -> kv("practiceId", practice));
        fixture("GET /audit-events", "system", null, null, () -> kv("practiceId", practice, "limit", "5"));
        fixture("GET /audit-events.csv", "system", null, null, () -> kv("practiceId", practice, "limit", "5"));
        fixture("GET /billing/fees", "system", null, null, () -> kv("practiceId", practice, "on", today().toString()));
        fixture("PUT /billing/fees", "system", null, () -> new JsonObject().put("effectiveFrom", "2026-01-01").put("source", "MAC locality 99")
                .put("fees", new JsonObject().put("99437", "61.50")), () -> kv("practiceId", practice));
        // Not an X12 file: refused in words (400) after the practice was read, which is all there is to fuzz.
        fixture("POST /billing/acknowledgements", "system", null, () -> new JsonObject().put("note", "not an acknowledgement"),
                () -> kv("practiceId", practice), 400);
        fixture("GET /billing/months/{month}/claim-statuses", "system", () -> kv("month", CLOSED_MONTH), null, () -> kv("practiceId", practice));
        // No claim was billed in the closed month: the valid request reads everything, then finds no such claim (404).
        fixture("GET /billing/claims/{claimControlNumber}/status", "system", () -> kv("claimControlNumber", "0A1B2C3D4E5F202611"), null,
                () -> kv("practiceId", practice), 404);
        fixture("PUT /billing/claims/{claimControlNumber}/payer-claim-number", "system", () -> kv("claimControlNumber", "0A1B2C3D4E5F202611"),
                () -> new JsonObject().put("payerClaimNumber", "2226301234567"), () -> kv("practiceId", practice), 404);
        fixture("GET /billing/settings", "system", null, null, () -> kv("practiceId", practice, "month", YearMonth.now(ZoneOffset.UTC).toString()));
        fixture("PUT /billing/settings", "system", null, () -> new JsonObject().put("effectiveFrom", "2027-01")
                .put("settings", new JsonObject().put("max99458Units", "3")), () -> kv("practiceId", practice));
    }

    // ---------------------------------------------------------------- set-up

    @BeforeAll
    static void start() throws Exception {
        mqttPort = EmbeddedPlatforms.freePort();
        // Anonymous publishing on the embedded broker: the test raises many alerts from one client.
        platform = EmbeddedPlatforms.start(Map.of("CARELOOP_EMBEDDED_MQTT_PORT", Integer.toString(mqttPort), "CARELOOP_EMBEDDED_MQTT_AUTH", "off"));
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logged.start();
        root.addAppender(logged);
        practices = TestPractices.of(platform);
        system = practices.system();
        practice = practices.practice("Fuzz A", "UTC");
        physicianToken = signIn(staff("physician", "1234567893"));
        adminToken = signIn(staff("admin", null));
        loginEmail = staff("rn", null);
        colleagueId = system.id(system.post("/api/v1/staff", new JsonObject().put("practiceId", practice).put("email", unique("colleague") + "@example.org")
                .put("displayName", "Fuzz, Colleague").put("role", "ma").put("password", PASSWORD).encode()));
        ApiClient doctor = new ApiClient(platform.httpPort(), physicianToken);
        physicianId = doctor.get("/api/v1/auth/me").json().getString("staffId");

        seeded = newPatient();
        ok(call("physician", "POST", "/patients/" + seeded + "/profile", profile().encode()));
        condition = doctor.id(doctor.post("/api/v1/patients/" + seeded + "/conditions", new JsonObject().put("icd10", "I10")
                .put("description", "Essential hypertension").put("onset", "2019-01-01").put("expectedDuration", "lifelong").put("significantRisk", true)));
        ok(call("physician", "POST", "/patients/" + seeded + "/consents", consent(today().minusDays(60)).encode()));
        ok(call("physician", "POST", "/patients/" + seeded + "/enrolments", new JsonObject().put("program", "rpm")
                .put("startDate", today().minusDays(60).toString()).put("billingPractitionerId", physicianId).encode()));
        task = doctor.id(doctor.post("/api/v1/tasks", new JsonObject().put("patientId", seeded).put("title", "Review readings")));
        scratch = newPatient();
        slotBase = Instant.now().minus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.MINUTES);
        ok(call("admin", "PUT", "/billing/profile?practiceId=" + practice, billingProfile().encode()));
        ok(call("admin", "POST", "/billing/months/" + CLOSED_MONTH + "/close?practiceId=" + practice, "{}"));
        raiseAlerts(2 * (HOSTILE.size() + 1) + 2);
    }

    @AfterAll
    static void stop() {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(logged);
        if (platform != null) {
            platform.close();
        }
    }

    /** Crisis readings from as many patients, one open alert each (one open alert per patient and rule). */
    private static void raiseAlerts(int count) throws Exception {
        List<String> cuffs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String patient = newPatient();
            String cuff = device();
            ok(call("physician", "POST", "/devices/" + cuff + "/assignments", new JsonObject().put("patientId", patient)
                    .put("validFrom", Instant.now().minus(Duration.ofDays(1)).toString()).encode()));
            cuffs.add(cuff);
        }
        try (TestDevice publisher = new TestDevice("tcp://127.0.0.1:" + mqttPort)) {
            for (String cuff : cuffs) {
                publisher.publish(cuff, "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + Instant.now().truncatedTo(ChronoUnit.MILLIS)
                        + "\",\"systolic\":196,\"diastolic\":124}");
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonArray alerts = new JsonArray();
        while (System.nanoTime() < deadline) {
            alerts = new JsonObject(call("physician", "GET", "/alerts?status=open&limit=500", null).body()).getJsonArray("items");
            if (alerts.size() >= count) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(alerts.size()).as("open alerts raised for the fuzz run").isGreaterThanOrEqualTo(count);
        alerts.forEach(a -> openAlerts.add(((JsonObject) a).getString("id")));
    }

    private static String staff(String role, String npi) throws Exception {
        return practices.staffWithEmail(practice, unique(role) + "@example.org", role, "Fuzz, " + role, npi).getString("email");
    }

    private static String signIn(String email) throws Exception {
        return practices.signIn(email).token();
    }

    // ---------------------------------------------------------------- valid bodies and fresh records

    static JsonObject profile() {
        return new JsonObject().put("givenName", GIVEN).put("familyName", FAMILY).put("birthDate", BIRTH).put("sex", "female").put("mbi", MBI)
                .put("phone", PHONE).put("address", new JsonObject().put("line1", STREET).put("line2", "Apt 2").put("city", "Evanston")
                        .put("state", "IL").put("zip", "60201-1234"));
    }

    static JsonObject consent(LocalDate on) {
        return new JsonObject().put("program", "rpm").put("method", "verbal").put("obtainedOn", on.toString()).put("obtainedBy", physicianId)
                .put("told", new JsonObject().put("costSharing", true)).put("accepted", true).put("note", "Agreed by phone");
    }

    static JsonObject carePlan() {
        return new JsonObject().put("problems", new JsonArray().add(condition)).put("expectedOutcome", "Stable blood pressure")
                .put("prognosis", "Good").put("goals", new JsonArray().add(new JsonObject().put("description", "Lower BP").put("target", "SBP < 130 mmHg")
                        .put("targetDate", today().plusMonths(6).toString())))
                .put("symptomManagement", "Call if dizzy")
                .put("interventions", new JsonArray().add(new JsonObject().put("description", "Weekly review").put("responsibleParty", "Care team")))
                .put("medications", new JsonArray().add(new JsonObject().put("name", "Lisinopril").put("dose", "10 mg").put("frequency", "daily")))
                .put("communityResources", new JsonArray().add(new JsonObject().put("name", "Senior centre").put("details", "Tuesdays")))
                .put("coordinatingProviders", new JsonArray().add(new JsonObject().put("name", "Dr Heart").put("role", "Cardiology")
                        .put("contact", "312 555 0100")))
                .put("reviewDate", today().plusMonths(3).toString()).put("changeNote", "First plan");
    }

    static JsonObject timeEntry() {
        Instant start = slotBase.minus(Duration.ofMinutes(2L * slots.incrementAndGet()));
        return new JsonObject().put("patientId", seeded).put("staffId", physicianId).put("program", "rpm").put("activity", "data_review")
                .put("startedAt", start.toString()).put("endedAt", start.plus(Duration.ofMinutes(1)).toString()).put("interactive", true)
                .put("interactionMode", "phone").put("note", "Reviewed readings").put("taskId", task);
    }

    static JsonObject billingProfile() {
        return new JsonObject()
                .put("billingProvider", new JsonObject().put("organizationName", "FUZZ FAMILY MEDICINE LLC").put("npi", "1987654328").put("ein", "521234567")
                        .put("address", new JsonObject().put("line1", "100 N MICHIGAN AVE").put("line2", "SUITE 5").put("city", "CHICAGO")
                                .put("state", "IL").put("zip", "606011234")))
                .put("submitter", new JsonObject().put("name", "FUZZ FAMILY MEDICINE").put("id", "FUZZ0001").put("contactName", "BILLING OFFICE")
                        .put("contactPhone", "3125550100"))
                .put("receiver", new JsonObject().put("name", "WPS GOVERNMENT HEALTH ADMINISTRATORS").put("id", "05201"))
                .put("payer", new JsonObject().put("name", "MEDICARE PART B").put("payerId", "06102")).put("usage", "test");
    }

    static String newPatient() {
        return id(call("physician", "POST", "/patients", new JsonObject().put("practiceId", practice).put("externalRef", unique("MRN")).encode()));
    }

    static String device() {
        String id = unique("cuff");
        ok(call("physician", "POST", "/devices", new JsonObject().put("deviceId", id).put("practiceId", practice).put("kind", "blood_pressure_cuff").encode()));
        return id;
    }

    static String alert() {
        String id = openAlerts.poll();
        if (id == null) {
            throw new AssertionError("the fuzz run used up its open alerts; raise more in start()");
        }
        return id;
    }

    static String newTask() {
        return id(call("physician", "POST", "/tasks", new JsonObject().put("patientId", scratch).put("title", "Call back").encode()));
    }

    private static String carePlanPatient;

    /** A patient whose care plan has a version 1 (written by the physician, established a week ago), made once. */
    static synchronized String patientWithCarePlan() {
        if (carePlanPatient == null) {
            String patient = newPatient();
            String problem = id(call("physician", "POST", "/patients/" + patient + "/conditions", new JsonObject().put("icd10", "I10")
                    .put("description", "Hypertension").put("expectedDuration", "lifelong").put("significantRisk", true).encode()));
            ok(call("physician", "POST", "/patients/" + patient + "/care-plan", carePlan().put("problems", new JsonArray().add(problem))
                    .put("establishedOn", today().minusDays(7).toString()).encode()));
            carePlanPatient = patient;
        }
        return carePlanPatient;
    }

    static String newCondition() {
        return id(call("physician", "POST", "/patients/" + scratch + "/conditions", new JsonObject().put("icd10", "J44.9").put("description", "COPD")
                .put("expectedDuration", "lifelong").put("significantRisk", true).encode()));
    }

    static String newConsent(String patient) {
        return id(call("physician", "POST", "/patients/" + patient + "/consents", consent(today().minusDays(10)).encode()));
    }

    static String newEnrolment(String patient) {
        return id(call("physician", "POST", "/patients/" + patient + "/enrolments", new JsonObject().put("program", "rpm")
                .put("startDate", today().minusDays(5).toString()).put("billingPractitionerId", physicianId).encode()));
    }

    static String newStay() {
        return id(call("physician", "POST", "/patients/" + scratch + "/inpatient-stays", new JsonObject().put("setting", "snf")
                .put("admittedAt", Instant.now().minus(Duration.ofDays(5)).toString()).encode()));
    }

    static String newTimeEntry() {
        return id(call("physician", "POST", "/time-entries", timeEntry().encode()));
    }

    /** Stops the physician's timer if one runs (409 when none does); a timer must run a second before it stops. */
    static void stopTimer() {
        waitForTimerToRunASecond();
        call("physician", "POST", "/time-entries/timer/stop", "{}");
    }

    static void waitForTimerToRunASecond() {
        long wait = Duration.between(Instant.now(), lastTimerStart.plusMillis(1100)).toMillis();
        if (wait > 0) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---------------------------------------------------------------- the run

    @Test
    void everyStringOfEveryOperationTakesHostileTextWithoutA5xxAndTheLogStaysClean() throws Exception {
        List<OpenApiTargets.Operation> operations = new ArrayList<>(OpenApiTargets.served().operations());
        // Sign-in last: its wrong passwords count against this address's sign-in limit.
        operations.sort((a, b) -> Boolean.compare(a.path().equals("/auth/login"), b.path().equals("/auth/login")));
        Set<String> missing = new TreeSet<>();
        for (OpenApiTargets.Operation op : operations) {
            if (!op.targets().isEmpty() && !FIXTURES.containsKey(op.key())) {
                missing.add(op.key() + " " + op.targets().stream().map(OpenApiTargets.Target::label).toList());
            }
        }
        assertThat(missing).as("operations in openapi.yaml with strings to fuzz but no fixture in OpenApiFuzzTest: add one").isEmpty();
        assertThat(FIXTURES.keySet()).as("fixtures for operations openapi.yaml no longer has")
                .isSubsetOf(operations.stream().map(OpenApiTargets.Operation::key).toList());

        List<String> failures = new ArrayList<>();
        int cases = 0;
        int targets = 0;
        long started = System.nanoTime();
        for (OpenApiTargets.Operation op : operations) {
            if (op.targets().isEmpty()) {
                continue;
            }
            Fixture fixture = FIXTURES.get(op.key());
            // The valid request first: the fixture must be valid, or the fields would be judged by something else.
            HttpResponse<String> baseline = send(op, fixture, null, null);
            assertThat(fixture.baseline()).as("the valid request of %s answered %s: %s", op.key(), baseline.statusCode(), abbreviate(baseline.body()))
                    .contains(baseline.statusCode());
            for (OpenApiTargets.Target target : op.targets()) {
                targets++;
                for (Hostile hostile : HOSTILE) {
                    cases++;
                    int before = logged.list.size();
                    HttpResponse<String> response = send(op, fixture, target, hostile.value());
                    String problem = judge(target, hostile, response);
                    List<String> logLines = dirtyLines(before);
                    if (!logLines.isEmpty()) {
                        problem = (problem == null ? "" : problem + "; ") + "log: " + logLines;
                    }
                    if (problem != null) {
                        failures.add(op.key() + " " + target.label() + " = " + hostile.label() + ": " + problem);
                    }
                }
            }
        }
        System.out.printf("OpenAPI fuzz: %d cases (%d strings x %d hostile values) in %d s%n", cases, targets, HOSTILE.size(),
                Duration.ofNanos(System.nanoTime() - started).toSeconds());
        failures.forEach(f -> System.out.println("OpenAPI fuzz failure: " + f));
        assertThat(failures).as("hostile strings answered badly or leaving traces in the log").isEmpty();
        assertThat(dirtyLines(0)).as("the whole run's log").isEmpty();
        assertThat(system.get("/ready").status()).isEqualTo(200);
    }

    /** Issue 14: {"systolic":120,"systolic":300} was taken (the last one won). A key twice is refused, naming it. */
    @Test
    void aBodyThatNamesAKeyTwiceIsRefusedNamingTheKey() {
        String profile = profile().encode();
        HttpResponse<String> twice = call("system", "POST", "/patients/" + seeded + "/profile",
                profile.replaceFirst("\\{", "{\"familyName\":\"Other\","));
        assertThat(twice.statusCode()).as(twice.body()).isEqualTo(400);
        assertThat(new JsonObject(twice.body()).getString("error")).isEqualTo("duplicate_key");
        assertThat(new JsonObject(twice.body()).getString("message")).startsWith("'familyName' appears more than once");
        HttpResponse<String> nested = call("physician", "PUT", "/patients/" + seeded + "/thresholds",
                "{\"values\":{\"spo2.low_below\":86,\"spo2.low_below\":80},\"reason\":\"COPD\"}");
        assertThat(nested.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(nested.body()).getString("message")).startsWith("'values.spo2.low_below' appears more than once");
        assertThat(new JsonObject(call("system", "GET", "/patients/" + seeded, null).body()).getJsonObject("profile").getString("familyName"))
                .isEqualTo(FAMILY);
    }

    /** Null when the answer is right for this value in this place, else why not. */
    private static String judge(OpenApiTargets.Target target, Hostile hostile, HttpResponse<String> response) {
        int status = response.statusCode();
        String body = response.body();
        if (status >= 500) {
            return "HTTP " + status + " " + abbreviate(body);
        }
        if (status >= 400) {
            JsonObject error;
            try {
                error = new JsonObject(body);
            } catch (RuntimeException e) {
                return "HTTP " + status + " with a body that is not JSON: " + abbreviate(body);
            }
            if (!(error.getValue("error") instanceof String) || !(error.getValue("message") instanceof String message)) {
                return "HTTP " + status + " without {error, message}: " + abbreviate(body);
            }
            if (hostile.refused(target) && (status != 400 || !names(message, target))) {
                return "HTTP " + status + " that does not name '" + target.fieldName() + "': " + abbreviate(body);
            }
            return null;
        }
        if (status < 200 || status >= 300) {
            return "unexpected HTTP " + status;
        }
        if (hostile.refused(target)) {
            return "accepted (HTTP " + status + "): " + abbreviate(body);
        }
        if (!target.query() && !NORMALISED.contains(target.label()) && body != null && body.startsWith("{")) {
            // A value the answer shows in the same place must be the one sent (trimmed of spaces and line breaks at its ends).
            Object echoed = OpenApiTargets.get(new JsonObject(body), target.pointer());
            String sent = hostile.value().replaceAll("^[ \\t\\r\\n]+|[ \\t\\r\\n]+$", "");
            if (echoed instanceof String s && !s.equals(sent)) {
                return "stored as '" + abbreviate(s) + "', sent '" + abbreviate(sent) + "'";
            }
        }
        return null;
    }

    /** Whether the message names the field: 'name', or its path such as 'address.line1' or 'goals[0].target'. */
    private static boolean names(String message, OpenApiTargets.Target target) {
        return message.contains("'" + target.label() + "'") || message.contains("'" + target.fieldName() + "'");
    }

    /** Log events since {@code from} that must not be there: errors, stack traces, database row values, the patient's data. */
    private static List<String> dirtyLines(int from) {
        List<String> dirty = new ArrayList<>();
        List<ILoggingEvent> events;
        synchronized (logged.list) {
            events = new ArrayList<>(logged.list.subList(Math.min(from, logged.list.size()), logged.list.size()));
        }
        for (ILoggingEvent event : events) {
            String text = event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                    : " " + event.getThrowableProxy().getClassName() + ": " + event.getThrowableProxy().getMessage());
            boolean identifying = IDENTIFYING.stream().anyMatch(text::contains);
            if (event.getLevel().isGreaterOrEqual(Level.ERROR) || event.getThrowableProxy() != null || text.contains("Failing row") || identifying) {
                dirty.add(event.getLevel() + " " + event.getLoggerName() + ": " + abbreviate(text));
            }
        }
        return dirty;
    }

    private static HttpResponse<String> send(OpenApiTargets.Operation op, Fixture fixture, OpenApiTargets.Target target, String value) {
        Map<String, String> pathParams = fixture.path().get();
        StringBuilder path = new StringBuilder();
        Matcher m = Pattern.compile("\\{([A-Za-z]+)}").matcher(op.path());
        while (m.find()) {
            String v = pathParams.get(m.group(1));
            if (v == null) {
                throw new AssertionError("the fixture of " + op.key() + " gives no {" + m.group(1) + "}");
            }
            m.appendReplacement(path, Matcher.quoteReplacement(v));
        }
        m.appendTail(path);
        Map<String, String> query = new LinkedHashMap<>(fixture.query().get());
        String body = null;
        if (fixture.body() != null) {
            JsonObject json = fixture.body().get();
            if (target != null && !target.query()) {
                OpenApiTargets.put(json, target.pointer(), value);
            }
            body = json.encode().replace(LONE_SURROGATE, "\\ud800");
        } else if (target != null && !target.query()) {
            throw new AssertionError("the fixture of " + op.key() + " has no body for " + target.label());
        }
        if (target != null && target.query()) {
            query.put(target.name(), value);
        }
        if (!query.isEmpty()) {
            List<String> pairs = new ArrayList<>();
            query.forEach((k, v) -> pairs.add(encode(k) + "=" + encode(v)));
            path.append('?').append(String.join("&", pairs));
        }
        return call(fixture.who(), op.method(), path.toString(), body);
    }

    static String encode(String s) {
        if (s.equals(LONE_SURROGATE)) {
            return "%ED%A0%80"; // a lone surrogate in CESU-8, which is not UTF-8
        }
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static HttpResponse<String> call(String who, String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + platform.httpPort() + "/api/v1" + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        String token = switch (who) {
            case "physician" -> physicianToken;
            case "admin" -> adminToken;
            case "system" -> platform.apiToken();
            default -> null;
        };
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(method + " " + abbreviate(path) + " failed: " + e, e);
        }
    }

    static void ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.request().uri() + ": " + abbreviate(response.body())).isBetween(200, 201);
    }

    static String id(HttpResponse<String> created) {
        ok(created);
        return new JsonObject(created.body()).getString("id");
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        String shown = s.length() > 240 ? s.substring(0, 240) + "…(" + s.length() + " chars)" : s;
        return shown.replace("\u0000", "\\u0000");
    }
}
