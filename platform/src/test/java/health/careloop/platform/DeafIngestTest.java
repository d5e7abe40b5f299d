package health.careloop.platform;

import health.careloop.embedded.EmbeddedBroker;
import health.careloop.testing.MqttDeliveryBlackhole;
import health.careloop.testing.TestDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A broker that accepts readings (PUBACK to the device) but stops delivering them to ingest, while the connection
 * itself stays alive: the silent stall the outside review found after a crash-restart (issue 14), provoked here with
 * a proxy that drops the broker's deliveries. Ingest's canary notices: /ready turns red with the reason, the canary
 * age metric rises and the receiving gauge drops to 0, ingest reconnects; once the broker delivers again, the reading
 * that waited is stored and /ready is green.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeafIngestTest {
    private static final String DEVICE = "cuff-deaf-1";
    private static final Pattern CANARY_AGE = Pattern.compile("(?m)^careloop_ingest_canary_age_seconds(?:\\{[^}]*})? ([0-9.Ee+-]+)$");
    private static final Pattern RECEIVING = Pattern.compile("(?m)^careloop_ingest_receiving(?:\\{[^}]*})? ([0-9.Ee+-]+)$");

    @TempDir
    Path dir;
    private EmbeddedBroker broker;
    private MqttDeliveryBlackhole proxy;
    private Platform platform;
    private ApiClient api;
    private String patientId;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedBroker.start(dir.resolve("broker"), 0, true);
        proxy = MqttDeliveryBlackhole.start(broker.port());
        platform = EmbeddedPlatforms.start(Map.of(
                "CARELOOP_MQTT_URL", "tcp://127.0.0.1:" + proxy.port(),
                "CARELOOP_INGEST_CLIENT_ID", "careloop-ingest-deaf-test",
                "CARELOOP_INGEST_CANARY_INTERVAL_MS", "200"));
        api = new ApiClient(platform.httpPort(), platform.apiToken());
        String practice = api.id(api.post("/api/v1/practices", "{\"name\":\"Deaf\",\"timeZone\":\"UTC\"}"));
        patientId = api.id(api.post("/api/v1/patients", "{\"practiceId\":\"" + practice + "\",\"externalRef\":\"MRN-DEAF\"}"));
        assertThat(api.post("/api/v1/devices", "{\"deviceId\":\"" + DEVICE + "\",\"practiceId\":\"" + practice
                + "\",\"kind\":\"blood_pressure_cuff\"}").status()).isEqualTo(201);
        assertThat(api.post("/api/v1/devices/" + DEVICE + "/assignments", "{\"patientId\":\"" + patientId
                + "\",\"validFrom\":\"2020-01-01T00:00:00Z\"}").status()).isEqualTo(201);
    }

    @AfterEach
    void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
        proxy.close();
        broker.close();
    }

    @Test
    void aBrokerThatAcceptsButDoesNotDeliverTurnsReadyRedUntilItDeliversAgain() throws Exception {
        publish(121);
        await().atMost(Duration.ofSeconds(10)).until(() -> readings() == 1);
        assertThat(api.get("/ready").status()).isEqualTo(200);
        assertThat(metric(RECEIVING)).isEqualTo(1.0);

        proxy.dropDeliveries(true);
        publish(182); // the broker acknowledges it to the device
        // Red with the reason (between reconnect attempts it may briefly say it is not connected instead).
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> {
            var ready = api.get("/ready");
            return ready.status() == 503 && ready.json().getString("reason", "").contains("does not receive");
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> metric(RECEIVING) == 0.0);
        assertThat(metric(CANARY_AGE)).isGreaterThan(1.0);
        assertThat(metric(Pattern.compile("(?m)^careloop_ingest_deaf_reconnects_total(?:\\{[^}]*})? ([0-9.Ee+-]+)$")))
                .as("ingest tried a new connection").isGreaterThanOrEqualTo(1.0);
        assertThat(readings()).isEqualTo(1);
        assertThat(proxy.droppedDeliveries()).isPositive();

        proxy.dropDeliveries(false);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> api.get("/ready").status() == 200 && readings() == 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> metric(CANARY_AGE) < 1.0 && metric(RECEIVING) == 1.0);
    }

    private void publish(int systolic) throws Exception {
        try (TestDevice device = new TestDevice(broker.config().url())) {
            device.publish(DEVICE, "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + Instant.now().truncatedTo(ChronoUnit.MILLIS)
                    + "\",\"systolic\":" + systolic + ",\"diastolic\":80}");
        }
    }

    private int readings() throws Exception {
        return api.get("/api/v1/patients/" + patientId + "/readings").json().getJsonArray("items").size();
    }

    private double metric(Pattern pattern) throws Exception {
        String text = new ApiClient(platform.metricsPort(), null).getWithoutToken("/metrics").body();
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as("metric %s in /metrics", pattern).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
