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

    private void handle(HttpExchange exchange) throws IOException {
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
        } else if (method.equals("POST") && path.equals("/api/v1/devices")) {
            respond(exchange, devices.add(body.path("deviceId").asText()) ? 201 : 409, "{}");
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
