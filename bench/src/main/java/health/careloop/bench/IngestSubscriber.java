package health.careloop.bench;

import health.careloop.common.config.MqttConfig;
import health.careloop.ingest.IngestTier;
import health.careloop.ingest.metrics.IngestMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * CareLoop's real ingest, deployed as the launcher deploys it ({@link IngestTier#consumer} in a Vertx), with every
 * reading committed to PostgreSQL before its acknowledgement. Consumed = new readings committed (stored or
 * dead-lettered; redelivered duplicates are counted apart), read from ingest's own meters.
 */
final class IngestSubscriber implements Subscriber {
    private final IngestTier tier;
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private Vertx vertx;

    IngestSubscriber(IngestTier tier) {
        this.tier = tier;
        meters.config().meterFilter(EXACT_DELAYS);
    }

    /**
     * Percentiles of ingest's own delays computed in the JVM to 3 significant digits over the whole phase (Prometheus
     * gets buckets instead), so the benchmark can report them beside its NOTIFY-based measure.
     */
    private static final MeterFilter EXACT_DELAYS = new MeterFilter() {
        @Override
        public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
            if (!id.getName().equals(IngestMetrics.VISIBLE) && !id.getName().equals(IngestMetrics.BATCH_WAIT)) {
                return config;
            }
            return DistributionStatisticConfig.builder().percentiles(0.5, 0.99).percentilePrecision(3)
                    .expiry(Duration.ofDays(1)).bufferLength(1).build().merge(config);
        }
    };

    /** Publish → committed of every live reading as ingest measures it: measured_at to the return of its batch's COMMIT. */
    Percentiles visible() {
        return percentiles(IngestMetrics.VISIBLE);
    }

    /** How long each batch's oldest message waited in ingest for the previous write to finish. */
    Percentiles batchWait() {
        return percentiles(IngestMetrics.BATCH_WAIT);
    }

    private Percentiles percentiles(String timerName) {
        Timer timer = meters.find(timerName).timer();
        if (timer == null || timer.count() == 0) {
            return Percentiles.of(new double[0]);
        }
        HistogramSnapshot snapshot = timer.takeSnapshot();
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        for (ValueAtPercentile v : snapshot.percentileValues()) {
            if (v.percentile() == 0.5) {
                p50 = v.value(TimeUnit.MILLISECONDS);
            } else if (v.percentile() == 0.99) {
                p99 = v.value(TimeUnit.MILLISECONDS);
            }
        }
        return new Percentiles((int) snapshot.count(), p50, p99, snapshot.max(TimeUnit.MILLISECONDS));
    }

    @Override
    public void start(MqttConfig broker) throws InterruptedException {
        vertx = Vertx.vertx();
        IngestTier.Consumer consumer = tier.consumer(broker, meters, Clock.systemUTC());
        vertx.deployVerticle(consumer).await();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!consumer.isReady()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("ingest did not connect to " + broker.url() + " within 10 s");
            }
            Thread.sleep(5);
        }
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().await();
            vertx = null;
        }
    }

    @Override
    public long consumed() {
        return (long) (sum(IngestMetrics.STORED) + sum(IngestMetrics.REJECTED));
    }

    /** Times ingest held its in-flight bound and stopped reading from the broker until it was down to half. */
    long pauses() {
        return (long) sum(IngestMetrics.PAUSES);
    }

    @Override
    public String diagnostics() {
        var inFlight = meters.find(IngestMetrics.IN_FLIGHT).gauge();
        var write = meters.find(IngestMetrics.COMMIT).timer();
        return String.format("in flight %.0f, reading paused %d times, duplicates %d, batches %d (mean %.0f), batch write (statements and commit) "
                        + "mean %.1f ms, max %.0f ms",
                inFlight == null ? 0 : inFlight.value(), pauses(), duplicates(),
                meters.find(IngestMetrics.BATCH_SIZE).summary() == null ? 0 : meters.find(IngestMetrics.BATCH_SIZE).summary().count(), meanBatch(),
                write == null ? 0 : write.mean(java.util.concurrent.TimeUnit.MILLISECONDS), write == null ? 0 : write.max(java.util.concurrent.TimeUnit.MILLISECONDS));
    }

    long duplicates() {
        return (long) sum(IngestMetrics.DUPLICATE);
    }

    long rejected() {
        return (long) sum(IngestMetrics.REJECTED);
    }

    /** Mean readings per committed batch. */
    double meanBatch() {
        var summary = meters.find(IngestMetrics.BATCH_SIZE).summary();
        return summary == null ? 0 : summary.mean();
    }

    private double sum(String name) {
        return Search.in(meters).name(name).counters().stream().mapToDouble(Counter::count).sum();
    }
}
