package health.careloop.platform;

import health.careloop.testing.PrivateMosquitto;
import health.careloop.testing.TestDevice;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The compose deployment's broker configuration (deploy/mosquitto/mosquitto.conf and acl, as shipped, on the machine's
 * Mosquitto binary): a device signing in with its own password under ingest's client id or another device's does not
 * take their session, cannot read readings, and cannot leave a retained message. Before issue 14 a device of another
 * practice did exactly that: the broker accepted it, kicked ingest off and handed it every practice's readings.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ComposeBrokerAccountsTest {
    private static final Path DEPLOY = Path.of(System.getProperty("user.dir")).getParent().resolve("deploy/mosquitto");

    @TempDir
    Path dir;
    private Process mosquitto;
    private String url;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        int port = EmbeddedPlatforms.freePort();
        List<String> conf = new ArrayList<>();
        for (String line : Files.readAllLines(DEPLOY.resolve("mosquitto.conf"))) {
            conf.add(switch (line) {
                case "listener 1883" -> "listener " + port + " 127.0.0.1";
                case "persistence_location /mosquitto/data/" -> "persistence_location " + dir + "/";
                case "password_file /mosquitto/config/passwd" -> "password_file " + dir.resolve("passwd");
                case "acl_file /mosquitto/config/acl" -> "acl_file " + dir.resolve("acl");
                case "log_dest stdout" -> "log_dest file " + dir.resolve("mosquitto.log");
                default -> line;
            });
        }
        assertThat(conf).as("the shipped file still has the lines this test adapts")
                .contains("listener " + port + " 127.0.0.1", "acl_file " + dir.resolve("acl"), "use_username_as_clientid true");
        conf.add("user root"); // the test runs as root; Mosquitto would otherwise switch to a user that cannot read the temp dir
        Files.write(dir.resolve("mosquitto.conf"), conf);
        Files.copy(DEPLOY.resolve("acl"), dir.resolve("acl"));
        passwd("-c", "careloop-ingest-1", "ingest-password-for-the-test");
        passwd(null, "cuff-a", "device-a-password-for-the-test");
        passwd(null, "cuff-b", "device-b-password-for-the-test");
        mosquitto = new ProcessBuilder(PrivateMosquitto.BINARY, "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        url = "tcp://127.0.0.1:" + port;
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            assertThat(mosquitto.isAlive()).as("mosquitto runs; %s", dir).isTrue();
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : clients) {
            try {
                c.close();
            } catch (Exception ignored) {
                // already disconnected by the broker
            }
        }
        mosquitto.destroy();
        mosquitto.waitFor(5, TimeUnit.SECONDS);
    }

    @Test
    void aDeviceUnderIngestsClientIdNeitherKicksIngestOffNorReadsReadings() throws Exception {
        Subscriber ingest = subscriber("careloop-ingest-1", "ingest-password-for-the-test", "careloop-ingest-1",
                "$share/careloop-ingest/rpm/v1/devices/+/readings");
        TestDevice intruder = device("cuff-a", "device-a-password-for-the-test", "careloop-ingest-1");
        Thread.sleep(500);
        assertThat(ingest.lost).as("ingest kept its session").isFalse();

        intruder.publish("cuff-a", "{\"systolic\":120}");
        await().atMost(Duration.ofSeconds(5)).until(() -> ingest.received.size() == 1);

        Subscriber snoop = subscriber("cuff-b", "device-b-password-for-the-test", "careloop-ingest-1", "rpm/v1/devices/+/readings");
        device("cuff-a", "device-a-password-for-the-test", "cuff-a").publish("cuff-a", "{\"systolic\":121}");
        await().atMost(Duration.ofSeconds(5)).until(() -> ingest.received.size() == 2);
        Thread.sleep(300);
        assertThat(snoop.received).as("a device reads no readings, whatever client id it asks for").isEmpty();
        assertThat(ingest.lost).isFalse();
    }

    @Test
    void aDeviceUnderAnotherDevicesClientIdDoesNotKnockItOff() throws Exception {
        TestDevice a = device("cuff-a", "device-a-password-for-the-test", "cuff-a");
        device("cuff-b", "device-b-password-for-the-test", "cuff-a");
        Thread.sleep(500);
        assertThat(a.isConnected()).isTrue();
    }

    @Test
    void aRetainedPublishDisconnectsTheDevice() throws Exception {
        Subscriber ingest = subscriber("careloop-ingest-1", "ingest-password-for-the-test", "careloop-ingest-1",
                "$share/careloop-ingest/rpm/v1/devices/+/readings");
        TestDevice a = device("cuff-a", "device-a-password-for-the-test", "cuff-a");
        try {
            a.publishRetained("cuff-a", "{\"systolic\":130}");
        } catch (MqttException expected) {
            // disconnected instead of acknowledged
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> !a.isConnected());
        Thread.sleep(300);
        assertThat(ingest.received).isEmpty();
    }

    private void passwd(String create, String user, String password) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/mosquitto_passwd"));
        if (create != null) {
            command.add(create);
        }
        command.addAll(List.of("-b", dir.resolve("passwd").toString(), user, password));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    }

    private TestDevice device(String user, String password, String clientId) throws Exception {
        TestDevice device = new TestDevice(url, user, password, clientId);
        clients.add(device);
        return device;
    }

    private Subscriber subscriber(String user, String password, String clientId, String filter) throws Exception {
        Subscriber s = new Subscriber(url, user, password, clientId, filter);
        clients.add(s);
        return s;
    }

    /** A persistent-session subscriber, as ingest is. */
    private static final class Subscriber implements AutoCloseable, MqttCallback {
        final List<String> received = new CopyOnWriteArrayList<>();
        final AtomicBoolean lostFlag = new AtomicBoolean();
        boolean lost;
        private final MqttClient client;

        Subscriber(String url, String user, String password, String clientId, String filter) throws MqttException {
            client = new MqttClient(url, clientId, new MemoryPersistence());
            client.setCallback(this);
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(false);
            options.setUserName(user);
            options.setPassword(password.toCharArray());
            client.connect(options);
            try {
                client.subscribe(filter, 1);
            } catch (MqttException refused) {
                // a device's subscription is refused by the ACL; what matters is that it receives nothing
            }
        }

        @Override
        public void connectionLost(Throwable cause) {
            lost = true;
            lostFlag.set(true);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.add(new String(message.getPayload(), StandardCharsets.UTF_8));
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }

        @Override
        public void close() throws MqttException {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        }
    }
}
