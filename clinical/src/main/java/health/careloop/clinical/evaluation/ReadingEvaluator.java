package health.careloop.clinical.evaluation;

import health.careloop.clinical.alerts.AlertStore;
import health.careloop.clinical.rules.Finding;
import health.careloop.clinical.rules.ReadingRef;
import health.careloop.clinical.rules.ReadingRules;
import health.careloop.clinical.rules.ThresholdStore;
import health.careloop.clinical.rules.Thresholds;
import health.careloop.ingest.storage.EvaluationQueue;
import health.careloop.ingest.storage.ReadingQueries;
import health.careloop.ingest.storage.StoredReading;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Turns newly committed readings into alerts and tasks. One batch is one transaction: lock queue entries → evaluate
 * each patient's readings in measured order → record alerts and tasks → remove the entries → commit. A crash before
 * the commit leaves the entries queued and records nothing, so they are evaluated again; after it they are gone.
 * Recording is idempotent as well (AlertStore), so even a replayed reading raises nothing twice (invariant 2).
 */
public final class ReadingEvaluator {
    public record BatchResult(int evaluated, int skippedLocked, Map<AlertStore.Outcome, Integer> outcomes) {
        public int raised() {
            return outcomes.getOrDefault(AlertStore.Outcome.RAISED, 0);
        }
    }

    /** The most readings of one patient looked at around a batch (a device at one reading a minute for 16 days). */
    private static final int MAX_CONTEXT_READINGS = 25_000;

    private final DataSource dataSource;
    private final ReadingRules rules = new ReadingRules();

    public ReadingEvaluator(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Evaluates up to {@code max} queued readings and commits; returns what it did. */
    public BatchResult runOnce(int max) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                BatchResult result = evaluateBatch(c, max);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The work of one batch in the caller's open transaction; the caller commits or rolls back. */
    public BatchResult evaluateBatch(Connection c, int max) throws SQLException {
        List<EvaluationQueue.Entry> entries = EvaluationQueue.lock(c, max);
        Map<AlertStore.Outcome, Integer> outcomes = new EnumMap<>(AlertStore.Outcome.class);
        if (entries.isEmpty()) {
            return new BatchResult(0, 0, outcomes);
        }
        Map<UUID, List<EvaluationQueue.Entry>> byPatient = new TreeMap<>();
        for (EvaluationQueue.Entry e : entries) {
            byPatient.computeIfAbsent(e.patientId(), k -> new ArrayList<>()).add(e);
        }
        List<EvaluationQueue.Entry> done = new ArrayList<>();
        int skipped = 0;
        for (Map.Entry<UUID, List<EvaluationQueue.Entry>> patient : byPatient.entrySet()) {
            if (!PatientLock.tryLock(c, patient.getKey())) {
                // Another evaluator has this patient; these entries stay queued for the next round.
                skipped += patient.getValue().size();
                continue;
            }
            evaluatePatient(c, patient.getKey(), patient.getValue(), outcomes);
            done.addAll(patient.getValue());
        }
        EvaluationQueue.remove(c, done);
        return new BatchResult(done.size(), skipped, outcomes);
    }

    private void evaluatePatient(Connection c, UUID patientId, List<EvaluationQueue.Entry> entries,
                                 Map<AlertStore.Outcome, Integer> outcomes) throws SQLException {
        entries.sort(Comparator.comparing(EvaluationQueue.Entry::measuredAt).thenComparing(EvaluationQueue.Entry::deviceId)
                .thenComparing(EvaluationQueue.Entry::type));
        Thresholds thresholds = ThresholdStore.load(c, patientId);
        Duration around = ReadingRules.lookAround(thresholds);
        Instant from = entries.get(0).measuredAt().minus(around);
        Instant to = entries.get(entries.size() - 1).measuredAt().plus(around).plusMillis(1);
        List<StoredReading> recent = ReadingQueries.readings(c, patientId, from, to, null, MAX_CONTEXT_READINGS);
        Map<ReadingRef, StoredReading> byRef = new HashMap<>();
        for (StoredReading r : recent) {
            byRef.put(ReadingRef.of(r), r);
        }
        for (EvaluationQueue.Entry e : entries) {
            StoredReading reading = byRef.get(new ReadingRef(e.deviceId(), e.type(), e.measuredAt()));
            if (reading == null) {
                continue; // gone (retention dropped its partition): nothing left to judge
            }
            for (Finding f : rules.evaluate(reading, recent, thresholds)) {
                outcomes.merge(AlertStore.record(c, e.practiceId(), patientId, f), 1, Integer::sum);
            }
        }
    }
}
