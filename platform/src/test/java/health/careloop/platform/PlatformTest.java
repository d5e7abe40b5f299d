package health.careloop.platform;

import health.careloop.testing.FreePort;
import health.careloop.platform.config.CareLoopConfig;
import health.careloop.common.config.ConfigException;
import health.careloop.common.config.DatabaseConfig;
import health.careloop.testing.TestDatabases;
import health.careloop.testing.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The launcher as a user runs it: embedded by default, external services by configuration, clear errors otherwise. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PlatformTest {

    /** Registers a practice, patient and cuff; returns {patientId, deviceId}. */
    private static String[] registerCuff(ApiClient api) throws Exception {
        String practice = api.id(api.post("/api/v1/practices", "{\"name\":\"Riverside Family Medicine\",\"timeZone\":\"America/Chicago\"}"));
        String patient = api.id(api.post("/api/v1/patients", "{\"practiceId\":\"" + practice + "\",\"externalRef\":\"MRN-" + UUID.randomUUID() + "\"}"));
        String device = "cuff-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(api.post("/api/v1/devices", "{\"deviceId\":\"" + device + "\",\"practiceId\":\"" + practice + "\",\"kind\":\"blood_pressure_cuff\"}")
                .status()).isEqualTo(201);
        assertThat(api.post("/api/v1/devices/" + device + "/assignments", "{\"patientId\":\"" + patient + "\",\"validFrom\":\""
                + Instant.now().minus(Duration.ofDays(1)) + "\"}").status()).isEqualTo(201);
        return new String[]{patient, device};
    }

    private static String bloodPressureNow() {
        return "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + Instant.now().truncatedTo(ChronoUnit.MILLIS) + "\",\"systolic\":131,\"diastolic\":84}";
    }

    /**
     * Publishes as a device maker's script would: mosquitto_pub when installed, else Paho; signed in with the device's
     * MQTT password when one is given (the embedded broker), anonymously otherwise (the machine's Mosquitto).
     */
    private static void publishLikeADevice(int port, String device, String password, String payload) throws Exception {
        if (new File("/usr/bin/mosquitto_pub").canExecute()) {
            List<String> command = new ArrayList<>(List.of("/usr/bin/mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-q", "1",
                    "-t", "rpm/v1/devices/" + device + "/readings", "-m", payload));
            if (password != null) {
                command.addAll(List.of("-u", device, "-P", password, "-i", device)); // a device's client id is its id
            }
            Process p = new ProcessBuilder(command).inheritIO().start();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        } else {
            try (TestDevice d = new TestDevice("tcp://127.0.0.1:" + port, password == null ? null : device, password)) {
                d.publish(device, payload);
            }
        }
    }

    private static long waitForReadings(ApiClient api, String patient, int expected, Duration within) throws Exception {
        long started = System.nanoTime();
        while (System.nanoTime() - started < within.toNanos()) {
            if (api.get("/api/v1/patients/" + patient + "/readings").json().getJsonArray("items").size() >= expected) {
                return Duration.ofNanos(System.nanoTime() - started).toMillis();
            }
            Thread.sleep(20);
        }
        return -1;
    }

    @Test
    void withNothingConfiguredItStartsEmbeddedServicesAndAPublishedReadingIsInTheApiWithinASecond() throws Exception {
        Path dataDir = Files.createTempDirectory("careloop-data");
        int mqttPort = FreePort.loopback();
        try (Platform platform = Platform.start(CareLoopConfig.from(EmbeddedPlatforms.settings(dataDir, mqttPort)))) {
            ApiClient api = new ApiClient(platform.httpPort(), Files.readString(dataDir.resolve("admin-token")).trim());
            assertThat(api.getWithoutToken("/ready").status()).isEqualTo(200);
            String[] ids = registerCuff(api);
            publishLikeADevice(mqttPort, ids[1], EmbeddedPlatforms.devicePassword(api, ids[1]), bloodPressureNow());
            long millis = waitForReadings(api, ids[0], 1, Duration.ofSeconds(1));
            assertThat(millis).as("reading visible in the API within a second").isBetween(0L, 1000L);
            var reading = api.get("/api/v1/patients/" + ids[0] + "/readings").json().getJsonArray("items").getJsonObject(0);
            assertThat(reading.getInteger("systolic")).isEqualTo(131);
            assertThat(reading.getString("loinc")).isEqualTo("85354-9");
            assertThat(Files.isDirectory(dataDir.resolve("postgres"))).isTrue();
        }
    }

    @Test
    void withDatabaseAndBrokerConfiguredItUsesTheMachinesPostgresAndMosquitto() throws Exception {
        DatabaseConfig db = TestDatabases.fresh();
        String clientId = "careloop-it-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> env = EmbeddedPlatforms.settings(Files.createTempDirectory("careloop-data"), 0);
        env.put("CARELOOP_DB_URL", db.jdbcUrl());
        env.put("CARELOOP_DB_USER", db.user());
        env.put("CARELOOP_MQTT_URL", "tcp://127.0.0.1:1883");
        env.put("CARELOOP_INGEST_CLIENT_ID", clientId);
        env.put("CARELOOP_INGEST_SHARE_GROUP", "it-" + clientId);
        env.put("CARELOOP_API_TOKEN", "a-test-token-of-some-length");
        try (Platform platform = Platform.start(CareLoopConfig.from(env))) {
            ApiClient api = new ApiClient(platform.httpPort(), "a-test-token-of-some-length");
            assertThat(Files.exists(Path.of(env.get("CARELOOP_DATA_DIR")).resolve("postgres"))).as("no embedded database").isFalse();
            String[] ids = registerCuff(api);
            publishLikeADevice(1883, ids[1], null, bloodPressureNow());
            assertThat(waitForReadings(api, ids[0], 1, Duration.ofSeconds(10))).isNotNegative();
        } finally {
            TestDatabases.drop(db);
            TestDevice.purgeSession("tcp://127.0.0.1:1883", clientId);
        }
    }

    @Test
    void theApiRefusesBadRequestsWithClearErrorsAndAuditsAccess() throws Exception {
        Path dataDir = Files.createTempDirectory("careloop-data");
        try (Platform platform = Platform.start(CareLoopConfig.from(EmbeddedPlatforms.settings(dataDir, FreePort.loopback())))) {
            ApiClient api = new ApiClient(platform.httpPort(), platform.apiToken());
            ApiClient stranger = new ApiClient(platform.httpPort(), "wrong-token");
            assertThat(api.getWithoutToken("/api/v1/practices").status()).isEqualTo(401);
            assertThat(stranger.get("/api/v1/practices").json().getString("error")).isEqualTo("unauthenticated");
            assertThat(api.post("/api/v1/practices", "{oops").json().getString("error")).isEqualTo("invalid_json");
            assertThat(api.post("/api/v1/practices", "{\"name\":\"X\",\"timeZone\":\"Mars/Olympus\"}").json().getString("message"))
                    .contains("IANA time zone");
            String[] ids = registerCuff(api);
            var overlap = api.post("/api/v1/devices/" + ids[1] + "/assignments", "{\"patientId\":\"" + ids[0] + "\",\"validFrom\":\""
                    + Instant.now().minus(Duration.ofDays(3)) + "\",\"validTo\":\"" + Instant.now().minus(Duration.ofHours(2)) + "\"}");
            assertThat(overlap.status()).isEqualTo(409);
            assertThat(overlap.json().getString("message")).contains("must not overlap");
            assertThat(api.get("/api/v1/devices/no-such-device").status()).isEqualTo(404);
            assertThat(api.post("/api/v1/devices", "{\"deviceId\":\"bad id!\",\"practiceId\":\"" + UUID.randomUUID() + "\",\"kind\":\"scale\"}")
                    .status()).isEqualTo(400);
            assertThat(api.post("/api/v1/devices", "{\"deviceId\":\"" + ids[1] + "\",\"practiceId\":\"" + UUID.randomUUID() + "\",\"kind\":\"scale\"}")
                    .status()).isEqualTo(404);
            assertThat(api.get("/api/v1/patients/" + ids[0] + "/readings?from=yesterday").status()).isEqualTo(400);
            assertThat(api.get("/api/v1/patients/" + ids[0] + "/readings?limit=0").status()).isEqualTo(400);
            assertThat(api.get("/api/v1/nothing-here").status()).isEqualTo(404);
            assertThat(api.get("/api/v1/patients/" + ids[0] + "/data-days?from=2026-11-01&to=2026-11-30").json().getInteger("dataDays")).isZero();
            assertThat(api.getWithoutToken("/openapi.yaml").body()).contains("/devices/{deviceId}/assignments");
            // Metrics are on their own listener (loopback by default), not on the API's port.
            assertThat(api.getWithoutToken("/metrics").status()).isEqualTo(404);
            String metrics = new ApiClient(platform.metricsPort(), null).getWithoutToken("/metrics").body();
            assertThat(metrics).contains("careloop_ingest_readings_stored_total", "careloop_ingest_batch_commit_seconds",
                    "careloop_ingest_in_flight", "vertx_http_server_requests_total");
            Thread.sleep(300);
            try (var c = java.sql.DriverManager.getConnection(platformJdbc(platform)); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT count(*) FROM core.audit_event WHERE resource LIKE '/api/v1/patients/" + ids[0] + "/readings%' AND outcome = 400")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
        }
    }

    @Test
    void aTakenBrokerPortOrABadSettingStopsStartUpWithAClearMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Map<String, String> env = EmbeddedPlatforms.settings(Files.createTempDirectory("careloop-data"), taken.getLocalPort());
            assertThatThrownBy(() -> Platform.start(CareLoopConfig.from(env)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("Port " + taken.getLocalPort() + " on 127.0.0.1 is already in use")
                    .hasMessageContaining("CARELOOP_EMBEDDED_MQTT_PORT");
        }
        assertThatThrownBy(() -> CareLoopConfig.from(Map.of("CARELOOP_HTTP_PORT", "eighty")))
                .hasMessage("CARELOOP_HTTP_PORT must be a whole number, got 'eighty'");
        assertThatThrownBy(() -> CareLoopConfig.from(Map.of("CARELOOP_ROLE", "everything")))
                .hasMessageContaining("CARELOOP_ROLE must be one of all, ingest, clinical, billing");
        assertThatThrownBy(() -> CareLoopConfig.from(Map.of("CARELOOP_DB_URL", "postgres://x")))
                .hasMessageContaining("must be a PostgreSQL JDBC URL");
        assertThatThrownBy(() -> CareLoopConfig.from(Map.of("CARELOOP_ESCALATE_CRITICAL_AFTER_MINUTES", "0")))
                .hasMessage("CARELOOP_ESCALATE_CRITICAL_AFTER_MINUTES must be between 1 and 1440, got 0");
        assertThat(CareLoopConfig.from(Map.of("CARELOOP_ESCALATE_CRITICAL_AFTER_MINUTES", "5")).escalateCriticalAfter())
                .isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> CareLoopConfig.from(Map.of("CARELOOP_MQTT_URL", "ws://broker")))
                .hasMessageContaining("CARELOOP_MQTT_URL must use tcp://");
    }

    private static String platformJdbc(Platform platform) {
        return platform.jdbcUrlForTests();
    }

}
