package health.careloop.bench;

import health.careloop.common.config.MqttConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs one benchmark phase on a fresh private Mosquitto: live (the publisher sends for a while at a rate, the
 * subscriber keeps up or falls behind) or drain (a backlog is queued in the subscriber's persistent session while it is
 * offline, then drained). Every phase stops by itself: the publisher has a duration or a count, and waiting for the
 * subscriber has a limit.
 */
final class Phases {
    /**
     * A live phase whose subscriber falls this far behind stops publishing: Mosquitto 2.0.11 corrupts sessions that
     * queue more than 65,535 messages (DEPENDENCIES.md), and here a subscriber about 55,000 behind stopped receiving
     * altogether, so the guard keeps well clear.
     */
    static final long BACKLOG_LIMIT = 20_000;
    /** After the publisher has finished, a subscriber that takes nothing for this long is given up on. */
    static final long STALL_MILLIS = 10_000;
    static final int CONNECTIONS = 4;

    record Result(String name, PublisherProcess.Result publisher, long consumed, double seconds, long selfCpuNanos,
                  long brokerCpuNanos, long databaseCpuNanos, boolean stoppedEarly, boolean complete) {
        double rate() {
            return consumed / seconds;
        }

        double micros(long cpuNanos) {
            return consumed == 0 ? Double.NaN : cpuNanos / 1000.0 / consumed;
        }
    }

    private final Path devicesFile;
    private final Supplier<List<Long>> databasePids;
    private final PhaseBroker.Kind brokerKind;

    Phases(Path devicesFile, Supplier<List<Long>> databasePids) {
        this(devicesFile, databasePids, PhaseBroker.Kind.MOSQUITTO);
    }

    private Phases(Path devicesFile, Supplier<List<Long>> databasePids, PhaseBroker.Kind brokerKind) {
        this.devicesFile = devicesFile;
        this.databasePids = databasePids;
        this.brokerKind = brokerKind;
    }

    /** The same phases, each on a fresh broker of this kind. */
    Phases on(PhaseBroker.Kind kind) {
        return new Phases(devicesFile, databasePids, kind);
    }

    PhaseBroker.Kind brokerKind() {
        return brokerKind;
    }

    Result live(String name, Subscriber subscriber, double rate, Duration duration, double crisisPercent) throws Exception {
        return live(name, subscriber, rate, duration, crisisPercent, Duration.ZERO);
    }

    /** {@code publisherWarmUp}: the publisher's JVM first publishes this long where the subscriber does not listen. */
    Result live(String name, Subscriber subscriber, double rate, Duration duration, double crisisPercent, Duration publisherWarmUp) throws Exception {
        try (PhaseBroker broker = startBroker()) {
            return live(name, subscriber, rate, duration, crisisPercent, publisherWarmUp, broker);
        }
    }

    /** A fresh broker of this kind, for phases that share one ({@link #live(String, Subscriber, double, Duration, double, Duration, PhaseBroker)}). */
    PhaseBroker startBroker() throws IOException, InterruptedException {
        return PhaseBroker.start(brokerKind);
    }

    /** A live phase on a broker the caller started and closes, which may have served earlier phases. */
    Result live(String name, Subscriber subscriber, double rate, Duration duration, double crisisPercent, Duration publisherWarmUp,
                PhaseBroker broker) throws Exception {
        System.err.printf("== %s: %s msg/s for %s%n", name, rate > 0 ? String.format("%.0f", rate) : "unpaced", duration);
        MqttConfig mqtt = broker.mqtt();
        subscriber.start(mqtt);
        long consumed0 = subscriber.consumed();
        List<Long> pids = databasePids.get();
        long self0 = ProcessCpu.self();
        long broker0 = broker.cpuNanos();
        long db0 = ProcessCpu.ofPids(pids);
        boolean stoppedEarly = false;
        long lastChange = System.currentTimeMillis();
        long last = consumed0;
        try (PublisherProcess publisher = PublisherProcess.start(mqtt.url(), devicesFile, CONNECTIONS, rate, duration, 0, crisisPercent, publisherWarmUp)) {
            long limit = System.nanoTime() + duration.plusSeconds(45).toNanos();
            long lastPrint = System.nanoTime();
            while (System.nanoTime() < limit) {
                long c = subscriber.consumed();
                if (c != last) {
                    last = c;
                    lastChange = System.currentTimeMillis();
                }
                long backlog = publisher.acked() - (c - consumed0);
                if (!stoppedEarly && backlog > BACKLOG_LIMIT) {
                    System.err.printf("   %s is %d messages behind: stopping the publisher (Mosquitto 2.0.11 session limit)%n", name, backlog);
                    publisher.stop();
                    stoppedEarly = true;
                }
                if (publisher.isDone() && (c - consumed0 >= publisher.acked() || System.currentTimeMillis() - lastChange > STALL_MILLIS)) {
                    break;
                }
                if (System.nanoTime() - lastPrint > 1_000_000_000L) {
                    lastPrint = System.nanoTime();
                    System.err.printf("   published %d, consumed %d %s%n", publisher.acked(), c - consumed0, subscriber.diagnostics());
                }
                Thread.sleep(5);
            }
            PublisherProcess.Result published = publisher.await(Duration.ofSeconds(40));
            System.err.printf("   %s%n", subscriber.diagnostics());
            long consumed = last - consumed0;
            Result result = new Result(name, published, consumed, (lastChange - published.firstPublishMillis()) / 1000.0,
                    ProcessCpu.self() - self0, broker.cpuNanos() - broker0, ProcessCpu.ofPids(pids) - db0, stoppedEarly,
                    consumed >= published.acked());
            System.err.printf("   %s: %d of %d in %.1f s = %.0f msg/s%n", name, consumed, published.acked(), result.seconds(), result.rate());
            return result;
        } finally {
            subscriber.stop();
        }
    }

    /**
     * Past 65,535 queued messages Mosquitto 2.0.11 stops holding its in-flight window for the session (DEPENDENCIES.md);
     * the reference subscriber acknowledges at once and ingest stops reading its socket at its own bound, so both drain
     * such backlogs whole. The rows are counted either way.
     */
    Result drain(String name, Subscriber subscriber, long backlog, Duration within) throws Exception {
        System.err.printf("== %s: %d messages queued, then drained%n", name, backlog);
        try (PhaseBroker broker = PhaseBroker.start(brokerKind)) {
            MqttConfig mqtt = broker.mqtt();
            subscriber.start(mqtt);  // creates the persistent session and its shared subscription
            subscriber.stop();
            PublisherProcess.Result published;
            Duration queueing = Duration.ofSeconds(60 + backlog / 5_000);
            try (PublisherProcess publisher = PublisherProcess.start(mqtt.url(), devicesFile, CONNECTIONS, 0, queueing, backlog, 0)) {
                published = publisher.await(queueing.plusSeconds(40));
            }
            System.err.printf("   queued %d in %.1f s%n", published.acked(), published.seconds());
            long consumed0 = subscriber.consumed();
            long self0 = ProcessCpu.self();
            long broker0 = broker.cpuNanos();
            long started = System.currentTimeMillis();
            subscriber.start(mqtt);
            List<Long> pids = databasePids.get();
            long db0 = ProcessCpu.ofPids(pids);
            long lastChange = started;
            long last = consumed0;
            long limit = System.nanoTime() + within.toNanos();
            try {
                while (System.nanoTime() < limit && last - consumed0 < published.acked()) {
                    long c = subscriber.consumed();
                    if (c != last) {
                        last = c;
                        lastChange = System.currentTimeMillis();
                    }
                    Thread.sleep(2);
                }
                System.err.printf("   %s%n", subscriber.diagnostics());
            } finally {
                subscriber.stop();
            }
            long consumed = last - consumed0;
            Result result = new Result(name, published, consumed, (lastChange - started) / 1000.0, ProcessCpu.self() - self0,
                    broker.cpuNanos() - broker0, ProcessCpu.ofPids(pids) - db0, false, consumed >= published.acked());
            System.err.printf("   %s: %d of %d in %.1f s = %.0f msg/s%n", name, consumed, published.acked(), result.seconds(), result.rate());
            return result;
        }
    }

    /** A catch-up: how many were waiting when the subscriber came back, and how long until it was current again. */
    record CatchUp(Result result, long backlog, double catchUpSeconds, boolean caughtUp) {
    }

    /**
     * An outage while devices keep sending: the publisher runs at {@code rate} throughout; the subscriber is away for
     * {@code outage} (its persistent session queues), then comes back and must drain the backlog while new readings
     * keep arriving. Caught up = no more than one second of arrivals behind. Then the publisher stops and the rest is
     * drained, so the rows can be counted.
     */
    CatchUp catchUp(String name, Subscriber subscriber, double rate, Duration outage, Duration within) throws Exception {
        System.err.printf("== %s: %.0f msg/s throughout, subscriber away for %s%n", name, rate, outage);
        try (PhaseBroker broker = PhaseBroker.start(brokerKind)) {
            MqttConfig mqtt = broker.mqtt();
            subscriber.start(mqtt);  // creates the persistent session and its shared subscription
            subscriber.stop();
            long consumed0 = subscriber.consumed();
            try (PublisherProcess publisher = PublisherProcess.start(mqtt.url(), devicesFile, CONNECTIONS, rate, outage.plus(within), 0, 0)) {
                long back = System.nanoTime() + outage.toNanos();
                long lastPrint = 0;
                while (System.nanoTime() < back) {
                    if (System.nanoTime() - lastPrint > 30_000_000_000L) {
                        lastPrint = System.nanoTime();
                        System.err.printf("   outage: %,d queued%n", publisher.acked());
                    }
                    Thread.sleep(100);
                }
                long backlog = publisher.acked();
                List<Long> pids = databasePids.get();
                long self0 = ProcessCpu.self();
                long broker0 = broker.cpuNanos();
                long db0 = ProcessCpu.ofPids(pids);
                long started = System.currentTimeMillis();
                subscriber.start(mqtt);
                long limit = System.nanoTime() + within.toNanos();
                double caughtUpSeconds = Double.NaN;
                lastPrint = System.nanoTime();
                while (System.nanoTime() < limit) {
                    long behind = publisher.acked() - (subscriber.consumed() - consumed0);
                    if (behind <= Math.max(1, rate)) {
                        caughtUpSeconds = (System.currentTimeMillis() - started) / 1000.0;
                        break;
                    }
                    if (System.nanoTime() - lastPrint > 5_000_000_000L) {
                        lastPrint = System.nanoTime();
                        System.err.printf("   %,d behind; %s%n", behind, subscriber.diagnostics());
                    }
                    Thread.sleep(5);
                }
                publisher.stop();
                PublisherProcess.Result published = publisher.await(Duration.ofSeconds(60));
                long last = subscriber.consumed();
                long lastChange = System.currentTimeMillis();
                while (last - consumed0 < published.acked() && System.currentTimeMillis() - lastChange < STALL_MILLIS) {
                    Thread.sleep(5);
                    long c = subscriber.consumed();
                    if (c != last) {
                        last = c;
                        lastChange = System.currentTimeMillis();
                    }
                }
                System.err.printf("   %s%n", subscriber.diagnostics());
                subscriber.stop();
                long consumed = last - consumed0;
                Result result = new Result(name, published, consumed, (lastChange - started) / 1000.0, ProcessCpu.self() - self0,
                        broker.cpuNanos() - broker0, ProcessCpu.ofPids(pids) - db0, false, consumed >= published.acked());
                System.err.printf("   %s: backlog %,d, caught up after %.1f s; %,d of %,d consumed%n", name, backlog, caughtUpSeconds,
                        consumed, published.acked());
                return new CatchUp(result, backlog, caughtUpSeconds, !Double.isNaN(caughtUpSeconds));
            } finally {
                subscriber.stop();
            }
        }
    }
}
