package health.careloop.ingest.metrics;

import health.careloop.ingest.payload.RejectReason;
import health.careloop.ingest.storage.WriteOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The ingest tier's meters in Micrometer. Tags have bounded cardinality: a reject reason or an outcome, never a device
 * or patient.
 */
public final class IngestMetrics implements IngestMeters {
    public static final String RECEIVED = "careloop.ingest.readings.received";
    public static final String STORED = "careloop.ingest.readings.stored";
    public static final String DUPLICATE = "careloop.ingest.readings.duplicate";
    public static final String REJECTED = "careloop.ingest.readings.rejected";
    public static final String MESSAGES = "careloop.ingest.messages.received";
    public static final String BATCH_SIZE = "careloop.ingest.batch.size";
    public static final String COMMIT = "careloop.ingest.batch.commit";
    public static final String LAG = "careloop.ingest.lag";
    public static final String VISIBLE = "careloop.ingest.visible.lag";
    public static final String BATCH_WAIT = "careloop.ingest.batch.wait";
    public static final String LATE = "careloop.ingest.readings.late";
    public static final String IN_FLIGHT = "careloop.ingest.in.flight";
    public static final String OUTAGES = "careloop.ingest.database.outages";
    public static final String PAUSES = "careloop.ingest.backpressure.pauses";
    public static final String BROKER_CONNECTED = "careloop.ingest.broker.connected";
    public static final String CANARY_AGE = "careloop.ingest.canary.age";
    public static final String RECEIVING = "careloop.ingest.receiving";
    public static final String DEAF_RECONNECTS = "careloop.ingest.deaf.reconnects";

    /** Readings measured longer ago than this are backfill, not live data, and stay out of the lag distribution. */
    public static final Duration LIVE_HORIZON = Duration.ofMinutes(15);

    private final Counter received;
    private final Counter stored;
    private final Counter duplicate;
    private final Counter messages;
    private final Counter late;
    private final Counter outages;
    private final Counter pauses;
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
    private final DistributionSummary batchSize;
    private final Timer commit;
    private final Timer lag;
    private final Timer visible;
    private final Timer batchWait;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final MeterRegistry registry;
    private final Counter deafReconnects;

    public IngestMetrics(MeterRegistry registry, BooleanSupplier brokerConnected) {
        this.registry = registry;
        received = Counter.builder(RECEIVED).description("Readings (or unreadable messages) taken from the broker").register(registry);
        stored = Counter.builder(STORED).description("Readings committed for the first time").register(registry);
        duplicate = Counter.builder(DUPLICATE).description("Readings already stored (redelivery or re-send)").register(registry);
        messages = Counter.builder(MESSAGES).description("MQTT messages taken from the broker").register(registry);
        late = Counter.builder(LATE).description("Stored readings measured more than 15 minutes before receipt").register(registry);
        outages = Counter.builder(OUTAGES).description("Times ingest stopped consuming because PostgreSQL was unreachable").register(registry);
        pauses = Counter.builder(PAUSES).description("Times ingest stopped reading from the broker because it held its in-flight bound of unacknowledged messages").register(registry);
        for (RejectReason reason : RejectReason.values()) {
            rejected.put(reason, Counter.builder(REJECTED).tag("reason", reason.code())
                    .description("Readings or messages sent to the dead letters").register(registry));
        }
        batchSize = DistributionSummary.builder(BATCH_SIZE).description("Readings and dead letters per committed batch")
                .publishPercentileHistogram().register(registry);
        commit = Timer.builder(COMMIT).description("Time to write and commit one batch").publishPercentileHistogram().register(registry);
        lag = Timer.builder(LAG).description("received_at - measured_at of live readings").publishPercentileHistogram()
                .maximumExpectedValue(LIVE_HORIZON).register(registry);
        visible = Timer.builder(VISIBLE).description("committed - measured_at of live readings: how late the care team can first see a reading")
                .publishPercentileHistogram().maximumExpectedValue(LIVE_HORIZON).register(registry);
        batchWait = Timer.builder(BATCH_WAIT).description("Time a batch's oldest message waited in ingest for its write to begin")
                .publishPercentileHistogram().register(registry);
        Gauge.builder(IN_FLIGHT, inFlight, AtomicInteger::get).description("Messages received but not yet acknowledged").register(registry);
        Gauge.builder(BROKER_CONNECTED, () -> brokerConnected.getAsBoolean() ? 1 : 0).register(registry);
        deafReconnects = Counter.builder(DEAF_RECONNECTS)
                .description("Times ingest reconnected because the broker stopped delivering to it").register(registry);
    }

    @Override
    public void canary(Supplier<Duration> oldestUnreceived, BooleanSupplier receiving) {
        Gauge.builder(CANARY_AGE, () -> oldestUnreceived.get().toMillis() / 1000.0).baseUnit("seconds")
                .description("Age of the oldest liveness canary the broker accepted and no ingest process has received yet; "
                        + "alert when it exceeds a minute").register(registry);
        Gauge.builder(RECEIVING, () -> receiving.getAsBoolean() ? 1 : 0)
                .description("0 when the broker accepts readings that this ingest process does not receive").register(registry);
    }

    @Override
    public void deafReconnect() {
        deafReconnects.increment();
    }

    @Override
    public void messageReceived(int readings) {
        messages.increment();
        received.increment(readings);
    }

    @Override
    public void lag(Duration measuredToReceived) {
        if (measuredToReceived.compareTo(LIVE_HORIZON) <= 0) {
            lag.record(measuredToReceived.isNegative() ? Duration.ZERO : measuredToReceived);
        } else {
            late.increment();
        }
    }

    @Override
    public void committed(WriteOutcome outcome, int batchReadings, Duration took) {
        stored.increment(outcome.stored());
        duplicate.increment(outcome.duplicates());
        outcome.rejected().forEach((reason, count) -> rejected.get(reason).increment(count));
        batchSize.record(batchReadings);
        commit.record(took);
    }

    @Override
    public void waited(Duration receivedToWrite) {
        batchWait.record(receivedToWrite);
    }

    @Override
    public void visible(Duration measuredToCommitted) {
        // Backfill (a device's stored-and-forwarded readings) would swamp the live distribution, as in lag().
        if (measuredToCommitted.compareTo(LIVE_HORIZON) <= 0) {
            visible.record(measuredToCommitted.isNegative() ? Duration.ZERO : measuredToCommitted);
        }
    }

    @Override
    public void inFlight(int count) {
        inFlight.set(count);
    }

    @Override
    public void databaseOutage() {
        outages.increment();
    }

    @Override
    public void readingPaused() {
        pauses.increment();
    }
}
