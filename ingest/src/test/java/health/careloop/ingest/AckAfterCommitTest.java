package health.careloop.ingest;

import health.careloop.common.directory.Patient;
import health.careloop.embedded.EmbeddedBroker;
import health.careloop.embedded.EmbeddedDatabase;
import health.careloop.ingest.devices.DeviceKind;
import health.careloop.ingest.metrics.IngestMetrics;
import health.careloop.testing.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Invariant 1: a delivered reading is acknowledged only after it is committed. These tests hold or break the database
 * underneath a running ingest and show that nothing the broker accepted is lost, and nothing is stored twice.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AckAfterCommitTest {

    private static String reading(Instant at, int systolic) {
        return "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + at.truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC)
                + "\",\"systolic\":" + systolic + ",\"diastolic\":80}";
    }

    @Test
    void aMessageWhoseBatchHasNotCommittedIsNotAcknowledgedAndComesBackAfterARestart() throws Exception {
        Path brokerDir = Files.createTempDirectory("hivemq");
        try (EmbeddedBroker broker = EmbeddedBroker.start(brokerDir, 0, false);
             IngestHarness ingest = IngestHarness.onFreshDatabase();
             TestDevice device = new TestDevice(broker.config().url())) {
            Patient patient = ingest.patient(ingest.practice("UTC"));
            String cuff = ingest.device(patient, DeviceKind.BLOOD_PRESSURE_CUFF);
            ingest.startConsumer(broker.config());
            try (Connection blocker = ingest.database.connection(); Statement s = blocker.createStatement()) {
                // Hold the write open: ingest receives messages (HiveMQ sends a shared subscriber one at a time) but cannot commit.
                blocker.setAutoCommit(false);
                s.execute("LOCK TABLE ingest.reading IN ACCESS EXCLUSIVE MODE");
                Instant t = Instant.now().minusSeconds(30);
                for (int i = 0; i < 10; i++) {
                    device.publish(cuff, reading(t.plusSeconds(i), 120 + i));
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> ingest.counter(IngestMetrics.MESSAGES) >= 1);
                Thread.sleep(300);
                assertThat(ingest.counter(IngestMetrics.STORED)).isZero();
                // Ingest dies while its batch waits: nothing was acknowledged, so the broker still has all ten.
                ingest.stopConsumer();
                blocker.rollback();
            }
            ingest.startConsumer(broker.config());
            ingest.awaitCount("SELECT count(*) FROM ingest.reading WHERE device_id = '" + cuff + "'", 10);
            assertThat(ingest.count("SELECT count(DISTINCT systolic) FROM ingest.reading WHERE device_id = '" + cuff + "'")).isEqualTo(10);
        }
    }

    @Test
    void postgresStoppedMidStreamAndRestartedLosesNothing() throws Exception {
        Path pgDir = Files.createTempDirectory("careloop-pg");
        EmbeddedDatabase postgres = EmbeddedDatabase.start(pgDir, 0);
        int port = postgres.port();
        try (EmbeddedBroker broker = EmbeddedBroker.start(Files.createTempDirectory("hivemq"), 0, false);
             TestDevice device = new TestDevice(broker.config().url());
             IngestHarness ingest = new IngestHarness(postgres.config(4), false, Map.of("CARELOOP_INGEST_BATCH_SIZE", "50",
                     "CARELOOP_INGEST_MAX_IN_FLIGHT", "100"))) {
            Patient patient = ingest.patient(ingest.practice("UTC"));
            String cuff = ingest.device(patient, DeviceKind.BLOOD_PRESSURE_CUFF);
            ingest.startConsumer(broker.config());
            Instant t = Instant.now().minus(Duration.ofDays(2));
            int total = 600;
            long stoppedAt = 0;
            for (int i = 0; i < total; i++) {
                device.publish(cuff, reading(t.plusSeconds(i), 100 + i % 150));
                if (i == 200) {
                    postgres.close();
                    stoppedAt = System.nanoTime();
                }
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> ingest.counter(IngestMetrics.OUTAGES) >= 1);
            // Down for 30 s while the broker holds the rest: ingest's memory stays bounded (what it holds unacknowledged
            // never exceeds its in-flight cap; it disconnects and lets the broker keep the backlog).
            double mostInFlight = 0;
            while (System.nanoTime() - stoppedAt < Duration.ofSeconds(30).toNanos()) {
                mostInFlight = Math.max(mostInFlight, ingest.gauge(IngestMetrics.IN_FLIGHT));
                Thread.sleep(100);
            }
            assertThat(mostInFlight).as("messages held unacknowledged during the outage (cap 100)").isLessThanOrEqualTo(100);
            postgres = EmbeddedDatabase.start(pgDir, port);
            ingest.awaitCount("SELECT count(*) FROM ingest.reading WHERE device_id = '" + cuff + "'", total);
            assertThat(ingest.count("SELECT count(*) FROM ingest.dead_letter")).isZero();
            assertThat(ingest.count("SELECT sum(reading_count) FROM ingest.reading_day")).isEqualTo(total);
        } finally {
            postgres.close();
        }
    }

    @Test
    void brokerRestartedMidStreamWithPersistentSessionsLosesNothing() throws Exception {
        Path brokerDir = Files.createTempDirectory("hivemq");
        EmbeddedBroker broker = EmbeddedBroker.start(brokerDir, 0, true);
        int port = broker.port();
        try (IngestHarness ingest = IngestHarness.onFreshDatabase()) {
            Patient patient = ingest.patient(ingest.practice("UTC"));
            String cuff = ingest.device(patient, DeviceKind.BLOOD_PRESSURE_CUFF);
            ingest.startConsumer(broker.config());
            Instant t = Instant.now().minus(Duration.ofDays(1));
            try (TestDevice device = new TestDevice(broker.config().url())) {
                for (int i = 0; i < 300; i++) {
                    device.publish(cuff, reading(t.plusSeconds(i), 110 + i % 100));
                }
            }
            broker.close();
            broker = EmbeddedBroker.start(brokerDir, port, true);
            try (TestDevice device = new TestDevice(broker.config().url())) {
                for (int i = 300; i < 600; i++) {
                    device.publish(cuff, reading(t.plusSeconds(i), 110 + i % 100));
                }
            }
            ingest.awaitCount("SELECT count(*) FROM ingest.reading WHERE device_id = '" + cuff + "'", 600);
        } finally {
            broker.close();
        }
    }
}
