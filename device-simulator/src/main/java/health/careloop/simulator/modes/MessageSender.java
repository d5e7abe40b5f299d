package health.careloop.simulator.modes;

import health.careloop.simulator.faults.MessageKind;
import health.careloop.simulator.faults.OutgoingMessage;
import health.careloop.simulator.mqtt.DeviceConnections;
import org.eclipse.paho.client.mqttv3.MqttException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Publishes messages over device connections and counts each one when the broker acknowledges it, or fails it. */
public final class MessageSender {
    private final DeviceConnections connections;
    private final SendCounts counts;
    private final Clock clock;
    private final Set<CompletableFuture<Void>> pending = ConcurrentHashMap.newKeySet();

    public MessageSender(DeviceConnections connections, SendCounts counts, Clock clock) {
        this.connections = connections;
        this.counts = counts;
        this.clock = clock;
    }

    public void send(OutgoingMessage message) {
        Instant now = clock.instant();
        if (message.nearFutureLimitAt(now)) {
            counts.withheld(message);
            return;
        }
        // Decided when sent, with our clock; the margin above keeps ingest's clock on the same side.
        boolean future = message.kind() == MessageKind.SKEWED && message.inFutureAt(now);
        CompletableFuture<Void> delivery;
        try {
            delivery = connections.forDevice(message.deviceId())
                    .publish(message.topic(), message.payload(), connections.settings().qos());
        } catch (MqttException e) {
            counts.failed(message);
            return;
        }
        // Wait on the counting stage, not the delivery: a waiter on the delivery may wake before it is counted.
        CompletableFuture<Void> counted = delivery.handle((ok, error) -> {
            if (error == null) {
                counts.acknowledged(message, future);
            } else {
                counts.failed(message);
            }
            return null;
        });
        pending.add(counted);
        counted.whenComplete((ok, error) -> pending.remove(counted));
    }

    /** Waits until every publish is acknowledged or failed; false if some were still pending at the timeout. */
    public boolean awaitAcknowledgements(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (CompletableFuture<Void> f : Set.copyOf(pending)) {
            long left = deadline - System.nanoTime();
            try {
                f.get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException e) {
                throw new IllegalStateException("counting a delivery failed", e.getCause());
            }
        }
        return true;
    }
}
