package health.careloop.clinical.evaluation;

import health.careloop.common.db.DatabaseErrors;
import health.careloop.clinical.alerts.AlertEscalation;
import health.careloop.clinical.tasks.CarePlanReviews;
import health.careloop.clinical.tasks.MonthlyCheckIns;
import health.careloop.ingest.storage.EvaluationQueue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clinical evaluator: a loop that evaluates queued readings batch by batch (one transaction each, see
 * ReadingEvaluator) on a worker thread, polling every 100 ms while the queue is empty, plus the scheduled checks
 * (escalation, missed readings, monthly check-ins). One batch at a time per verticle; several verticles or processes
 * may run, sharing the queue (SKIP LOCKED) and never the same patient (advisory locks).
 */
public final class EvaluatorVerticle extends VerticleBase {
    private static final Logger log = LoggerFactory.getLogger(EvaluatorVerticle.class);
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(2);
    private static final Duration BACKLOG_REFRESH = Duration.ofSeconds(5);

    private final DataSource dataSource;
    private final EvaluatorSettings settings;
    private final MeterRegistry meters;
    private final Clock clock;
    private final ReadingEvaluator evaluator;
    private final MissedReadingsCheck missedReadings;
    private final AtomicLong backlog = new AtomicLong();
    private Counter evaluated;
    private Counter raised;
    private volatile boolean stopped;
    private long pollTimer = -1;
    private final long[] periodic = new long[4];

    public EvaluatorVerticle(DataSource dataSource, EvaluatorSettings settings, MeterRegistry meters, Clock clock) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.meters = meters;
        this.clock = clock;
        this.evaluator = new ReadingEvaluator(dataSource);
        this.missedReadings = new MissedReadingsCheck(dataSource);
    }

    @Override
    public Future<?> start() {
        // Meter names are constants and carry no patient or device tags (STYLE.md, Hono).
        evaluated = Counter.builder("careloop.clinical.readings.evaluated").register(meters);
        raised = Counter.builder("careloop.clinical.alerts.raised").register(meters);
        Gauge.builder("careloop.clinical.evaluation.backlog", backlog, AtomicLong::get)
                .description("Readings committed but not yet evaluated (ingest.evaluation_queue)").register(meters);
        periodic[0] = vertx.setPeriodic(settings.escalationCheckEvery().toMillis(), id -> blocking("escalation", () -> {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    var escalated = AlertEscalation.run(c, clock.instant(), settings.escalateAfter());
                    c.commit();
                    if (!escalated.isEmpty()) {
                        log.warn("Escalated {} unacknowledged critical alert(s)", escalated.size());
                    }
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            }
            return null;
        }));
        periodic[1] = vertx.setPeriodic(settings.missedReadingsEvery().toMillis(), id -> blocking("missed-reading check",
                () -> missedReadings.run(clock.instant())));
        periodic[2] = vertx.setPeriodic(settings.checkInsEvery().toMillis(), id -> blocking("monthly check-ins", this::checkIns));
        periodic[3] = vertx.setPeriodic(BACKLOG_REFRESH.toMillis(), id -> blocking("backlog", () -> {
            try (Connection c = dataSource.getConnection()) {
                backlog.set(EvaluationQueue.backlog(c));
            }
            return null;
        }));
        blocking("monthly check-ins", this::checkIns);
        poll();
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        stopped = true;
        for (long id : periodic) {
            vertx.cancelTimer(id);
        }
        vertx.cancelTimer(pollTimer);
        return Future.succeededFuture();
    }

    private Integer checkIns() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return MonthlyCheckIns.run(c, clock.instant()) + CarePlanReviews.run(c, clock.instant());
        }
    }

    private void poll() {
        if (stopped) {
            return;
        }
        vertx.executeBlocking(() -> evaluator.runOnce(settings.batchSize()), false).onComplete(result -> {
            if (stopped) {
                return;
            }
            if (result.failed()) {
                log.error("Evaluation failed; the readings stay queued, retrying in {}", RETRY_AFTER_FAILURE, DatabaseErrors.loggable(result.cause()));
                pollTimer = vertx.setTimer(RETRY_AFTER_FAILURE.toMillis(), id -> poll());
                return;
            }
            ReadingEvaluator.BatchResult batch = result.result();
            evaluated.increment(batch.evaluated());
            raised.increment(batch.raised());
            if (batch.evaluated() > 0) {
                // More may be waiting: go again at once (a full batch) or after yielding to the event loop.
                vertx.runOnContext(v -> poll());
            } else {
                pollTimer = vertx.setTimer(settings.pollDelay().toMillis(), id -> poll());
            }
        });
    }

    private <T> void blocking(String what, Callable<T> work) {
        vertx.executeBlocking(work, false).onFailure(e -> log.error("Scheduled {} failed; it runs again at its next interval", what, DatabaseErrors.loggable(e)));
    }
}
