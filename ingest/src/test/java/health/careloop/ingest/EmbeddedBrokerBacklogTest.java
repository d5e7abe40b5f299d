package health.careloop.ingest;

import health.careloop.common.directory.Patient;
import health.careloop.embedded.EmbeddedBroker;
import health.careloop.ingest.devices.DeviceKind;
import health.careloop.testing.TestDevice;
import health.careloop.ingest.metrics.IngestMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded broker keeps a backlog larger than HiveMQ's default queue of 1,000 (which would acknowledge the
 * device and then discard the rest) while ingest is away, and ingest drains all of it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EmbeddedBrokerBacklogTest {

    @Test
    void aBacklogBeyondHiveMqsDefaultQueueIsKeptAndDrained() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(Files.createTempDirectory("hivemq"), 0, false);
             IngestHarness ingest = IngestHarness.onFreshDatabase()) {
            Patient patient = ingest.patient(ingest.practice("UTC"));
            String scale = ingest.device(patient, DeviceKind.SCALE);
            ingest.startConsumer(broker.config());
            ingest.stopConsumer();
            Instant t = Instant.now().minus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS);
            int total = 2500;
            try (TestDevice device = new TestDevice(broker.config().url())) {
                for (int i = 0; i < total; i++) {
                    device.publish(scale, "{\"type\":\"body_weight\",\"measuredAt\":\"" + t.plusSeconds(i * 60L).atOffset(ZoneOffset.UTC)
                            + "\",\"weight\":" + (70 + i % 20) + ",\"unit\":\"kg\"}");
                }
            }
            assertThat(broker.droppedMessages()).isZero();
            ingest.startConsumer(broker.config());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> ingest.count("SELECT count(*) FROM ingest.reading WHERE device_id = '" + scale + "'") == total);
            assertThat(broker.droppedMessages()).isZero();
            // HiveMQ CE's own window of 50 unacknowledged messages would cap every batch at 50 (issue 19).
            assertThat(ingest.meters.find(IngestMetrics.BATCH_SIZE).summary().max())
                    .as("the broker lends ingest more than HiveMQ's default window, so a backlog goes in larger batches").isGreaterThan(50);
        }
    }
}
