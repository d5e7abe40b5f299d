package health.careloop.ingest.metrics;

import health.careloop.ingest.storage.WriteOutcome;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What ingest measures, behind an interface so the pipeline's unit tests need no registry ({@link #NONE}).
 * {@link IngestMetrics} is the Micrometer implementation; meter names are constants there.
 */
public interface IngestMeters {
    void messageReceived(int readings);

    /** received_at - measured_at of one reading. */
    void lag(Duration measuredToReceived);

    void committed(WriteOutcome outcome, int batchReadings, Duration took);

    /** How long a batch's oldest message waited in ingest for its write to begin (the previous write was still open). */
    void waited(Duration receivedToWrite);

    /**
     * committed - measured_at of one reading, recorded when its batch's COMMIT has returned: how late the care team can
     * first see it. For a connected device measured_at is the moment it published, so this is publish → committed.
     */
    void visible(Duration measuredToCommitted);

    void inFlight(int count);

    void databaseOutage();

    void readingPaused();

    /** The broker canary's state, read when scraped: age of the oldest canary not received, and whether ingest hears. */
    void canary(Supplier<Duration> oldestUnreceived, BooleanSupplier receiving);

    void deafReconnect();

    IngestMeters NONE = new Ignoring();

    /** Records nothing; extend it to keep only the meters a test looks at. */
    class Ignoring implements IngestMeters {
        @Override
        public void messageReceived(int readings) {
        }

        @Override
        public void lag(Duration measuredToReceived) {
        }

        @Override
        public void committed(WriteOutcome outcome, int batchReadings, Duration took) {
        }

        @Override
        public void waited(Duration receivedToWrite) {
        }

        @Override
        public void visible(Duration measuredToCommitted) {
        }

        @Override
        public void inFlight(int count) {
        }

        @Override
        public void databaseOutage() {
        }

        @Override
        public void readingPaused() {
        }

        @Override
        public void canary(Supplier<Duration> oldestUnreceived, BooleanSupplier receiving) {
        }

        @Override
        public void deafReconnect() {
        }
    }
}
