package health.careloop.ingest;

import health.careloop.common.config.MqttConfig;
import health.careloop.common.directory.Patient;
import health.careloop.ingest.devices.DeviceKind;
import health.careloop.testing.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

/**
 * Against the machine's Mosquitto (2.0.11 here): a backlog queued in ingest's persistent session while ingest is down
 * is drained after it comes back, each reading stored once. The backlog stays under Mosquitto's default
 * max_queued_messages (1000) and far under the 65,535 where 2.0.11's session bug starts (DEPENDENCIES.md);
 * deployments raise the queue limit and pin 2.0.13+.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MosquittoSessionTest {
    static final MqttConfig MOSQUITTO = MqttConfig.fromUrl("tcp://127.0.0.1:1883", null, null);

    @Test
    void aBacklogQueuedWhileIngestWasDownIsDrainedOnceItReturns() throws Exception {
        try (IngestHarness ingest = IngestHarness.onFreshDatabase()) {
            Patient patient = ingest.patient(ingest.practice("America/New_York"));
            String oximeter = ingest.device(patient, DeviceKind.PULSE_OXIMETER);
            try {
                ingest.startConsumer(MOSQUITTO);  // creates the persistent session and its shared subscription
                ingest.stopConsumer();
                Instant t = Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
                try (TestDevice device = new TestDevice(MOSQUITTO.url())) {
                    for (int i = 0; i < 900; i++) {
                        device.publish(oximeter, "{\"type\":\"oxygen_saturation\",\"measuredAt\":\"" + t.plusSeconds(i).atOffset(ZoneOffset.UTC)
                                + "\",\"spo2\":" + (90 + i % 10) + "}");
                    }
                }
                ingest.startConsumer(MOSQUITTO);
                ingest.awaitCount("SELECT count(*) FROM ingest.reading WHERE device_id = '" + oximeter + "'", 900);
            } finally {
                ingest.stopConsumer();
                TestDevice.purgeSession(MOSQUITTO.url(), ingest.config.clientId());
            }
        }
    }

}
