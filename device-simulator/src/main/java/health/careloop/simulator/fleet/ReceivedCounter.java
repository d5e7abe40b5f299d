package health.careloop.simulator.fleet;

import health.careloop.simulator.devices.ReadingTopic;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Subscribes to every device's readings topic (QoS 1, clean session, so it leaves nothing behind on a shared broker)
 * and counts what arrives from this run's devices: proof that the fleet's publishes reach a subscriber, not only the
 * broker.
 */
public final class ReceivedCounter {
    private final MqttClient client;
    private final String devicePrefix;
    private final AtomicLong messages = new AtomicLong();
    private final Set<String> devices = ConcurrentHashMap.newKeySet();

    private ReceivedCounter(MqttClient client, String devicePrefix) {
        this.client = client;
        this.devicePrefix = devicePrefix;
    }

    /** Completes once the subscription is acknowledged. */
    public static Future<ReceivedCounter> subscribe(Vertx vertx, FleetSettings settings, String devicePrefix) {
        MqttClientOptions options = new MqttClientOptions()
                .setClientId("careloop-sim-received-" + UUID.randomUUID().toString().substring(0, 8))
                .setCleanSession(true)
                .setKeepAliveInterval(30);
        MqttClient client = MqttClient.create(vertx, options);
        ReceivedCounter counter = new ReceivedCounter(client, devicePrefix);
        client.publishHandler(message -> {
            String deviceId = ReadingTopic.deviceIdOf(message.topicName());
            if (deviceId != null && deviceId.startsWith(devicePrefix)) {
                counter.messages.incrementAndGet();
                counter.devices.add(deviceId);
            }
        });
        Promise<Void> subscribed = Promise.promise();
        client.subscribeCompletionHandler(ack -> subscribed.tryComplete());
        return client.connect(settings.port(), settings.host())
                .compose(ack -> client.subscribe(ReadingTopic.ALL_DEVICES_FILTER, MqttQoS.AT_LEAST_ONCE.value()))
                .compose(packetId -> subscribed.future())
                .map(counter);
    }

    public long messages() {
        return messages.get();
    }

    /** Distinct devices at least one message arrived from. */
    public int devices() {
        return devices.size();
    }

    public boolean heardFrom(String deviceId) {
        return devices.contains(deviceId);
    }

    public Future<Void> close() {
        return client.disconnect().recover(e -> Future.succeededFuture());
    }
}
