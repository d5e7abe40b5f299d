package health.careloop.bench;

import health.careloop.testing.FreePort;
import health.careloop.testing.PrivateMosquitto;
import health.careloop.common.db.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * The soak (issue 9): the whole platform as its own JVM within a 512 MB heap, a private Mosquitto and a fresh database,
 * {@code --devices} registered cuffs publishing {@code --rate} readings/s for {@code --duration}. Every 10 s it samples
 * the platform's heap in use, the readings the broker accepted but not yet stored, and the evaluation queue; every
 * minute it also asks the platform JVM for a full GC ({@code jcmd <pid> GC.run}, a pause of tens of milliseconds) and
 * reads the heap left, which is the live set. The verdict: whether that live set stayed flat and the lag bounded.
 */
@Command(name = "soak", mixinStandardHelpOptions = true, description = "Steady load for a long time: memory flat, lag bounded")
final class SoakBenchmark implements Callable<Integer> {
    @Option(names = "--devices", defaultValue = "10000")
    int devices;
    @Option(names = "--rate", defaultValue = "2000")
    double rate;
    @Option(names = "--duration", defaultValue = "PT30M")
    Duration duration;
    @Option(names = "--heap", defaultValue = "512m", description = "the platform JVM's -Xmx (the footprint goal)")
    String heap;

    private final HttpClient http = HttpClient.newHttpClient();
    /** The platform's metrics listener (CARELOOP_METRICS_PORT), chosen when it starts. */
    private int metricsPort;

    /** One sample of the platform under load. */
    record Sample(double minutes, long acked, long stored, long evaluationQueue, double liveHeapMb, double usedHeapMb, double lagMaxSeconds) {
        long behind() {
            return Math.max(0, acked - stored); // the publisher reports its count a moment late
        }
    }

    @Override
    public Integer call() throws Exception {
        Report report = new Report("Soak: " + devices + " devices, " + rate + " readings/s for " + duration);
        String token = "soak-" + UUID.randomUUID();
        Path work = Files.createTempDirectory("careloop-soak");
        List<Sample> samples = new ArrayList<>();
        PublisherProcess.Result published;
        long stored;
        long deadLetters;
        String ingestCounts;
        try (BenchDatabase db = BenchDatabase.create(); PrivateMosquitto broker = BenchBroker.start()) {
            int port = FreePort.loopback();
            Process platform = startPlatform(db, broker, port, token, work);
            try {
                awaitReady(platform, port, work);
                Path devicesFile;
                try (Database database = Database.connect(db.config(4))) {
                    long started = System.nanoTime();
                    devicesFile = Fleet.register(database, devices);
                    System.err.printf("Registered %d patients and cuffs in %.1f s%n", devices, (System.nanoTime() - started) / 1e9);
                }
                long begin = System.nanoTime();
                try (PublisherProcess publisher = PublisherProcess.start(broker.url(), devicesFile, Phases.CONNECTIONS, rate, duration, 0, 0.1)) {
                    for (int tick = 1; !publisher.isDone(); tick++) {
                        Thread.sleep(10_000);
                        double live = tick % 6 == 0 ? liveHeapAfterFullGc(platform, port) : Double.NaN;
                        Sample s = sample(db, port, publisher.acked(), (System.nanoTime() - begin) / 60e9, live);
                        samples.add(s);
                        System.err.printf("   %5.1f min: acked %,d stored %,d (behind %,d), evaluation queue %,d, heap live %.0f MB used %.0f MB, lag max %.2f s%n",
                                s.minutes(), s.acked(), s.stored(), s.behind(), s.evaluationQueue(), s.liveHeapMb(), s.usedHeapMb(), s.lagMaxSeconds());
                        if (!platform.isAlive()) {
                            throw new IllegalStateException("the platform JVM died (exit " + platform.exitValue() + "); log in " + work);
                        }
                    }
                    published = publisher.await(Duration.ofMinutes(2));
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (System.nanoTime() < deadline && db.count("SELECT count(*) FROM ingest.reading") < published.acked()) {
                    Thread.sleep(200);
                }
                stored = db.count("SELECT count(*) FROM ingest.reading");
                deadLetters = db.count("SELECT count(*) FROM ingest.dead_letter");
                String metrics = metrics(port);
                ingestCounts = String.format("messages received %.0f, readings received %.0f, stored %.0f, duplicates %.0f, rejected %.0f, "
                                + "late %.0f, reading paused %.0f times, database outages %.0f",
                        sum(metrics, "careloop_ingest_messages_received_total"), sum(metrics, "careloop_ingest_readings_received_total"),
                        sum(metrics, "careloop_ingest_readings_stored_total"), sum(metrics, "careloop_ingest_readings_duplicate_total"),
                        sum(metrics, "careloop_ingest_readings_rejected_total"), sum(metrics, "careloop_ingest_readings_late_total"),
                        sum(metrics, "careloop_ingest_backpressure_pauses_total"), sum(metrics, "careloop_ingest_database_outages_total"));
                System.err.println("Platform's own counts: " + ingestCounts);
            } finally {
                platform.destroy();
                platform.waitFor();
            }
        }

        report.line("Command: `scripts/bench.sh soak --devices %d --rate %.0f --duration %s` (platform JVM `-Xmx%s`, all tiers, "
                + "private Mosquitto with the shipped queue settings, fresh database on the machine's PostgreSQL; publisher in "
                + "its own JVM over %d connections, QoS 1, 0.1%% crises).", devices, rate, duration, heap, Phases.CONNECTIONS);
        report.line("");
        report.line("| minute | accepted by broker | stored | behind | evaluation queue | heap after full GC (MB) | heap used (MB) | ingest lag max (s) |");
        report.line("| --- | --- | --- | --- | --- | --- | --- | --- |");
        List<Sample> minutes = samples.stream().filter(s -> !Double.isNaN(s.liveHeapMb())).toList();
        for (Sample s : minutes) {
            report.line("| %.1f | %,d | %,d | %,d | %,d | %.0f | %.0f | %.2f |", s.minutes(), s.acked(), s.stored(), s.behind(),
                    s.evaluationQueue(), s.liveHeapMb(), s.usedHeapMb(), s.lagMaxSeconds());
        }
        report.line("");
        // Flat means: the live set of the last third of the run is within 20% of the second sixth's (after warm-up).
        List<Sample> settled = minutes.isEmpty() ? List.of() : minutes.subList(Math.min(minutes.size() - 1, minutes.size() / 6), minutes.size());
        double liveFirst = settled.stream().limit(Math.max(1, settled.size() / 3)).mapToDouble(Sample::liveHeapMb).average().orElse(0);
        double liveLast = settled.stream().skip(Math.max(0, settled.size() - Math.max(1, settled.size() / 3))).mapToDouble(Sample::liveHeapMb).average().orElse(0);
        long maxBehind = samples.stream().mapToLong(Sample::behind).max().orElse(0);
        long maxQueue = samples.stream().mapToLong(Sample::evaluationQueue).max().orElse(0);
        report.line("- Readings accepted by the broker %,d, stored %,d, lost %,d, dead letters %,d; %.0f readings/s achieved.",
                published.acked(), stored, published.acked() - stored, deadLetters, published.acked() / published.seconds());
        report.line("- The platform's own counters at the end: %s.", ingestCounts);
        report.line("- Heap after a full GC, mean of the first and last third of the run after the first sixth: %.0f MB → %.0f MB (%+.0f%%). "
                + "Memory flat (within 20%%): **%s**.", liveFirst, liveLast, 100 * (liveLast - liveFirst) / Math.max(1, liveFirst),
                liveLast <= liveFirst * 1.2 ? "yes" : "no");
        report.line("- Most readings accepted but not yet stored: %,d (%.1f s at this rate); largest evaluation queue %,d. "
                + "Lag bounded (below 5 s of readings): **%s**.", maxBehind, maxBehind / rate, maxQueue, maxBehind < rate * 5 ? "yes" : "no");
        report.publish("soak");
        return 0;
    }

    private Process startPlatform(BenchDatabase db, PrivateMosquitto broker, int port, String token, Path work) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx" + heap, "-cp", System.getProperty("java.class.path"),
                "health.careloop.platform.CareLoop");
        pb.environment().keySet().removeIf(k -> k.startsWith("CARELOOP_"));
        metricsPort = FreePort.loopback();
        pb.environment().put("CARELOOP_METRICS_PORT", Integer.toString(metricsPort));
        pb.environment().putAll(Map.of(
                "CARELOOP_DB_URL", db.url(), "CARELOOP_DB_USER", BenchDatabase.USER,
                "CARELOOP_MQTT_URL", broker.url(), "CARELOOP_HTTP_PORT", Integer.toString(port),
                "CARELOOP_API_TOKEN", token, "CARELOOP_DATA_DIR", work.resolve("data").toString(),
                "CARELOOP_INGEST_CLIENT_ID", Subscriber.CLIENT_ID, "CARELOOP_INGEST_SHARE_GROUP", Subscriber.SHARE_GROUP));
        pb.redirectErrorStream(true).redirectOutput(work.resolve("platform.log").toFile());
        Process process = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return process;
    }

    private void awaitReady(Process platform, int port, Path work) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!platform.isAlive()) {
                throw new IllegalStateException("the platform exited (" + platform.exitValue() + "); see " + work.resolve("platform.log"));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the platform was not ready within 60 s; see " + work.resolve("platform.log"));
    }

    private Sample sample(BenchDatabase db, int port, long acked, double minutes, double liveHeapMb) throws Exception {
        String metrics = metrics(port);
        return new Sample(minutes, acked, db.count("SELECT count(*) FROM ingest.reading"),
                db.count("SELECT count(*) FROM ingest.evaluation_queue"),
                liveHeapMb, sum(metrics, "jvm_memory_used_bytes{area=\"heap\"") / 1e6, sum(metrics, "careloop_ingest_lag_seconds_max"));
    }

    /** The platform's heap right after a full collection: what it really keeps. */
    private double liveHeapAfterFullGc(Process platform, int port) throws Exception {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(platform.pid()), "GC.run").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!jcmd.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            return Double.NaN;
        }
        return sum(metrics(port), "jvm_memory_used_bytes{area=\"heap\"") / 1e6;
    }

    /** From the metrics listener (its own port), not the API's port. */
    private String metrics(int apiPort) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The sum of every series of a metric whose line starts with {@code prefix} (its name and, optionally, labels). */
    private static double sum(String metrics, String prefix) {
        return metrics.lines().filter(l -> l.startsWith(prefix) && (l.charAt(prefix.length()) == ' ' || l.charAt(prefix.length()) == '{'
                        || prefix.endsWith("\"")))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
