package health.careloop.simulator.modes;

import health.careloop.simulator.devices.Reading;
import health.careloop.simulator.devices.ReadingJson;
import health.careloop.simulator.devices.SimulatedDevice;
import health.careloop.simulator.mqtt.MqttLink;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes valid readings as fast as asked, one sending thread per connection, and measures publish-to-ack
 * latency.
 *
 * <p>Each device's k-th reading is measured k+1 seconds before the run started, so every reading of the run has
 * its own identity (deviceId, type, measuredAt) and the server stores each one rather than counting duplicates.
 * Two runs with the same devices less than (messages per device) seconds apart overlap: give each run its own
 * {@code --id-prefix} when the exact stored count matters.
 */
public final class LoadRun {
    private final List<SimulatedDevice> devices;
    private final ZoneId zone;
    private final double ratePerSecond;
    private final Duration duration;
    private final int qos;
    private final long seed;

    public LoadRun(List<SimulatedDevice> devices, ZoneId zone, double ratePerSecond, Duration duration, int qos, long seed) {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("a load run needs devices");
        }
        this.devices = devices;
        this.zone = zone;
        this.ratePerSecond = ratePerSecond;
        this.duration = duration;
        this.qos = qos;
        this.seed = seed;
    }

    public LoadReport run(List<MqttLink> links, Duration ackTimeout) throws InterruptedException {
        Instant readingsEnd = Clock.systemUTC().instant().truncatedTo(ChronoUnit.SECONDS);
        AtomicLong sent = new AtomicLong();
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        LatencySamples latencies = new LatencySamples();
        AtomicLong lastAckNanos = new AtomicLong();
        var pending = ConcurrentHashMap.<CompletableFuture<Void>>newKeySet();
        long start = System.nanoTime();
        long stopAt = start + duration.toNanos();
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < links.size(); i++) {
            List<SimulatedDevice> own = new ArrayList<>();
            for (int d = i; d < devices.size(); d += links.size()) {
                own.add(devices.get(d));
            }
            if (own.isEmpty()) {
                continue;
            }
            MqttLink link = links.get(i);
            SplittableRandom random = new SplittableRandom(seed + i);
            PublishPacer pacer = new PublishPacer(ratePerSecond / Math.min(links.size(), devices.size()));
            Thread sender = new Thread(() -> {
                for (long k = 0; System.nanoTime() < stopAt && !Thread.currentThread().isInterrupted(); k++) {
                    pacer.acquire();
                    SimulatedDevice device = own.get((int) (k % own.size()));
                    long round = k / own.size();
                    OffsetDateTime at = OffsetDateTime.ofInstant(readingsEnd.minusSeconds(round + 1), zone);
                    Reading reading = LoadReadings.reading(device, at, random);
                    long publishedAt = System.nanoTime();
                    CompletableFuture<Void> delivery = link.publish(device.topic(), ReadingJson.payload(reading), qos);
                    sent.incrementAndGet();
                    CompletableFuture<Void> counted = delivery.handle((ok, error) -> {
                        if (error == null) {
                            long now = System.nanoTime();
                            latencies.add(now - publishedAt);
                            acknowledged.incrementAndGet();
                            lastAckNanos.accumulateAndGet(now, Math::max);
                        } else {
                            failed.incrementAndGet();
                        }
                        return null;
                    });
                    pending.add(counted);
                    counted.whenComplete((ok, error) -> pending.remove(counted));
                }
            }, "load-sender-" + i);
            senders.add(sender);
            sender.start();
        }
        for (Thread sender : senders) {
            sender.join();
        }
        long sendingEnded = System.nanoTime();
        long deadline = sendingEnded + ackTimeout.toNanos();
        for (CompletableFuture<Void> f : List.copyOf(pending)) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                break;
            }
        }
        long end = Math.max(sendingEnded, lastAckNanos.get());
        double seconds = (end - start) / 1e9;
        return new LoadReport(sent.get(), acknowledged.get(), failed.get(),
                sent.get() - acknowledged.get() - failed.get(), seconds, ratePerSecond,
                acknowledged.get() / seconds, qos, links.size(), devices.size(), latencies.percentiles());
    }

    /**
     * @param unacknowledged sent but neither acknowledged nor failed when the wait ended
     * @param seconds        from the first publish to the last acknowledgement
     * @param achievedRate   acknowledged messages per second
     */
    public record LoadReport(long sent, long acknowledged, long failed, long unacknowledged, double seconds,
                             double targetRate, double achievedRate, int qos, int connections, int devices,
                             LatencySamples.Percentiles latency) {

        public String describe() {
            return String.format(
                    "sent %d, acknowledged %d, failed %d, unacknowledged %d in %.1f s (QoS %d, %d connections, %d devices)%n"
                            + "rate: target %s, achieved %.0f msg/s%n"
                            + "publish latency: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms",
                    sent, acknowledged, failed, unacknowledged, seconds, qos, connections, devices,
                    targetRate > 0 ? String.format("%.0f msg/s", targetRate) : "unlimited", achievedRate,
                    latency.p50Ms(), latency.p95Ms(), latency.p99Ms(), latency.maxMs());
        }
    }
}
