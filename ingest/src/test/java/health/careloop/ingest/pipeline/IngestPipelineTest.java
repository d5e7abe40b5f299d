package health.careloop.ingest.pipeline;

import health.careloop.testing.OnContext;
import health.careloop.ingest.config.IngestConfig;
import health.careloop.ingest.metrics.IngestMeters;
import health.careloop.ingest.mqtt.BrokerSide;
import health.careloop.ingest.payload.ReadingDecoder;
import health.careloop.ingest.storage.BatchStore;
import health.careloop.ingest.storage.IncomingMessage;
import health.careloop.ingest.storage.WriteOutcome;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.messages.MqttPublishMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ingest pipeline on its own, with a fake broker side and a fake store (no broker, no database; each test runs in
 * well under a second): batches are capped, nothing is acknowledged before its batch commits, socket reads pause at
 * the in-flight bound and resume at half of it, batches grow while a backlog waits and are back to the batch size once
 * it is gone, a lost connection's unwritten messages are dropped (the broker
 * redelivers them), a database outage suspends the broker and a probe resumes it, a drain with the database down
 * ends at once, and a batch the database refuses is written message by message so only the poisonous one is
 * dead-lettered. The same behaviours run end to end against real services in AckAfterCommitTest, IngestEndToEndTest
 * and MosquittoSessionTest.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IngestPipelineTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, java.time.ZoneOffset.UTC);

    private Vertx vertx;
    private Context context;
    private final FakeBroker broker = new FakeBroker();
    private final FakeStore store = new FakeStore();
    private final MovableClock clock = new MovableClock(NOW);
    private final RecordedDelays delays = new RecordedDelays();
    private IngestPipeline pipeline;
    private int nextId = 1;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
    }

    @AfterEach
    void stop() {
        store.release();
        vertx.close().await();
    }

    private void pipeline(int batchSize, int maxInFlight) {
        pipeline(batchSize, batchSize, maxInFlight);
    }

    private void pipeline(int batchSize, int maxBatchSize, int maxInFlight) {
        IngestConfig config = new IngestConfig(batchSize, maxBatchSize, Duration.ZERO, maxInFlight, Duration.ofDays(2557), "careloop-ingest-test",
                "careloop-ingest", 256 * 1024, 0, 500, Duration.ofSeconds(5), true);
        onContext(() -> {
            pipeline = new IngestPipeline(vertx, config, new ReadingDecoder(CLOCK, config.retention(), config.maxPayloadBytes()),
                    store, delays, clock);
            pipeline.attach(broker);
            return null;
        });
    }

    @Test
    void aBatchHoldsAtMostBatchSizeReadingsAndEveryMessageIsWrittenOnce() {
        pipeline(3, 1000);
        store.holdWrites();
        deliver(1, 1); // the first batch: its write is held open while more arrive
        await().until(() -> store.writesStarted.get() == 1);
        for (int i = 0; i < 7; i++) {
            deliver(1, 1);
        }
        store.release();
        await().until(() -> broker.acked.size() == 8);
        assertThat(store.batches).allSatisfy(b -> assertThat(readings(b)).isLessThanOrEqualTo(3));
        assertThat(store.batches.stream().mapToInt(IngestPipelineTest::readings).sum()).isEqualTo(8);
        assertThat(broker.acked).doesNotHaveDuplicates();
    }

    @Test
    void batchesGrowWhileABacklogWaitsAndAreBackToTheBatchSizeOnceItIsGone() {
        pipeline(2, 8, 1000);
        store.holdWrites();
        deliver(1, 1); // the first batch: its write is held open while a backlog of 30 gathers
        await().until(() -> store.writesStarted.get() == 1);
        for (int i = 0; i < 30; i++) {
            deliver(1, 1);
        }
        store.release();
        await().until(() -> broker.acked.size() == 31);
        assertThat(store.batches).extracting(IngestPipelineTest::readings)
                .as("1, then 4 (30 waiting: doubled), 8 (26 waiting: doubled), 8 (the cap), 8, and the last 2 at the batch size again")
                .containsExactly(1, 4, 8, 8, 8, 2);
        deliver(1, 1);
        deliver(1, 1);
        deliver(1, 1);
        await().until(() -> broker.acked.size() == 34);
        assertThat(store.batches.subList(6, store.batches.size())).as("live again: at most the batch size")
                .allSatisfy(b -> assertThat(readings(b)).isLessThanOrEqualTo(2));
        assertThat(broker.acked).doesNotHaveDuplicates();
    }

    @Test
    void nothingIsAcknowledgedBeforeItsBatchCommits() {
        pipeline(1000, 1000);
        store.holdWrites();
        deliver(1, 1);
        deliver(1, 1);
        await().until(() -> store.writesStarted.get() == 1);
        sleep(100);
        assertThat(broker.acked).as("the write is still open: no PUBACK yet").isEmpty();
        store.release();
        await().until(() -> broker.acked.size() == 2);
    }

    @Test
    void socketReadsPauseAtTheInFlightBoundAndResumeAtHalfOfIt() {
        pipeline(2, 10);
        store.holdWrites();
        for (int i = 0; i < 10; i++) {
            deliver(1, 1);
        }
        await().until(() -> broker.pauses.get() == 1);
        assertThat(broker.paused).isTrue();
        assertThat(broker.resumes.get()).isZero();
        store.release(); // batches of 2 commit one after another; at 5 held the socket is read again
        await().until(() -> broker.resumes.get() == 1);
        await().until(() -> broker.acked.size() == 10);
        assertThat(broker.pauses.get()).isEqualTo(1);
    }

    @Test
    void aLostConnectionsUnwrittenMessagesAreDroppedAndTheWrittenOnesAreNotAckedOnTheNewConnection() {
        pipeline(1, 1000);
        store.holdWrites();
        MqttPublishMessage inWrite = deliver(1, 1);
        await().until(() -> store.writesStarted.get() == 1);
        MqttPublishMessage waiting = deliver(1, 1);
        onContext(() -> {
            broker.generation = 2;
            pipeline.onConnectionLost(1);
            return null;
        });
        MqttPublishMessage afterReconnect = deliver(2, 1);
        store.release();
        await().until(() -> store.batches.size() == 2);
        sleep(100);
        assertThat(store.batches.get(0)).extracting(IncomingMessage::payload).containsExactly(inWrite.payload().getBytes());
        assertThat(store.batches.get(1)).extracting(IncomingMessage::payload).containsExactly(afterReconnect.payload().getBytes());
        assertThat(store.batches).as("the waiting message of the lost connection was never written")
                .noneSatisfy(b -> assertThat(b).extracting(IncomingMessage::payload).contains(waiting.payload().getBytes()));
        assertThat(broker.acked).as("only the new connection's message is acknowledged").containsExactly(afterReconnect.messageId());
    }

    @Test
    void aDatabaseOutageSuspendsTheBrokerAndAProbeResumesIt() {
        pipeline(1000, 1000);
        store.down();
        deliver(1, 1);
        await().until(() -> broker.suspended);
        assertThat(pipeline.isDatabaseDown()).isTrue();
        assertThat(broker.acked).isEmpty();
        sleep(300);
        assertThat(broker.resumes.get()).isZero();
        assertThat(broker.suspended).as("still away while the probe fails").isTrue();
        store.up();
        await().atMost(Duration.ofSeconds(5)).until(() -> !broker.suspended);
        assertThat(pipeline.isDatabaseDown()).isFalse();
        deliver(broker.generation, 1); // on the new connection
        await().until(() -> broker.acked.size() == 1);
    }

    @Test
    void aDrainWithTheDatabaseDownEndsAtOnceAndAcknowledgesNothing() {
        pipeline(1000, 1000);
        store.down();
        deliver(1, 1);
        await().until(() -> broker.suspended);
        deliver(1, 1);
        AtomicReference<Future<Void>> drained = new AtomicReference<>();
        onContext(() -> {
            drained.set(pipeline.drain());
            return null;
        });
        await().atMost(Duration.ofSeconds(2)).until(() -> drained.get().isComplete());
        assertThat(drained.get().succeeded()).isTrue();
        assertThat(broker.acked).isEmpty();
    }

    @Test
    void aDrainCommitsAndAcknowledgesWhatIsHeldBeforeItCompletes() {
        pipeline(1000, 1000);
        store.holdWrites();
        deliver(1, 1);
        await().until(() -> store.writesStarted.get() == 1);
        deliver(1, 1);
        AtomicReference<Future<Void>> drained = new AtomicReference<>();
        onContext(() -> {
            drained.set(pipeline.drain());
            return null;
        });
        sleep(100);
        assertThat(drained.get().isComplete()).isFalse();
        store.release();
        await().until(() -> drained.get().isComplete());
        assertThat(broker.acked).hasSize(2);
    }

    @Test
    void aBatchTheDatabaseRefusesIsWrittenOneByOneAndOnlyThePoisonIsDeadLettered() {
        pipeline(1000, 1000);
        store.holdWrites();
        deliver(1, 1);
        await().until(() -> store.writesStarted.get() == 1);
        deliver(1, 1);
        MqttPublishMessage poison = deliver(1, 1);
        deliver(1, 1);
        store.poison(poison.payload().getBytes());
        store.release();
        await().until(() -> broker.acked.size() == 4);
        assertThat(store.deadLettered).hasSize(1);
        assertThat(store.deadLettered.get(0)).contains("SQLState 22P05");
        assertThat(broker.suspended).isFalse();
    }

    @Test
    void aReadingIsMeasuredVisibleWhenItsBatchHasCommittedAndItsWaitBehindTheOpenWriteIsRecorded() {
        pipeline(1000, 1000);
        store.holdWrites();
        deliver(1, 1); // measured 60 s before NOW; its write is held open
        await().until(() -> store.writesStarted.get() == 1);
        deliver(1, 1); // measured 120 s before NOW; waits for the open write
        clock.advance(Duration.ofSeconds(3));
        store.release();
        await().until(() -> broker.acked.size() == 2);
        assertThat(delays.waited).as("the first batch started at once; the second waited the 3 s the first write stayed open")
                .containsExactly(Duration.ZERO, Duration.ofSeconds(3));
        assertThat(delays.visible).as("measured → committed, taken after COMMIT returned, not at receipt")
                .containsExactly(Duration.ofSeconds(63), Duration.ofSeconds(123));
    }

    // --- helpers

    private MqttPublishMessage deliver(long generation, int readings) {
        int id = nextId++;
        StringBuilder payload = new StringBuilder(readings > 1 ? "[" : "");
        for (int i = 0; i < readings; i++) {
            if (i > 0) {
                payload.append(',');
            }
            payload.append("{\"type\":\"blood_pressure\",\"measuredAt\":\"").append(NOW.minusSeconds(60L * id + i))
                    .append("\",\"systolic\":120,\"diastolic\":80}");
        }
        if (readings > 1) {
            payload.append(']');
        }
        MqttPublishMessage message = MqttPublishMessage.create(id, MqttQoS.AT_LEAST_ONCE, false, false,
                "rpm/v1/devices/cuff-" + id + "/readings", Buffer.buffer(payload.toString()));
        onContext(() -> {
            pipeline.onMessage(message, generation);
            return null;
        });
        return message;
    }

    private static int readings(List<IncomingMessage> batch) {
        return batch.stream().mapToInt(m -> m.decoded().size()).sum();
    }

    private <T> T onContext(Supplier<T> action) {
        return OnContext.call(context, action);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A clock the test moves while a write is held open. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    /** Keeps the waits and visibility delays the pipeline reports; every other meter is ignored. */
    private static final class RecordedDelays extends IngestMeters.Ignoring {
        final List<Duration> waited = new CopyOnWriteArrayList<>();
        final List<Duration> visible = new CopyOnWriteArrayList<>();

        @Override
        public void waited(Duration receivedToWrite) {
            waited.add(receivedToWrite);
        }

        @Override
        public void visible(Duration measuredToCommitted) {
            visible.add(measuredToCommitted);
        }
    }

    /** Acknowledges only on the current generation, as BrokerConnection does; records pauses and suspensions. */
    private static final class FakeBroker implements BrokerSide {
        final List<Integer> acked = new CopyOnWriteArrayList<>();
        final AtomicInteger pauses = new AtomicInteger();
        final AtomicInteger resumes = new AtomicInteger();
        volatile long generation = 1;
        volatile boolean paused;
        volatile boolean suspended;

        @Override
        public boolean ack(MqttPublishMessage message, long messageGeneration) {
            if (suspended || messageGeneration != generation) {
                return false;
            }
            acked.add(message.messageId());
            return true;
        }

        @Override
        public boolean pauseReading() {
            paused = true;
            pauses.incrementAndGet();
            return true;
        }

        @Override
        public void resumeReading() {
            if (paused) {
                paused = false;
                resumes.incrementAndGet();
            }
        }

        @Override
        public boolean isReadingPaused() {
            return paused;
        }

        @Override
        public void suspend(String why) {
            suspended = true;
        }

        @Override
        public void resume() {
            suspended = false;
            generation++;
        }
    }

    /** Commits in memory; can hold writes open, be down, or refuse batches holding a poisonous payload. */
    private static final class FakeStore implements BatchStore {
        final List<List<IncomingMessage>> batches = new CopyOnWriteArrayList<>();
        final List<String> deadLettered = new CopyOnWriteArrayList<>();
        final AtomicInteger writesStarted = new AtomicInteger();
        private volatile CountDownLatch gate = new CountDownLatch(0);
        private volatile boolean down;
        private volatile byte[] poison;

        void holdWrites() {
            gate = new CountDownLatch(1);
        }

        void release() {
            gate.countDown();
        }

        void down() {
            down = true;
        }

        void up() {
            down = false;
        }

        void poison(byte[] payload) {
            poison = payload;
        }

        @Override
        public WriteOutcome write(List<IncomingMessage> batch) throws SQLException {
            writesStarted.incrementAndGet();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (down) {
                throw new SQLTransientConnectionException("connection refused", "08001");
            }
            if (poison != null && batch.stream().anyMatch(m -> java.util.Arrays.equals(m.payload(), poison))) {
                throw new SQLException("invalid byte sequence", "22P05");
            }
            batches.add(new ArrayList<>(batch));
            return new WriteOutcome();
        }

        @Override
        public WriteOutcome deadLetter(IncomingMessage message, String detail) {
            deadLettered.add(detail);
            return new WriteOutcome();
        }

        @Override
        public boolean isReachable() {
            return !down;
        }
    }
}
