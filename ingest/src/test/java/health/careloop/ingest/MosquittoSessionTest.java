package health.careloop.ingest;

import health.careloop.common.config.MqttConfig;
import health.careloop.common.directory.Patient;
import health.careloop.ingest.devices.DeviceKind;
import health.careloop.ingest.metrics.IngestMetrics;
import health.careloop.testing.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

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
    void withTheDatabaseStalledIngestStopsReadingAtItsInFlightBoundAndNeedsNoRedelivery() throws Exception {
        try (IngestHarness ingest = new IngestHarness(health.careloop.testing.TestDatabases.fresh(), true,
                java.util.Map.of("CARELOOP_INGEST_MAX_IN_FLIGHT", "10"))) {
            Patient patient = ingest.patient(ingest.practice("UTC"));
            String cuff = ingest.device(patient, DeviceKind.BLOOD_PRESSURE_CUFF);
            try {
                ingest.startConsumer(MOSQUITTO);
                Instant t = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
                try (var blocker = ingest.database.connection(); var s = blocker.createStatement();
                     TestDevice device = new TestDevice(MOSQUITTO.url())) {
                    blocker.setAutoCommit(false);
                    s.execute("LOCK TABLE ingest.reading IN ACCESS EXCLUSIVE MODE");
                    for (int i = 0; i < 200; i++) {
                        device.publish(cuff, "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + t.plusSeconds(i).atOffset(ZoneOffset.UTC)
                                + "\",\"systolic\":" + (100 + i % 80) + ",\"diastolic\":70}");
                    }
                    // Mosquitto sends up to 20 unacknowledged messages; at 10 ingest stops reading its socket.
                    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                            .until(() -> ingest.counter(IngestMetrics.PAUSES) >= 1);
                    var inFlight = ingest.meters.find(IngestMetrics.IN_FLIGHT).gauge();
                    Thread.sleep(500); // what Mosquitto sent past the bound must stay unread, not pile up in our heap
                    assertThat(inFlight.value()).isEqualTo(10);
                    blocker.rollback();
                }
                ingest.awaitCount("SELECT count(*) FROM ingest.reading WHERE device_id = '" + cuff + "'", 200);
                // Nothing was left for the broker to resend, so nothing came twice.
                assertThat(ingest.counter(IngestMetrics.DUPLICATE)).isZero();
                assertThat(ingest.counter(IngestMetrics.PAUSES)).isGreaterThanOrEqualTo(1);
            } finally {
                ingest.stopConsumer();
                TestDevice.purgeSession(MOSQUITTO.url(), ingest.config.clientId());
            }
        }
    }

    @Test
    void aBacklogQueuedWhileIngestWasDownIsDrainedOnceItReturns() throws Exception {
        // Batches of at most 5 readings, while Mosquitto's window (20) lets more gather during each write. The batch
        // grows with a backlog (BatchSizer) only up to CARELOOP_INGEST_MAX_BATCH_SIZE, so both caps are 5 here.
        try (IngestHarness ingest = new IngestHarness(health.careloop.testing.TestDatabases.fresh(), true,
                java.util.Map.of("CARELOOP_INGEST_BATCH_SIZE", "5", "CARELOOP_INGEST_MAX_BATCH_SIZE", "5"))) {
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
                var batches = ingest.meters.find(IngestMetrics.BATCH_SIZE).summary();
                org.assertj.core.api.Assertions.assertThat(batches.max()).isLessThanOrEqualTo(5);
                org.assertj.core.api.Assertions.assertThat(batches.count()).isGreaterThanOrEqualTo(180);
            } finally {
                ingest.stopConsumer();
                TestDevice.purgeSession(MOSQUITTO.url(), ingest.config.clientId());
            }
        }
    }

}
