package health.careloop.ingest.mqtt;

import health.careloop.ingest.config.IngestConfig;
import health.careloop.common.config.MqttConfig;
import health.careloop.common.retry.Backoff;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.mqtt.messages.MqttPublishMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Ingest's session with the broker: Vert.x's MQTT client on a persistent session (clean session off, a stable client
 * id) with the shared subscription at QoS 1 and manual acknowledgements. It reconnects with backoff, and can be
 * suspended while PostgreSQL is down so the broker keeps the messages instead of our heap, and its socket reads can be
 * paused while ingest holds as many unacknowledged messages as it may ({@link ClientSocket}).
 *
 * <p>Acknowledgements belong to one connection: each connection has a generation number, and a message is acked only
 * on the connection that delivered it. After a reconnect the broker redelivers what was not acked and storage
 * deduplicates it (DEPENDENCIES.md: acks across a reconnect go out with stale packet ids, or throw).
 *
 * <p>On an external broker it joins the shared subscription of its group (N ingest processes share the load). On the
 * embedded broker this process is the only reader, so it subscribes to the readings topic itself: HiveMQ CE's
 * shared-subscription queue stopped delivering after a crash-restart while still acknowledging publishers (issue 14),
 * and a group of one gains nothing. A subscription the broker refuses (SUBACK failure) counts as a failed connection.
 * Must be used from the event loop of the context that created it.
 */
public final class BrokerConnection implements BrokerSide {
    private static final Logger log = LoggerFactory.getLogger(BrokerConnection.class);
    /**
     * The largest packet MQTT allows. A smaller client limit would make an oversized message close the connection, be
     * redelivered, and close it again forever; instead we take it and dead-letter it as payload_too_large. The broker's
     * own packet limit is what protects memory (embedded: 1 MiB; Mosquitto: message_size_limit).
     */
    private static final int MQTT_MAX_PACKET = 268_435_455;
    /** MQTT's SUBACK return code for a refused subscription. */
    private static final int SUBACK_FAILURE = 0x80;
    /**
     * How long a sole subscriber keeps the shared subscription an earlier version left in its persistent session, so
     * what was queued there is delivered before it is unsubscribed (its messages also arrive on the plain one: the
     * natural key absorbs the repeats).
     */
    static final Duration LEGACY_SHARED_GRACE = Duration.ofSeconds(60);

    public interface Listener {
        void onMessage(MqttPublishMessage message, long generation);

        /** The connection of {@code generation} is gone; messages it delivered will not be acked. */
        void onConnectionLost(long generation);

        /**
         * Called once by {@link #stop}: no message is handed over any more; complete when what was handed over is
         * committed and acknowledged (or can no longer be), so the disconnect that follows loses nothing.
         */
        default Future<Void> drain() {
            return Future.succeededFuture();
        }
    }

    private final Vertx vertx;
    private final MqttConfig broker;
    private final IngestConfig ingest;
    private final Listener listener;
    private MqttClient client;
    private long generation;
    private volatile boolean connected;
    private boolean suspended;
    private boolean readingPaused;
    private boolean stopped;
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), true);
    private long reconnectTimer = -1;
    private long legacyUnsubscribeTimer = -1;

    public BrokerConnection(Vertx vertx, MqttConfig broker, IngestConfig ingest, Listener listener) {
        this.vertx = vertx;
        this.broker = broker;
        this.ingest = ingest;
        this.listener = listener;
    }

    /** Starts connecting; completes when the first attempt has finished, retrying in the background if it failed. */
    public Future<Void> start() {
        return connect().recover(e -> Future.succeededFuture());
    }

    public long generation() {
        return generation;
    }

    public boolean isConnected() {
        return connected;
    }

    /** Acknowledges a message if the connection that delivered it is still the current one. */
    @Override
    public boolean ack(MqttPublishMessage message, long messageGeneration) {
        if (!connected || messageGeneration != generation || message.qosLevel() == MqttQoS.AT_MOST_ONCE) {
            return false;
        }
        try {
            message.ack();
            return true;
        } catch (RuntimeException e) {
            // Vert.x throws when the channel closed underneath us; the broker will redeliver.
            return false;
        }
    }

    /**
     * Stops reading from the broker's socket: TCP flow control then holds the broker back, and nothing it sends is lost
     * or needs resending. What was already read off the socket is still delivered after {@link #resumeReading()}.
     * False when there is no connection or this Vert.x cannot pause one.
     */
    @Override
    public boolean pauseReading() {
        if (!readingPaused && client != null && ClientSocket.setReading(client, false)) {
            readingPaused = true;
            return true;
        }
        return false;
    }

    @Override
    public void resumeReading() {
        if (readingPaused) {
            readingPaused = false;
            if (client != null) {
                ClientSocket.setReading(client, true);
            }
        }
    }

    @Override
    public boolean isReadingPaused() {
        return readingPaused;
    }

    /** The topic filter this connection subscribes to. */
    public String subscription() {
        return broker.soleSubscriber() ? IngestConfig.READINGS_FILTER : ingest.subscription();
    }

    /**
     * Publishes at QoS 1 on the current connection (ingest's own liveness probe, never a reading); fails when there
     * is no connection.
     */
    public Future<Integer> publish(String topic, byte[] payload) {
        MqttClient c = client;
        if (!connected || c == null) {
            return Future.failedFuture("not connected to the broker");
        }
        return c.publish(topic, Buffer.buffer(payload), MqttQoS.AT_LEAST_ONCE, false, false);
    }

    /**
     * Drops the current connection and connects again at once (same persistent session): the broker then resends
     * what it holds for us. Used when the broker accepts readings that never reach this connection.
     */
    public void reconnect(String why) {
        if (stopped || suspended || client == null) {
            return;
        }
        log.warn("Reconnecting to the broker: {}", why);
        cancelReconnect();
        closeClient();
        backoff.reset();
        scheduleReconnect();
    }

    /** Disconnects and stays disconnected until {@link #resume()}: the broker holds what arrives meanwhile. */
    @Override
    public void suspend(String why) {
        if (suspended) {
            return;
        }
        log.warn("Pausing MQTT consumption: {}", why);
        suspended = true;
        cancelReconnect();
        closeClient();
    }

    @Override
    public void resume() {
        if (!suspended || stopped) {
            return;
        }
        log.info("Resuming MQTT consumption");
        suspended = false;
        backoff.reset();
        connect();
    }

    /**
     * Graceful stop: stop handing messages to the listener (later ones stay unacknowledged in our persistent session and
     * are redelivered when this client id connects again; we do not unsubscribe, so the broker keeps queueing for the
     * session while we are down), let the listener commit and acknowledge what it holds, at most {@code drainBound},
     * then disconnect. The subscription survives in the session: with a single ingest process an unsubscribe would make
     * the broker drop the readings published while it restarts.
     */
    public Future<Void> stop(Duration drainBound) {
        if (stopped) {
            return Future.succeededFuture();
        }
        stopped = true;
        cancelReconnect();
        cancelLegacyUnsubscribe();
        Promise<Void> drained = Promise.promise();
        long timer = vertx.setTimer(Math.max(1, drainBound.toMillis()), id -> {
            if (drained.tryComplete()) {
                log.warn("Ingest did not drain within {} ms; disconnecting, the broker redelivers what was not acknowledged",
                        drainBound.toMillis());
            }
        });
        listener.drain().onComplete(done -> {
            vertx.cancelTimer(timer);
            drained.tryComplete();
        });
        return drained.future().compose(v -> {
            MqttClient c = client;
            client = null;
            markLost();
            return c == null ? Future.<Void>succeededFuture() : c.disconnect().recover(e -> Future.succeededFuture());
        });
    }


    private Future<Void> connect() {
        if (stopped || suspended || client != null) {
            return Future.succeededFuture();
        }
        MqttClientOptions options = new MqttClientOptions()
                .setClientId(ingest.clientId())
                .setAutoGeneratedClientId(false)
                .setCleanSession(false)
                .setKeepAliveInterval(30)
                .setMaxMessageSize(MQTT_MAX_PACKET);
        options.setAutoAck(false);
        options.setConnectTimeout(5_000);
        if (broker.username() != null) {
            options.setUsername(broker.username()).setPassword(broker.password());
        }
        if (broker.tls()) {
            options.setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
            if (broker.trustStore() != null) {
                options.setTrustOptions(new PfxOptions().setPath(broker.trustStore().path().toString()).setPassword(broker.trustStore().password()));
            }
        }
        MqttClient attempt = MqttClient.create(vertx, options);
        client = attempt;
        long attemptGeneration = ++generation;
        attempt.publishHandler(message -> {
            if (client == attempt && !stopped) {
                listener.onMessage(message, attemptGeneration);
            }
        });
        attempt.closeHandler(v -> {
            if (client == attempt) {
                client = null;
                markLost();
                log.warn("MQTT connection to {} lost; reconnecting", broker.url());
                scheduleReconnect();
            }
        });
        Promise<Void> done = Promise.promise();
        String filter = subscription();
        Promise<Integer> granted = Promise.promise();
        attempt.subscribeCompletionHandler(suback -> granted.tryComplete(
                suback.grantedQoSLevels().isEmpty() ? SUBACK_FAILURE : suback.grantedQoSLevels().get(0)));
        attempt.connect(broker.port(), broker.host())
                .compose(ack -> {
                    ClientSocket.coalesceFlushes(attempt); // one system call for a batch's PUBACKs, not one each
                    return attempt.subscribe(filter, MqttQoS.AT_LEAST_ONCE.value());
                })
                .compose(packetId -> granted.future())
                .compose(qos -> qos == SUBACK_FAILURE
                        ? Future.failedFuture("the broker refused the subscription to " + filter + " (SUBACK 0x80); check its ACL")
                        : Future.succeededFuture(qos))
                .onSuccess(qos -> {
                    if (client != attempt) {
                        done.complete();
                        return;
                    }
                    connected = true;
                    backoff.reset();
                    log.info("MQTT connected to {} as {} (persistent session), subscribed to {}", broker.url(), ingest.clientId(), filter);
                    if (broker.soleSubscriber()) {
                        scheduleLegacyUnsubscribe(attempt);
                    }
                    done.complete();
                })
                .onFailure(e -> {
                    if (client == attempt) {
                        client = null;
                        markLost();
                        attempt.disconnect();
                        log.warn("MQTT connection to {} failed ({}); retrying in about {} ms", broker.url(), e.getMessage(), backoff.peekMillis());
                        scheduleReconnect();
                    }
                    done.fail(e);
                });
        return done.future();
    }

    /**
     * A data directory from before the sole-subscriber change has the shared subscription in ingest's session; once
     * its queue had {@link #LEGACY_SHARED_GRACE} to deliver, leave it (a no-op when there is none).
     */
    private void scheduleLegacyUnsubscribe(MqttClient attempt) {
        cancelLegacyUnsubscribe();
        legacyUnsubscribeTimer = vertx.setTimer(LEGACY_SHARED_GRACE.toMillis(), id -> {
            legacyUnsubscribeTimer = -1;
            if (client == attempt && connected) {
                attempt.unsubscribe(ingest.subscription());
            }
        });
    }

    private void cancelLegacyUnsubscribe() {
        if (legacyUnsubscribeTimer >= 0) {
            vertx.cancelTimer(legacyUnsubscribeTimer);
            legacyUnsubscribeTimer = -1;
        }
    }

    private void markLost() {
        long lost = generation;
        connected = false;
        readingPaused = false; // a new connection reads from the start
        listener.onConnectionLost(lost);
    }

    private void closeClient() {
        MqttClient c = client;
        client = null;
        markLost();
        if (c != null) {
            c.disconnect();
        }
    }

    private void scheduleReconnect() {
        if (stopped || suspended || reconnectTimer >= 0) {
            return;
        }
        long delay = backoff.nextMillis();
        reconnectTimer = vertx.setTimer(delay, id -> {
            reconnectTimer = -1;
            connect();
        });
    }

    private void cancelReconnect() {
        if (reconnectTimer >= 0) {
            vertx.cancelTimer(reconnectTimer);
            reconnectTimer = -1;
        }
    }
}
