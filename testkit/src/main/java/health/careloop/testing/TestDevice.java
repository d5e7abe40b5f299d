package health.careloop.testing;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A device publishing with Eclipse Paho, as real devices and the simulator do. */
public final class TestDevice implements AutoCloseable {
    private final MqttClient client;

    /** Anonymous, as on a broker without device accounts (the machine's Mosquitto). */
    public TestDevice(String brokerUrl) throws MqttException {
        this(brokerUrl, null, null);
    }

    /**
     * Signed in, as a device (its id and MQTT password; the client id is the device id, as the embedded broker
     * requires) or a service account (careloop-simulator: a client id of its own prefix).
     */
    public TestDevice(String brokerUrl, String username, String password) throws MqttException {
        this(brokerUrl, username, password, username == null ? "test-device-" + UUID.randomUUID()
                : username.startsWith("careloop-") ? "careloop-sim-test-" + UUID.randomUUID() : username);
    }

    /** Signed in (or anonymous with a null username) under the given client id. */
    public TestDevice(String brokerUrl, String username, String password, String clientId) throws MqttException {
        client = new MqttClient(brokerUrl, clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setMaxInflight(1000);
        if (username != null) {
            options.setUserName(username);
            options.setPassword(password.toCharArray());
        }
        client.connect(options);
    }

    /** Whether the broker still holds the connection (it drops a client that publishes where it may not). */
    public boolean isConnected() {
        return client.isConnected();
    }

    /** Publishes at QoS 1 and returns once the broker has acknowledged it. */
    public void publish(String deviceId, String payload) throws MqttException {
        publishRaw("rpm/v1/devices/" + deviceId + "/readings", payload.getBytes(StandardCharsets.UTF_8));
    }

    public void publishRaw(String topic, byte[] payload) throws MqttException {
        client.publish(topic, payload, 1, false);
    }

    /** A QoS 1 publish with the retain flag set: the broker would keep it for every future subscriber. */
    public void publishRetained(String deviceId, String payload) throws MqttException {
        client.publish("rpm/v1/devices/" + deviceId + "/readings", payload.getBytes(StandardCharsets.UTF_8), 1, true);
    }

    /**
     * Ends a persistent session on a broker the tests share (the machine's Mosquitto): a session left behind would
     * queue every later test's readings.
     */
    public static void purgeSession(String brokerUrl, String clientId) throws MqttException {
        MqttClient client = new MqttClient(brokerUrl, clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        client.connect(options);
        client.disconnect();
        client.close();
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
