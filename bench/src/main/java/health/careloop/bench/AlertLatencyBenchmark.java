package health.careloop.bench;

import health.careloop.testing.PrivateMosquitto;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.careloop.platform.config.CareLoopConfig;
import health.careloop.platform.Platform;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Publish → alert task visible, on a whole platform (all tiers in one JVM) with a private Mosquitto and a fresh
 * database: patients with a cuff each, registered through the API; readings at a steady rate, about 1% of them
 * hypertensive crises (SBP 200) each from a different patient. A task is visible when its transaction has committed
 * (seen through NOTIFY, {@link CommitWatcher}); the reference is publish → reading committed in the same run, which
 * every alert must wait for before the clinical evaluator can see the reading.
 */
@Command(name = "alert-latency", mixinStandardHelpOptions = true, description = "Publish-to-alert-task latency on a whole platform")
final class AlertLatencyBenchmark implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--patients", defaultValue = "1000")
    int patients;
    @Option(names = "--rate", defaultValue = "1000")
    double rate;
    @Option(names = "--duration", defaultValue = "PT30S")
    Duration duration;
    @Option(names = "--crisis-percent", defaultValue = "1")
    double crisisPercent;

    @Override
    public Integer call() throws Exception {
        Report report = new Report("Alert latency on the whole platform");
        String token = "bench-" + UUID.randomUUID();
        try (BenchDatabase db = BenchDatabase.create(); PrivateMosquitto broker = BenchBroker.start()) {
            Map<String, String> env = BenchPlatform.settings(db, broker, token);
            try (Platform platform = Platform.start(CareLoopConfig.from(env))) {
                Api api = new Api(platform.httpPort(), platform.apiToken());
                api.awaitReady();
                long setup = System.nanoTime();
                Path devicesFile = register(api);
                System.err.printf("Registered %d patients and cuffs through the API in %.1f s%n", patients, (System.nanoTime() - setup) / 1e9);
                List<Long> pids = db.backendPids();
                PublisherProcess.Result published;
                List<Long> queueDepths = new ArrayList<>();
                long self0 = ProcessCpu.self();
                long broker0 = BenchBroker.cpuNanos(broker);
                long db0 = ProcessCpu.ofPids(pids);
                double[] readingLatency;
                double[][] taskLatency;
                long tasks;
                String alertsByRule;
                try (CommitWatcher readings = new CommitWatcher(db, "ingest.reading", "bench_reading");
                     CommitWatcher taskCommits = new CommitWatcher(db, "clinical.task", "bench_task")) {
                    System.err.printf("== alert latency: %.0f readings/s for %s, %.1f%% crises%n", rate, duration, crisisPercent);
                    try (PublisherProcess publisher = PublisherProcess.start(broker.url(), devicesFile, Phases.CONNECTIONS, rate, duration, 0, crisisPercent)) {
                        long printed = System.nanoTime();
                        while (!publisher.isDone() && System.nanoTime() - printed < duration.plusSeconds(60).toNanos()) {
                            long depth = db.count("SELECT count(*) FROM ingest.evaluation_queue");
                            queueDepths.add(depth);
                            System.err.printf("   published %d, evaluation queue %d%n", publisher.acked(), depth);
                            Thread.sleep(1000);
                        }
                        published = publisher.await(duration.plusSeconds(60));
                    }
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (System.nanoTime() < deadline && (db.count("SELECT count(*) FROM ingest.reading") < published.acked()
                            || db.count("SELECT count(*) FROM ingest.evaluation_queue") > 0)) {
                        Thread.sleep(50);
                    }
                    Thread.sleep(500);
                    readingLatency = readingLatencies(db, readings);
                    taskLatency = taskLatencies(db, taskCommits, published.firstPublishMillis());
                    tasks = db.count("SELECT count(*) FROM clinical.task WHERE kind = 'alert_follow_up'");
                    alertsByRule = alertsByRule(db);
                }
                long stored = db.count("SELECT count(*) FROM ingest.reading");
                long selfCpu = ProcessCpu.self() - self0;
                long brokerCpu = BenchBroker.cpuNanos(broker) - broker0;
                long dbCpu = ProcessCpu.ofPids(pids) - db0;
                Percentiles committed = Percentiles.of(readingLatency);
                Percentiles visible = Percentiles.of(taskLatency[0]);
                Percentiles created = Percentiles.of(taskLatency[1]);
                report.line("Whole platform (ingest + clinical + HTTP in one JVM, `Platform.start`), private Mosquitto 2.0.11, fresh database on "
                        + "the machine's PostgreSQL; %d patients with one cuff each registered through the API; publisher in its own JVM, "
                        + "%d Paho connections, QoS 1, %.0f readings/s for %s, %.1f%% hypertensive crises (SBP 200/DBP 110), each from a "
                        + "patient with no crisis before.", patients, Phases.CONNECTIONS, rate, duration, crisisPercent);
                report.line("");
                report.line("| figure | value |");
                report.line("| --- | --- |");
                report.line("| readings published (acked by broker) / stored | %,d / %,d (%.0f/s achieved) |", published.acked(), stored,
                        published.acked() / published.seconds());
                report.line("| crisis readings / alert follow-up tasks | %,d / %,d (alerts by rule: %s) |", published.crises(), tasks, alertsByRule);
                report.line("| **publish → critical alert task committed (visible)** | **%s** |", visible.describe());
                report.line("| publish → task transaction began (`task.created_at`) | %s |", created.describe());
                report.line("| reference: publish → reading committed, same run | %s |", committed.describe());
                report.line("| ratio p99 task visible / p99 reading committed | %.1f× |", visible.p99() / committed.p99());
                for (int third = 0; third < 3; third++) {
                    report.line("| publish → task visible, crises published in the %s third of the run | %s |",
                            List.of("first", "second", "last").get(third), Percentiles.of(taskLatency[2 + third]).describe());
                }
                report.line("| evaluation queue depth, sampled each second while publishing | %s |", queueDepths);
                report.line("| CPU per reading: platform JVM / Mosquitto / PostgreSQL backends / publisher JVM | %.1f / %.1f / %.1f / %.1f µs |",
                        selfCpu / 1000.0 / stored, brokerCpu / 1000.0 / stored, dbCpu / 1000.0 / stored, published.cpuNanos() / 1000.0 / published.acked());
                report.line("");
                report.line("Goal p99 < 1 s: **%s** (p99 %.0f ms).", visible.p99() < 1000 ? "met" : "not met", visible.p99());
            }
        }
        report.publish("alert-latency");
        return 0;
    }

    private Path register(Api api) throws Exception {
        String practice = api.create("/api/v1/practices", Map.of("name", "Benchmark practice", "timeZone", "America/Chicago"));
        String validFrom = Instant.now().minus(Duration.ofDays(1)).toString();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> devices = new ArrayList<>();
            for (int i = 0; i < patients; i++) {
                String device = String.format("bench-cuff-%06d", i);
                String ref = String.format("BENCH-%06d", i);
                devices.add(pool.submit(() -> {
                    String patient = api.create("/api/v1/patients", Map.of("practiceId", practice, "externalRef", ref));
                    api.create("/api/v1/devices", Map.of("deviceId", device, "practiceId", practice, "kind", "blood_pressure_cuff"));
                    api.create("/api/v1/devices/" + device + "/assignments", Map.of("patientId", patient, "validFrom", validFrom));
                    return device;
                }));
            }
            List<String> lines = new ArrayList<>();
            for (Future<String> device : devices) {
                lines.add(device.get());
            }
            Path file = Files.createTempFile("careloop-bench-cuffs", ".txt");
            file.toFile().deleteOnExit();
            Files.write(file, lines);
            return file;
        } finally {
            pool.shutdown();
        }
    }

    private static double[] readingLatencies(BenchDatabase db, CommitWatcher watcher) throws SQLException {
        List<Double> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT xmin::text::bigint, (extract(epoch FROM measured_at) * 1000)::bigint FROM ingest.reading")) {
            while (rs.next()) {
                Long at = watcher.commitMillis(rs.getLong(1));
                if (at != null) {
                    out.add((double) (at - rs.getLong(2)));
                }
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * [0]: publish → task committed; [1]: publish → task.created_at; [2..4]: as [0] by third of the run; critical
     * alerts' triggering readings.
     */
    private double[][] taskLatencies(BenchDatabase db, CommitWatcher watcher, long firstPublish) throws SQLException {
        List<Double> visible = new ArrayList<>();
        List<List<Double>> thirds = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<Double> created = new ArrayList<>();
        long missing = 0;
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT t.xmin::text::bigint, (extract(epoch FROM ar.measured_at) * 1000)::bigint, extract(epoch FROM t.created_at) * 1000
                     FROM clinical.task t
                     JOIN clinical.alert a ON a.id = t.alert_id
                     JOIN clinical.alert_reading ar ON ar.alert_id = a.id AND ar.triggered
                     WHERE a.severity = 'critical'""")) {
            while (rs.next()) {
                Long at = watcher.commitMillis(rs.getLong(1));
                created.add(rs.getDouble(3) - rs.getLong(2));
                if (at == null) {
                    missing++;
                } else {
                    visible.add((double) (at - rs.getLong(2)));
                    int third = (int) Math.min(2, Math.max(0, (rs.getLong(2) - firstPublish) * 3 / duration.toMillis()));
                    thirds.get(third).add((double) (at - rs.getLong(2)));
                }
            }
        }
        if (missing > 0) {
            System.err.println("No commit notification for " + missing + " tasks (updated after creation?)");
        }
        return new double[][]{visible.stream().mapToDouble(Double::doubleValue).toArray(), created.stream().mapToDouble(Double::doubleValue).toArray(),
                thirds.get(0).stream().mapToDouble(Double::doubleValue).toArray(), thirds.get(1).stream().mapToDouble(Double::doubleValue).toArray(),
                thirds.get(2).stream().mapToDouble(Double::doubleValue).toArray()};
    }

    private static String alertsByRule(BenchDatabase db) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT rule_id, severity, count(*) FROM clinical.alert GROUP BY 1, 2 ORDER BY 1")) {
            while (rs.next()) {
                out.append(out.isEmpty() ? "" : ", ").append(rs.getString(1)).append(' ').append(rs.getString(2)).append(' ').append(rs.getLong(3));
            }
        }
        return out.isEmpty() ? "none" : out.toString();
    }

    /** The platform's API with the administrative token. */
    private static final class Api {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final String base;
        private final String token;

        Api(int port, String token) {
            this.base = "http://127.0.0.1:" + port;
            this.token = token;
        }

        void awaitReady() throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/ready")).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                Thread.sleep(50);
            }
            throw new IllegalStateException("the platform was not ready within 20 s");
        }

        String create(String path, Map<String, String> body) throws Exception {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201 && r.statusCode() != 200) {
                throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            var id = JSON.readTree(r.body()).get("id");
            return id == null ? null : id.asText();
        }
    }
}
