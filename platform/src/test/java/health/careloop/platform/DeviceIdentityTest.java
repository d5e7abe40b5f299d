package health.careloop.platform;

import health.careloop.testing.TestDevice;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded broker as shipped (CARELOOP_EMBEDDED_MQTT_AUTH=devices): a device signs in with its own id and the
 * password CareLoop issued, and can publish only its own readings; device A cannot publish as device B, cannot take
 * ingest's or another device's session with its own password (issue 14: a device of another practice took ingest's
 * session and received every practice's readings), and cannot leave retained messages on the broker.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeviceIdentityTest {
    static Platform platform;
    static ApiClient api;
    static String broker;
    static String patientA;
    static String patientB;
    static final String INGEST_CLIENT_ID = "careloop-ingest-identity-test";

    @BeforeAll
    static void start() throws Exception {
        int mqttPort = EmbeddedPlatforms.freePort();
        platform = EmbeddedPlatforms.start(Map.of("CARELOOP_EMBEDDED_MQTT_PORT", Integer.toString(mqttPort),
                "CARELOOP_INGEST_CLIENT_ID", INGEST_CLIENT_ID));
        broker = "tcp://127.0.0.1:" + mqttPort;
        api = new ApiClient(platform.httpPort(), platform.apiToken());
        String practice = api.id(api.post("/api/v1/practices", "{\"name\":\"Identity\",\"timeZone\":\"UTC\"}"));
        patientA = api.id(api.post("/api/v1/patients", "{\"practiceId\":\"" + practice + "\",\"externalRef\":\"MRN-IA\"}"));
        patientB = api.id(api.post("/api/v1/patients", "{\"practiceId\":\"" + practice + "\",\"externalRef\":\"MRN-IB\"}"));
        for (String[] device : new String[][]{{"cuff-ident-a", patientA}, {"cuff-ident-b", patientB}}) {
            assertThat(api.post("/api/v1/devices", "{\"deviceId\":\"" + device[0] + "\",\"practiceId\":\"" + practice
                    + "\",\"kind\":\"blood_pressure_cuff\"}").status()).isEqualTo(201);
            assertThat(api.post("/api/v1/devices/" + device[0] + "/assignments", "{\"patientId\":\"" + device[1] + "\",\"validFrom\":\""
                    + Instant.now().minus(Duration.ofDays(1)) + "\"}").status()).isEqualTo(201);
        }
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static String reading(int systolic) {
        return "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + Instant.now().truncatedTo(ChronoUnit.MILLIS)
                + "\",\"systolic\":" + systolic + ",\"diastolic\":80}";
    }

    private static int readings(String patient) throws Exception {
        return api.get("/api/v1/patients/" + patient + "/readings").json().getJsonArray("items").size();
    }

    private static int connectRefusal(String username, String password) {
        try (TestDevice ignored = new TestDevice(broker, username, password)) {
            return 0;
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }

    @Test
    void deviceAPublishesItsOwnReadingsButCannotPublishAsDeviceB() throws Exception {
        String passwordA = EmbeddedPlatforms.devicePassword(api, "cuff-ident-a");
        int before = readings(patientA);
        try (TestDevice a = new TestDevice(broker, "cuff-ident-a", passwordA)) {
            a.publish("cuff-ident-a", reading(121));
            awaitReadings(patientA, before + 1);

            // MQTT 3.1.1 has no refusal for a PUBLISH: the broker drops it and closes A's connection.
            try {
                a.publish("cuff-ident-b", reading(190));
            } catch (MqttException expected) {
                // the connection may already be gone when Paho waits for the PUBACK
            }
            long closing = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (a.isConnected() && System.nanoTime() < closing) {
                Thread.sleep(20);
            }
            assertThat(a.isConnected()).as("the broker closed the connection of a device publishing as another").isFalse();
        }
        Thread.sleep(500);
        assertThat(readings(patientB)).as("nothing was stored for device B").isZero();
        assertThat(api.get("/api/v1/patients/" + patientB + "/alerts").json().getJsonArray("items")).isEmpty();
    }

    private static int connectRefusal(String username, String password, String clientId) {
        try (TestDevice ignored = new TestDevice(broker, username, password, clientId)) {
            return 0;
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }

    private static void awaitReadings(String patient, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (readings(patient) < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(readings(patient)).isEqualTo(count);
    }

    @Test
    void aDeviceWithItsOwnPasswordCannotTakeIngestsSessionOrAnotherDevices() throws Exception {
        String passwordA = EmbeddedPlatforms.devicePassword(api, "cuff-ident-a");
        String passwordB = EmbeddedPlatforms.devicePassword(api, "cuff-ident-b");
        int before = readings(patientA);
        try (TestDevice a = new TestDevice(broker, "cuff-ident-a", passwordA)) {
            assertThat(connectRefusal("cuff-ident-b", passwordB, INGEST_CLIENT_ID)).as("device B under ingest's client id")
                    .isEqualTo(MqttException.REASON_CODE_INVALID_CLIENT_ID);
            assertThat(connectRefusal("cuff-ident-b", passwordB, "cuff-ident-a")).as("device B under device A's client id")
                    .isEqualTo(MqttException.REASON_CODE_INVALID_CLIENT_ID);
            assertThat(connectRefusal("cuff-ident-b", passwordB, "careloop-sim-x")).as("device B under a simulator client id")
                    .isEqualTo(MqttException.REASON_CODE_INVALID_CLIENT_ID);
            assertThat(a.isConnected()).as("device A kept its connection").isTrue();
            a.publish("cuff-ident-a", reading(122));
            awaitReadings(patientA, before + 1); // ingest kept its session: it still receives
        }
        assertThat(api.get("/ready").status()).isEqualTo(200);
        assertThat(connectRefusal("careloop-ingest", "a guess", "cuff-ident-a")).as("ingest's account under a device's id")
                .isEqualTo(MqttException.REASON_CODE_INVALID_CLIENT_ID);
    }

    @Test
    void aRetainedReadingIsRefusedAndNotStored() throws Exception {
        String passwordB = EmbeddedPlatforms.devicePassword(api, "cuff-ident-b");
        int before = readings(patientB);
        try (TestDevice b = new TestDevice(broker, "cuff-ident-b", passwordB)) {
            try {
                b.publishRetained("cuff-ident-b", reading(150));
            } catch (MqttException expected) {
                // the broker closes the connection instead of acknowledging it
            }
            long closing = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (b.isConnected() && System.nanoTime() < closing) {
                Thread.sleep(20);
            }
            assertThat(b.isConnected()).as("the broker closed the connection of a device publishing a retained message").isFalse();
        }
        Thread.sleep(500);
        assertThat(readings(patientB)).as("the retained reading was not stored").isEqualTo(before);
    }

    @Test
    void anonymousUnknownWrongAndRotatedCredentialsAreRefusedAtConnect() throws Exception {
        assertThat(connectRefusal(null, null)).as("anonymous").isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
        assertThat(connectRefusal("cuff-ident-b", "not-the-password-at-all")).isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION);
        assertThat(connectRefusal("cuff-never-registered", "whatever-it-might-be")).isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION);
        assertThat(connectRefusal("careloop-simulator", "no simulator account is configured")).isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION);
        assertThat(connectRefusal("careloop-ingest", "guessing the service password", INGEST_CLIENT_ID))
                .isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION);
        assertThat(connectRefusal("rpm/v1/#", "wildcards in a user name")).isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION);

        String first = EmbeddedPlatforms.devicePassword(api, "cuff-ident-b");
        assertThat(connectRefusal("cuff-ident-b", first)).isZero();
        String second = EmbeddedPlatforms.devicePassword(api, "cuff-ident-b");
        assertThat(second).isNotEqualTo(first);
        assertThat(connectRefusal("cuff-ident-b", first)).as("the old password after a rotation").isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION);
        assertThat(connectRefusal("cuff-ident-b", second)).isZero();
    }

    @Test
    void aProvisioningSystemMaySetALongPasswordButNotAShortOne() throws Exception {
        var chosen = api.post("/api/v1/devices/cuff-ident-b/credentials", "{\"password\":\"factory-secret-0123456789\"}");
        assertThat(chosen.status()).isEqualTo(201);
        assertThat(chosen.json().getString("mqttUsername")).isEqualTo("cuff-ident-b");
        assertThat(connectRefusal("cuff-ident-b", "factory-secret-0123456789")).isZero();
        var shortOne = api.post("/api/v1/devices/cuff-ident-b/credentials", "{\"password\":\"short\"}");
        assertThat(shortOne.status()).isEqualTo(400);
        assertThat(shortOne.json().getString("message")).contains("at least 20 characters");
        assertThat(api.post("/api/v1/devices/cuff-nobody/credentials", "").status()).isEqualTo(404);
        assertThat(api.post("/api/v1/devices/bad%20id/credentials", "").status()).isEqualTo(400);
    }
}
