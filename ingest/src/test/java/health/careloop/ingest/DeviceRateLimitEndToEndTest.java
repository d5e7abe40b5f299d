package health.careloop.ingest;

import health.careloop.common.directory.Patient;
import health.careloop.common.directory.Practice;
import health.careloop.embedded.EmbeddedBroker;
import health.careloop.ingest.devices.DeviceKind;
import health.careloop.ingest.metrics.IngestMetrics;
import health.careloop.testing.TestDatabases;
import health.careloop.testing.TestDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A device over its rate: the excess goes to the dead letters as rate_limited and is counted; the rest is stored. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeviceRateLimitEndToEndTest {
    static EmbeddedBroker broker;
    static IngestHarness ingest;
    static TestDevice publisher;
    static Practice practice;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedBroker.start(Files.createTempDirectory("hivemq"), 0, false);
        // One reading a minute with a burst of 5: nothing refills during the test.
        ingest = new IngestHarness(TestDatabases.fresh(), true, Map.of(
                "CARELOOP_INGEST_DEVICE_RATE_PER_MINUTE", "1", "CARELOOP_INGEST_DEVICE_BURST", "5"));
        ingest.startConsumer(broker.config());
        publisher = new TestDevice(broker.config().url());
        practice = ingest.practice("America/Chicago");
    }

    @AfterAll
    static void stop() throws Exception {
        publisher.close();
        ingest.close();
        broker.close();
    }

    private static String bp(Instant at, int systolic) {
        return "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + at.truncatedTo(ChronoUnit.SECONDS) + "\",\"systolic\":" + systolic + ",\"diastolic\":80}";
    }

    @Test
    void readingsBeyondTheDeviceBurstAreDeadLetteredAsRateLimitedAndNeverLost() throws Exception {
        Patient patient = ingest.patient(practice);
        String flooding = ingest.device(patient, DeviceKind.BLOOD_PRESSURE_CUFF);
        String quiet = ingest.device(patient, DeviceKind.BLOOD_PRESSURE_CUFF);
        Instant t = Instant.now().minusSeconds(3600);
        for (int i = 0; i < 5; i++) {
            publisher.publish(flooding, bp(t.plusSeconds(i), 120 + i));
        }
        // Over the burst: two valid readings refused for the rate, the invalid one for what it is.
        publisher.publish(flooding, "[" + bp(t.plusSeconds(10), 130) + ",{\"type\":\"blood_pressure\",\"measuredAt\":\""
                + t.truncatedTo(ChronoUnit.SECONDS) + "\"}," + bp(t.plusSeconds(11), 131) + "]");
        publisher.publish(flooding, bp(t.plusSeconds(12), 132));
        for (int i = 0; i < 3; i++) {
            publisher.publish(quiet, bp(t.plusSeconds(i), 110 + i));
        }

        ingest.awaitCount("SELECT count(*) FROM ingest.dead_letter WHERE device_id = '" + flooding + "'", 4);
        ingest.awaitCount("SELECT count(*) FROM ingest.reading WHERE device_id = '" + quiet + "'", 3);
        assertThat(ingest.count("SELECT count(*) FROM ingest.reading WHERE device_id = '" + flooding + "'")).isEqualTo(5);
        assertThat(ingest.count("SELECT count(*) FROM ingest.dead_letter WHERE device_id = '" + flooding + "' AND reason = 'rate_limited'"
                + " AND detail LIKE '%1 readings a minute (burst 5)%'")).isEqualTo(3);
        assertThat(ingest.count("SELECT count(*) FROM ingest.dead_letter WHERE device_id = '" + flooding + "' AND reason = 'missing_field'"))
                .isEqualTo(1);
        // Every refused reading is kept whole, so it can be replayed: its own element, or the whole single-reading message.
        assertThat(ingest.count("SELECT count(*) FROM ingest.dead_letter WHERE device_id = '" + flooding + "' AND reason = 'rate_limited'"
                + " AND convert_from(payload, 'UTF8')::jsonb ->> 'systolic' IN ('130', '131', '132')")).isEqualTo(3);
        assertThat(ingest.counter(IngestMetrics.REJECTED, "reason", "rate_limited")).isEqualTo(3);
        assertThat(ingest.count("SELECT count(*) FROM ingest.dead_letter WHERE device_id = '" + quiet + "'")).isZero();
    }
}
