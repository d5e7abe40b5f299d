package health.careloop.platform;

import health.careloop.testing.FreePort;
import health.careloop.common.config.DatabaseConfig;
import health.careloop.embedded.EmbeddedBroker;
import health.careloop.testing.TestDatabases;
import health.careloop.testing.TestDevice;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rolling restart under load, with real processes: CareLoop runs as its own JVM against a persistent broker and a
 * database the test owns; 40 devices publish a stream while the process gets SIGTERM; the process must exit 0 within
 * the shutdown bound, and a second process with the same MQTT client id must end with every reading the broker
 * acknowledged stored exactly once. The second process sees no duplicate: what the first committed, it acknowledged
 * before disconnecting (the drain), so the broker redelivered only what was never written. The second process logs in
 * JSON (CARELOOP_LOG_FORMAT=json): every line it prints must parse.
 */
class GracefulShutdownTest {
    private static final String CLIENT_ID = "careloop-ingest-graceful-test";
    private static final int DEVICES = 40;
    private static final String TOKEN = "graceful-shutdown-test-token-" + UUID.randomUUID();

    @TempDir
    Path dir;
    private EmbeddedBroker broker;
    private DatabaseConfig database;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(dir.resolve("broker"), 0, true);
        database = TestDatabases.fresh();
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
        if (database != null) {
            TestDatabases.drop(database);
        }
    }

    @Test
    void sigtermUnderLoadDrainsAndARestartLosesNothing() throws Exception {
        int port1 = FreePort.loopback();
        Process first = launch(port1, "text", dir.resolve("first.log"));
        Process second = null;
        AtomicBoolean publishing = new AtomicBoolean(true);
        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger failures = new AtomicInteger();
        Thread publisher = null;
        try {
            awaitReady(first, port1, dir.resolve("first.log"));
            ApiClient api = new ApiClient(port1, TOKEN);
            // Many devices, so that no device's own rate limit is what the test measures.
            List<String> devices = new java.util.ArrayList<>();
            String practice = api.id(api.post("/api/v1/practices", "{\"name\":\"Rolling Restart Clinic\",\"timeZone\":\"America/Chicago\"}"));
            for (int d = 0; d < DEVICES; d++) {
                devices.add(registerCuff(api, practice));
            }

            Instant base = Instant.now().minus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS);
            String brokerUrl = "tcp://127.0.0.1:" + broker.port();
            publisher = new Thread(() -> {
                try (TestDevice cuff = new TestDevice(brokerUrl)) {
                    for (int i = 0; publishing.get(); i++) {
                        String reading = "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + base.plusSeconds(i)
                                + "\",\"systolic\":" + (110 + i % 40) + ",\"diastolic\":80}";
                        try {
                            cuff.publish(devices.get(i % DEVICES), reading);
                            acknowledged.add(i);
                        } catch (Exception e) {
                            failures.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                }
            }, "publisher");
            publisher.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> storedCount() >= 200);
            long sigterm = System.nanoTime();
            first.destroy(); // SIGTERM
            assertThat(first.waitFor(CareLoop.SHUTDOWN_BOUND.toSeconds() + 5, TimeUnit.SECONDS))
                    .as("exited within the bound; log:%n%s", log(dir.resolve("first.log"))).isTrue();
            long stopMs = (System.nanoTime() - sigterm) / 1_000_000;
            assertThat(first.exitValue()).as("clean shutdown exits 0; log:%n%s", log(dir.resolve("first.log"))).isZero();
            assertThat(stopMs).isLessThan(CareLoop.SHUTDOWN_BOUND.toMillis());
            String firstLog = log(dir.resolve("first.log"));
            assertThat(firstLog).contains("Stopped ingest consumer", "CareLoop stopped in");
            int storedByFirst = storedCount();
            int acknowledgedAtStop = acknowledged.size();

            // The broker keeps queueing for the persistent session while no ingest process runs.
            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= acknowledgedAtStop + 100);

            int port2 = FreePort.loopback();
            second = launch(port2, "json", dir.resolve("second.log"));
            awaitReady(second, port2, dir.resolve("second.log"));
            Thread.sleep(500);
            publishing.set(false);
            publisher.join(10_000);
            assertThat(failures.get()).as("publishes the broker refused").isZero();

            // A bound for a loaded machine (327 readings still uncommitted after 20 s at load 12); a lost one still fails.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (storedCount() < acknowledged.size() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Set<Integer> stored = storedIndexes(base);
            Set<Integer> missing = new java.util.TreeSet<>(acknowledged);
            missing.removeAll(stored);
            assertThat(stored).as("every acknowledged reading stored once; %d acknowledged, %d stored (%d by the first process,"
                            + " %d acknowledged at SIGTERM), missing %s%nfirst:%n%s%nsecond:%n%s", acknowledged.size(), stored.size(),
                    storedByFirst, acknowledgedAtStop, missing, firstLog, log(dir.resolve("second.log")))
                    .isEqualTo(new HashSet<>(acknowledged));
            assertThat(stored.size()).isGreaterThan(storedByFirst);
            assertThat(scalar("SELECT count(*) FROM ingest.dead_letter")).isZero();
            assertThat(metric(port2, "careloop_ingest_readings_duplicate_total"))
                    .as("the first process acknowledged everything it committed, so nothing came back").isZero();

            second.destroy();
            assertThat(second.waitFor(CareLoop.SHUTDOWN_BOUND.toSeconds() + 5, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).isZero();
            List<String> lines = Files.readAllLines(dir.resolve("second.log")).stream().filter(l -> !l.isBlank()).toList();
            assertThat(lines).isNotEmpty();
            for (String line : lines) {
                try {
                    new JsonObject(line);
                } catch (DecodeException e) {
                    throw new AssertionError("not a JSON line with CARELOOP_LOG_FORMAT=json: " + line, e);
                }
            }
            assertThat(lines).anySatisfy(l -> assertThat(new JsonObject(l).getString("formattedMessage")).startsWith("CareLoop is up"));
            System.out.printf("SIGTERM to exit: %d ms; readings stored by the first process %d, in all %d%n",
                    stopMs, storedByFirst, stored.size());
        } finally {
            publishing.set(false);
            if (publisher != null) {
                publisher.join(5_000);
            }
            first.destroyForcibly();
            if (second != null) {
                second.destroyForcibly();
            }
        }
    }

    private Process launch(int httpPort, String logFormat, Path logFile) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "health.careloop.platform.CareLoop");
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("CARELOOP_"));
        env.put("CARELOOP_DB_URL", database.jdbcUrl());
        env.put("CARELOOP_DB_USER", database.user());
        env.put("CARELOOP_DB_PASSWORD", database.password());
        env.put("CARELOOP_MQTT_URL", "tcp://127.0.0.1:" + broker.port());
        env.put("CARELOOP_HTTP_PORT", Integer.toString(httpPort));
        env.put("CARELOOP_METRICS_PORT", Integer.toString(metricsPortOf(httpPort)));
        env.put("CARELOOP_INGEST_CLIENT_ID", CLIENT_ID);
        env.put("CARELOOP_ROLE", "all");
        env.put("CARELOOP_API_TOKEN", TOKEN);
        env.put("CARELOOP_DATA_DIR", dir.resolve("data").toString());
        env.put("CARELOOP_LOG_FORMAT", logFormat);
        pb.redirectErrorStream(false);
        pb.redirectOutput(logFile.toFile());
        pb.redirectError(dir.resolve(logFile.getFileName() + ".err").toFile());
        return pb.start();
    }

    private void awaitReady(Process process, int port, Path logFile) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("CareLoop exited with " + process.exitValue() + ":\n" + log(logFile));
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private static String registerCuff(ApiClient api, String practice) throws Exception {
        String patient = api.id(api.post("/api/v1/patients", "{\"practiceId\":\"" + practice + "\",\"externalRef\":\"MRN-" + UUID.randomUUID() + "\"}"));
        String device = "cuff-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(api.post("/api/v1/devices", "{\"deviceId\":\"" + device + "\",\"practiceId\":\"" + practice + "\",\"kind\":\"blood_pressure_cuff\"}")
                .status()).isEqualTo(201);
        assertThat(api.post("/api/v1/devices/" + device + "/assignments", "{\"patientId\":\"" + patient + "\",\"validFrom\":\""
                + Instant.now().minus(Duration.ofDays(30)) + "\"}").status()).isEqualTo(201);
        return device;
    }

    /** Each process's metrics listener, by its API port. */
    private final Map<Integer, Integer> metricsPorts = new java.util.HashMap<>();

    private int metricsPortOf(int httpPort) {
        return metricsPorts.computeIfAbsent(httpPort, p -> FreePort.loopback());
    }

    private double metric(int port, String name) throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPortOf(port) + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(text);
        assertThat(m.find()).as("%s in /metrics", name).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
    }

    private int storedCount() throws Exception {
        return (int) scalar("SELECT count(*) FROM ingest.reading");
    }

    /** Reading i was measured at base + i seconds, whichever device sent it. */
    private Set<Integer> storedIndexes(Instant base) throws Exception {
        Set<Integer> indexes = new HashSet<>();
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement("SELECT measured_at FROM ingest.reading")) {
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Instant at = rs.getTimestamp(1).toInstant();
                    assertThat(indexes.add((int) Duration.between(base, at).toSeconds())).as("stored twice: %s", at).isTrue();
                }
            }
        }
        return indexes;
    }

    private long scalar(String sql) throws Exception {
        try (Connection c = connect(); var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String log(Path file) throws IOException {
        Path err = file.resolveSibling(file.getFileName() + ".err");
        return (Files.exists(file) ? Files.readString(file) : "") + (Files.exists(err) ? Files.readString(err) : "");
    }
}
