package health.careloop.simulator.registration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import health.careloop.simulator.physiology.PatientFactory;
import health.careloop.simulator.physiology.SimulatedPatient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Registration against a stand-in of CareLoop's API that keeps state and answers 409 like the real one. */
class DemoRegistrationTest {
    private static final String TOKEN = "test-token";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private HttpServer server;
    private final List<String> calls = new ArrayList<>();
    /** Practices as the real API lists them: id, name, timeZone; names are not unique. */
    private final List<Map<String, String>> practices = new ArrayList<>();
    private final Map<String, String> patientIds = new HashMap<>();
    private final Set<String> devices = new HashSet<>();
    private final Map<String, JsonNode> assignments = new HashMap<>();
    /** The practice's staff list as GET /staff answers it. */
    private final List<Map<String, Object>> staff = new ArrayList<>();
    private final Map<String, JsonNode> profiles = new java.util.concurrent.ConcurrentHashMap<>();
    /** MBIs taken in the practice, to answer 409 duplicate_mbi as the real API does. */
    private final Set<String> mbis = new HashSet<>();
    private final List<JsonNode> conditions = new ArrayList<>();
    private final List<JsonNode> consents = new ArrayList<>();
    private final List<JsonNode> enrolments = new ArrayList<>();
    private final List<SimulatedPatient> patients =
            new PatientFactory(42, ZoneId.of("America/Chicago"), LocalDate.of(2026, 10, 1), 30, "reg").create(5);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void registersPracticePatientsDevicesAndAssignments() throws Exception {
        Instant validFrom = Instant.parse("2026-09-30T05:00:00Z");
        DemoRegistration.Summary summary = registration().register(null, "Sim Clinic", "America/Chicago", patients, validFrom);

        int deviceCount = patients.stream().mapToInt(p -> p.devices().size()).sum();
        assertThat(summary.patientsCreated()).isEqualTo(5);
        assertThat(summary.devicesCreated()).isEqualTo(deviceCount);
        assertThat(summary.assignmentsCreated()).isEqualTo(deviceCount);
        assertThat(devices).contains(patients.get(0).devices().get(0).deviceId());
        JsonNode assignment = assignments.get(patients.get(0).devices().get(0).deviceId());
        assertThat(assignment.path("patientId").asText()).isEqualTo(patientIds.get("REG-000001"));
        assertThat(assignment.path("validFrom").asText()).isEqualTo("2026-09-30T05:00:00Z");
    }

    @Test
    void aSecondRunReusesWhatExists() throws Exception {
        Instant validFrom = Instant.parse("2026-09-30T05:00:00Z");
        DemoRegistration.Summary first = registration().register(null, "Sim Clinic", "America/Chicago", patients, validFrom);
        DemoRegistration.Summary second = registration().register(first.practiceId(), "ignored", "America/Chicago", patients, validFrom);

        assertThat(second.practiceId()).isEqualTo(first.practiceId());
        assertThat(second.patientsCreated()).isZero();
        assertThat(second.devicesCreated()).isZero();
        assertThat(second.assignmentsCreated()).isZero();
        assertThat(calls).filteredOn(c -> c.startsWith("GET /api/v1/patients?practiceId=")).hasSize(5);
        assertThat(calls).filteredOn(c -> c.startsWith("POST /api/v1/practices")).hasSize(1);
    }

    @Test
    void aLiveRunAfterTheBackfillKeepsTheBackfillsAssignments() throws Exception {
        DemoRegistration.Summary backfill = registration().register(null, "Sim Clinic", "America/Chicago", patients,
                Instant.parse("2026-09-30T05:00:00Z"));
        int before = calls.size();
        DemoRegistration.Summary live = registration().register(backfill.practiceId(), "Sim Clinic", "America/Chicago", patients,
                Instant.parse("2026-10-30T05:00:00Z"));

        assertThat(live.assignmentsCreated()).isZero();
        // The API would end the earlier assignment and start another one: the run does not ask it to.
        assertThat(calls.subList(before, calls.size())).noneMatch(c -> c.endsWith("/assignments"));
    }

    @Test
    void withoutAPracticeIdASecondRunFindsThePracticeByNameAndTimeZone() throws Exception {
        Instant validFrom = Instant.parse("2026-09-30T05:00:00Z");
        practices.add(Map.of("id", UUID.randomUUID().toString(), "name", "Another Clinic", "timeZone", "America/Chicago"));
        practices.add(Map.of("id", UUID.randomUUID().toString(), "name", "Sim Clinic Annex", "timeZone", "America/Chicago"));
        DemoRegistration.Summary first = registration().register(null, "Sim Clinic", "America/Chicago", patients, validFrom);
        DemoRegistration.Summary second = registration().register(null, "Sim Clinic", "America/Chicago", patients, validFrom);

        assertThat(first.practiceCreated()).isTrue();
        assertThat(second.practiceCreated()).isFalse();
        assertThat(second.practiceId()).isEqualTo(first.practiceId());
        assertThat(second.describe()).contains(first.practiceId() + " (existing)");
        assertThat(second.patientsCreated()).isZero();
        assertThat(second.devicesCreated()).isZero();
        assertThat(practices).filteredOn(p -> p.get("name").equals("Sim Clinic")).hasSize(1);
        assertThat(calls).filteredOn(c -> c.equals("GET /api/v1/practices")).hasSize(2);
        assertThat(calls).filteredOn(c -> c.startsWith("POST /api/v1/practices")).hasSize(1);
    }

    @Test
    void aPracticeOfTheSameNameInAnotherTimeZoneIsNotReusedButNamedInTheError() throws Exception {
        String denver = UUID.randomUUID().toString();
        practices.add(Map.of("id", denver, "name", "Sim Clinic", "timeZone", "America/Denver"));

        assertThatThrownBy(() -> registration().register(null, "Sim Clinic", "America/Chicago", patients, Instant.now()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(denver).hasMessageContaining("America/Denver").hasMessageContaining("--practice-id");
        assertThat(calls).noneMatch(c -> c.startsWith("POST "));
        // Another name, or the explicit id, still works.
        assertThat(registration().register(null, "Sim Clinic Chicago", "America/Chicago", patients, Instant.now())
                .practiceCreated()).isTrue();
        assertThat(registration().register(denver, "Sim Clinic", "America/Chicago", patients.subList(0, 1), Instant.now())
                .practiceId()).isEqualTo(denver);
    }

    @Test
    void newPatientsGetDemographicsDiagnosesConsentAndEnrolmentWithTheFirstActiveProviderWithAnNpi() throws Exception {
        String physician = UUID.randomUUID().toString();
        staff.add(staffMember("rn", null, true));
        staff.add(staffMember("physician", "1234567893", false));
        staff.add(staffMember("npp", null, true));
        staff.add(Map.of("id", physician, "role", "physician", "npi", "1234567893", "active", true));
        staff.add(staffMember("npp", "1234567893", true));
        Instant validFrom = Instant.parse("2026-09-30T05:00:00Z");

        DemoRegistration.Summary summary = registration().register(null, "Sim Clinic", "America/Chicago", patients, validFrom);

        assertThat(summary.billingPractitioner()).isEqualTo(physician);
        assertThat(summary.warnings()).isEmpty();
        assertThat(profiles).hasSize(5);
        assertThat(mbis).hasSize(5).allMatch(SyntheticRecordTest::isMbi);
        JsonNode first = profiles.get(patientIds.get("REG-000001"));
        assertThat(first.path("address").path("zip").asText()).hasSize(9);
        assertThat(first.path("phone").asText()).matches("[0-9]{10}");

        long multiCondition = patients.stream().filter(p -> p.conditions().size() >= 2).count();
        assertThat(multiCondition).as("the seed's first five include CCM candidates").isPositive();
        assertThat(conditions).isNotEmpty().allSatisfy(c -> {
            assertThat(c.path("expectedDuration").asText()).isEqualTo("lifelong");
            assertThat(c.path("significantRisk").asBoolean()).isTrue();
        });
        assertThat(consents).hasSize(5 + (int) multiCondition).allSatisfy(c -> {
            assertThat(c.path("obtainedOn").asText()).as("the monitoring start, in the practice's zone").isEqualTo("2026-09-30");
            assertThat(c.path("obtainedBy").asText()).isEqualTo(physician);
            assertThat(c.path("accepted").asBoolean()).isTrue();
            assertThat(c.path("told").size()).isEqualTo(4);
            assertThat(c.path("told").properties()).allMatch(e -> e.getValue().asBoolean());
        });
        assertThat(enrolments).filteredOn(e -> e.path("program").asText().equals("rpm")).hasSize(5);
        assertThat(enrolments).filteredOn(e -> e.path("program").asText().equals("ccm")).hasSize((int) multiCondition);
        assertThat(enrolments).allMatch(e -> e.path("billingPractitionerId").asText().equals(physician)
                && e.path("startDate").asText().equals("2026-09-30"));
        assertThat(summary.enrolledRpm()).isEqualTo(5);
        assertThat(summary.enrolledCcm()).isEqualTo((int) multiCondition);
        assertThat(summary.describe()).contains("enrolled in RPM: 5");

        // A re-run leaves existing patients as they are: no second profile, condition, consent or enrolment.
        int calls = this.calls.size();
        DemoRegistration.Summary again = registration().register(summary.practiceId(), "Sim Clinic", "America/Chicago", patients, validFrom);
        assertThat(again.patientsCreated()).isZero();
        assertThat(this.calls.subList(calls, this.calls.size()))
                .noneMatch(c -> c.matches("POST /api/v1/patients/.+/(profile|conditions|consents|enrolments)"));
    }

    @Test
    void withoutAProviderWithAnNpiPatientsAreRegisteredWithoutConsentOrEnrolmentAndOneLineSaysWhy() throws Exception {
        staff.add(staffMember("rn", null, true));
        staff.add(staffMember("physician", null, true));

        DemoRegistration.Summary summary = registration().register(null, "Sim Clinic", "America/Chicago", patients,
                Instant.parse("2026-09-30T05:00:00Z"));

        assertThat(summary.patientsCreated()).isEqualTo(5);
        assertThat(profiles).hasSize(5);
        assertThat(conditions).isNotEmpty();
        assertThat(consents).isEmpty();
        assertThat(enrolments).isEmpty();
        assertThat(summary.billingPractitioner()).isNull();
        assertThat(summary.warnings()).singleElement().asString()
                .contains("no consent or enrolment").contains("physician or NPP with an NPI").contains("billing");
    }

    @Test
    void aRefusedProfileIsCountedWithTheApisReasonButNoPatientDataAndTheRestOfTheRecordIsWritten() throws Exception {
        staff.add(Map.of("id", UUID.randomUUID().toString(), "role", "physician", "npi", "1234567893", "active", true));
        // As if another seed's panel in this practice already had the first patient's MBI.
        String taken = new SyntheticDemographics(42).of(0, LocalDate.of(2026, 9, 30)).mbi();
        mbis.add(taken);

        DemoRegistration.Summary summary = registration().register(null, "Sim Clinic", "America/Chicago", patients,
                Instant.parse("2026-09-30T05:00:00Z"));

        assertThat(summary.profilesRefused()).isEqualTo(1);
        assertThat(profiles).hasSize(4).doesNotContainKey(patientIds.get("REG-000001"));
        assertThat(summary.warnings()).singleElement().asString()
                .contains("1 new patients have no demographics").contains("409 duplicate_mbi").doesNotContain(taken);
        assertThat(enrolments).anyMatch(e -> e.path("patientId").asText().equals(patientIds.get("REG-000001")));
    }

    @Test
    void withoutRecordsOnlyPatientsAndDevicesAreRegistered() throws Exception {
        staff.add(Map.of("id", UUID.randomUUID().toString(), "role", "physician", "npi", "1234567893", "active", true));
        DemoRegistration.Summary summary = new DemoRegistration(new CareLoopApi(URI.create(base()), TOKEN), false)
                .register(null, "Sim Clinic", "America/Chicago", patients, Instant.now());
        assertThat(summary.patientsCreated()).isEqualTo(5);
        assertThat(summary.warnings()).isEmpty();
        assertThat(calls).noneMatch(c -> c.startsWith("GET /api/v1/staff") || c.contains("/profile"));
    }

    private static Map<String, Object> staffMember(String role, String npi, boolean active) {
        Map<String, Object> member = new HashMap<>();
        member.put("id", UUID.randomUUID().toString());
        member.put("role", role);
        member.put("npi", npi);
        member.put("active", active);
        return member;
    }

    @Test
    void aWrongTokenIsAClearError() {
        DemoRegistration wrong = new DemoRegistration(new CareLoopApi(URI.create(base()), "wrong"));
        assertThatThrownBy(() -> wrong.register(null, "x", "America/Chicago", patients, Instant.now()))
                .isInstanceOf(ApiException.class).hasMessageContaining("401");
    }

    @Test
    void theTokenComesFromTheOptionThenTheEnvironmentThenTheFile(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path file = dir.resolve("admin-token");
        Files.writeString(file, "from-file\n");
        assertThat(ApiToken.resolve("opt", "env", file)).contains("opt");
        assertThat(ApiToken.resolve(null, "env", file)).contains("env");
        assertThat(ApiToken.resolve(null, null, file)).contains("from-file");
        assertThat(ApiToken.resolve(null, null, dir.resolve("missing"))).isEmpty();
    }

    private DemoRegistration registration() {
        return new DemoRegistration(new CareLoopApi(URI.create(base() + "/"), TOKEN));
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    // One request at a time, as the registration now sends several at once and the state here is plain collections.
    private synchronized void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        URI uri = exchange.getRequestURI();
        String path = uri.getPath();
        calls.add(method + " " + uri);
        if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            respond(exchange, 401, "{\"error\":\"unauthorized\"}");
            return;
        }
        JsonNode body = method.equals("POST") ? MAPPER.readTree(exchange.getRequestBody()) : null;
        if (method.equals("POST") && path.equals("/api/v1/practices")) {
            Map<String, String> practice = Map.of("id", UUID.randomUUID().toString(), "name", body.path("name").asText(),
                    "timeZone", body.path("timeZone").asText());
            practices.add(practice);
            respond(exchange, 201, MAPPER.writeValueAsString(practice));
        } else if (method.equals("GET") && path.equals("/api/v1/practices")) {
            respond(exchange, 200, MAPPER.writeValueAsString(Map.of("items", practices)));
        } else if (method.equals("POST") && path.equals("/api/v1/patients")) {
            String key = body.path("externalRef").asText();
            if (patientIds.containsKey(key)) {
                respond(exchange, 409, "{\"error\":\"taken\"}");
            } else {
                patientIds.put(key, UUID.randomUUID().toString());
                respond(exchange, 201, "{\"id\":\"" + patientIds.get(key) + "\"}");
            }
        } else if (method.equals("GET") && path.equals("/api/v1/patients")) {
            String ref = uri.getQuery().replaceAll(".*externalRef=([^&]*).*", "$1");
            respond(exchange, 200, "{\"items\":[{\"id\":\"" + patientIds.get(ref) + "\"}]}");
        } else if (method.equals("GET") && path.equals("/api/v1/staff")) {
            respond(exchange, 200, MAPPER.writeValueAsString(Map.of("items", staff)));
        } else if (method.equals("POST") && path.matches("/api/v1/patients/[^/]+/profile")) {
            String mbi = body.path("mbi").asText();
            if (!mbis.add(mbi)) {
                respond(exchange, 409, "{\"error\":\"duplicate_mbi\",\"message\":\"Another patient has MBI " + mbi + ".\"}");
            } else {
                profiles.put(path.split("/")[4], body);
                respond(exchange, 200, MAPPER.writeValueAsString(body));
            }
        } else if (method.equals("POST") && path.matches("/api/v1/patients/[^/]+/(conditions|consents|enrolments)")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) body).put("patientId", path.split("/")[4]);
            List<JsonNode> into = path.endsWith("conditions") ? conditions : path.endsWith("consents") ? consents : enrolments;
            into.add(body);
            respond(exchange, 201, "{\"id\":\"" + UUID.randomUUID() + "\"}");
        } else if (method.equals("POST") && path.equals("/api/v1/devices")) {
            respond(exchange, devices.add(body.path("deviceId").asText()) ? 201 : 409, "{}");
        } else if (method.equals("GET") && path.matches("/api/v1/devices/[^/]+")) {
            JsonNode assignment = assignments.get(path.split("/")[4]);
            respond(exchange, 200, MAPPER.writeValueAsString(Map.of("assignments", assignment == null ? List.of() : List.of(assignment))));
        } else if (method.equals("POST") && path.matches("/api/v1/devices/[^/]+/assignments")) {
            String deviceId = path.split("/")[4];
            if (assignments.containsKey(deviceId)) {
                respond(exchange, 409, "{\"error\":\"overlap\"}");
            } else {
                assignments.put(deviceId, body);
                respond(exchange, 201, "{}");
            }
        } else {
            respond(exchange, 404, "{}");
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
