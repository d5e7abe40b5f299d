package health.careloop.ingest.liveness;

import health.careloop.ingest.metrics.IngestMeters;
import health.careloop.ingest.mqtt.DeviceTopic;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * Ingest's proof that the broker still delivers: every {@code interval} it publishes a canary message to the readings
 * topic ({@value #DEVICE_ID}), which reaches the ingest subscription like any reading. A canary the broker accepted
 * and nobody received for {@value #OVERDUE_INTERVALS} intervals is overdue (the age is a metric to alert on); when,
 * besides, this process has received nothing at all for as long, it is deaf: {@code /ready} turns red and the
 * connection is made anew, since a broker that acknowledges publishers but stopped delivering to a live connection
 * (HiveMQ CE's shared-subscription queue after a crash, issue 14) resends what it holds to a fresh one. A process that
 * is merely behind (draining a backlog) keeps receiving, so it is never deaf.
 *
 * <p>With a shared subscription the broker may hand the canary to another member of the group; that member records it
 * in {@link Receipts} and the sender reads it there. A sole subscriber receives all its canaries itself and needs no
 * database. Sequence numbers start at the start time in milliseconds, so a receipt left by an earlier run of the same
 * client id can never vouch for this run's canaries. Runs on the event loop of the context that created it.
 */
public final class BrokerCanary {
    private static final Logger log = LoggerFactory.getLogger(BrokerCanary.class);
    /** A device id no device can have: {@code careloop-} names are reserved for CareLoop's own accounts. */
    public static final String DEVICE_ID = "careloop-canary";
    public static final String TOPIC = DeviceTopic.of(DEVICE_ID);
    static final int OVERDUE_INTERVALS = 6;
    /** Canaries remembered while none arrives; the oldest stays, so the age keeps growing. */
    private static final int MAX_OUTSTANDING = 1000;

    /** How the members of a shared-subscription group tell each other which canaries arrived. */
    public interface Receipts {
        void record(String sender, long seq, String receivedBy) throws SQLException;

        /** The highest sequence number of {@code sender}'s canaries any member received, 0 for none. */
        long receivedSeq(String sender) throws SQLException;
    }

    /** The broker side of ingest, as far as the canary needs it. */
    public interface Link {
        boolean isConnected();

        boolean isReadingPaused();

        Future<?> publish(String topic, byte[] payload);

        void reconnect(String why);
    }

    private record Sent(long seq, long atNanos) {
    }

    private final Vertx vertx;
    private final Link link;
    private final Receipts receipts;
    private final String self;
    private final long intervalNanos;
    private final LongSupplier nanos;
    private final ArrayDeque<Sent> outstanding = new ArrayDeque<>();
    private final IngestMeters meters;
    private long nextSeq;
    private long receivedSeq;
    private long lastMessageNanos;
    private long lastReconnectNanos;
    private boolean reconnected;
    private boolean deaf;
    private boolean askingReceipts;
    private long timer = -1;

    /**
     * @param receipts null for a sole subscriber, which receives every canary itself
     * @param self     this process's client id, the sender of its canaries
     */
    public BrokerCanary(Vertx vertx, Link link, Receipts receipts, String self, Duration interval, IngestMeters meters,
                        long startMillis, LongSupplier nanos) {
        this.vertx = vertx;
        this.link = link;
        this.receipts = receipts;
        this.self = self;
        this.intervalNanos = interval.toNanos();
        this.nanos = nanos;
        this.nextSeq = startMillis;
        this.lastMessageNanos = nanos.getAsLong();
        this.meters = meters;
        meters.canary(this::canaryAge, () -> !deaf);
    }

    public void start() {
        timer = vertx.setPeriodic(Math.max(1, intervalNanos / 1_000_000), id -> tick());
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    public static boolean isCanary(String topic) {
        return TOPIC.equals(topic);
    }

    /** Any message this process takes from the broker, canary or reading: the connection delivers. */
    public void messageArrived() {
        lastMessageNanos = nanos.getAsLong();
    }

    /** A canary arrived; completes once it is recorded, when it may be acknowledged. An unreadable one is ignored. */
    public Future<Void> canaryArrived(byte[] payload) {
        String sender;
        long seq;
        try {
            JsonObject canary = new JsonObject(Buffer.buffer(payload));
            sender = canary.getString("canary");
            seq = canary.getLong("seq", 0L);
        } catch (DecodeException | ClassCastException e) {
            return Future.succeededFuture();
        }
        if (self.equals(sender)) {
            receivedSeq = Math.max(receivedSeq, seq);
            settle();
            return Future.succeededFuture();
        }
        if (sender == null || receipts == null) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> {
            receipts.record(sender, seq, self);
            return null;
        }, false).<Void>mapEmpty().recover(e -> Future.succeededFuture()); // an unrecorded canary only looks late
    }

    /** The broker accepts readings this process does not receive: not ready. */
    public boolean isDeaf() {
        return deaf;
    }

    /** Age of the oldest canary not received yet; zero when every canary arrived. */
    public Duration canaryAge() {
        Sent oldest = outstanding.peekFirst();
        return oldest == null ? Duration.ZERO : Duration.ofNanos(Math.max(0, nanos.getAsLong() - oldest.atNanos));
    }

    void tick() {
        if (link.isConnected() && !link.isReadingPaused()) {
            long seq = nextSeq++;
            byte[] payload = new JsonObject().put("canary", self).put("seq", seq).encode().getBytes(StandardCharsets.UTF_8);
            link.publish(TOPIC, payload).onSuccess(id -> {
                if (outstanding.size() < MAX_OUTSTANDING && seq > receivedSeq) {
                    outstanding.addLast(new Sent(seq, nanos.getAsLong()));
                }
            });
        }
        Sent oldest = outstanding.peekFirst();
        if (receipts != null && !askingReceipts && oldest != null && nanos.getAsLong() - oldest.atNanos > intervalNanos) {
            askingReceipts = true;
            vertx.executeBlocking(() -> receipts.receivedSeq(self), false).onComplete(result -> {
                askingReceipts = false;
                if (result.succeeded()) {
                    receivedSeq = Math.max(receivedSeq, result.result());
                }
                settle();
            });
        } else {
            settle();
        }
    }

    /** Forgets what arrived, then judges: deaf, recovered, or neither. */
    private void settle() {
        while (!outstanding.isEmpty() && outstanding.peekFirst().seq <= receivedSeq) {
            outstanding.removeFirst();
        }
        long now = nanos.getAsLong();
        long overdue = intervalNanos * OVERDUE_INTERVALS;
        boolean nowDeaf = link.isConnected() && !link.isReadingPaused()
                && canaryAge().toNanos() > overdue && now - lastMessageNanos > overdue;
        if (nowDeaf && !deaf) {
            log.error("Ingest receives nothing: the broker accepted a canary {} s ago that no ingest process has received, "
                    + "and this process has received no message for as long; /ready is red", canaryAge().toSeconds());
        } else if (!nowDeaf && deaf) {
            log.info("Ingest receives from the broker again");
        }
        deaf = nowDeaf;
        if (deaf && (!reconnected || now - lastReconnectNanos > 2 * overdue)) {
            reconnected = true;
            lastReconnectNanos = now;
            meters.deafReconnect();
            link.reconnect("the broker accepts readings that this connection does not deliver");
        }
    }
}
