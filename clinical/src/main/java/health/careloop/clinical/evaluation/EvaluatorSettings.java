package health.careloop.clinical.evaluation;

import health.careloop.clinical.alerts.AlertEscalation;

import java.time.Duration;

/**
 * How the evaluator runs. Defaults: batches of up to 500 queued readings; 100 ms between polls of an empty queue
 * (alert latency stays well under a second without LISTEN/NOTIFY); escalation of unacknowledged critical alerts after
 * 15 minutes, checked every 30 s; missed-reading rules every 15 minutes; monthly check-ins every hour.
 */
public record EvaluatorSettings(int batchSize, Duration pollDelay, Duration escalateAfter, Duration escalationCheckEvery,
                                Duration missedReadingsEvery, Duration checkInsEvery) {
    public static EvaluatorSettings defaults() {
        return new EvaluatorSettings(500, Duration.ofMillis(100), AlertEscalation.DEFAULT_AFTER, Duration.ofSeconds(30),
                Duration.ofMinutes(15), Duration.ofHours(1));
    }

    public EvaluatorSettings withEscalateAfter(Duration after) {
        return new EvaluatorSettings(batchSize, pollDelay, after, escalationCheckEvery, missedReadingsEvery, checkInsEvery);
    }

    public EvaluatorSettings withEscalationCheckEvery(Duration every) {
        return new EvaluatorSettings(batchSize, pollDelay, escalateAfter, every, missedReadingsEvery, checkInsEvery);
    }
}
