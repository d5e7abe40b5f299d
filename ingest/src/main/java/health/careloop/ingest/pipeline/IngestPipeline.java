package health.careloop.ingest.pipeline;

import health.careloop.common.db.DatabaseErrors;
import health.careloop.ingest.config.IngestConfig;
import health.careloop.common.retry.Backoff;
import health.careloop.ingest.metrics.IngestMeters;
import health.careloop.ingest.mqtt.BrokerConnection;
import health.careloop.ingest.mqtt.BrokerSide;
import health.careloop.ingest.mqtt.DeviceTopic;
import health.careloop.ingest.payload.DecodedMessage;
import health.careloop.ingest.payload.Reading;
import health.careloop.ingest.payload.ReadingDecoder;
import health.careloop.ingest.payload.RejectReason;
import health.careloop.ingest.payload.Rejection;
import health.careloop.ingest.storage.BatchStore;
import health.careloop.ingest.storage.IncomingMessage;
import health.careloop.ingest.storage.WriteOutcome;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.mqtt.messages.MqttPublishMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A message's journey: decode → batch → write in one transaction → acknowledge after COMMIT (DESIGN.md invariant 1).
 *
 * <p>One batch is written at a time; messages arriving meanwhile gather for the next one. When PostgreSQL is
 * unreachable the broker connection is suspended (the broker keeps the messages, our heap does not), the database is
 * probed with backoff, and consumption resumes when it answers. When the database answers but refuses a batch, the
 * batch is retried message by message so one poisonous message cannot hold its neighbours back. Holding
 * {@code maxInFlight} unacknowledged messages, it stops reading from the broker's socket until it is down to half of
 * that; a message it has taken is never dropped, so nothing depends on the broker resending it.
 * Runs on the event loop of the context it was created on; JDBC work goes to worker threads. Its collaborators are
 * interfaces ({@link BrokerSide}, {@link BatchStore}, {@link IngestMeters}), so each of these behaviours has a fast
 * unit test with fakes ({@code IngestPipelineTest}) besides the end-to-end tests against a real broker and PostgreSQL.
 */
public final class IngestPipeline implements BrokerConnection.Listener {
    private static final Logger log = LoggerFactory.getLogger(IngestPipeline.class);

    private record Pending(MqttPublishMessage message, long generation, IncomingMessage incoming) {
    }

    private final Vertx vertx;
    private final IngestConfig config;
    private final ReadingDecoder decoder;
    private final BatchStore store;
    private final IngestMeters metrics;
    private final Clock clock;
    private final DeviceRateLimiter rateLimiter;
    private final BatchSizer batchSizer;
    private BrokerSide broker;

    private List<Pending> pending = new ArrayList<>();
    private int pendingItems;
    private int flushingMessages;
    private boolean flushing;
    private long flushTimer = -1;
    private boolean databaseDown;
    private Promise<Void> drained;
    private final Backoff probeBackoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(5), false);

    public IngestPipeline(Vertx vertx, IngestConfig config, ReadingDecoder decoder, BatchStore store, IngestMeters metrics,
                          Clock clock) {
        this.vertx = vertx;
        this.config = config;
        this.decoder = decoder;
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
        this.rateLimiter = config.deviceRateLimited() ? new DeviceRateLimiter(config.deviceRatePerMinute(), config.deviceBurst(),
                DeviceRateLimiter.DEFAULT_MAX_DEVICES, System::nanoTime) : null;
        this.batchSizer = new BatchSizer(config.batchSize(), config.maxBatchSize());
    }

    public void attach(BrokerSide broker) {
        this.broker = broker;
    }

    @Override
    public void onMessage(MqttPublishMessage message, long generation) {
        Instant receivedAt = clock.instant();
        IncomingMessage incoming = decode(message.topicName(), message.payload().getBytes(), receivedAt);
        if (rateLimiter != null) {
            incoming = rateLimiter.limit(incoming); // over the device's rate: dead-lettered as rate_limited, never dropped
        }
        metrics.messageReceived(incoming.decoded().size());
        for (Reading r : incoming.decoded().readings()) {
            metrics.lag(Duration.between(r.measuredAt(), receivedAt));
        }
        pending.add(new Pending(message, generation, incoming));
        pendingItems += incoming.decoded().size();
        updateInFlight();
        // The broker's own in-flight window normally stops it before this; Mosquitto 2.0.11's did not.
        if (held() >= config.maxInFlight() && !broker.isReadingPaused() && broker.pauseReading()) {
            metrics.readingPaused();
        }
        if (pendingItems >= batchSizer.current()) {
            flush();
        } else {
            scheduleFlush();
        }
    }

    /**
     * Group commit: with no write in progress, the batch goes as soon as the messages already read off the socket have
     * joined it (or after the configured delay, when one is set); while a write is in progress, arrivals gather and
     * go together when it completes. Low load gets low latency, high load gets large batches.
     */
    private void scheduleFlush() {
        if (flushTimer >= 0 || flushing || pending.isEmpty()) {
            return;
        }
        long delay = config.batchMaxDelay().toMillis();
        if (delay == 0) {
            flushTimer = 0;
            vertx.runOnContext(v -> {
                flushTimer = -1;
                flush();
            });
        } else {
            flushTimer = vertx.setTimer(delay, id -> {
                flushTimer = -1;
                flush();
            });
        }
    }

    @Override
    public void onConnectionLost(long generation) {
        // Unwritten messages of a dead connection can never be acked; the broker redelivers them on the new one.
        pending.removeIf(p -> p.generation <= generation);
        pendingItems = pending.stream().mapToInt(p -> p.incoming.decoded().size()).sum();
        updateInFlight();
    }

    IncomingMessage decode(String topic, byte[] payload, Instant receivedAt) {
        return DeviceTopic.deviceId(topic)
                .map(deviceId -> new IncomingMessage(topic, deviceId, receivedAt, payload, decoder.decode(deviceId, payload)))
                .orElseGet(() -> new IncomingMessage(topic, null, receivedAt, payload, new DecodedMessage(List.of(),
                        List.of(new Rejection(RejectReason.INVALID_TOPIC, "topic is not rpm/v1/devices/{deviceId}/readings", -1, payload)))));
    }

    private void flush() {
        if (flushing || pending.isEmpty() || databaseDown) {
            return;
        }
        if (flushTimer > 0) {
            vertx.cancelTimer(flushTimer);
        }
        flushTimer = -1;
        // At most the current limit of readings per transaction (BatchSizer: the batch size, more while a backlog waits);
        // what gathered during the last write may be more.
        int limit = batchSizer.next(pendingItems);
        int count = 0;
        int items = 0;
        while (count < pending.size() && (count == 0 || items + pending.get(count).incoming.decoded().size() <= limit)) {
            items += pending.get(count).incoming.decoded().size();
            count++;
        }
        List<Pending> batch;
        if (count == pending.size()) {
            batch = pending;
            pending = new ArrayList<>();
        } else {
            batch = new ArrayList<>(pending.subList(0, count));
            pending = new ArrayList<>(pending.subList(count, pending.size()));
        }
        pendingItems -= items;
        int batchItems = items;
        flushing = true;
        flushingMessages = batch.size();
        List<IncomingMessage> messages = batch.stream().map(Pending::incoming).toList();
        metrics.waited(Duration.between(batch.get(0).incoming.receivedAt(), clock.instant()));
        long started = System.nanoTime();
        vertx.executeBlocking(() -> writeOrIsolate(messages), false)
                .onSuccess(outcome -> {
                    metrics.committed(outcome, batchItems, Duration.ofNanos(System.nanoTime() - started));
                    Instant committedAt = clock.instant();
                    for (Pending p : batch) {
                        broker.ack(p.message, p.generation);
                        for (Reading r : p.incoming.decoded().readings()) {
                            metrics.visible(Duration.between(r.measuredAt(), committedAt));
                        }
                    }
                })
                .onFailure(this::databaseUnreachable)
                .onComplete(done -> {
                    flushing = false;
                    flushingMessages = 0;
                    updateInFlight();
                    if (drained != null) {
                        drainStep();
                        return;
                    }
                    if (broker.isReadingPaused() && held() <= config.maxInFlight() / 2) {
                        broker.resumeReading();
                    }
                    if (pendingItems >= batchSizer.current()) {
                        flush();
                    } else {
                        scheduleFlush();
                    }
                });
    }

    /** Worker thread. Throws only when the database cannot be reached; then nothing of the batch is acknowledged. */
    private WriteOutcome writeOrIsolate(List<IncomingMessage> batch) throws SQLException {
        try {
            return store.write(batch);
        } catch (SQLException e) {
            if (!store.isReachable()) {
                throw e;
            }
            log.warn("A batch of {} messages was refused ({}, SQLState {}); writing them one by one", batch.size(),
                    e.getClass().getSimpleName(), e.getSQLState());
        }
        WriteOutcome total = new WriteOutcome();
        for (IncomingMessage message : batch) {
            try {
                total.add(store.write(List.of(message)));
            } catch (SQLException e) {
                if (!store.isReachable()) {
                    throw e;
                }
                total.add(store.deadLetter(message, "the database refused this message: SQLState " + e.getSQLState()));
            }
        }
        return total;
    }

    private void databaseUnreachable(Throwable cause) {
        if (databaseDown) {
            return;
        }
        databaseDown = true;
        metrics.databaseOutage();
        log.error("PostgreSQL unreachable ({}); withholding acknowledgements and pausing consumption", DatabaseErrors.describe(cause));
        broker.suspend("database unreachable");
        pending.clear();
        pendingItems = 0;
        if (drained != null) {
            drained.tryComplete();
            return;
        }
        probeBackoff.reset();
        probe();
    }

    private void probe() {
        vertx.setTimer(probeBackoff.nextMillis(), id -> vertx.executeBlocking(store::isReachable, false).onComplete(result -> {
            if (result.succeeded() && result.result()) {
                log.info("PostgreSQL reachable again; resuming");
                databaseDown = false;
                broker.resume();
            } else {
                probe();
            }
        }));
    }

    /**
     * Shutdown: the broker connection hands over no more messages; write what is pending now (no batch delay), and
     * complete once every batch is committed and acknowledged. With the database down nothing more can be committed:
     * complete at once, the broker redelivers.
     */
    @Override
    public Future<Void> drain() {
        if (drained == null) {
            drained = Promise.promise();
            drainStep();
        }
        return drained.future();
    }

    private void drainStep() {
        if (databaseDown || (!flushing && pending.isEmpty())) {
            drained.tryComplete();
        } else if (!flushing) {
            flush();
        }
    }

    public boolean isDatabaseDown() {
        return databaseDown;
    }

    /** Messages taken from the broker and not yet acknowledged. */
    private int held() {
        return pending.size() + flushingMessages;
    }

    private void updateInFlight() {
        metrics.inFlight(held());
    }
}
