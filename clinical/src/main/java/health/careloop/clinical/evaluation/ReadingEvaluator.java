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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Turns newly committed readings into alerts and tasks. One batch is one transaction: lock queue rows → evaluate
 * each patient's readings in measured order → record alerts and tasks → delete the rows → commit. A crash before
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

    /** Evaluates about {@code max} queued readings (whole ingest batches, at least one) and commits; returns what it did. */
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

    /**
     * The work of one batch in the caller's open transaction; the caller commits or rolls back. A fixed number of
     * statements whatever the batch holds — lock queue rows, lock patients, thresholds (2), the new readings, the recent
     * readings of the patients whose new readings need them, triggers already recorded, delete the rows (and requeue
     * the readings of patients held elsewhere) — plus the
     * writes of each finding.
     */
    public BatchResult evaluateBatch(Connection c, int max) throws SQLException {
        EvaluationQueue.Locked locked = EvaluationQueue.lock(c, max);
        List<EvaluationQueue.Entry> entries = locked.entries();
        Map<AlertStore.Outcome, Integer> outcomes = new EnumMap<>(AlertStore.Outcome.class);
        if (entries.isEmpty()) {
            return new BatchResult(0, 0, outcomes);
        }
        Map<UUID, List<EvaluationQueue.Entry>> byPatient = new TreeMap<>();
        for (EvaluationQueue.Entry e : entries) {
            byPatient.computeIfAbsent(e.patientId(), k -> new ArrayList<>()).add(e);
        }
        Set<UUID> held = PatientLock.tryLockAll(c, byPatient.keySet());
        List<EvaluationQueue.Entry> done = new ArrayList<>();
        List<EvaluationQueue.Entry> left = new ArrayList<>();
        for (var it = byPatient.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<UUID, List<EvaluationQueue.Entry>> patient = it.next();
            if (held.contains(patient.getKey())) {
                done.addAll(patient.getValue());
            } else {
                // Another evaluator has this patient; these readings are queued again for the next round.
                left.addAll(patient.getValue());
                it.remove();
            }
        }
        if (byPatient.isEmpty()) {
            EvaluationQueue.finish(c, locked, left);
            return new BatchResult(0, left.size(), outcomes);
        }
        Map<UUID, Thresholds> thresholds = ThresholdStore.loadAll(c, byPatient.keySet());
        List<ReadingQueries.Identity> identities = new ArrayList<>();
        for (EvaluationQueue.Entry e : done) {
            identities.add(new ReadingQueries.Identity(e.deviceId(), e.type(), e.measuredAt()));
        }
        Map<ReadingRef, StoredReading> fresh = new HashMap<>();
        for (StoredReading r : ReadingQueries.readingsByIdentity(c, identities)) {
            fresh.put(ReadingRef.of(r), r);
        }
        // Most new readings are judged on their own (absolute limits); only the patients with a reading that a trend
        // or series rule may need have their recent readings loaded, all of them in one statement.
        Map<UUID, ReadingQueries.Window> windows = new HashMap<>();
        for (Map.Entry<UUID, List<EvaluationQueue.Entry>> patient : byPatient.entrySet()) {
            List<EvaluationQueue.Entry> mine = patient.getValue();
            mine.sort(ENTRY_ORDER);
            Thresholds t = thresholds.get(patient.getKey());
            boolean needsRecent = mine.stream().map(e -> fresh.get(ref(e))).anyMatch(r -> r != null && rules.needsRecent(r, t));
            if (needsRecent) {
                Duration around = ReadingRules.lookAround(t);
                windows.put(patient.getKey(), new ReadingQueries.Window(mine.get(0).measuredAt().minus(around),
                        mine.get(mine.size() - 1).measuredAt().plus(around).plusMillis(1)));
            }
        }
        Map<UUID, List<StoredReading>> recent = ReadingQueries.readingsForPatients(c, windows, MAX_CONTEXT_READINGS);
        List<AlertStore.PatientFinding> findings = new ArrayList<>();
        for (Map.Entry<UUID, List<EvaluationQueue.Entry>> patient : byPatient.entrySet()) {
            evaluatePatient(patient.getKey(), patient.getValue(), fresh, recent.get(patient.getKey()), thresholds.get(patient.getKey()), findings);
        }
        for (AlertStore.Outcome outcome : AlertStore.recordAll(c, findings)) {
            outcomes.merge(outcome, 1, Integer::sum);
        }
        EvaluationQueue.finish(c, locked, left);
        return new BatchResult(done.size(), left.size(), outcomes);
    }

    private static final Comparator<EvaluationQueue.Entry> ENTRY_ORDER = Comparator.comparing(EvaluationQueue.Entry::measuredAt)
            .thenComparing(EvaluationQueue.Entry::deviceId).thenComparing(EvaluationQueue.Entry::type);

    private static ReadingRef ref(EvaluationQueue.Entry e) {
        return new ReadingRef(e.deviceId(), e.type(), e.measuredAt());
    }

    /**
     * Pure: one patient's new readings, in measured order, judged against their recent ones ({@code recent} null when
     * no rule needs them: then each reading is judged with the patient's new readings only).
     */
    private void evaluatePatient(UUID patientId, List<EvaluationQueue.Entry> entries, Map<ReadingRef, StoredReading> fresh,
                                 List<StoredReading> recent, Thresholds thresholds, List<AlertStore.PatientFinding> findings) {
        List<StoredReading> context = recent;
        if (context == null) {
            context = entries.stream().map(e -> fresh.get(ref(e))).filter(Objects::nonNull).distinct()
                    .sorted(Comparator.comparing(StoredReading::measuredAt).thenComparing(StoredReading::deviceId)
                            .thenComparing(StoredReading::type))
                    .toList();
        }
        Set<ReadingRef> seen = new HashSet<>();
        for (EvaluationQueue.Entry e : entries) {
            ReadingRef ref = ref(e);
            StoredReading reading = fresh.get(ref);
            if (reading == null || !seen.add(ref)) {
                continue; // gone (retention dropped its partition): nothing left to judge; or queued twice: judged once
            }
            for (Finding f : rules.evaluate(reading, context, thresholds)) {
                findings.add(new AlertStore.PatientFinding(e.practiceId(), patientId, f));
            }
        }
    }
}
