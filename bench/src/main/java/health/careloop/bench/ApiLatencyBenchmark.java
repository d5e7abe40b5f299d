package health.careloop.bench;

import health.careloop.testing.PrivateMosquitto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.careloop.platform.config.CareLoopConfig;
import health.careloop.platform.Platform;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * What care staff feel (issue 8.3, 8.4): the care-team queue and the patient chart's 90-day readings through the API,
 * signed in as a nurse (so through row-level security), at {@code --patients} patients with {@code --days} of readings
 * (4 a day) and 2% of them with an open alert and task. References in the same run: the same chart rows read with one
 * bare SQL query, and GET /health (the HTTP floor). Also bytes per stored reading, with and without indexes.
 */
@Command(name = "api-latency", mixinStandardHelpOptions = true, description = "Queue and chart API latency at scale")
final class ApiLatencyBenchmark implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--patients", defaultValue = "100000")
    int patients;
    @Option(names = "--days", defaultValue = "90")
    int days;
    @Option(names = "--requests", defaultValue = "500")
    int requests;
    @Option(names = "--seed-workers", defaultValue = "2", description = "Connections seeding readings at once")
    int seedWorkers;
    @Option(names = "--cluster-months", defaultValue = "100", description = "At most this many closed months clustered before the second "
            + "pass, newest first (the 90-day chart reads the newest three at most)")
    int clusterMonths;
    @Option(names = "--no-cluster", description = "Skip the second pass, after the closed months are rewritten in patient order")
    boolean noCluster;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public Integer call() throws Exception {
        Report report = new Report("API latency at " + String.format("%,d", patients) + " patients");
        String machine = Report.machine();
        String token = "bench-" + UUID.randomUUID();
        try (BenchDatabase db = BenchDatabase.create(); PrivateMosquitto broker = BenchBroker.start()) {
            Map<String, String> env = BenchPlatform.settings(db, broker, token);
            env.put("CARELOOP_STORAGE_MODE", "postgres");
            try (Platform platform = Platform.start(CareLoopConfig.from(env))) {
                String base = "http://127.0.0.1:" + platform.httpPort();
                String practice = field(send(base, token, "POST", "/api/v1/practices", "{\"name\":\"API bench\",\"timeZone\":\"UTC\"}"), "id");
                send(base, token, "POST", "/api/v1/staff", "{\"practiceId\":\"" + practice + "\",\"email\":\"rn@bench.test\",\"displayName\":\"Bench, Nurse\","
                        + "\"role\":\"rn\",\"password\":\"correct horse battery\"}");

                long seedStart = System.nanoTime();
                seed(db, practice);
                double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
                long rows = db.count("SELECT count(*) FROM ingest.reading");
                System.err.printf("Seeded %,d patients, %,d readings in %.0f s%n", patients, rows, seedSeconds);
                // Autovacuum would long since have visited rows this old in a running practice; here it runs first, so
                // that the timed passes do not share the CPUs with it.
                long v0 = System.nanoTime();
                db.execute("VACUUM (ANALYZE) ingest.reading");
                double vacuumSeconds = (System.nanoTime() - v0) / 1e9;
                // Signed in only now: a session ends after 30 idle minutes, and 100 million readings take longer to seed.
                String nurse = field(send(base, null, "POST", "/api/v1/auth/login", "{\"email\":\"rn@bench.test\",\"password\":\"correct horse battery\"}"), "token");
                List<UUID> ids = patientIds(db);
                Random random = new Random(42);
                long tableBytes = db.count("SELECT sum(pg_table_size(c.oid)) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                        + "WHERE i.inhparent = 'ingest.reading'::regclass");
                long indexBytes = db.count("SELECT sum(pg_indexes_size(c.oid)) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                        + "WHERE i.inhparent = 'ingest.reading'::regclass");

                report.line("Command: `scripts/bench.sh api-latency --patients %d --days %d --requests %d%s%s`. Whole platform in the benchmark "
                        + "JVM, fresh database on the machine's PostgreSQL (plain PostgreSQL partitions), seeded with SQL: %,d patients with a "
                        + "cuff, 4 blood-pressure readings a day for %d days (%,d readings, seeded in %.0f s on %d connections, then VACUUM "
                        + "ANALYZE in %.0f s), 2%% of patients with an open alert and its task. Requests one at a time as a signed-in nurse "
                        + "(row-level security on), each chart a patient picked at random (mostly not in cache). Before seeding: %s.",
                        patients, days, requests, noCluster ? " --no-cluster" : "", clusterMonths != 100 ? " --cluster-months " + clusterMonths : "", patients, days, rows, seedSeconds, seedWorkers,
                        vacuumSeconds, machine);
                report.line("");
                report.line("| pass | request | p50 | p99 | max |");
                report.line("| --- | --- | --- | --- | --- |");
                double[][] stored = pass(report, "as stored (time order)", base, nurse, db, ids, random, true);
                String clustered = "not run (--no-cluster)";
                double[][] afterClustering = null;
                Percentiles chartsDuringRewrite = null;
                if (!noCluster) {
                    // A nurse keeps opening charts while the months are rewritten: the rewrite must not hold them.
                    ChartsMeanwhile meanwhile = new ChartsMeanwhile(base, nurse, ids);
                    try {
                        clustered = db.clusterClosedMonths(clusterMonths);
                    } finally {
                        chartsDuringRewrite = meanwhile.stop();
                    }
                    afterClustering = pass(report, "closed months clustered", base, nurse, db, ids, random, false);
                }
                report.line("");
                report.line("- Storage: %.0f bytes per reading in the table, %.0f with its two indexes (%,d readings, %.2f GB in all), as stored.",
                        (double) tableBytes / rows, (double) (tableBytes + indexBytes) / rows, rows, (tableBytes + indexBytes) / 1e9);
                report.line("- Rewriting closed months in patient order (ingest's PartitionRewrite, V11: what storage maintenance does a week after a "
                        + "month ends, one month a run; here all at once): %s.", clustered);
                if (chartsDuringRewrite != null) {
                    report.line("- 90-day charts opened one after another during that rewrite (random patients, through the API): %s. Under V10's "
                            + "CLUSTER a chart reaching into the month being rewritten waited for the whole of that month's rewrite.",
                            chartsDuringRewrite.describe());
                }
                report.line("- Goals: queue p99 < 100 ms **%s**; chart p99 < 100 ms **%s**; the 90-day fetch p99 < 50 ms **%s** as stored, **%s** with "
                        + "closed months clustered.", p(stored[0], 99) < 100 ? "met" : "not met", p(stored[1], 99) < 100 ? "met" : "not met",
                        p(stored[1], 99) < 50 ? "met" : "not met",
                        afterClustering == null ? "not measured" : p(afterClustering[1], 99) < 50 ? "met" : "not met");
            }
        }
        report.publish("api-latency");
        return 0;
    }

    /**
     * Warm-up, then {@code --requests} rounds of: the HTTP floor, the queue, the critical alerts, one patient's 90-day
     * chart and another patient's chart rows by bare SQL; their rows of the report (the queue's and alerts' only when
     * {@code withQueue}). Returns the queue's and the chart's times, in that order.
     */
    private double[][] pass(Report report, String pass, String base, String nurse, BenchDatabase db, List<UUID> ids, Random random,
                            boolean withQueue) throws Exception {
        Instant to = Instant.now();
        Instant from = to.minus(Duration.ofDays(90));
        String chartPath = chartPath(to);
        // Warm-up: the JIT and the connection pool, not the data (each measured chart is a patient not read before).
        for (int i = 0; i < 50; i++) {
            send(base, nurse, "GET", "/api/v1/tasks?status=open", null);
            send(base, nurse, "GET", "/api/v1/patients/" + ids.get(random.nextInt(ids.size())) + chartPath, null);
        }
        double[] health = new double[requests];
        double[] queue = new double[requests];
        double[] critical = new double[requests];
        double[] chart = new double[requests];
        double[] bare = new double[requests];
        int chartRows = 0;
        try (Connection c = db.connect(); PreparedStatement sql = c.prepareStatement(
                "SELECT * FROM ingest.reading WHERE patient_id = ? AND measured_at >= ? AND measured_at < ? ORDER BY measured_at")) {
            for (int i = 0; i < requests; i++) {
                health[i] = timed(base, null, "/health");
                queue[i] = timed(base, nurse, "/api/v1/tasks?status=open");
                critical[i] = timed(base, nurse, "/api/v1/alerts?status=open&severity=critical");
                UUID patient = ids.get(random.nextInt(ids.size()));
                long t0 = System.nanoTime();
                String body = send(base, nurse, "GET", "/api/v1/patients/" + patient + chartPath, null);
                chart[i] = (System.nanoTime() - t0) / 1e6;
                chartRows += JSON.readTree(body).path("items").size();
                sql.setObject(1, ids.get(random.nextInt(ids.size())));
                sql.setTimestamp(2, java.sql.Timestamp.from(from));
                sql.setTimestamp(3, java.sql.Timestamp.from(to));
                bare[i] = BenchDatabase.timedReadMillis(sql);
            }
        }
        row(report, pass, "reference: GET /health (HTTP floor)", health);
        if (withQueue) {
            row(report, pass, "**care-team queue** GET /tasks?status=open (first " + Math.min(200, patients / 50) + " of "
                    + String.format("%,d", patients / 50) + " open, by priority and age)", queue);
            row(report, pass, "GET /alerts?status=open&severity=critical", critical);
        }
        row(report, pass, "**patient chart** GET /patients/{id}/readings, last 90 days (" + chartRows / requests + " readings)", chart);
        row(report, pass, "reference: the same rows with one bare SQL query (JDBC, no HTTP, no JSON)", bare);
        return new double[][] {queue, chart};
    }

    /**
     * Patients, cuffs, assignments, readings, and alerts with tasks, in a few set-based statements. Readings: 4 a day
     * at 07:00, 12:00, 17:00, 22:00 UTC, over the last {@code days} days.
     */
    private void seed(BenchDatabase db, String practice) throws Exception {
        CuffPatients.seed(db, practice, patients, days, "BENCH-", seedWorkers);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("""
                    INSERT INTO clinical.alert (id, practice_id, patient_id, rule_id, severity, message, raised_at, last_seen_at)
                    SELECT gen_random_uuid(), p.practice_id, p.id, CASE WHEN n % 5 = 0 THEN 'bp_crisis' ELSE 'bp_high' END,
                           CASE WHEN n % 5 = 0 THEN 'critical' ELSE 'low' END, 'Benchmark alert',
                           now() - (n % 72) * interval '1 hour', now() - (n % 72) * interval '1 hour'
                    FROM (SELECT p.*, row_number() OVER (ORDER BY p.id) n FROM core.patient p) p WHERE n % 50 = 0""");
            s.execute("""
                    INSERT INTO clinical.task (id, practice_id, patient_id, kind, alert_id, title, priority, due_at, suggested_program,
                                               created_by, created_at)
                    SELECT gen_random_uuid(), a.practice_id, a.patient_id, 'alert_follow_up', a.id, 'Follow up: ' || a.rule_id,
                           CASE a.severity WHEN 'critical' THEN 'urgent' ELSE 'normal' END, a.raised_at + interval '24 hours', 'rpm',
                           'system:bench', a.raised_at
                    FROM clinical.alert a WHERE a.message = 'Benchmark alert'""");
            s.execute("ANALYZE");
        }
    }

    private static List<UUID> patientIds(BenchDatabase db) throws Exception {
        List<UUID> ids = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM core.patient")) {
            while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
            }
        }
        return ids;
    }

    private double timed(String base, String token, String path) throws Exception {
        long t0 = System.nanoTime();
        send(base, token, "GET", path, null);
        return (System.nanoTime() - t0) / 1e6;
    }

    private String send(String base, String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String field(String json, String name) throws Exception {
        JsonNode node = JSON.readTree(json).path(name);
        if (node.isMissingNode()) {
            throw new IllegalStateException("no '" + name + "' in " + json);
        }
        return node.asText();
    }

    /** A patient's chart request (after /api/v1/patients/{id}): the 90 days up to {@code to}. */
    private static String chartPath(Instant to) {
        return "/readings?limit=10000&from=" + to.minus(Duration.ofDays(90)) + "&to=" + to;
    }

    /** Opens random patients' 90-day charts one after another on its own thread until stopped; their latencies. */
    private final class ChartsMeanwhile {
        private final List<Double> millis = java.util.Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;
        private volatile boolean running = true;
        private volatile Exception failure;

        ChartsMeanwhile(String base, String nurse, List<UUID> ids) {
            Random random = new Random(7);
            thread = new Thread(() -> {
                while (running) {
                    String path = "/api/v1/patients/" + ids.get(random.nextInt(ids.size())) + chartPath(Instant.now());
                    long t0 = System.nanoTime();
                    try {
                        send(base, nurse, "GET", path, null);
                    } catch (Exception e) {
                        failure = e;
                        return;
                    }
                    millis.add((System.nanoTime() - t0) / 1e6);
                }
            }, "charts-meanwhile");
            thread.start();
        }

        Percentiles stop() throws Exception {
            running = false;
            thread.join();
            if (failure != null) {
                throw failure;
            }
            return Percentiles.of(millis.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    private static void row(Report report, String pass, String what, double[] millis) {
        report.line("| %s | %s | %.1f ms | %.1f ms | %.1f ms |", pass, what, p(millis, 50), p(millis, 99), p(millis, 100));
    }

    private static double p(double[] values, double percentile) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
