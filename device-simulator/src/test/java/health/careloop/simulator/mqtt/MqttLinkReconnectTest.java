package health.careloop.simulator.mqtt;

import health.careloop.embedded.EmbeddedBroker;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A long live run must outlast a broker restart: the link reconnects and what was published meanwhile arrives. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MqttLinkReconnectTest {
    private static final String TOPIC = "rpm/v1/devices/reconnect-1/readings";

    @Test
    void afterABrokerRestartTheLinkReconnectsAndSendsWhatWasPublishedWhileItWasDown(@TempDir Path dir) throws Exception {
        // Persistent, so the subscriber's session (and what is queued for it) survives the restart as it would in production.
        EmbeddedBroker broker = EmbeddedBroker.start(dir, 0, true);
        int port = broker.port();
        String url = "tcp://127.0.0.1:" + port;
        Set<String> received = ConcurrentHashMap.newKeySet();
        MqttClient subscriber = persistentSubscriber(url, received);
        try (MqttLink link = MqttLink.connect(url, "reconnect-test-device", null, null, 100)) {
            List<CompletableFuture<Void>> before = publish(link, 0, 20);
            CompletableFuture.allOf(before.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

            subscriber.disconnect();
            // A burst still on the wire when the broker goes: each publish ends acknowledged or failed, none hangs.
            List<CompletableFuture<Void>> burst = publish(link, "burst", 0, 100);
            broker.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> !link.isConnected());
            // Published while the broker is down: they wait, neither acknowledged nor failed.
            List<CompletableFuture<Void>> during = publish(link, 20, 30);
            Thread.sleep(500);
            assertThat(during).noneMatch(CompletableFuture::isDone);

            broker = EmbeddedBroker.start(dir, port, true);
            CompletableFuture.allOf(during.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertThat(link.isConnected()).isTrue();
            assertThat(link.reconnects()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> burst.stream().allMatch(CompletableFuture::isDone));
            List<CompletableFuture<Void>> after = publish(link, 30, 40);
            CompletableFuture.allOf(after.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

            subscriber = persistentSubscriber(url, received);
            await().atMost(Duration.ofSeconds(20)).until(() -> received.stream().filter(m -> m.startsWith("m")).count() == 40);
            received.removeIf(m -> m.startsWith("burst"));
            List<String> all = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                all.add("m" + i);
            }
            assertThat(received).containsExactlyInAnyOrderElementsOf(all);
        } finally {
            if (subscriber.isConnected()) {
                subscriber.disconnect();
            }
            subscriber.close();
            broker.close();
        }
    }

    private static List<CompletableFuture<Void>> publish(MqttLink link, int from, int to) {
        return publish(link, "m", from, to);
    }

    private static List<CompletableFuture<Void>> publish(MqttLink link, String prefix, int from, int to) {
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = from; i < to; i++) {
            futures.add(link.publish(TOPIC, (prefix + i).getBytes(StandardCharsets.UTF_8), 1));
        }
        return futures;
    }

    /** Same client id and no clean session: messages published while it is away are queued for it. */
    private static MqttClient persistentSubscriber(String url, Set<String> received) throws Exception {
        MqttClient client = new MqttClient(url, "reconnect-test-subscriber", new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(false);
        client.connect(options);
        client.subscribe(TOPIC, 1);
        return client;
    }
}
