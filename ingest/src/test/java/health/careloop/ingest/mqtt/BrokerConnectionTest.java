package health.careloop.ingest.mqtt;

import health.careloop.testing.OnContext;
import health.careloop.ingest.config.IngestConfig;
import health.careloop.common.config.MqttConfig;
import health.careloop.embedded.BrokerAccounts;
import health.careloop.embedded.EmbeddedBroker;
import health.careloop.testing.TestDevice;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mqtt.messages.MqttPublishMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ingest's broker connection on its own against a real (embedded) broker: acknowledgements belong to the connection
 * that delivered the message, a subscription the broker refuses is a failed connection rather than a deaf one, and a
 * graceful stop lets the listener drain before it disconnects.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BrokerConnectionTest {
    @TempDir
    Path dir;
    private Vertx vertx;
    private Context context;
    private EmbeddedBroker broker;
    private BrokerConnection connection;
    private final Recorder listener = new Recorder();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
    }

    @AfterEach
    void stop() {
        if (connection != null) {
            onContext(() -> connection.stop(Duration.ofSeconds(1))).toCompletionStage().toCompletableFuture().join();
        }
        vertx.close().await();
        if (broker != null) {
            broker.close();
        }
    }

    private static IngestConfig config(String clientId) {
        return new IngestConfig(1000, 1000, Duration.ZERO, 1000, Duration.ofDays(2557), clientId, "careloop-ingest", 256 * 1024,
                0, 500, Duration.ofSeconds(5), true);
    }

    private void connect(MqttConfig mqtt, String clientId) {
        onContext(() -> {
            connection = new BrokerConnection(vertx, mqtt, config(clientId), listener);
            return connection.start();
        }).toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aMessageIsAcknowledgedOnlyOnTheConnectionThatDeliveredIt() throws Exception {
        broker = EmbeddedBroker.start(dir, 0, false);
        connect(broker.config().asSoleSubscriber(), "careloop-ingest-conn-test");
        assertThat(connection.subscription()).isEqualTo("rpm/v1/devices/+/readings");
        try (TestDevice device = new TestDevice(broker.config().url())) {
            device.publish("cuff-1", "{\"n\":1}");
        }
        await().until(() -> listener.messages.size() == 1);
        long firstGeneration = listener.generations.get(0);
        onContext(() -> {
            connection.reconnect("test");
            return null;
        });
        await().until(() -> listener.lost.contains(firstGeneration) && connection.isConnected());
        Boolean staleAck = onContext(() -> connection.ack(listener.messages.get(0), firstGeneration));
        assertThat(staleAck).as("an ack for a message of the lost connection is not sent").isFalse();
        await().alias("the broker redelivers what was not acknowledged on the new connection")
                .until(() -> listener.messages.size() == 2 && listener.generations.get(1) > firstGeneration);
        assertThat(onContext(() -> connection.ack(listener.messages.get(1), listener.generations.get(1)))).isTrue();
    }

    @Test
    void anExternalBrokerGetsTheSharedSubscription() {
        broker = EmbeddedBroker.start(dir, 0, false);
        onContext(() -> {
            connection = new BrokerConnection(vertx, broker.config(), config("careloop-ingest-shared"), listener);
            return null;
        });
        assertThat(connection.subscription()).isEqualTo("$share/careloop-ingest/rpm/v1/devices/+/readings");
    }

    @Test
    void aSubscriptionTheBrokerRefusesIsAFailedConnectionNotADeafOne() throws Exception {
        // Signed in as a device, which may only publish: the broker answers the subscription with SUBACK 0x80.
        broker = EmbeddedBroker.start(dir, 0, false, new BrokerAccounts((id, password) -> true, "careloop-ingest-x", Optional.empty()), null);
        MqttConfig asDevice = new MqttConfig("127.0.0.1", broker.port(), "cuff-9", "any password the check accepts");
        connect(asDevice, "cuff-9");
        Thread.sleep(1000);
        assertThat(connection.isConnected()).as("not 'connected' with a refused subscription").isFalse();
    }

    @Test
    void aGracefulStopDrainsTheListenerBeforeItDisconnects() {
        broker = EmbeddedBroker.start(dir, 0, false);
        connect(broker.config().asSoleSubscriber(), "careloop-ingest-drain-test");
        CompletableFuture<Void> drainGate = new CompletableFuture<>();
        listener.drain = () -> Future.fromCompletionStage(drainGate, context);
        Future<Void> stopped = onContext(() -> connection.stop(Duration.ofSeconds(10)));
        await().until(() -> listener.drainCalled.get());
        assertThat(stopped.isComplete()).isFalse();
        assertThat(connection.isConnected()).as("still connected while the listener drains").isTrue();
        drainGate.complete(null);
        await().until(stopped::isComplete);
        assertThat(connection.isConnected()).isFalse();
        connection = null;
    }

    private <T> T onContext(Supplier<T> action) {
        return OnContext.call(context, action);
    }

    private static final class Recorder implements BrokerConnection.Listener {
        final List<MqttPublishMessage> messages = new CopyOnWriteArrayList<>();
        final List<Long> generations = new CopyOnWriteArrayList<>();
        final List<Long> lost = new CopyOnWriteArrayList<>();
        final AtomicBoolean drainCalled = new AtomicBoolean();
        volatile Supplier<Future<Void>> drain = Future::succeededFuture;

        @Override
        public void onMessage(MqttPublishMessage message, long generation) {
            messages.add(message);
            generations.add(generation);
        }

        @Override
        public void onConnectionLost(long generation) {
            lost.add(generation);
        }

        @Override
        public Future<Void> drain() {
            drainCalled.set(true);
            return drain.get();
        }
    }
}
