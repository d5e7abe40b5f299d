package health.careloop.platform;

import health.careloop.common.config.DatabaseConfig;
import health.careloop.testing.PrivateMosquitto;
import health.careloop.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scale-out on one machine, with real processes and a Mosquitto configured as shipped (PrivateMosquitto: the
 * machine's broker on 1883 keeps Mosquitto's default of 1000 queued messages per session, and a shared subscription
 * keeps giving a dead member its share, so that broker drops what queues for the killed process beyond 1000: the
 * first run of this test against it never saw all 6,000 readings). Three ingest processes share the stream
 * through a shared subscription and two clinical processes evaluate it; one of each is killed with SIGKILL mid-stream.
 * The survivors go on storing and evaluating; the killed ingest process, restarted under its client id as an
 * orchestrator would, drains what the broker had queued for its session. At the end every reading the broker accepted
 * is stored once, and every crisis reading raised or joined exactly one alert.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ScaleOutTest {
    private static final String TOKEN = "scale-out-test-token-" + UUID.randomUUID();
    private static final int DEVICES = 40;
    private static final int READINGS = 6000;

    @TempDir
    Path dir;
    private PrivateMosquitto mosquitto;
    private DatabaseConfig db;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<CareLoopProcess> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws Exception {
        for (CareLoopProcess p : processes) {
            p.close();
        }
        if (mosquitto != null) {
            mosquitto.close();
        }
        if (db != null) {
            TestDatabases.drop(db);
        }
    }

    private String clientId(int instance) {
        return "careloop-scale-" + run + "-" + instance;
    }

    private CareLoopProcess launch(String role, int instance, String name) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("CARELOOP_ROLE", role);
        env.put("CARELOOP_DB_URL", db.jdbcUrl());
        env.put("CARELOOP_DB_USER", db.user());
        env.put("CARELOOP_DB_PASSWORD", db.password());
        env.put("CARELOOP_MQTT_URL", mosquitto.url());
        env.put("CARELOOP_INGEST_CLIENT_ID", clientId(instance));
        env.put("CARELOOP_INGEST_SHARE_GROUP", "scale-" + run);
        env.put("CARELOOP_HTTP_PORT", Integer.toString(EmbeddedPlatforms.freePort()));
        env.put("CARELOOP_API_TOKEN", TOKEN);
        env.put("CARELOOP_DATA_DIR", dir.resolve("data-" + name).toString());
        CareLoopProcess process = CareLoopProcess.start(env, dir.resolve(name + ".log"));
        processes.add(process);
        return process;
    }

    @Test
    void threeIngestAndTwoClinicalProcessesLoseOneEachToSigkillAndNothingIsLostOrDoubled() throws Exception {
        mosquitto = PrivateMosquitto.start();
        db = TestDatabases.fresh();
        CareLoopProcess clinical1 = launch("clinical", 11, "clinical-1");
        CareLoopProcess clinical2 = launch("clinical", 12, "clinical-2");
        CareLoopProcess ingest1 = launch("ingest", 1, "ingest-1");
        CareLoopProcess ingest2 = launch("ingest", 2, "ingest-2");
        CareLoopProcess ingest3 = launch("ingest", 3, "ingest-3");

        ApiClient api = new ApiClient(clinical2.httpPort(), TOKEN);
        String practice = api.id(api.post("/api/v1/practices", "{\"name\":\"Scale-out Clinic\",\"timeZone\":\"UTC\"}"));
        CrisisStream stream = CrisisStream.register(api, practice, "SCALE-" + run, DEVICES, new java.util.HashSet<>());
        stream.start(mosquitto.url(), READINGS, 20);
        long killedAt;
        double survivorsAtKill;
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> scalar("SELECT count(*) FROM ingest.reading") >= 800);
            ingest1.kill();
            clinical1.kill();
            killedAt = scalar("SELECT count(*) FROM ingest.reading");
            survivorsAtKill = stored(ingest2) + stored(ingest3);
            stream.awaitPublished(Duration.ofSeconds(120));
        } finally {
            stream.stop(Duration.ofSeconds(5));
        }
        assertThat(stream.acknowledgedCount()).isEqualTo(READINGS);

        // The survivors took over the stream...
        await().atMost(Duration.ofSeconds(30)).until(() -> stored(ingest2) + stored(ingest3) > survivorsAtKill + 1000);
        long beforeRestart = scalar("SELECT count(*) FROM ingest.reading");
        // ...and what the broker had queued for the killed process's session comes in when it is back.
        CareLoopProcess ingest1Again = launch("ingest", 1, "ingest-1-again");
        await().atMost(Duration.ofSeconds(60)).until(() -> scalar("SELECT count(*) FROM ingest.reading") >= READINGS);
        stream.assertStoredOnce(db, "every reading the broker accepted, stored once");
        await().atMost(Duration.ofSeconds(60)).until(() ->
                scalar("SELECT count(*) FROM clinical.alert_reading WHERE rule_id = 'bp_crisis' AND triggered") >= stream.crisisCount());
        stream.assertEachCrisisAlertedOnce(db);

        double byIngest2 = stored(ingest2);
        double byIngest3 = stored(ingest3);
        double byIngest1Again = stored(ingest1Again);
        System.out.printf("Scale-out: %d readings; %d stored when ingest-1 and clinical-1 were killed; %d before ingest-1 came back; "
                        + "survivors stored %.0f and %.0f, ingest-1 after its restart %.0f (its session's queue)%n",
                READINGS, killedAt, beforeRestart, byIngest2, byIngest3, byIngest1Again);
        assertThat(byIngest2).isPositive();
        assertThat(byIngest3).isPositive();
    }

    private double stored(CareLoopProcess process) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + process.metricsPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(l -> l.startsWith("careloop_ingest_readings_stored_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }

    private long scalar(String sql) throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
