package health.careloop.simulator.mqtt;

import health.careloop.simulator.devices.ContractCheck;
import health.careloop.simulator.devices.ReadingTopic;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** Plays ingest in tests: subscribes to all readings topics and judges the messages of one run's devices. */
public final class ReadingsSubscriber implements AutoCloseable {
    public static final String BROKER = "tcp://127.0.0.1:1883";

    private final MqttClient client;
    private final ContractCheck check = new ContractCheck();
    private final AtomicInteger messages = new AtomicInteger();

    /** @param devicePrefix only devices whose id starts with this count, so parallel runs do not mix */
    public ReadingsSubscriber(String devicePrefix) throws MqttException {
        client = new MqttClient(BROKER, "test-sub-" + UUID.randomUUID(), new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                // Paho's thread: only cheap work, and nothing that throws.
                String deviceId = ReadingTopic.deviceIdOf(topic);
                if (deviceId != null && deviceId.startsWith(devicePrefix)) {
                    check.receive(deviceId, message.getPayload(), Clock.systemUTC().instant());
                    messages.incrementAndGet();
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        client.connect(options);
        client.subscribe(ReadingTopic.ALL_DEVICES_FILTER, 1);
    }

    public ContractCheck check() {
        return check;
    }

    public int messages() {
        return messages.get();
    }

    /** Waits until {@code expected} messages arrived, or the timeout passed; then waits a little for extras. */
    public int awaitMessages(long expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (messages.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(300);
        return messages.get();
    }

    @Override
    public void close() throws MqttException {
        client.disconnect();
        client.close();
    }
}
