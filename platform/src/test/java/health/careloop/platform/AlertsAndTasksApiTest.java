package health.careloop.platform;

import health.careloop.testing.TestDevice;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A crisis blood pressure published over MQTT becomes a critical alert and an urgent task that care staff see and
 * work through the API; roles (403), practices (404) and sign-in (401) guard it; providers alone set thresholds.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AlertsAndTasksApiTest {
    static Platform platform;
    static int mqttPort;
    static ApiClient system;
    static TestPractices practices;
    static String practice;
    static String otherPractice;

    @BeforeAll
    static void start() throws Exception {
        mqttPort = EmbeddedPlatforms.freePort();
        platform = EmbeddedPlatforms.start(Map.of("CARELOOP_EMBEDDED_MQTT_PORT", Integer.toString(mqttPort)));
        practices = TestPractices.of(platform);
        system = practices.system();
        practice = practices.practice("Alerts A", "America/Chicago");
        otherPractice = practices.practice("Alerts B", "America/New_York");
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static ApiClient signIn(String practiceId, String role, String npi) throws Exception {
        return practices.signedIn(practiceId, role, "Test " + role, npi);
    }

    @Test
    void aCrisisReadingOverMqttBecomesAnAlertAndATaskThatStaffWork() throws Exception {
        ApiClient nurse = signIn(practice, "rn", null);
        ApiClient biller = signIn(practice, "billing", null);
        ApiClient foreignNurse = signIn(otherPractice, "rn", null);
        String patient = nurse.id(nurse.post("/api/v1/patients", "{\"practiceId\":\"" + practice + "\",\"externalRef\":\"MRN-" + UUID.randomUUID() + "\"}"));
        String cuff = "cuff-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(nurse.post("/api/v1/devices", "{\"deviceId\":\"" + cuff + "\",\"practiceId\":\"" + practice + "\",\"kind\":\"blood_pressure_cuff\"}")
                .status()).isEqualTo(201);
        assertThat(nurse.post("/api/v1/devices/" + cuff + "/assignments", "{\"patientId\":\"" + patient + "\",\"validFrom\":\""
                + Instant.now().minus(Duration.ofDays(1)) + "\"}").status()).isEqualTo(201);

        long published;
        try (TestDevice device = new TestDevice("tcp://127.0.0.1:" + mqttPort, cuff, EmbeddedPlatforms.devicePassword(nurse, cuff))) {
            published = System.nanoTime();
            device.publish(cuff, "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + Instant.now().truncatedTo(ChronoUnit.MILLIS)
                    + "\",\"systolic\":192,\"diastolic\":124}");
        }
        JsonObject alert = null;
        while (alert == null && System.nanoTime() - published < Duration.ofSeconds(15).toNanos()) {
            JsonArray items = nurse.get("/api/v1/patients/" + patient + "/alerts").json().getJsonArray("items");
            if (!items.isEmpty()) {
                alert = items.getJsonObject(0);
            } else {
                Thread.sleep(20);
            }
        }
        assertThat(alert).as("an alert within 15 s").isNotNull();
        long latencyMs = Duration.ofNanos(System.nanoTime() - published).toMillis();
        System.out.println("Publish-to-alert latency (MQTT → ingest → evaluator → API poll): " + latencyMs + " ms");
        assertThat(latencyMs).isLessThan(5_000);
        assertThat(alert.getString("rule")).isEqualTo("bp_crisis");
        assertThat(alert.getString("severity")).isEqualTo("critical");
        assertThat(alert.getString("status")).isEqualTo("open");
        assertThat(alert.getJsonArray("readings").getJsonObject(0).getString("deviceId")).isEqualTo(cuff);
        String alertId = alert.getString("id");
        String taskId = alert.getString("taskId");

        var queue = nurse.get("/api/v1/alerts?status=open&severity=critical").json().getJsonArray("items");
        assertThat(queue.stream().map(o -> ((JsonObject) o).getString("id"))).contains(alertId);
        assertThat(nurse.get("/api/v1/alerts?rule=bp_high").json().getJsonArray("items").stream()
                .map(o -> ((JsonObject) o).getString("id"))).doesNotContain(alertId);
        assertThat(nurse.get("/api/v1/alerts?severity=urgent").status()).isEqualTo(400);
        JsonObject task = nurse.get("/api/v1/tasks/" + taskId).json();
        assertThat(task.getString("priority")).isEqualTo("urgent");
        assertThat(task.getString("suggestedProgram")).isEqualTo("rpm");
        assertThat(nurse.get("/api/v1/tasks?status=open").json().getJsonArray("items").getJsonObject(0).getString("priority")).isEqualTo("urgent");

        // Who may do what.
        assertThat(biller.get("/api/v1/alerts/" + alertId).status()).isEqualTo(200);
        assertThat(biller.post("/api/v1/alerts/" + alertId + "/acknowledge", "").status()).isEqualTo(403);
        assertThat(biller.post("/api/v1/tasks/" + taskId + "/claim", "").status()).isEqualTo(403);
        assertThat(new ApiClient(platform.httpPort(), null).getWithoutToken("/api/v1/alerts").status()).isEqualTo(401);
        assertThat(new ApiClient(platform.httpPort(), null).post("/api/v1/alerts/" + alertId + "/acknowledge", "").status()).isEqualTo(401);
        assertThat(foreignNurse.get("/api/v1/alerts/" + alertId).status()).isEqualTo(404);
        assertThat(foreignNurse.post("/api/v1/alerts/" + alertId + "/acknowledge", "").status()).isEqualTo(404);
        assertThat(foreignNurse.get("/api/v1/patients/" + patient + "/alerts").status()).isEqualTo(404);
        assertThat(foreignNurse.get("/api/v1/alerts").json().getJsonArray("items")).isEmpty();
        assertThat(foreignNurse.get("/api/v1/tasks/" + taskId).status()).isEqualTo(404);

        // Acknowledge, claim, complete with time, resolve.
        var ack = nurse.post("/api/v1/alerts/" + alertId + "/acknowledge", "");
        assertThat(ack.status()).as(ack.body()).isEqualTo(200);
        assertThat(ack.json().getString("status")).isEqualTo("acknowledged");
        assertThat(ack.json().getString("acknowledgedBy")).startsWith("staff:");
        assertThat(nurse.post("/api/v1/alerts/" + alertId + "/acknowledge", "").status()).isEqualTo(409);
        var claimed = nurse.post("/api/v1/tasks/" + taskId + "/claim", "");
        assertThat(claimed.status()).as(claimed.body()).isEqualTo(200);
        assertThat(claimed.json().getString("status")).isEqualTo("in_progress");
        assertThat(claimed.json().getString("assigneeName")).isEqualTo("Test rn");
        assertThat(nurse.get("/api/v1/tasks?assignee=me").json().getJsonArray("items").getJsonObject(0).getString("id")).isEqualTo(taskId);
        assertThat(nurse.post("/api/v1/tasks/" + taskId + "/complete", new JsonObject().put("outcome", "Called").put("minutes", 12)).status())
                .isEqualTo(400);
        var done = nurse.post("/api/v1/tasks/" + taskId + "/complete",
                new JsonObject().put("outcome", "Called the patient; repeat 150/92; provider informed").put("minutes", 12).put("program", "rpm"));
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.json().getInteger("minutes")).isEqualTo(12);
        assertThat(done.json().getString("program")).isEqualTo("rpm");
        assertThat(nurse.post("/api/v1/alerts/" + alertId + "/resolve", "{}").status()).isEqualTo(400);
        var resolved = nurse.post("/api/v1/alerts/" + alertId + "/resolve", new JsonObject().put("outcome", "Medication adjusted by Dr A"));
        assertThat(resolved.status()).as(resolved.body()).isEqualTo(200);
        assertThat(resolved.json().getString("status")).isEqualTo("resolved");
        assertThat(resolved.json().getString("outcome")).isEqualTo("Medication adjusted by Dr A");

        // A manual task, by hand.
        var manual = nurse.post("/api/v1/tasks", new JsonObject().put("patientId", patient).put("title", "Schedule a medication review")
                .put("priority", "high"));
        assertThat(manual.status()).as(manual.body()).isEqualTo(201);
        assertThat(manual.json().getString("kind")).isEqualTo("manual");
        assertThat(foreignNurse.post("/api/v1/tasks", new JsonObject().put("patientId", patient).put("title", "x")).status()).isEqualTo(404);
    }

    @Test
    void onlyProvidersChangeThresholdsAndEveryChangeIsKept() throws Exception {
        ApiClient nurse = signIn(practice, "rn", null);
        ApiClient doctor = signIn(practice, "physician", "1234567893");
        String patient = nurse.id(nurse.post("/api/v1/patients", "{\"practiceId\":\"" + practice + "\",\"externalRef\":\"MRN-" + UUID.randomUUID() + "\"}"));
        String path = "/api/v1/patients/" + patient + "/thresholds";
        JsonObject view = nurse.get(path).json();
        JsonObject spo2 = view.getJsonArray("thresholds").stream().map(o -> (JsonObject) o)
                .filter(t -> t.getString("key").equals("spo2.low_below")).findFirst().orElseThrow();
        assertThat(spo2.getInteger("value")).isEqualTo(90);
        assertThat(spo2.getString("source")).isEqualTo("default");

        JsonObject change = new JsonObject().put("values", new JsonObject().put("spo2.low_below", 86)).put("reason", "Baseline 87-89 % on room air");
        assertThat(nurse.put(path, change).status()).isEqualTo(403);
        assertThat(new ApiClient(platform.httpPort(), null).put(path, change).status()).isEqualTo(401);
        assertThat(system.put(path, change).status()).isEqualTo(403);
        var changed = doctor.put(path, change);
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        JsonObject after = changed.json();
        JsonObject overridden = after.getJsonArray("thresholds").stream().map(o -> (JsonObject) o)
                .filter(t -> t.getString("key").equals("spo2.low_below")).findFirst().orElseThrow();
        assertThat(overridden.getInteger("value")).isEqualTo(86);
        assertThat(overridden.getString("source")).isEqualTo("override");
        JsonObject history = after.getJsonArray("history").getJsonObject(0);
        assertThat(history.getValue("oldValue")).isNull();
        assertThat(history.getInteger("newValue")).isEqualTo(86);
        assertThat(history.getString("changedBy")).startsWith("staff:");
        assertThat(history.getString("reason")).isEqualTo("Baseline 87-89 % on room air");

        var removed = doctor.put(path, new JsonObject().put("values", new JsonObject().putNull("spo2.low_below"))
                .put("reason", "Back to default"));
        assertThat(removed.json().getJsonArray("history")).hasSize(2);
        assertThat(removed.json().getJsonArray("history").getJsonObject(0).getInteger("oldValue")).isEqualTo(86);
        assertThat(doctor.put(path, new JsonObject().put("values", new JsonObject().put("spo2.low_below", 50))
                .put("reason", "typo")).status()).isEqualTo(400);
        assertThat(doctor.put(path, new JsonObject().put("values", new JsonObject().put("nonsense", 1))
                .put("reason", "typo")).status()).isEqualTo(400);
    }
}
