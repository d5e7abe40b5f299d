package health.careloop.platform;

import health.careloop.testing.TestDevice;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input over the whole HTTP API (issue 9): a seeded generator sends a few thousand requests across the documented
 * endpoints with hostile bodies, path ids and query parameters. Every answer must be a 2xx or a 4xx with a JSON
 * {error, message} body — never a 5xx, never a hang — and the platform must still be ready and still store a good
 * reading afterwards. A failing case is printed with its seed and number and the full request; rerun with
 * {@code -Dfuzz.seed=<seed>} (and {@code -Dfuzz.cases=<n>}) to reproduce.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ApiFuzzTest {
    static final long SEED = Long.getLong("fuzz.seed", 0x9C0FFEEL);
    static final int CASES = Integer.getInteger("fuzz.cases", 3000);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    static Platform platform;
    static int mqttPort;
    static ApiClient system;
    static String systemToken;
    static String staffToken;
    static String practiceId;
    static String staffEmail;
    static String staffId;
    static String patientId;
    static String deviceId;
    static String taskId;

    /** One documented endpoint: method, path template ({name} = path parameter), query names, body fields name:kind. */
    record Endpoint(String method, String path, List<String> query, List<String> fields) {
    }

    record Case(int number, String method, String path, String body, String auth) {
        @Override
        public String toString() {
            String shown = body == null ? "<none>" : body.length() > 300 ? body.substring(0, 300) + "…(" + body.length() + " chars)" : body;
            String shownPath = path.length() > 300 ? path.substring(0, 300) + "…(" + path.length() + " chars)" : path;
            return "case " + number + ": " + method + " " + shownPath + " auth=" + auth + " body=" + shown;
        }
    }

    /** GET /alerts/stream is left out: it stays open by design (WebSupportApiTest covers it). */
    static final List<Endpoint> ENDPOINTS = List.of(
            ep("POST", "/auth/login", List.of(), "email:email", "password:string"),
            ep("GET", "/auth/me", List.of()),
            ep("GET", "/staff", List.of("practiceId:uuid")),
            ep("POST", "/staff", List.of(), "practiceId:uuid", "email:email", "displayName:string", "role:enum:rn|lpn|ma|care_coordinator|physician|npp|billing|admin",
                    "npi:npi", "password:string"),
            ep("GET", "/practices", List.of()),
            ep("POST", "/practices", List.of(), "name:string", "timeZone:zone"),
            ep("GET", "/patients", List.of("practiceId:uuid", "externalRef:string", "name:string", "limit:int")),
            ep("POST", "/patients", List.of(), "practiceId:uuid", "externalRef:string"),
            ep("POST", "/devices", List.of(), "deviceId:device", "practiceId:uuid", "kind:enum:blood_pressure_cuff|glucometer|scale|pulse_oximeter", "model:string"),
            ep("GET", "/devices", List.of("practiceId:uuid", "patientId:uuid")),
            ep("GET", "/devices/{deviceId}", List.of()),
            ep("POST", "/devices/{deviceId}/assignments", List.of(), "patientId:uuid", "validFrom:datetime", "validTo:datetime"),
            ep("GET", "/patients/{patientId}/readings", List.of("from:datetime", "to:datetime", "type:enum:blood_pressure|blood_glucose|body_weight|oxygen_saturation", "limit:int")),
            ep("GET", "/patients/{patientId}/data-days", List.of("from:date", "to:date")),
            ep("GET", "/alerts", List.of("status:enum:open|acknowledged|escalated|resolved", "severity:enum:critical|high|low", "rule:string", "practiceId:uuid", "limit:int")),
            ep("GET", "/patients/{patientId}/alerts", List.of("status:enum:open|acknowledged|escalated|resolved", "severity:enum:critical|high|low", "rule:string")),
            ep("GET", "/alerts/{alertId}", List.of()),
            ep("POST", "/alerts/{alertId}/acknowledge", List.of()),
            ep("POST", "/alerts/{alertId}/resolve", List.of(), "outcome:string"),
            ep("POST", "/alerts/{alertId}/escalate", List.of(), "reason:string"),
            ep("GET", "/tasks", List.of("status:enum:open|in_progress|done|cancelled", "assignee:assignee", "overdue:bool", "patientId:uuid", "limit:int")),
            ep("POST", "/tasks", List.of(), "patientId:uuid", "title:string", "detail:string", "priority:enum:urgent|high|normal|low", "dueAt:datetime",
                    "suggestedProgram:enum:rpm|ccm", "assigneeId:uuid"),
            ep("GET", "/tasks/{taskId}", List.of()),
            ep("POST", "/tasks/{taskId}/claim", List.of()),
            ep("POST", "/tasks/{taskId}/complete", List.of(), "outcome:string", "minutes:int", "program:enum:rpm|ccm"),
            ep("POST", "/tasks/{taskId}/cancel", List.of(), "outcome:string"),
            ep("GET", "/patients/{patientId}/thresholds", List.of()),
            ep("PUT", "/patients/{patientId}/thresholds", List.of(), "values:thresholds", "reason:string"),
            ep("GET", "/patients/{patientId}", List.of("asOf:date")),
            ep("POST", "/patients/{patientId}/profile", List.of(), "givenName:string", "familyName:string", "birthDate:date", "sex:enum:female|male|other|unknown",
                    "mbi:mbi", "phone:phone", "address:address"),
            ep("POST", "/patients/{patientId}/conditions", List.of(), "icd10:icd10", "description:string", "onset:date",
                    "expectedDuration:enum:under_3_months|3_to_12_months|at_least_12_months|lifelong", "significantRisk:bool"),
            ep("POST", "/patients/{patientId}/conditions/{conditionId}/end", List.of(), "endedOn:date"),
            ep("POST", "/patients/{patientId}/consents", List.of(), "program:enum:rpm|ccm|pcm|apcm", "method:enum:verbal|written", "obtainedOn:date", "obtainedBy:uuid",
                    "told:told", "accepted:bool", "note:string"),
            ep("POST", "/patients/{patientId}/consents/{consentId}/revoke", List.of(), "revokedOn:date", "reason:string"),
            ep("POST", "/patients/{patientId}/enrolments", List.of(), "program:enum:rpm|ccm|pcm|apcm", "startedOn:date", "billingPractitionerId:uuid", "note:string"),
            ep("POST", "/patients/{patientId}/enrolments/{enrolmentId}/end", List.of(), "endedOn:date", "reason:string"),
            ep("GET", "/patients/{patientId}/programs/{program}/status", List.of("asOf:date")),
            ep("GET", "/patients/{patientId}/care-plan", List.of()),
            ep("POST", "/patients/{patientId}/care-plan", List.of(), "problems:uuids", "expectedOutcome:string", "prognosis:string", "goals:goals",
                    "symptomManagement:string", "interventions:objects", "medications:objects", "communityResources:objects",
                    "coordinatingProviders:objects", "reviewDate:date", "changeNote:string"),
            ep("GET", "/patients/{patientId}/care-plan/versions", List.of()),
            ep("GET", "/patients/{patientId}/care-plan/print", List.of()),
            ep("POST", "/time-entries", List.of(), "patientId:uuid", "staffId:uuid", "program:enum:rpm|ccm",
                    "activity:enum:data_review|patient_call|medication_reconciliation|care_coordination|care_plan_update|other", "startedAt:datetime",
                    "endedAt:datetime", "interactive:bool", "interactionMode:enum:phone|video|messaging", "note:string", "taskId:uuid"),
            ep("POST", "/time-entries/timer/start", List.of(), "patientId:uuid", "program:enum:rpm|ccm", "activity:string", "note:string", "taskId:uuid"),
            ep("POST", "/time-entries/timer/stop", List.of(), "interactive:bool", "interactionMode:enum:phone|video|messaging", "note:string"),
            ep("POST", "/time-entries/{entryId}/adjust", List.of(), "startedAt:datetime", "endedAt:datetime", "program:enum:rpm|ccm", "activity:string",
                    "interactive:bool", "interactionMode:enum:phone|video|messaging", "note:string", "reason:string"),
            ep("GET", "/patients/{patientId}/time-entries", List.of("month:month")),
            ep("POST", "/patients/{patientId}/visits", List.of(), "kind:enum:em|awv|ippe", "date:date", "practitionerId:uuid", "ccmAssessment:bool"),
            ep("GET", "/patients/{patientId}/visits", List.of()),
            ep("POST", "/patients/{patientId}/inpatient-stays", List.of(), "setting:enum:hospital|snf", "admittedAt:datetime", "dischargedAt:datetime"),
            ep("POST", "/patients/{patientId}/inpatient-stays/{stayId}/discharge", List.of(), "dischargedAt:datetime"),
            ep("GET", "/patients/{patientId}/inpatient-stays", List.of()),
            ep("GET", "/billing/readiness", List.of("month:month", "practiceId:uuid")),
            ep("POST", "/billing/months/{month}/close", List.of("practiceId:uuid")),
            ep("GET", "/billing/months/{month}/claims.json", List.of("practiceId:uuid")),
            ep("GET", "/billing/months/{month}/claims.csv", List.of("practiceId:uuid")),
            ep("GET", "/billing/months/{month}/claims.837", List.of("practiceId:uuid", "skipIncomplete:bool")),
            ep("POST", "/billing/months/{month}/corrections", List.of("practiceId:uuid")),
            ep("GET", "/billing/months/{month}/corrections", List.of("practiceId:uuid")),
            ep("GET", "/billing/months/{month}/corrections.837", List.of("practiceId:uuid")),
            ep("GET", "/billing/profile", List.of("practiceId:uuid")),
            ep("PUT", "/billing/profile", List.of("practiceId:uuid"), "organizationName:string", "npi:npi", "ein:string", "taxonomy:string", "address:address",
                    "phone:phone", "placeOfService:string", "charges:thresholds", "submitter:object", "receiver:object"));

    static Endpoint ep(String method, String path, List<String> query, String... fields) {
        return new Endpoint(method, path, query, List.of(fields));
    }

    @BeforeAll
    static void start() throws Exception {
        mqttPort = EmbeddedPlatforms.freePort();
        platform = EmbeddedPlatforms.start(Map.of("CARELOOP_EMBEDDED_MQTT_PORT", Integer.toString(mqttPort)));
        systemToken = platform.apiToken();
        system = new ApiClient(platform.httpPort(), systemToken);
        TestPractices practices = TestPractices.of(platform);
        practiceId = practices.practice("Fuzz", "America/Chicago");
        staffEmail = practices.staff(practiceId, "physician", "Fuzz, Physician", "1234567893").getString("email");
        ApiClient staff = practices.signIn(staffEmail);
        staffToken = staff.token();
        staffId = staff.get("/api/v1/auth/me").json().getString("staffId");
        patientId = staff.id(staff.post("/api/v1/patients", "{\"practiceId\":\"" + practiceId + "\",\"externalRef\":\"MRN-FUZZ\"}"));
        deviceId = registerCuff(patientId);
        taskId = staff.id(staff.post("/api/v1/tasks", new JsonObject().put("patientId", patientId).put("title", "Call the patient")));
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static String registerCuff(String patient) throws Exception {
        String device = "cuff-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(system.post("/api/v1/devices", "{\"deviceId\":\"" + device + "\",\"practiceId\":\"" + practiceId + "\",\"kind\":\"blood_pressure_cuff\"}")
                .status()).isEqualTo(201);
        assertThat(system.post("/api/v1/devices/" + device + "/assignments", "{\"patientId\":\"" + patient + "\",\"validFrom\":\""
                + Instant.now().minus(Duration.ofDays(1)) + "\"}").status()).isEqualTo(201);
        return device;
    }

    @Test
    void noRequestEndsInAServerErrorOrAHangAndThePlatformKeepsWorking() throws Exception {
        SplittableRandom random = new SplittableRandom(SEED);
        List<Case> cases = new ArrayList<>(CASES);
        for (int i = 0; i < CASES; i++) {
            cases.add(generate(random.split(), i));
        }
        // HTTP/1.1: one refused request closes its own connection only (over h2c a GOAWAY would take its neighbours along).
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, int[]> statuses = new java.util.concurrent.ConcurrentHashMap<>();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (Case c : cases) {
                running.add(pool.submit(() -> {
                    String failure = run(http, c, statuses);
                    if (failure != null) {
                        failures.add("seed " + SEED + " " + c + "\n    -> " + failure);
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
        System.out.println("API fuzz: " + CASES + " requests (seed " + SEED + ") in " + tookMs + " ms; by status: "
                + new java.util.TreeMap<>(statuses).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()[0]).toList());
        failures.sort(null);
        failures.forEach(f -> System.out.println("API fuzz failure: " + f));
        assertThat(failures).as("requests answered with a 5xx, a hang or a malformed error (seed " + SEED + ")").isEmpty();

        // Still healthy: ready, and a good reading still goes all the way through.
        assertThat(system.get("/ready").status()).isEqualTo(200);
        String patient = system.id(system.post("/api/v1/patients", "{\"practiceId\":\"" + practiceId + "\",\"externalRef\":\"MRN-AFTER-FUZZ\"}"));
        String cuff = registerCuff(patient);
        try (TestDevice device = new TestDevice("tcp://127.0.0.1:" + mqttPort, cuff, EmbeddedPlatforms.devicePassword(system, cuff))) {
            device.publish(cuff, "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + Instant.now().truncatedTo(ChronoUnit.MILLIS)
                    + "\",\"systolic\":128,\"diastolic\":82}");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int stored = 0;
        while (stored == 0 && System.nanoTime() < deadline) {
            stored = system.get("/api/v1/patients/" + patient + "/readings").json().getJsonArray("items").size();
            Thread.sleep(100);
        }
        assertThat(stored).as("the reading published after the fuzz run is stored").isEqualTo(1);
    }

    /** Sends one case; null when the answer is acceptable, else why not. */
    private static String run(HttpClient http, Case c, Map<Integer, int[]> statuses) {
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + platform.httpPort() + "/api/v1" + c.path())).timeout(REQUEST_TIMEOUT);
        } catch (IllegalArgumentException e) {
            return null; // not a URI any client could send
        }
        HttpRequest.BodyPublisher body = c.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(c.body());
        request.method(c.method(), body);
        if (c.body() != null) {
            request.header("Content-Type", "application/json");
        }
        switch (c.auth()) {
            case "system" -> request.header("Authorization", "Bearer " + systemToken);
            case "staff" -> request.header("Authorization", "Bearer " + staffToken);
            case "garbage" -> request.header("Authorization", "Bearer " + "x".repeat(2000));
            default -> {
            }
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            return "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s";
        } catch (Exception e) {
            return "transport failure " + e;
        }
        int status = response.statusCode();
        statuses.computeIfAbsent(status, s -> new int[1]);
        synchronized (statuses) {
            statuses.get(status)[0]++;
        }
        if (status >= 500) {
            return "HTTP " + status + " " + abbreviate(response.body());
        }
        if (status >= 400) {
            try {
                JsonObject error = new JsonObject(response.body());
                if (!(error.getValue("error") instanceof String) || !(error.getValue("message") instanceof String)) {
                    return "HTTP " + status + " without {error, message}: " + abbreviate(response.body());
                }
            } catch (RuntimeException e) {
                return "HTTP " + status + " with a body that is not JSON: " + abbreviate(response.body());
            }
        } else if (status < 200 || status >= 300) {
            return "unexpected HTTP " + status;
        }
        return null;
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    // ---- generators ----

    static Case generate(SplittableRandom r, int number) {
        Endpoint e = ENDPOINTS.get(r.nextInt(ENDPOINTS.size()));
        StringBuilder path = new StringBuilder();
        for (String part : e.path().split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            path.append('/');
            if (part.startsWith("{")) {
                path.append(pathValue(r, part.substring(1, part.length() - 1)));
            } else {
                path.append(part);
            }
        }
        List<String> params = new ArrayList<>();
        for (String q : e.query()) {
            if (r.nextInt(100) < 45) {
                int colon = q.indexOf(':');
                params.add(enc(q.substring(0, colon)) + "=" + enc(queryValue(r, q.substring(colon + 1))));
            }
        }
        if (r.nextInt(100) < 5) {
            params.add(enc(chaosString(r)) + "=" + enc(chaosString(r)));
        }
        if (r.nextInt(100) < 3 && !e.query().isEmpty()) {
            String q = e.query().get(0);
            String name = q.substring(0, q.indexOf(':'));
            params.add(enc(name) + "=a");
            params.add(enc(name) + "=b"); // repeated parameter
        }
        if (!params.isEmpty()) {
            path.append('?').append(String.join("&", params));
        }
        String body = null;
        if (!e.method().equals("GET")) {
            body = r.nextInt(100) < 8 ? wholeBodyChaos(r) : object(r, e.fields());
        }
        int a = r.nextInt(100);
        String auth = a < 45 ? "staff" : a < 90 ? "system" : a < 95 ? "none" : "garbage";
        if (e.path().equals("/auth/logout")) {
            auth = "none";
        }
        return new Case(number, e.method(), path.toString(), body, auth);
    }

    static String object(SplittableRandom r, List<String> fields) {
        StringBuilder json = new StringBuilder("{");
        boolean first = true;
        for (String field : fields) {
            if (r.nextInt(100) < 15) {
                continue; // missing
            }
            int colon = field.indexOf(':');
            json.append(first ? "" : ",").append(quote(field.substring(0, colon))).append(':').append(value(r, field.substring(colon + 1)));
            first = false;
        }
        if (r.nextInt(100) < 10) {
            json.append(first ? "" : ",").append(quote(chaosString(r))).append(':').append(chaos(r));
        }
        return json.append('}').toString();
    }

    /** A JSON value for a field of this kind: plausible 45% of the time, hostile otherwise. */
    static String value(SplittableRandom r, String kind) {
        if (r.nextInt(100) >= 45) {
            return chaos(r);
        }
        if (kind.startsWith("enum:")) {
            String[] values = kind.substring(5).split("\\|");
            return quote(values[r.nextInt(values.length)]);
        }
        return switch (kind) {
            case "uuid" -> quote(knownId(r));
            case "email" -> quote(r.nextBoolean() ? staffEmail : "user" + r.nextInt(1000) + "@example.org");
            case "npi" -> quote(r.nextBoolean() ? "1234567893" : "12345678" + r.nextInt(10) + r.nextInt(10));
            case "zone" -> quote(pick(r, "America/Chicago", "UTC", "Etc/GMT+14", "Mars/Olympus", "+05:00", "GMT-12"));
            case "device" -> quote("dev-" + r.nextInt(1_000_000));
            case "date" -> quote(pick(r, EDGE_DATES));
            case "datetime" -> quote(pick(r, EDGE_DATETIMES));
            case "month" -> quote(pick(r, EDGE_MONTHS));
            case "int" -> pick(r, EDGE_NUMBERS);
            case "bool" -> r.nextBoolean() ? "true" : "false";
            case "mbi" -> quote(pick(r, "1EG4-TE5-MK73", "1EG4TE5MK73", "0EG4TE5MK73", "1SG4TE5MK73"));
            case "phone" -> quote(pick(r, "3125550100", "+1 (312) 555-0100", "1", "9".repeat(40)));
            case "icd10" -> quote(pick(r, "E11.9", "e119", "I10", "N18.3", "F32.9", "Z99.99", "E11.", ".", "I50.22"));
            case "assignee" -> quote(pick(r, "me", "none", staffId, "not-a-staff-id"));
            case "address" -> "{\"line1\":" + value(r, "string") + ",\"city\":" + value(r, "string") + ",\"state\":"
                    + quote(pick(r, "IL", "ZZ", "", "Illinois")) + ",\"zip\":" + quote(pick(r, "60601", "606011234", "60601-1234", "6060", "ABCDE")) + "}";
            case "told" -> "{\"serviceAvailable\":" + value(r, "bool") + ",\"costSharing\":" + value(r, "bool")
                    + ",\"onePractitionerPerMonth\":" + value(r, "bool") + ",\"mayStopAnyTime\":" + value(r, "bool") + "}";
            case "thresholds" -> "{" + quote(pick(r, "spo2.low_below", "bp.crisis_systolic", "nope", "")) + ":" + pick(r, EDGE_NUMBERS) + "}";
            case "uuids" -> "[" + quote(knownId(r)) + "," + chaos(r) + "]";
            case "goals" -> "[{\"description\":" + value(r, "string") + ",\"target\":" + value(r, "string") + ",\"targetDate\":" + value(r, "date") + "}]";
            case "objects" -> "[{\"name\":" + value(r, "string") + ",\"description\":" + value(r, "string") + ",\"dose\":" + value(r, "string")
                    + ",\"frequency\":" + value(r, "string") + ",\"role\":" + value(r, "string") + ",\"responsibleParty\":" + value(r, "string") + "}]";
            case "object" -> "{\"id\":" + value(r, "string") + ",\"name\":" + value(r, "string") + "}";
            default -> quote(r.nextBoolean() ? "plain text " + r.nextInt(1000) : chaosString(r));
        };
    }

    static final String[] EDGE_DATES = {"2026-01-15", "1970-01-01", "0000-01-01", "0001-01-01", "-999999999-01-01", "+999999999-12-31",
            "9999-12-31", "2024-02-29", "2023-02-29", "2026-13-01", "2026-00-10", "20260115", "2026-1-5", "", "today", "2026-01-15T00:00:00Z"};
    static final String[] EDGE_DATETIMES = {"2026-01-15T10:00:00Z", "1970-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z",
            "+999999999-12-31T23:59:59.999999999Z", "9999-12-31T23:59:59Z", "2038-01-19T03:14:08Z", "2026-01-15T10:00:00+18:00",
            "2026-01-15T10:00:00-18:00", "2026-01-15T10:00:00+25:00", "2026-01-15T25:61:00Z", "2026-01-15T10:00:00", "2026-01-15",
            "1768471200", "", "now", Instant.now().toString(), Instant.now().minus(Duration.ofDays(2)).toString()};
    static final String[] EDGE_MONTHS = {"2026-01", "2025-12", "2026-13", "2026-00", "0000-01", "-0001-01", "+999999999-12", "999999999-12",
            "2026-1", "202601", "", "last", "2099-01", "1900-02"};
    static final String[] EDGE_NUMBERS = {"0", "-1", "1", "5", "100", "600", "601", "-2147483648", "2147483647", "2147483648", "-2147483649",
            "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1e308", "-1e308", "1e309", "1e-400", "4.9e-324", "-0", "0.0",
            "1.5", "99999999999999999999999999999999999999", "0.1e1", "123456789012345678901234567890.5"};

    /** A hostile JSON value: wrong type, huge, deep, strange text, edge number, or null. */
    static String chaos(SplittableRandom r) {
        return switch (r.nextInt(10)) {
            case 0 -> "null";
            case 1 -> pick(r, EDGE_NUMBERS);
            case 2 -> r.nextBoolean() ? "true" : "false";
            case 3 -> "[" + (r.nextBoolean() ? "" : quote(chaosString(r)) + ",1,null") + "]";
            case 4 -> "{\"a\":" + (r.nextBoolean() ? "{}" : quote(chaosString(r))) + "}";
            case 5 -> deep(r, 1 + r.nextInt(r.nextBoolean() ? 40 : 3000));
            case 6 -> quote("x".repeat(1 + r.nextInt(r.nextBoolean() ? 300 : 60_000)));
            case 7 -> quote(pick(r, EDGE_DATES)) ;
            case 8 -> quote(pick(r, EDGE_DATETIMES));
            default -> quote(chaosString(r));
        };
    }

    static String deep(SplittableRandom r, int depth) {
        boolean arrays = r.nextBoolean();
        StringBuilder s = new StringBuilder(depth * 6);
        for (int i = 0; i < depth; i++) {
            s.append(arrays ? "[" : "{\"a\":");
        }
        s.append("1");
        for (int i = 0; i < depth; i++) {
            s.append(arrays ? "]" : "}");
        }
        return s.toString();
    }

    static final String[] STRANGE = {"NaN", "Infinity", "-Infinity", "nan", "1e309", "-0", "0x1F", "null", "undefined", "true", "",
            " ", "\t\n", "' OR '1'='1", "'; DROP TABLE core.patient; --", "../../etc/passwd", "<script>alert(1)</script>", "%00", "\u0000",
            "\u202Eevil\u202C", "Zoë Ångström", "名前", "😀👍🏽", "e\u0301\u0301\u0301", "\uFEFFbom", "\\", "\"", "a\u2028b",
            "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff", "not-a-uuid", "$(reboot)", "${jndi:ldap://x/a}"};

    static String chaosString(SplittableRandom r) {
        String s = pick(r, STRANGE);
        if (r.nextInt(10) == 0) {
            // A lone surrogate: not well-formed UTF-16, sent as whatever the encoder makes of it.
            s = s + "\uD800";
        }
        return s;
    }

    /** Whole bodies that are not an object at all. */
    static String wholeBodyChaos(SplittableRandom r) {
        return switch (r.nextInt(9)) {
            case 0 -> "";
            case 1 -> "{";
            case 2 -> "[]";
            case 3 -> "null";
            case 4 -> "\"string\"";
            case 5 -> deep(r, 100 + r.nextInt(20_000));
            case 6 -> "{\"a\":NaN}";
            case 7 -> "{\"pad\":\"" + "y".repeat(70 * 1024) + "\"}"; // beyond the 64 KiB body limit
            default -> "{\"a\":1}{\"b\":2}";
        };
    }

    static String pathValue(SplittableRandom r, String name) {
        int k = r.nextInt(100);
        if (k < 45) {
            return switch (name) {
                case "patientId" -> patientId;
                case "deviceId" -> deviceId;
                case "taskId" -> taskId;
                case "program" -> pick(r, "rpm", "ccm", "RPM", "pcm");
                case "month" -> enc(pick(r, EDGE_MONTHS));
                default -> uuid(r);
            };
        }
        return switch (r.nextInt(10)) {
            case 0 -> uuid(r);
            case 1 -> "not-a-uuid";
            case 2 -> "a".repeat(1 + r.nextInt(6000));
            case 3 -> uuid(r).toUpperCase();
            case 4 -> uuid(r).replace("-", "");
            case 5 -> "00000000-0000-0000-0000-000000000000";
            case 6 -> enc(chaosString(r));
            case 7 -> "%2e%2e";
            case 8 -> enc(pick(r, EDGE_MONTHS));
            default -> Long.toString(r.nextLong());
        };
    }

    static String queryValue(SplittableRandom r, String kind) {
        if (r.nextInt(100) < 40) {
            return switch (kind) {
                case "uuid" -> knownId(r);
                case "date" -> pick(r, EDGE_DATES);
                case "datetime" -> pick(r, EDGE_DATETIMES);
                case "month" -> pick(r, EDGE_MONTHS);
                case "int" -> pick(r, "-1", "0", "1", "500", "501", "10000", "10001", "-2147483649", "99999999999999", "1.5", "1e3", "abc", "");
                case "bool" -> pick(r, "true", "false", "TRUE", "1", "yes", "");
                case "assignee" -> pick(r, "me", "none", staffId);
                default -> kind.startsWith("enum:") ? pick(r, kind.substring(5).split("\\|")) : "MRN-FUZZ";
            };
        }
        return switch (r.nextInt(5)) {
            case 0 -> "x".repeat(1 + r.nextInt(8000));
            case 1 -> pick(r, EDGE_NUMBERS);
            case 2 -> pick(r, EDGE_DATETIMES);
            default -> chaosString(r);
        };
    }

    static String uuid(SplittableRandom r) {
        return new UUID(r.nextLong(), r.nextLong()).toString();
    }

    static String knownId(SplittableRandom r) {
        return pick(r, practiceId, patientId, staffId, taskId, uuid(r), "00000000-0000-0000-0000-000000000000");
    }

    @SafeVarargs
    static <T> T pick(SplittableRandom r, T... values) {
        return values[r.nextInt(values.length)];
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c) && (i + 1 >= s.length() || !Character.isSurrogatePair(c, s.charAt(i + 1)))
                            && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)))) {
                        out.append(String.format("\\u%04x", (int) c)); // control characters and lone surrogates as escapes
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
