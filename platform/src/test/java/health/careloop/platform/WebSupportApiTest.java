package health.careloop.platform;

import health.careloop.testing.TestDevice;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the web app needs from the API beyond the tiers' own endpoints: the device inventory (last reading seen,
 * silence), the live queue stream (practice-scoped, signed-in only), the page's security headers, and a 401 for
 * every documented endpoint without a token.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WebSupportApiTest {
    static Platform platform;
    static int mqttPort;
    static ApiClient system;
    static TestPractices practices;
    static String practice;
    static String otherPractice;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        mqttPort = EmbeddedPlatforms.freePort();
        platform = EmbeddedPlatforms.start(Map.of("CARELOOP_EMBEDDED_MQTT_PORT", Integer.toString(mqttPort)));
        port = platform.httpPort();
        practices = TestPractices.of(platform);
        system = practices.system();
        practice = practices.practice("Web support A", "America/Chicago");
        otherPractice = practices.practice("Web support B", "America/Denver");
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void theInventoryShowsWhoHasEachDeviceItsLastReadingBatteryAndWhichAreSilent() throws Exception {
        ApiClient nurse = signIn(practice, "rn");
        ApiClient foreignNurse = signIn(otherPractice, "rn");
        String patient = nurse.id(nurse.post("/api/v1/patients", new JsonObject().put("practiceId", practice).put("externalRef", "MRN-" + UUID.randomUUID())));
        String active = device(nurse, patient, Instant.now().minus(Duration.ofDays(10)));
        String quiet = device(nurse, patient, Instant.now().minus(Duration.ofDays(5)));
        String stock = device(nurse, null, null);
        Instant measured = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        try (TestDevice d = new TestDevice("tcp://127.0.0.1:" + mqttPort, active, EmbeddedPlatforms.devicePassword(nurse, active))) {
            d.publish(active, "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + measured.minus(Duration.ofDays(1))
                    + "\",\"systolic\":126,\"diastolic\":80,\"battery\":12}");
            // The newest reading reports no battery: the level shown is the newest one reported.
            d.publish(active, "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + measured + "\",\"systolic\":128,\"diastolic\":82}");
        }
        JsonObject seen = null;
        for (long end = System.nanoTime() + Duration.ofSeconds(15).toNanos(); System.nanoTime() < end; Thread.sleep(100)) {
            seen = item(nurse.get("/api/v1/devices").json().getJsonArray("items"), active);
            if (seen.getString("lastMeasuredAt") != null && Instant.parse(seen.getString("lastMeasuredAt")).equals(measured)) {
                break;
            }
        }
        assertThat(Instant.parse(seen.getString("lastMeasuredAt"))).isEqualTo(measured);
        assertThat(seen.getString("patientId")).isEqualTo(patient);
        assertThat(seen.getBoolean("silent")).isFalse();
        assertThat(seen.getInteger("batteryPercent")).isEqualTo(12);
        assertThat(seen.getBoolean("batteryLow")).isTrue();
        assertThat(Instant.parse(seen.getString("batteryReportedAt"))).isEqualTo(measured.minus(Duration.ofDays(1)));
        JsonArray all = nurse.get("/api/v1/devices").json().getJsonArray("items");
        assertThat(item(all, quiet).getBoolean("silent")).as("assigned 5 days ago, never measured").isTrue();
        assertThat(item(all, stock).getValue("patientId")).isNull();
        assertThat(item(all, stock).getBoolean("silent")).isFalse();
        assertThat(item(all, quiet).getValue("batteryPercent")).isNull();
        assertThat(item(all, quiet).getBoolean("batteryLow")).isFalse();

        JsonArray mine = nurse.get("/api/v1/devices?patientId=" + patient).json().getJsonArray("items");
        assertThat(mine.stream().map(o -> ((JsonObject) o).getString("deviceId"))).containsExactlyInAnyOrder(active, quiet);
        // Other practices see neither the devices nor the patient; the API token must name a practice.
        assertThat(foreignNurse.get("/api/v1/devices").json().getJsonArray("items")).isEmpty();
        assertThat(foreignNurse.get("/api/v1/devices?patientId=" + patient).status()).isEqualTo(404);
        assertThat(foreignNurse.get("/api/v1/devices?practiceId=" + practice).status()).isEqualTo(404);
        assertThat(system.get("/api/v1/devices").status()).isEqualTo(400);
        assertThat(system.get("/api/v1/devices?practiceId=" + practice).json().getJsonArray("items")).hasSize(3);
        assertThat(nurse.get("/api/v1/devices?patientId=nonsense").status()).isEqualTo(400);
        assertThat(new ApiClient(port, null).getWithoutToken("/api/v1/devices").status()).isEqualTo(401);
    }

    @Test
    void theQueueStreamTellsOnlyThePracticeConcernedAndOnlySignedInStaff() throws Exception {
        ApiClient nurse = signIn(practice, "rn");
        ApiClient foreignNurse = signIn(otherPractice, "rn");
        String patient = nurse.id(nurse.post("/api/v1/patients", new JsonObject().put("practiceId", practice).put("externalRef", "MRN-" + UUID.randomUUID())));
        String foreignPatient = foreignNurse.id(foreignNurse.post("/api/v1/patients", new JsonObject().put("practiceId", otherPractice)
                .put("externalRef", "MRN-" + UUID.randomUUID())));

        HttpResponse<InputStream> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/alerts/stream")).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(refused.statusCode()).isEqualTo(401);
        refused.body().close();

        try (EventLines mine = EventLines.open(port, nurse.token()); EventLines theirs = EventLines.open(port, foreignNurse.token())) {
            assertThat(mine.response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
            assertThat(mine.response.headers().firstValue("Cache-Control")).contains("no-store");
            ApiClient.Response task = nurse.post("/api/v1/tasks", new JsonObject().put("patientId", patient).put("title", "Call back"));
            assertThat(task.status()).isEqualTo(201);
            assertThat(mine.nextEvent()).isEqualTo("{\"practiceId\":\"" + practice + "\"}");
            // The other practice hears of its own change only: its first event is about itself.
            assertThat(foreignNurse.post("/api/v1/tasks", new JsonObject().put("patientId", foreignPatient).put("title", "Call back")).status()).isEqualTo(201);
            assertThat(theirs.nextEvent()).isEqualTo("{\"practiceId\":\"" + otherPractice + "\"}");
            // A claim (an update) is a change too.
            assertThat(nurse.post("/api/v1/tasks/" + task.json().getString("id") + "/claim", "").status()).isEqualTo(200);
            assertThat(mine.nextEvent()).contains(practice);
        }
    }

    @Test
    void thePageComesWithItsSecurityHeadersAndItsChartLibraryFromTheBuild() throws Exception {
        ApiClient anonymous = new ApiClient(port, null);
        HttpResponse<String> page = anonymous.getResponse("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script type=\"module\" src=\"js/app.js\">").doesNotContain("http://").doesNotContain("https://");
        assertThat(page.headers().firstValue("Content-Security-Policy")).contains(WebApp.CONTENT_SECURITY_POLICY);
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(anonymous.getResponse("/js/app.js").headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("javascript"));
        HttpResponse<String> uplot = anonymous.getResponse("/vendor/uplot/uPlot.esm.js");
        assertThat(uplot.statusCode()).isEqualTo(200);
        assertThat(uplot.body()).contains("export { uPlot as default }");
        HttpResponse<String> api = anonymous.getResponse("/api/v1/alerts");
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(api.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(api.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(anonymous.getResponse("/no-such-page").statusCode()).isEqualTo(404);
    }

    @Test
    void everyDocumentedEndpointButSignInAndSetupRefusesARequestWithoutAToken() throws Exception {
        String openApi = new ApiClient(port, null).getWithoutToken("/openapi.yaml").body();
        Matcher paths = Pattern.compile("(?m)^  (/[^:]+):\\n((?:    .*\\n|\\n)*)").matcher(openApi);
        // HTTP/1.1 as browsers speak it to a plain-HTTP server: the JDK client's cleartext HTTP/2 upgrade (h2c), tried
        // on request after request with bodies and without, once read an HTTP/1.1 answer as HTTP/2 frames here.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int checked = 0;
        while (paths.find()) {
            String path = paths.group(1).replaceAll("\\{month}", "2026-01").replaceAll("\\{program}", "rpm")
                    .replaceAll("\\{deviceId}", "cuff-1").replaceAll("\\{[A-Za-z]+}", UUID.randomUUID().toString());
            for (String method : methods(paths.group(2))) {
                if (path.equals("/auth/login") || path.equals("/setup")) {
                    continue; // sign-in and the first-run setup come before anyone has a session (FirstRunSetupTest)
                }
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1" + path))
                        .timeout(Duration.ofSeconds(10));
                request.method(method.toUpperCase(), method.equals("get") ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}"));
                HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
                assertThat(response.statusCode()).as(method + " " + path).isEqualTo(401);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(50);
    }

    private static List<String> methods(String block) {
        return Pattern.compile("(?m)^    (get|post|put|delete|patch):").matcher(block).results().map(m -> m.group(1)).toList();
    }

    /** The data lines of a server-sent-events stream, read on a thread of their own. */
    private static final class EventLines implements AutoCloseable {
        final HttpResponse<InputStream> response;
        final LinkedBlockingQueue<String> data = new LinkedBlockingQueue<>();
        private final Thread reader;

        private EventLines(HttpResponse<InputStream> response) {
            this.response = response;
            this.reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                    String line;
                    boolean queueEvent = false;
                    while ((line = lines.readLine()) != null) {
                        if (line.equals("event: queue")) {
                            queueEvent = true;
                        } else if (queueEvent && line.startsWith("data: ")) {
                            data.add(line.substring(6));
                            queueEvent = false;
                        }
                    }
                } catch (Exception ignored) {
                    // closed by the test
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        static EventLines open(int port, String token) throws Exception {
            HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/v1/alerts/stream")).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            return new EventLines(response);
        }

        String nextEvent() throws InterruptedException {
            String event = data.poll(10, TimeUnit.SECONDS);
            assertThat(event).as("an event within 10 s").isNotNull();
            return event;
        }

        @Override
        public void close() throws Exception {
            response.body().close();
        }
    }

    private static ApiClient signIn(String practiceId, String role) throws Exception {
        return practices.signedIn(practiceId, role, "Test " + role, null);
    }

    private static String device(ApiClient nurse, String patient, Instant from) throws Exception {
        String id = "dev-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(nurse.post("/api/v1/devices", new JsonObject().put("deviceId", id).put("practiceId", practice).put("kind", "blood_pressure_cuff"))
                .status()).isEqualTo(201);
        if (patient != null) {
            assertThat(nurse.post("/api/v1/devices/" + id + "/assignments", new JsonObject().put("patientId", patient).put("validFrom", from.toString()))
                    .status()).isEqualTo(201);
        }
        return id;
    }

    private static JsonObject item(JsonArray items, String deviceId) {
        return items.stream().map(JsonObject.class::cast).filter(o -> o.getString("deviceId").equals(deviceId)).findFirst().orElseThrow();
    }
}
