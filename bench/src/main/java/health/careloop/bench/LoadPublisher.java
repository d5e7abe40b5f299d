package health.careloop.bench;

import health.careloop.simulator.modes.PublishPacer;
import health.careloop.simulator.mqtt.MqttLink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The device side of a benchmark, run in its own JVM so that its CPU is not counted as the subscriber's: blood-pressure
 * readings (DESIGN.md payload v1, one reading per message) at QoS 1 over N Paho connections (the simulator's
 * {@link MqttLink}, up to 1000 unacknowledged publishes each), paced by the simulator's {@link PublishPacer}.
 *
 * <p>measuredAt is the publish time (to the millisecond, strictly increasing per device so every reading has its own
 * identity), which lets the benchmark measure publish → committed from the stored rows. Prints
 * {@code P sent acked failed} every 100 ms and a final {@code DONE …} line; a line "stop" on stdin ends it early.
 */
@Command(name = "publish", description = "Internal: the publisher process of a benchmark run.")
final class LoadPublisher implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--broker", required = true)
    String broker;
    @Option(names = "--devices-file", required = true)
    Path devicesFile;
    @Option(names = "--connections", defaultValue = "4")
    int connections;
    @Option(names = "--rate", defaultValue = "0", description = "messages per second over all connections; 0 = as fast as they go")
    double rate;
    @Option(names = "--duration", defaultValue = "PT20S")
    Duration duration;
    @Option(names = "--count", defaultValue = "0", description = "stop after this many messages (0 = no limit)")
    long count;
    @Option(names = "--warm-up", defaultValue = "PT0S",
            description = "publish this long first to a topic nobody subscribes to, then reset the counts: a cold JVM falls behind its pace "
                    + "and then catches up in a burst, which is the publisher's start-up, not the subscriber's latency")
    Duration warmUp;
    @Option(names = "--pace-tick-ms", defaultValue = "${env:" + PACE_TICK_ENV + ":-" + DEFAULT_PACE_TICK_MS + "}",
            description = "wake once per tick of this many ms and send every message due by then; 0 wakes once per message, which "
                    + "costs this JVM about twice the CPU per message of an unpaced run (PublishPacer; default from the environment "
                    + "variable " + PACE_TICK_ENV + ", else " + DEFAULT_PACE_TICK_MS + ")")
    long paceTickMillis;
    @Option(names = "--crisis-percent", defaultValue = "0", description = "share of readings that are hypertensive crises (SBP 200), each from a device that had none before")
    double crisisPercent;

    /** Set by the caller of scripts/bench.sh; inherited by this process from the benchmark that starts it. */
    static final String PACE_TICK_ENV = "BENCH_PACE_TICK_MS";
    static final String DEFAULT_PACE_TICK_MS = "2";
    private static final String READINGS_TOPIC = "rpm/v1/devices/%s/readings";
    /** Outside rpm/v1/…: no subscriber, so the broker drops what is published here. */
    private static final String WARM_UP_TOPIC = "bench/warm-up/%s/readings";

    private final AtomicLong issued = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong crises = new AtomicLong();
    private final AtomicLong lastAckMillis = new AtomicLong();
    private volatile boolean stop;

    @Override
    public Integer call() throws Exception {
        List<String> devices = Files.readAllLines(devicesFile).stream().filter(l -> !l.isBlank()).toList();
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<MqttLink> links = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            links.add(MqttLink.connect(broker, "bench-pub-" + run + "-" + i, null, null, 1000));
        }
        Thread stdin = new Thread(this::watchStdin, "stdin");
        stdin.setDaemon(true);
        stdin.start();
        long cpu0 = 0;
        if (!warmUp.isZero()) {
            for (Thread sender : startSenders(devices, links, WARM_UP_TOPIC, System.nanoTime() + warmUp.toNanos())) {
                sender.join();
            }
            awaitAcks();
            issued.set(0);
            sent.set(0);
            acked.set(0);
            failed.set(0);
            crises.set(0);
            lastAckMillis.set(0);
            cpu0 = ProcessCpu.self();
        }
        long firstPublish = System.currentTimeMillis();
        List<Thread> senders = startSenders(devices, links, READINGS_TOPIC, System.nanoTime() + duration.toNanos());
        Thread progress = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                System.out.println("P " + sent.get() + " " + acked.get() + " " + failed.get());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "progress");
        progress.setDaemon(true);
        progress.start();
        for (Thread sender : senders) {
            sender.join();
        }
        awaitAcks();
        progress.interrupt();
        links.forEach(MqttLink::close);
        System.out.println("DONE " + sent.get() + " " + acked.get() + " " + failed.get() + " " + crises.get() + " "
                + firstPublish + " " + lastAckMillis.get() + " " + (ProcessCpu.self() - cpu0));
        System.out.flush();
        return 0;
    }

    /** One sender thread per connection, each with its share of the devices, publishing under {@code topic} until {@code stopAt}. */
    private List<Thread> startSenders(List<String> devices, List<MqttLink> links, String topic, long stopAt) {
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            List<String> own = new ArrayList<>();
            for (int d = i; d < devices.size(); d += connections) {
                own.add(devices.get(d));
            }
            MqttLink link = links.get(i);
            Thread sender = new Thread(() -> send(link, own, topic, stopAt), "sender-" + i);
            senders.add(sender);
            sender.start();
        }
        return senders;
    }

    private void awaitAcks() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (acked.get() + failed.get() < sent.get() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private void send(MqttLink link, List<String> own, String topic, long stopAt) {
        if (own.isEmpty()) {
            return;
        }
        PublishPacer pacer = new PublishPacer(rate / connections, Duration.ofMillis(paceTickMillis));
        long[] lastMillis = new long[own.size()];
        boolean[] hadCrisis = new boolean[own.size()];
        int crisisEvery = crisisPercent > 0 ? (int) Math.round(100 / crisisPercent) : 0;
        boolean crisisDue = false;
        StringBuilder json = new StringBuilder(160);
        for (long k = 0; !stop && System.nanoTime() < stopAt; k++) {
            if (count > 0 && issued.incrementAndGet() > count) {
                break;
            }
            pacer.acquire();
            int d = (int) (k % own.size());
            if (crisisEvery > 0 && k % crisisEvery == crisisEvery / 2) {
                crisisDue = true;
            }
            boolean crisis = crisisDue && !hadCrisis[d];
            long now = Math.max(System.currentTimeMillis(), lastMillis[d] + 1);
            lastMillis[d] = now;
            int systolic = crisis ? 200 : 110 + (int) (k % 20);
            int diastolic = crisis ? 110 : 70 + (int) (k % 10);
            json.setLength(0);
            json.append("{\"type\":\"blood_pressure\",\"measuredAt\":\"").append(Instant.ofEpochMilli(now))
                    .append("\",\"systolic\":").append(systolic).append(",\"diastolic\":").append(diastolic)
                    .append(",\"pulse\":").append(60 + k % 30).append('}');
            if (crisis) {
                hadCrisis[d] = true;
                crisisDue = false;
                crises.incrementAndGet();
            }
            CompletableFuture<Void> delivery = link.publish(topic.formatted(own.get(d)),
                    json.toString().getBytes(StandardCharsets.UTF_8), 1);
            sent.incrementAndGet();
            delivery.whenComplete((ok, error) -> {
                if (error == null) {
                    acked.incrementAndGet();
                    lastAckMillis.accumulateAndGet(System.currentTimeMillis(), Math::max);
                } else {
                    failed.incrementAndGet();
                }
            });
        }
    }

    private void watchStdin() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.trim().equals("stop")) {
                    stop = true;
                }
            }
        } catch (Exception ignored) {
            // Treated as end of input below.
        }
        stop = true;  // stdin closed: the benchmark that started us is gone, nobody is measuring

    }
}
