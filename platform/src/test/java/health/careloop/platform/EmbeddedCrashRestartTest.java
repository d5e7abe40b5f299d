package health.careloop.platform;

import health.careloop.testing.TestDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedded default (its own PostgreSQL and HiveMQ in the data directory, devices signing in) killed with SIGKILL,
 * as a power cut or the OOM killer would, and started again on the same data directory, as an operator would: it comes
 * up although its PostgreSQL outlived it, drains what the broker held, and a reading a device publishes after the
 * restart is stored within a second. Before issue 14 the restart failed ("Gave up waiting for server to start") and,
 * once the orphan was stopped by hand, ingest received nothing more while /ready said ready.
 */
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class EmbeddedCrashRestartTest {
    private static final String TOKEN = "crash-restart-test-token-" + UUID.randomUUID();
    private static final String DEVICE = "cuff-crash-1";

    @TempDir
    Path dir;
    private final Map<String, String> settings = new HashMap<>();
    private final List<CareLoopProcess> processes = new ArrayList<>();
    private CareLoopProcess careLoop;
    private ApiClient api;
    private String patientId;
    private String devicePassword;
    private int mqttPort;

    @BeforeEach
    void startFresh() throws Exception {
        mqttPort = EmbeddedPlatforms.freePort();
        settings.putAll(Map.of(
                "CARELOOP_DATA_DIR", dir.resolve("data").toString(),
                "CARELOOP_HTTP_PORT", Integer.toString(EmbeddedPlatforms.freePort()),
                "CARELOOP_EMBEDDED_MQTT_PORT", Integer.toString(mqttPort),
                "CARELOOP_API_TOKEN", TOKEN));
        start();
        String practice = api.post("/api/v1/practices", "{\"name\":\"Crash Clinic\",\"timeZone\":\"UTC\"}").json().getString("id");
        patientId = api.post("/api/v1/patients", "{\"practiceId\":\"" + practice + "\",\"externalRef\":\"MRN-CRASH\"}").json().getString("id");
        assertThat(api.post("/api/v1/devices", "{\"deviceId\":\"" + DEVICE + "\",\"practiceId\":\"" + practice
                + "\",\"kind\":\"blood_pressure_cuff\"}").status()).isEqualTo(201);
        assertThat(api.post("/api/v1/devices/" + DEVICE + "/assignments", "{\"patientId\":\"" + patientId
                + "\",\"validFrom\":\"2020-01-01T00:00:00Z\"}").status()).isEqualTo(201);
        devicePassword = EmbeddedPlatforms.devicePassword(api, DEVICE);
    }

    @AfterEach
    void stop() throws Exception {
        for (CareLoopProcess p : processes) {
            p.close();
        }
    }

    /** The case the outside review found: killed right after its first readings on a fresh data directory. */
    @Test
    void killedRightAfterItsFirstReadingItComesBackAndHearsNewReadings() throws Exception {
        Instant first = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (TestDevice cuff = device()) {
            cuff.publish(DEVICE, reading(first, 121));
        }
        careLoop.kill();
        start();
        assertNewReadingStoredWithinASecond(132);
        awaitStored(2, Duration.ofSeconds(30));
    }

    /** A backlog in the broker's queue at the crash, twice in a row: each restart drains it and keeps hearing. */
    @Test
    void killedTwiceWithABacklogItDrainsAndKeepsHearing() throws Exception {
        int perRound = 1500;
        Instant base = Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
        int expected = 0;
        for (int round = 0; round < 2; round++) {
            try (TestDevice cuff = device()) {
                for (int i = 0; i < perRound; i++) {
                    cuff.publish(DEVICE, reading(base.plusSeconds(60L * (round * perRound + i)), 100 + i % 60));
                }
            }
            expected += perRound;
            careLoop.kill(); // right after the last PUBACK: most of the round is still in the broker's queue
            start();
            awaitStored(expected, Duration.ofSeconds(90));
            assertNewReadingStoredWithinASecond(140 + round);
            expected++;
        }
        assertThat(storedCount()).as("every reading stored once").isEqualTo(expected);
    }

    private void start() throws Exception {
        careLoop = CareLoopProcess.start(settings, dir.resolve("careloop-" + processes.size() + ".log"));
        processes.add(careLoop);
        api = new ApiClient(careLoop.httpPort(), TOKEN);
    }

    private TestDevice device() throws Exception {
        return new TestDevice("tcp://127.0.0.1:" + mqttPort, DEVICE, devicePassword);
    }

    /** Publishes a reading stamped now and waits at most one second from the broker's PUBACK to seeing it stored. */
    private void assertNewReadingStoredWithinASecond(int systolic) throws Exception {
        Instant measured = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (TestDevice cuff = device()) {
            cuff.publish(DEVICE, reading(measured, systolic));
        }
        // Within a second of the PUBACK (the last poll may itself take a moment on a loaded machine).
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .alias("a reading published after the restart is stored within 1 s of its PUBACK; log:\n" + careLoop.log())
                .until(() -> api.get("/api/v1/patients/" + patientId + "/readings?from=" + measured.minusMillis(1)
                        + "&to=" + measured.plusMillis(1)).json().getJsonArray("items").size() == 1);
    }

    private void awaitStored(int expected, Duration within) throws Exception {
        try {
            await().atMost(within).pollInterval(Duration.ofMillis(200)).until(() -> storedCount() == expected);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(storedCount() + " of " + expected + " readings stored within " + within + "; log:\n" + careLoop.log(), e);
        }
    }

    private int storedCount() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        var days = api.get("/api/v1/patients/" + patientId + "/data-days?from=" + today.minusDays(5) + "&to=" + today.plusDays(1))
                .json().getJsonArray("days");
        int count = 0;
        for (int i = 0; i < days.size(); i++) {
            count += days.getJsonObject(i).getInteger("readings");
        }
        return count;
    }

    private static String reading(Instant measuredAt, int systolic) {
        return "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + measuredAt + "\",\"systolic\":" + systolic + ",\"diastolic\":80}";
    }
}
