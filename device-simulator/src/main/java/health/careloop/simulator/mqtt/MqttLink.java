package health.careloop.simulator.mqtt;

import org.eclipse.paho.client.mqttv3.DisconnectedBufferOptions;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Paho connection that publishes and reports each publish's acknowledgement (PUBACK for QoS 1, PUBCOMP for
 * QoS 2, written to the socket for QoS 0) as a future. At most {@code maxInflight} publishes are pending at once;
 * a sender beyond that waits, which is the back-pressure a fast simulator needs.
 *
 * <p>A lost connection is re-established (Paho's automatic reconnect, backing off from 1 s to
 * {@value #MAX_RECONNECT_DELAY_MS} ms), so a long live run survives a broker restart. Publishes already on the wire
 * when the connection dropped fail (a clean session has nothing to resend them from); publishes made while it is
 * down wait in Paho's buffer and are sent, then acknowledged, once it is back. Pending publishes never exceed
 * {@code maxInflight}, so a sender blocks during a long outage rather than filling memory.
 */
public final class MqttLink implements AutoCloseable {
    private static final long CONNECT_TIMEOUT_MS = 15_000;
    /** Longest wait between reconnect attempts; Paho's default (2 minutes) would make a restart look like an outage. */
    static final int MAX_RECONNECT_DELAY_MS = 5_000;

    private final MqttAsyncClient client;
    private final Semaphore inflight;
    private final Set<CompletableFuture<Void>> pending = ConcurrentHashMap.newKeySet();
    private final AtomicInteger reconnects = new AtomicInteger();

    private MqttLink(MqttAsyncClient client, int maxInflight) {
        this.client = client;
        this.inflight = new Semaphore(maxInflight);
    }

    public static MqttLink connect(String url, String clientId, String username, String password, int maxInflight)
            throws MqttException {
        // Memory persistence: Paho's default writes a directory per client into the working directory.
        MqttAsyncClient client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
        MqttLink link = new MqttLink(client, maxInflight);
        client.setCallback(link.new LostConnection());
        MqttConnectOptions options = new MqttConnectOptions();
        // Devices need no persistent session: a device that reconnects re-sends from its own buffer.
        options.setCleanSession(true);
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay(MAX_RECONNECT_DELAY_MS);
        options.setKeepAliveInterval(30);
        options.setConnectionTimeout(10);
        options.setMaxInflight(maxInflight);
        if (username != null) {
            options.setUserName(username);
        }
        if (password != null) {
            options.setPassword(password.toCharArray());
        }
        // While reconnecting, publishes wait here; the semaphore keeps them within maxInflight, so none is dropped.
        DisconnectedBufferOptions buffer = new DisconnectedBufferOptions();
        buffer.setBufferEnabled(true);
        buffer.setBufferSize(maxInflight);
        buffer.setDeleteOldestMessages(false);
        buffer.setPersistBuffer(false);
        client.setBufferOpts(buffer);
        try {
            client.connect(options).waitForCompletion(CONNECT_TIMEOUT_MS);
        } catch (MqttException e) {
            // Paho keeps its threads until closed, even for a connection that never came up.
            client.close(true);
            throw e;
        }
        return link;
    }

    /** Publishes; the future completes when the broker acknowledged, or fails if it never will. */
    public CompletableFuture<Void> publish(String topic, byte[] payload, int qos) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            inflight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.completeExceptionally(e);
            return done;
        }
        pending.add(done);
        done.whenComplete((ok, error) -> {
            if (pending.remove(done)) {
                inflight.release();
            }
        });
        try {
            MqttMessage message = new MqttMessage(payload);
            message.setQos(qos);
            client.publish(topic, message, null, new IMqttActionListener() {
                // Runs on Paho's thread: only complete the future, never throw.
                @Override
                public void onSuccess(IMqttToken token) {
                    done.complete(null);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable error) {
                    done.completeExceptionally(error != null ? error : new MqttException(MqttException.REASON_CODE_CLIENT_EXCEPTION));
                }
            });
        } catch (MqttException | RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    /** How often the connection was lost and re-established. */
    public int reconnects() {
        return reconnects.get();
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(5_000).waitForCompletion(6_000);
            }
        } catch (MqttException e) {
            // Closing anyway: whatever was pending is already counted as failed or acknowledged.
        } finally {
            failPending(new MqttException(MqttException.REASON_CODE_CLIENT_CLOSED));
            try {
                client.close(true);
            } catch (MqttException ignored) {
                // Nothing left to release.
            }
        }
    }

    private void failPending(Throwable cause) {
        for (CompletableFuture<Void> f : pending) {
            f.completeExceptionally(cause);
        }
    }

    private final class LostConnection implements MqttCallbackExtended {
        @Override
        public void connectionLost(Throwable cause) {
            // Nothing to fail here: Paho fails the publishes that were on the wire (a clean session will not resend
            // them) through their listeners, and those made from now on wait in the buffer for the reconnect.
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            if (reconnect) {
                reconnects.incrementAndGet();
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            // Devices subscribe to nothing.
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // Reported per publish through the action listener.
        }
    }
}
