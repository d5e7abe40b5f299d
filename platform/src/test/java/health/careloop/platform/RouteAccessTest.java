package health.careloop.platform;

import health.careloop.testing.TestDevice;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Walks every route of the API as the running router lists it and checks each against one access rule written here:
 * 401 without a token, 403 for a role the rule excludes, and nothing of practice A for a user of practice B, whatever
 * the route (404 where the route names A's patient, alert, task, device or entry; no A identifier in any answer).
 * A route added without a rule, or a rule left for a route that is gone, fails the build.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RouteAccessTest {
    /** Who may call a route. {@code deniedRole} is a role that must get 403, or null when every staff role may. */
    enum Access {
        PUBLIC(null, null),
        ANY_STAFF(null, "rn"),
        READ_CLINICAL(null, "rn"),
        EDIT_PATIENTS("billing", "rn"),
        WORK_QUEUE("billing", "rn"),
        CHANGE_THRESHOLDS_AND_CARE_PLANS("rn", "physician"),
        BILLING("rn", "billing"),
        MANAGE_STAFF("rn", "admin"),
        IMPORT_PANEL("rn", "admin"),
        READ_AUDIT("rn", "admin"),
        SYSTEM_TOKEN_ONLY("admin", null);

        final String deniedRole;
        final String practiceBRole;

        Access(String deniedRole, String practiceBRole) {
            this.deniedRole = deniedRole;
            this.practiceBRole = practiceBRole;
        }
    }

    /**
     * How a route meets practice A's data: ADDRESSED routes name one of A's records (path or body), so B gets 403 or
     * 404; SCOPED routes answer from the caller's own practice, so B may get 2xx but never an A identifier; NONE
     * routes hold no practice data (sign-in, sign-out).
     */
    enum Target { ADDRESSED, SCOPED, NONE }

    record Rule(Access access, Target target, Function<Fixture, String> body) {
    }

    /** Practice A's records that the routes name. */
    record Fixture(String practice, String patient, String mrn, String device, String alert, String task, String condition,
                   String consent, String enrolment, String entry, String doctor, String month, String stay, String staff, String complexity) {
        Set<String> identifiers() {
            return Set.of(practice, patient, mrn, device, alert, task, condition, consent, enrolment, entry, doctor, stay, staff, complexity);
        }
    }

    static final Map<String, Rule> RULES = new LinkedHashMap<>();

    static {
        rule("POST /auth/login", Access.PUBLIC, Target.NONE, f -> "{\"email\":\"x@example.org\",\"password\":\"wrong password\"}");
        // The first-run setup: before anyone has an account, guarded by the install's token in the body (FirstRunSetupTest).
        rule("GET /setup", Access.PUBLIC, Target.NONE, null);
        rule("POST /setup", Access.PUBLIC, Target.NONE, null);
        rule("POST /auth/logout", Access.ANY_STAFF, Target.NONE, f -> "");
        rule("POST /auth/logout-everywhere", Access.ANY_STAFF, Target.NONE, f -> "");
        rule("GET /auth/me", Access.ANY_STAFF, Target.SCOPED, null);
        rule("GET /staff", Access.MANAGE_STAFF, Target.SCOPED, null);
        rule("POST /staff", Access.MANAGE_STAFF, Target.ADDRESSED, f -> new JsonObject().put("practiceId", f.practice())
                .put("email", "new-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org").put("displayName", "New, Nurse")
                .put("role", "rn").put("password", "correct horse battery").encode());
        rule("POST /staff/:staffId/deactivate", Access.MANAGE_STAFF, Target.ADDRESSED, f -> "");
        rule("POST /staff/:staffId/password", Access.MANAGE_STAFF, Target.ADDRESSED, f -> "{\"password\":\"another long passphrase\"}");
        rule("POST /staff/:staffId/role", Access.MANAGE_STAFF, Target.ADDRESSED, f -> "{\"role\":\"rn\"}");
        rule("GET /care-management/worklist", Access.READ_CLINICAL, Target.SCOPED, null);
        rule("GET /audit-events", Access.READ_AUDIT, Target.SCOPED, null);
        rule("GET /audit-events.csv", Access.READ_AUDIT, Target.SCOPED, null);
        rule("GET /practices", Access.ANY_STAFF, Target.SCOPED, null);
        rule("POST /practices", Access.SYSTEM_TOKEN_ONLY, Target.NONE, f -> "{\"name\":\"Elsewhere\",\"timeZone\":\"UTC\"}");

        rule("GET /patients", Access.READ_CLINICAL, Target.SCOPED, null);
        rule("POST /patients", Access.EDIT_PATIENTS, Target.ADDRESSED, f -> new JsonObject().put("practiceId", f.practice())
                .put("externalRef", "MRN-" + UUID.randomUUID()).encode());
        rule("GET /patients/:patientId", Access.READ_CLINICAL, Target.ADDRESSED, null);
        rule("POST /patients/:patientId/profile", Access.EDIT_PATIENTS, Target.ADDRESSED, f -> new JsonObject().put("givenName", "Ada")
                .put("familyName", "Other").put("birthDate", "1950-02-03").put("sex", "female").encode());
        rule("GET /patients/:patientId/readings", Access.READ_CLINICAL, Target.ADDRESSED, null);
        rule("POST /patients/:patientId/entered-readings", Access.WORK_QUEUE, Target.ADDRESSED, f -> new JsonObject().put("type", "body_weight")
                .put("measuredAt", Instant.now().minusSeconds(60 + (long) (Math.random() * 100_000)).truncatedTo(ChronoUnit.SECONDS).toString())
                .put("source", "clinic").put("weight", 81.5).put("unit", "kg").encode());
        rule("GET /patients/:patientId/data-days", Access.READ_CLINICAL, Target.ADDRESSED, null);
        rule("GET /patients/:patientId/alerts", Access.READ_CLINICAL, Target.ADDRESSED, null);
        rule("GET /patients/:patientId/thresholds", Access.READ_CLINICAL, Target.ADDRESSED, null);
        rule("PUT /patients/:patientId/thresholds", Access.CHANGE_THRESHOLDS_AND_CARE_PLANS, Target.ADDRESSED,
                f -> "{\"values\":{\"spo2.low_below\":86},\"reason\":\"COPD baseline\"}");
        rule("POST /patients/:patientId/conditions", Access.EDIT_PATIENTS, Target.ADDRESSED, f -> new JsonObject().put("icd10", "E11.9")
                .put("description", "Type 2 diabetes").put("expectedDuration", "lifelong").put("significantRisk", true).encode());
        rule("POST /patients/:patientId/conditions/:conditionId/end", Access.EDIT_PATIENTS, Target.ADDRESSED,
                f -> "{\"endedOn\":\"" + LocalDate.now(ZoneOffset.UTC) + "\"}");
        rule("POST /patients/:patientId/consents", Access.EDIT_PATIENTS, Target.ADDRESSED, f -> new JsonObject().put("program", "rpm")
                .put("method", "verbal").put("obtainedOn", LocalDate.now(ZoneOffset.UTC).toString())
                .put("told", new JsonObject().put("costSharing", true)).put("accepted", true).encode());
        rule("POST /patients/:patientId/consents/:consentId/revoke", Access.EDIT_PATIENTS, Target.ADDRESSED,
                f -> "{\"revokedOn\":\"" + LocalDate.now(ZoneOffset.UTC) + "\"}");
        rule("POST /patients/:patientId/enrolments", Access.EDIT_PATIENTS, Target.ADDRESSED, f -> new JsonObject().put("program", "rpm")
                .put("startDate", LocalDate.now(ZoneOffset.UTC).toString()).put("billingPractitionerId", f.doctor()).encode());
        rule("POST /patients/:patientId/enrolments/:enrolmentId/end", Access.EDIT_PATIENTS, Target.ADDRESSED,
                f -> "{\"endDate\":\"" + LocalDate.now(ZoneOffset.UTC) + "\"}");
        rule("GET /patients/:patientId/programs/:program/status", Access.READ_CLINICAL, Target.ADDRESSED, null);
        rule("GET /patients/:patientId/care-plan", Access.READ_CLINICAL, Target.ADDRESSED, null);
        rule("POST /patients/:patientId/care-plan", Access.CHANGE_THRESHOLDS_AND_CARE_PLANS, Target.ADDRESSED, f -> new JsonObject()
                .put("problems", new JsonArray().add(f.condition())).put("expectedOutcome", "Stable BP").put("prognosis", "Good")
                .put("goals", new JsonArray().add(new JsonObject().put("description", "BP").put("target", "SBP < 130 mmHg")
                        .put("targetDate", LocalDate.now(ZoneOffset.UTC).plusMonths(6).toString())))
                .put("symptomManagement", "Call if dizzy").put("reviewDate", LocalDate.now(ZoneOffset.UTC).plusMonths(3).toString())
                .put("changeNote", "First plan").encode());
        rule("GET /patients/:patientId/care-plan/versions", Access.READ_CLINICAL, Target.ADDRESSED, null);
        rule("GET /patients/:patientId/care-plan/print", Access.READ_CLINICAL, Target.ADDRESSED, null);
        rule("POST /patients/:patientId/care-plan/versions/:version/copies", Access.EDIT_PATIENTS, Target.ADDRESSED,
                f -> "{\"givenOn\":\"" + LocalDate.now(ZoneOffset.UTC).minusDays(1) + "\",\"method\":\"mail\"}");
        rule("POST /patients/:patientId/ccm-complexity", Access.CHANGE_THRESHOLDS_AND_CARE_PLANS, Target.ADDRESSED,
                f -> "{\"month\":\"" + f.month() + "\",\"level\":\"moderate\"}");
        rule("GET /care-team", Access.READ_CLINICAL, Target.SCOPED, null);
        rule("GET /patients/:patientId/ccm-complexity", Access.READ_CLINICAL, Target.ADDRESSED, null);
        rule("POST /patients/:patientId/ccm-complexity/:complexityId/withdraw", Access.CHANGE_THRESHOLDS_AND_CARE_PLANS, Target.ADDRESSED,
                f -> "{\"reason\":\"Entered for the wrong month\"}");
        rule("POST /patients/:patientId/external-ref", Access.EDIT_PATIENTS, Target.ADDRESSED,
                f -> "{\"externalRef\":\"MRN-" + UUID.randomUUID() + "\"}");
        rule("GET /patients/:patientId/time-entries", Access.READ_CLINICAL, Target.ADDRESSED, null);
        rule("POST /patients/:patientId/visits", Access.EDIT_PATIENTS, Target.ADDRESSED, f -> new JsonObject().put("kind", "em")
                .put("date", LocalDate.now(ZoneOffset.UTC).minusDays(1).toString()).put("practitionerId", f.doctor()).encode());
        rule("GET /patients/:patientId/visits", Access.READ_CLINICAL, Target.ADDRESSED, null);
        rule("POST /patients/:patientId/inpatient-stays", Access.EDIT_PATIENTS, Target.ADDRESSED, f -> new JsonObject().put("setting", "hospital")
                .put("admittedAt", Instant.now().minus(Duration.ofDays(40)).toString())
                .put("dischargedAt", Instant.now().minus(Duration.ofDays(38)).toString()).encode());
        rule("POST /patients/:patientId/inpatient-stays/:stayId/discharge", Access.EDIT_PATIENTS, Target.ADDRESSED,
                f -> "{\"dischargedAt\":\"" + Instant.now().minus(Duration.ofDays(1)) + "\"}");
        rule("GET /patients/:patientId/inpatient-stays", Access.READ_CLINICAL, Target.ADDRESSED, null);

        rule("GET /devices", Access.READ_CLINICAL, Target.SCOPED, null);
        rule("POST /devices", Access.EDIT_PATIENTS, Target.ADDRESSED, f -> new JsonObject()
                .put("deviceId", "scale-" + UUID.randomUUID().toString().substring(0, 8)).put("practiceId", f.practice()).put("kind", "scale").encode());
        rule("GET /devices/:deviceId", Access.READ_CLINICAL, Target.ADDRESSED, null);
        rule("POST /devices/:deviceId/credentials", Access.EDIT_PATIENTS, Target.ADDRESSED, f -> "");
        rule("POST /devices/:deviceId/assignments", Access.EDIT_PATIENTS, Target.ADDRESSED, f -> new JsonObject()
                .put("patientId", f.patient()).put("validFrom", Instant.now().toString()).encode());

        rule("GET /alerts", Access.READ_CLINICAL, Target.SCOPED, null);
        // A stream that stays open: its practice scoping is WebSupportApiTest's (events reach only their practice).
        rule("GET /alerts/stream", Access.READ_CLINICAL, Target.NONE, null);
        rule("GET /alerts/:alertId", Access.READ_CLINICAL, Target.ADDRESSED, null);
        rule("POST /alerts/:alertId/acknowledge", Access.WORK_QUEUE, Target.ADDRESSED, f -> "");
        rule("POST /alerts/:alertId/resolve", Access.WORK_QUEUE, Target.ADDRESSED, f -> "{\"outcome\":\"Called the patient\"}");
        rule("POST /alerts/:alertId/escalate", Access.WORK_QUEUE, Target.ADDRESSED, f -> "{\"reason\":\"No answer\"}");
        rule("GET /tasks", Access.READ_CLINICAL, Target.SCOPED, null);
        rule("POST /tasks", Access.WORK_QUEUE, Target.ADDRESSED, f -> "{\"patientId\":\"" + f.patient() + "\",\"title\":\"Call back\"}");
        rule("GET /tasks/:taskId", Access.READ_CLINICAL, Target.ADDRESSED, null);
        rule("POST /tasks/:taskId/claim", Access.WORK_QUEUE, Target.ADDRESSED, f -> "");
        rule("POST /tasks/:taskId/complete", Access.WORK_QUEUE, Target.ADDRESSED, f -> "{\"outcome\":\"Done\"}");
        rule("POST /tasks/:taskId/cancel", Access.WORK_QUEUE, Target.ADDRESSED, f -> "{\"outcome\":\"Duplicate\"}");

        rule("POST /time-entries", Access.WORK_QUEUE, Target.ADDRESSED, f -> new JsonObject().put("patientId", f.patient())
                .put("program", "rpm").put("activity", "data_review").put("startedAt", Instant.now().minus(Duration.ofMinutes(50)).toString())
                .put("endedAt", Instant.now().minus(Duration.ofMinutes(45)).toString()).encode());
        rule("POST /time-entries/timer/start", Access.WORK_QUEUE, Target.ADDRESSED, f -> new JsonObject().put("patientId", f.patient())
                .put("program", "rpm").put("activity", "data_review").encode());
        rule("POST /time-entries/timer/stop", Access.WORK_QUEUE, Target.SCOPED, f -> "{}");
        rule("POST /time-entries/:entryId/adjust", Access.WORK_QUEUE, Target.ADDRESSED, f -> "{\"reason\":\"Typo\",\"note\":\"fixed\"}");

        rule("GET /billing/readiness", Access.BILLING, Target.SCOPED, null);
        rule("POST /billing/months/:month/close", Access.BILLING, Target.SCOPED, f -> "{}");
        rule("GET /billing/months/:month/claims.json", Access.BILLING, Target.SCOPED, null);
        rule("GET /billing/months/:month/claims.csv", Access.BILLING, Target.SCOPED, null);
        rule("GET /billing/months/:month/claims.837", Access.BILLING, Target.SCOPED, null);
        rule("POST /billing/months/:month/corrections", Access.BILLING, Target.SCOPED, f -> "{}");
        rule("GET /billing/months/:month/corrections", Access.BILLING, Target.SCOPED, null);
        rule("GET /billing/months/:month/corrections.837", Access.BILLING, Target.SCOPED, null);
        rule("GET /billing/profile", Access.BILLING, Target.SCOPED, null);
        rule("PUT /billing/profile", Access.BILLING, Target.SCOPED, f -> "{}");
        rule("GET /billing/fees", Access.BILLING, Target.SCOPED, null);
        rule("PUT /billing/fees", Access.BILLING, Target.SCOPED, f -> "{\"effectiveFrom\":\"2026-01-01\",\"fees\":{\"99437\":\"61.50\"}}");
        rule("GET /billing/settings", Access.BILLING, Target.SCOPED, null);
        rule("PUT /billing/settings", Access.BILLING, Target.SCOPED, f -> "{\"effectiveFrom\":\"2027-01\",\"settings\":{\"max99458Units\":\"3\"}}");
        rule("POST /billing/acknowledgements", Access.BILLING, Target.SCOPED, f -> "");
        rule("GET /billing/months/:month/claim-statuses", Access.BILLING, Target.SCOPED, null);
        rule("GET /billing/claims/:claimControlNumber/status", Access.BILLING, Target.ADDRESSED, null);
        rule("PUT /billing/claims/:claimControlNumber/payer-claim-number", Access.BILLING, Target.ADDRESSED, f -> "{\"payerClaimNumber\":\"12345\"}");

        rule("POST /practices/:practiceId/imports", Access.IMPORT_PANEL, Target.ADDRESSED, f -> "");
        rule("GET /practices/:practiceId/monthly-summaries.zip", Access.BILLING, Target.ADDRESSED, null);
        rule("GET /patients/:patientId/monthly-summary.pdf", Access.READ_CLINICAL, Target.ADDRESSED, null);
        rule("GET /fhir/r4/Patient/:patientId/$monthly-summary", Access.READ_CLINICAL, Target.ADDRESSED, null);
        // FHIR R4 (issue 17): the same chain as /api/v1 on a router of its own; paths as mounted under /fhir/r4.
        rule("GET /fhir/r4/metadata", Access.PUBLIC, Target.NONE, null);
        rule("GET /fhir/r4/Patient", Access.READ_CLINICAL, Target.SCOPED, null);
        rule("GET /fhir/r4/Patient/:patientId", Access.READ_CLINICAL, Target.ADDRESSED, null);
        rule("GET /fhir/r4/Patient/:patientId/$everything", Access.READ_CLINICAL, Target.ADDRESSED, null);
        rule("GET /fhir/r4/Observation", Access.READ_CLINICAL, Target.ADDRESSED, null);
        rule("GET /fhir/r4/Observation/:observationId", Access.READ_CLINICAL, Target.ADDRESSED, null);
        rule("GET /fhir/r4/Condition", Access.READ_CLINICAL, Target.ADDRESSED, null);
        rule("GET /fhir/r4/Condition/:conditionId", Access.READ_CLINICAL, Target.ADDRESSED, null);
        rule("GET /fhir/r4/Consent", Access.READ_CLINICAL, Target.ADDRESSED, null);
        rule("GET /fhir/r4/Consent/:consentId", Access.READ_CLINICAL, Target.ADDRESSED, null);
        rule("GET /fhir/r4/CarePlan", Access.READ_CLINICAL, Target.ADDRESSED, null);
        rule("GET /fhir/r4/CarePlan/:carePlanId", Access.READ_CLINICAL, Target.ADDRESSED, null);
        rule("GET /fhir/r4/Device", Access.READ_CLINICAL, Target.ADDRESSED, null);
        rule("GET /fhir/r4/Device/:deviceId", Access.READ_CLINICAL, Target.ADDRESSED, null);
    }

    private static void rule(String route, Access access, Target target, Function<Fixture, String> body) {
        if (RULES.put(route, new Rule(access, target, body)) != null) {
            throw new IllegalStateException("Two rules for " + route);
        }
    }

    static Platform platform;
    static ApiClient system;
    static TestPractices practices;
    static Fixture a;
    static final Map<String, ApiClient> practiceAStaff = new LinkedHashMap<>();
    static final Map<String, ApiClient> practiceBStaff = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        int mqttPort = EmbeddedPlatforms.freePort();
        platform = EmbeddedPlatforms.start(Map.of("CARELOOP_EMBEDDED_MQTT_PORT", Integer.toString(mqttPort)));
        practices = TestPractices.of(platform);
        system = practices.system();
        String practiceA = practices.practice("Route A", "UTC");
        String practiceB = practices.practice("Route B", "UTC");
        for (String role : List.of("rn", "billing", "physician", "admin")) {
            practiceAStaff.put(role, signIn(practiceA, role));
            practiceBStaff.put(role, signIn(practiceB, role));
        }
        a = seed(practiceA, mqttPort);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static ApiClient signIn(String practice, String role) throws Exception {
        String npi = role.equals("physician") ? "1234567893" : null;
        return practices.signedIn(practice, role, "Route, " + role, npi);
    }

    /** Practice A with one patient who has a record of every kind a route can name, and an alert raised over MQTT. */
    private static Fixture seed(String practice, int mqttPort) throws Exception {
        ApiClient nurse = practiceAStaff.get("rn");
        String doctor = practiceAStaff.get("physician").get("/api/v1/auth/me").json().getString("staffId");
        String mrn = "MRN-" + UUID.randomUUID();
        String patient = nurse.id(nurse.post("/api/v1/patients", new JsonObject().put("practiceId", practice).put("externalRef", mrn)));
        LocalDate since = LocalDate.now(ZoneOffset.UTC).minusDays(60);
        String condition = nurse.id(nurse.post("/api/v1/patients/" + patient + "/conditions", new JsonObject().put("icd10", "I10")
                .put("description", "Essential hypertension").put("onset", "2019-01-01").put("expectedDuration", "lifelong").put("significantRisk", true)));
        String consent = nurse.id(nurse.post("/api/v1/patients/" + patient + "/consents", new JsonObject().put("program", "rpm")
                .put("method", "written").put("obtainedOn", since.toString()).put("told", new JsonObject().put("costSharing", true)).put("accepted", true)));
        String enrolment = nurse.id(nurse.post("/api/v1/patients/" + patient + "/enrolments", new JsonObject().put("program", "rpm")
                .put("startDate", since.toString()).put("billingPractitionerId", doctor)));
        String device = "cuff-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(nurse.post("/api/v1/devices", new JsonObject().put("deviceId", device).put("practiceId", practice)
                .put("kind", "blood_pressure_cuff")).status()).isEqualTo(201);
        assertThat(nurse.post("/api/v1/devices/" + device + "/assignments", new JsonObject().put("patientId", patient)
                .put("validFrom", Instant.now().minus(Duration.ofDays(1)).toString())).status()).isEqualTo(201);
        String entry = nurse.id(nurse.post("/api/v1/time-entries", new JsonObject().put("patientId", patient).put("program", "rpm")
                .put("activity", "data_review").put("startedAt", Instant.now().minus(Duration.ofMinutes(30)).toString())
                .put("endedAt", Instant.now().minus(Duration.ofMinutes(20)).toString())));
        try (TestDevice cuff = new TestDevice("tcp://127.0.0.1:" + mqttPort, device, EmbeddedPlatforms.devicePassword(nurse, device))) {
            cuff.publish(device, "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + Instant.now().truncatedTo(ChronoUnit.MILLIS)
                    + "\",\"systolic\":195,\"diastolic\":125}");
        }
        JsonObject alert = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (alert == null && System.nanoTime() < deadline) {
            JsonArray items = nurse.get("/api/v1/patients/" + patient + "/alerts").json().getJsonArray("items");
            if (items.isEmpty()) {
                Thread.sleep(50);
            } else {
                alert = items.getJsonObject(0);
            }
        }
        assertThat(alert).as("the crisis reading raised an alert").isNotNull();
        String month = YearMonth.now(ZoneOffset.UTC).minusMonths(1).toString();
        String stay = nurse.id(nurse.post("/api/v1/patients/" + patient + "/inpatient-stays", new JsonObject().put("setting", "hospital")
                .put("admittedAt", Instant.now().minus(Duration.ofDays(10)).toString())));
        // A colleague whom the staff-management routes name (deactivate, reset password): nobody the test signs in as.
        String colleague = system.id(system.post("/api/v1/staff", new JsonObject().put("practiceId", practice)
                .put("email", "colleague-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org").put("displayName", "Route, Colleague")
                .put("role", "ma").put("password", "correct horse battery").encode()));
        String complexity = practiceAStaff.get("physician").id(practiceAStaff.get("physician").post("/api/v1/patients/" + patient + "/ccm-complexity",
                new JsonObject().put("month", month).put("level", "moderate")));
        return new Fixture(practice, patient, mrn, device, alert.getString("id"), alert.getString("taskId"), condition, consent,
                enrolment, entry, doctor, month, stay, colleague, complexity);
    }

    /**
     * "METHOD /path" for every route of the API routers, as Vert.x holds them (catch-all handlers have no path): those of
     * /api/v1 as they are, those of /fhir/r4 with that prefix.
     */
    private static Set<String> apiRoutes() {
        Set<String> routes = new TreeSet<>();
        List<Route> mounts = platform.routerForTests().getRoutes().stream().filter(r -> r.getSubRouter() != null).toList();
        assertThat(mounts).as("the /api/v1 and /fhir/r4 sub-routers").hasSize(2);
        for (Route mount : mounts) {
            String prefix = mount.getPath() != null && mount.getPath().startsWith("/fhir/r4") ? "/fhir/r4" : "";
            for (Route route : mount.getSubRouter().getRoutes()) {
                if (route.getPath() == null || route.methods() == null) {
                    continue;
                }
                route.methods().forEach(m -> routes.add(m.name() + " " + prefix + route.getPath()));
            }
        }
        return routes;
    }

    @Test
    void everyRouteHasAnAccessRuleAndEveryRuleARoute() {
        Set<String> routes = apiRoutes();
        assertThat(routes).as("routes with no rule in RouteAccessTest.RULES: add one").isSubsetOf(RULES.keySet());
        assertThat(RULES.keySet()).as("rules for routes that no longer exist").isSubsetOf(routes);
        assertThat(routes).hasSizeGreaterThan(50);
    }

    @TestFactory
    Stream<DynamicTest> everyRouteRefusesAnonymousCallers() {
        return RULES.entrySet().stream().filter(e -> e.getValue().access() != Access.PUBLIC).map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            var response = call(new ApiClient(platform.httpPort(), null), e.getKey(), e.getValue());
            assertThat(response.status()).as(e.getKey() + " without a token: " + response.body()).isEqualTo(401);
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyRestrictedRouteRefusesTheWrongRole() {
        return RULES.entrySet().stream().filter(e -> e.getValue().access().deniedRole != null).map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            ApiClient wrongRole = practiceAStaff.get(e.getValue().access().deniedRole);
            var response = call(wrongRole, e.getKey(), e.getValue());
            assertThat(response.status()).as(e.getKey() + " as " + e.getValue().access().deniedRole + ": " + response.body()).isEqualTo(403);
        }));
    }

    @TestFactory
    Stream<DynamicTest> noRouteShowsOrChangesAnotherPracticesData() {
        return RULES.entrySet().stream().filter(e -> e.getValue().target() != Target.NONE && e.getValue().access().practiceBRole != null)
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
                    ApiClient outsider = practiceBStaff.get(e.getValue().access().practiceBRole);
                    var response = call(outsider, e.getKey(), e.getValue());
                    String what = e.getKey() + " by practice B's " + e.getValue().access().practiceBRole + ": " + response.status() + " " + response.body();
                    if (e.getValue().target() == Target.ADDRESSED) {
                        assertThat(response.status()).as(what).isIn(403, 404);
                    } else {
                        assertThat(response.status()).as(what).isNotIn(401, 500);
                        // Practice B's own audit trail names the paths B's staff asked for, A's ids included (their
                        // refused tries are what an auditor must see); any other mention of A's ids would be a leak.
                        String shown = e.getKey().startsWith("GET /audit-events")
                                ? response.body().replaceAll("/api/v1/[^\",\\s]*", "") : response.body();
                        for (String identifier : a.identifiers()) {
                            assertThat(shown).as(what).doesNotContain(identifier);
                        }
                    }
                }));
    }

    @Test
    void practiceAsRecordsAreUnchangedAfterTheOutsidersTries() throws Exception {
        noRouteShowsOrChangesAnotherPracticesData().forEach(test -> {
            try {
                test.getExecutable().execute();
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        });
        ApiClient nurse = practiceAStaff.get("rn");
        JsonObject alert = nurse.get("/api/v1/alerts/" + a.alert()).json();
        assertThat(alert.getString("status")).isEqualTo("open");
        assertThat(nurse.get("/api/v1/tasks/" + a.task()).json().getString("status")).isEqualTo("open");
        JsonObject record = nurse.get("/api/v1/patients/" + a.patient()).json();
        assertThat(record.getJsonArray("conditions")).hasSize(1);
        assertThat(record.getJsonArray("consents")).hasSize(1);
        assertThat(record.getValue("profile")).isNull();
        assertThat(nurse.get("/api/v1/patients/" + a.patient() + "/care-plan").status()).isEqualTo(404);
        assertThat(practiceAStaff.get("admin").get("/api/v1/staff").json().getJsonArray("items").stream().map(JsonObject.class::cast)
                .filter(m -> m.getString("id").equals(a.staff())).findFirst().orElseThrow().getBoolean("active"))
                .as("practice B's admin did not deactivate A's staff member").isTrue();
    }

    private static final Pattern PARAM = Pattern.compile(":([A-Za-z]+)");

    private static ApiClient.Response call(ApiClient client, String route, Rule rule) throws Exception {
        String method = route.substring(0, route.indexOf(' '));
        String routePath = route.substring(route.indexOf(' ') + 1);
        String path = (routePath.startsWith("/fhir/r4") ? "" : "/api/v1") + fill(routePath);
        if (routePath.startsWith("/fhir/r4/") && !routePath.contains(":") && !routePath.endsWith("/metadata") && !routePath.endsWith("/Patient")) {
            path += "?patient=" + a.patient();
        }
        if (routePath.contains("monthly-summar")) {
            path += "?month=" + a.month();
        }
        if (path.endsWith("/data-days")) {
            path += "?from=" + LocalDate.now(ZoneOffset.UTC).minusDays(7) + "&to=" + LocalDate.now(ZoneOffset.UTC);
        }
        String body = rule.body() == null ? null : rule.body().apply(a);
        return client.request(method, path, body);
    }

    private static String fill(String path) {
        Matcher m = PARAM.matcher(path);
        StringBuilder filled = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "patientId" -> a.patient();
                case "deviceId" -> a.device();
                case "alertId" -> a.alert();
                case "taskId" -> a.task();
                case "conditionId" -> a.condition();
                case "consentId" -> a.consent();
                case "enrolmentId" -> a.enrolment();
                case "entryId" -> a.entry();
                case "program" -> "rpm";
                case "month" -> a.month();
                case "stayId" -> a.stay();
                case "version" -> "1";
                case "staffId" -> a.staff();
                case "complexityId" -> a.complexity();
                case "practiceId" -> a.practice();
                // Practice A's patient's claim in the fixture's month (CLM01 is made from patient and month).
                case "claimControlNumber" -> health.careloop.billing.export.Claim837Export.claimControlNumber(UUID.fromString(a.patient()),
                        java.time.YearMonth.parse(a.month()), 1);
                // No care plan in the fixture (its absence is checked below) and no reading time known: ids of the right
                // shape, so the FHIR routes are reached; practice B must get 404 for them like for any other id.
                case "carePlanId" -> UUID.randomUUID().toString();
                case "observationId" -> "bp-0-" + a.device();
                default -> throw new AssertionError("No fixture value for path parameter :" + m.group(1) + " in " + path);
            };
            m.appendReplacement(filled, value);
        }
        m.appendTail(filled);
        return filled.toString();
    }
}
