package health.careloop.platform;

import health.careloop.common.config.TlsKeystore;
import health.careloop.embedded.EmbeddedBroker;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The TLS options with a self-signed certificate made for the test (keytool, SAN 127.0.0.1): HTTPS on the API port,
 * devices publishing over MQTT/TLS to the embedded broker, and ingest reaching an external broker over TLS
 * (CARELOOP_MQTT_URL=ssl://…, CARELOOP_MQTT_TLS_TRUSTSTORE). Clients that do not trust the certificate are refused.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsTest {
    private static final String PASSWORD = "test-keystore-" + UUID.randomUUID();
    @TempDir
    static Path dir;
    static Path serverKeystore;
    static Path trustStore;
    static SSLContext trusting;

    @BeforeAll
    static void makeCertificates() throws Exception {
        serverKeystore = dir.resolve("server.p12");
        trustStore = dir.resolve("trust.p12");
        Path certificate = dir.resolve("server.crt");
        keytool("-genkeypair", "-alias", "careloop", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", serverKeystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "careloop", "-keystore", serverKeystore.toString(), "-storepass", PASSWORD,
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "careloop", "-file", certificate.toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", PASSWORD);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(trustStore)) {
            trust.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, factory.getTrustManagers(), null);
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    private static MqttClient tlsDevice(int port, String user, String password) throws MqttException {
        // A device's client id is its device id (the embedded broker refuses any other).
        MqttClient client = new MqttClient("ssl://127.0.0.1:" + port, user == null ? "tls-device-" + UUID.randomUUID() : user,
                new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setSocketFactory(trusting.getSocketFactory());
        options.setHttpsHostnameVerificationEnabled(true);
        if (user != null) {
            options.setUserName(user);
            options.setPassword(password.toCharArray());
        }
        client.connect(options);
        return client;
    }

    private static String registerCuff(ApiClient api, String cuff) throws Exception {
        String practice = api.id(api.post("/api/v1/practices", "{\"name\":\"TLS " + cuff + "\",\"timeZone\":\"UTC\"}"));
        String patient = api.id(api.post("/api/v1/patients", "{\"practiceId\":\"" + practice + "\",\"externalRef\":\"MRN-" + cuff + "\"}"));
        assertThat(api.post("/api/v1/devices", "{\"deviceId\":\"" + cuff + "\",\"practiceId\":\"" + practice + "\",\"kind\":\"blood_pressure_cuff\"}").status()).isEqualTo(201);
        assertThat(api.post("/api/v1/devices/" + cuff + "/assignments", "{\"patientId\":\"" + patient + "\",\"validFrom\":\""
                + Instant.now().minus(Duration.ofDays(1)) + "\"}").status()).isEqualTo(201);
        return patient;
    }

    private static String reading() {
        return "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + Instant.now().truncatedTo(ChronoUnit.MILLIS) + "\",\"systolic\":118,\"diastolic\":76}";
    }

    private static int readingsOver(HttpClient client, String base, String token, String patient, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            String body = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/patients/" + patient + "/readings"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body();
            int count = new io.vertx.core.json.JsonObject(body).getJsonArray("items").size();
            if (count > 0 || System.nanoTime() > deadline) {
                return count;
            }
            Thread.sleep(50);
        }
    }

    @Test
    void httpsApiAndDevicesOverTlsToTheEmbeddedBroker() throws Exception {
        int tlsPort = EmbeddedPlatforms.freePort();
        try (Platform platform = EmbeddedPlatforms.start(Map.of("CARELOOP_TLS_KEYSTORE", serverKeystore.toString(),
                "CARELOOP_TLS_KEYSTORE_PASSWORD", PASSWORD, "CARELOOP_EMBEDDED_MQTT_TLS_PORT", Integer.toString(tlsPort)))) {
            String base = "https://127.0.0.1:" + platform.httpPort();
            HttpClient https = HttpClient.newBuilder().sslContext(trusting).build();
            assertThat(https.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(200);
            // A client that does not trust the certificate, and plain HTTP, get nothing.
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + platform.httpPort()
                    + "/health")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);

            // The API client of the other tests speaks plain HTTP; this one goes through HTTPS.
            String token = platform.apiToken();
            String practice = new io.vertx.core.json.JsonObject(https.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/practices"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"TLS clinic\",\"timeZone\":\"UTC\"}")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).getString("id");
            String patient = new io.vertx.core.json.JsonObject(https.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/patients"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"practiceId\":\"" + practice + "\",\"externalRef\":\"MRN-TLS\"}")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).getString("id");
            for (String[] call : new String[][]{
                    {"/api/v1/devices", "{\"deviceId\":\"cuff-tls\",\"practiceId\":\"" + practice + "\",\"kind\":\"blood_pressure_cuff\"}"},
                    {"/api/v1/devices/cuff-tls/assignments", "{\"patientId\":\"" + patient + "\",\"validFrom\":\"" + Instant.now().minus(Duration.ofDays(1)) + "\"}"}}) {
                assertThat(https.send(HttpRequest.newBuilder(URI.create(base + call[0])).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(call[1])).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(201);
            }
            String password = new io.vertx.core.json.JsonObject(https.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/devices/cuff-tls/credentials"))
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).getString("mqttPassword");

            MqttClient device = tlsDevice(tlsPort, "cuff-tls", password);
            device.publish("rpm/v1/devices/cuff-tls/readings", reading().getBytes(StandardCharsets.UTF_8), 1, false);
            device.disconnect();
            device.close();
            assertThat(readingsOver(https, base, token, patient, Duration.ofSeconds(10))).isEqualTo(1);

            // A device that does not trust the broker's certificate cannot connect.
            MqttClient naive = new MqttClient("ssl://127.0.0.1:" + tlsPort, "naive-" + UUID.randomUUID(), new MemoryPersistence());
            MqttConnectOptions plainTrust = new MqttConnectOptions();
            plainTrust.setUserName("cuff-tls");
            plainTrust.setPassword(password.toCharArray());
            assertThatThrownBy(() -> naive.connect(plainTrust)).isInstanceOf(MqttException.class);
            naive.close();
        }
    }

    @Test
    void ingestReachesAnExternalBrokerOverTls() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(dir.resolve("external-broker"), 0, false, null,
                new EmbeddedBroker.TlsListener(0, new TlsKeystore(serverKeystore, PASSWORD)));
             Platform platform = EmbeddedPlatforms.start(Map.of("CARELOOP_MQTT_URL", "ssl://127.0.0.1:" + broker.tlsPort(),
                     "CARELOOP_MQTT_TLS_TRUSTSTORE", trustStore.toString(), "CARELOOP_MQTT_TLS_TRUSTSTORE_PASSWORD", PASSWORD))) {
            ApiClient api = new ApiClient(platform.httpPort(), platform.apiToken());
            String patient = registerCuff(api, "cuff-tls-ingest");
            MqttClient device = tlsDevice(broker.tlsPort(), null, null);
            device.publish("rpm/v1/devices/cuff-tls-ingest/readings", reading().getBytes(StandardCharsets.UTF_8), 1, false);
            device.disconnect();
            device.close();
            assertThat(readingsOver(HttpClient.newHttpClient(), "http://127.0.0.1:" + platform.httpPort(), platform.apiToken(), patient,
                    Duration.ofSeconds(10))).as("stored after travelling over TLS both ways").isEqualTo(1);
        }
    }

    @Test
    void aMissingKeystoreOrPasswordStopsStartUpWithAClearMessage() {
        assertThatThrownBy(() -> EmbeddedPlatforms.start(Map.of("CARELOOP_TLS_KEYSTORE", dir.resolve("nope.p12").toString(),
                "CARELOOP_TLS_KEYSTORE_PASSWORD", "x"))).hasMessageContaining("CARELOOP_TLS_KEYSTORE names").hasMessageContaining("not a readable file");
        assertThatThrownBy(() -> EmbeddedPlatforms.start(Map.of("CARELOOP_TLS_KEYSTORE", serverKeystore.toString())))
                .hasMessage("CARELOOP_TLS_KEYSTORE_PASSWORD is required with CARELOOP_TLS_KEYSTORE");
        assertThatThrownBy(() -> EmbeddedPlatforms.start(Map.of("CARELOOP_MQTT_URL", "ws://127.0.0.1:1883")))
                .hasMessageContaining("must use tcp:// or, for TLS, ssl://");
    }
}
