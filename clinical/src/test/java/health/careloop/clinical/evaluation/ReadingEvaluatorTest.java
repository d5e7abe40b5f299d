package health.careloop.clinical.evaluation;

import health.careloop.clinical.alerts.Alert;
import health.careloop.clinical.alerts.AlertEscalation;
import health.careloop.clinical.alerts.AlertStore;
import health.careloop.clinical.tasks.Task;
import health.careloop.clinical.tasks.TaskStore;
import health.careloop.common.directory.Patient;
import health.careloop.common.directory.Practice;
import health.careloop.ingest.devices.DeviceKind;
import health.careloop.ingest.storage.EvaluationQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static health.careloop.clinical.evaluation.ClinicalHarness.bp;
import static health.careloop.clinical.evaluation.ClinicalHarness.glucose;
import static health.careloop.clinical.evaluation.ClinicalHarness.weight;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The evaluator on a real database: alerts and tasks from queued readings, absorbing, replay and crash safety, escalation. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadingEvaluatorTest {
    static ClinicalHarness h;
    static Practice practice;
    static ReadingEvaluator evaluator;

    @BeforeAll
    static void setUp() throws Exception {
        h = new ClinicalHarness();
        practice = h.practice();
        evaluator = new ReadingEvaluator(h.database.dataSource());
    }

    @AfterAll
    static void tearDown() {
        h.close();
    }

    private static Instant ago(long minutes) {
        return Instant.now().minus(Duration.ofMinutes(minutes)).truncatedTo(ChronoUnit.MILLIS);
    }

    private static void drain() throws Exception {
        while (evaluator.runOnce(100).evaluated() > 0) {
            // until the queue is empty
        }
    }

    /** {@code batches} ingest batches of {@code perBatch} normal readings each, a minute apart from {@code minutesAgo} on. */
    private static void storeBatches(String cuff, int batches, int perBatch, long minutesAgo) throws Exception {
        for (int batch = 0; batch < batches; batch++) {
            String[] readings = new String[perBatch];
            for (int i = 0; i < perBatch; i++) {
                readings[i] = bp(ago(minutesAgo).plusSeconds(60L * (batch * perBatch + i)), 120 + i, 80);
            }
            assertThat(h.store(cuff, readings)).isEqualTo(perBatch);
        }
    }

    private static List<Alert> alerts(Patient p) throws Exception {
        try (Connection c = h.database.connection()) {
            return AlertStore.list(c, practice.id(), p.id(), null, null, null, 100);
        }
    }

    @Test
    void aCrisisReadingRaisesACriticalAlertWithAnUrgentTaskAndANormalOneNothing() throws Exception {
        Patient p = h.patient(practice);
        String cuff = h.device(p, DeviceKind.BLOOD_PRESSURE_CUFF);
        h.store(cuff, bp(ago(30), 122, 78), bp(ago(10), 184, 100));
        drain();
        List<Alert> alerts = alerts(p);
        assertThat(alerts).extracting(Alert::ruleId).containsExactly("bp_crisis");
        Alert crisis = alerts.get(0);
        assertThat(crisis.severity()).isEqualTo("critical");
        assertThat(crisis.status()).isEqualTo("open");
        assertThat(crisis.readings()).hasSize(1);
        assertThat(crisis.readings().get(0).deviceId()).isEqualTo(cuff);
        assertThat(crisis.taskId()).isNotNull();
        try (Connection c = h.database.connection()) {
            Task task = TaskStore.find(c, crisis.taskId(), false).orElseThrow();
            assertThat(task.priority()).isEqualTo("urgent");
            assertThat(task.suggestedProgram()).isEqualTo("rpm");
            assertThat(task.kind()).isEqualTo("alert_follow_up");
            assertThat(Duration.between(Instant.now(), task.dueAt()).toMinutes()).isCloseTo(60, within(2L));
        }
        assertThat(h.count("SELECT count(*) FROM ingest.evaluation_queue WHERE patient_id = ?", p.id())).isZero();
    }

    @Test
    void aRepeatWhileTheAlertIsOpenIsAbsorbedAndAfterResolutionRaisesAnew() throws Exception {
        Patient p = h.patient(practice);
        String meter = h.device(p, DeviceKind.GLUCOMETER);
        h.store(meter, glucose(ago(50), 48));
        drain();
        h.store(meter, glucose(ago(40), 50), glucose(ago(30), 45));
        drain();
        List<Alert> alerts = alerts(p);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).ruleId()).isEqualTo("glucose_level2");
        assertThat(alerts.get(0).occurrences()).isEqualTo(3);
        assertThat(alerts.get(0).readings()).hasSize(3);
        assertThat(h.count("SELECT count(*) FROM clinical.task WHERE patient_id = ?", p.id())).isEqualTo(1);

        try (Connection c = h.database.connection()) {
            c.setAutoCommit(false);
            AlertStore.acknowledge(c, alerts.get(0), "staff:nurse");
            AlertStore.resolve(c, AlertStore.find(c, alerts.get(0).id(), true).orElseThrow(), "staff:nurse", "Called; ate, rechecked 110");
            c.commit();
        }
        h.store(meter, glucose(ago(5), 51));
        drain();
        assertThat(alerts(p)).extracting(Alert::status).containsExactlyInAnyOrder("open", "resolved");
        assertThat(h.count("SELECT count(*) FROM clinical.task WHERE patient_id = ?", p.id())).isEqualTo(2);
    }

    @Test
    void weightGainIsFoundWhenTheEarlierReadingArrivesLate() throws Exception {
        Patient p = h.patient(practice);
        h.condition(p, "I50.22");
        String scale = h.device(p, DeviceKind.SCALE);
        Instant tuesday = ago(60 * 6);
        // From one instant: two calls to ago() a millisecond apart made the gap 24 h + 1 ms, outside the rule's window.
        Instant monday = tuesday.minus(Duration.ofHours(23));
        h.store(scale, weight(tuesday, "81.5"));
        drain();
        assertThat(h.alerts(p, "hf_weight_gain_24h")).isZero();
        // Monday's reading syncs a day late.
        h.store(scale, weight(monday, "80.2"));
        drain();
        Alert gain = alerts(p).stream().filter(a -> a.ruleId().equals("hf_weight_gain_24h")).findFirst().orElseThrow();
        assertThat(gain.severity()).isEqualTo("high");
        assertThat(gain.readings()).extracting(r -> r.measuredAt()).containsExactly(monday, tuesday);
        assertThat(gain.message()).contains("1.3 kg");
    }

    @Test
    void aCrashBeforeCommitLosesNothingAndAReplayAfterCommitRaisesNothingTwice() throws Exception {
        Patient p = h.patient(practice);
        String cuff = h.device(p, DeviceKind.BLOOD_PRESSURE_CUFF);
        drain();
        Instant crisisAt = ago(20);
        h.store(cuff, bp(crisisAt, 190, 110), bp(ago(15), 150, 95), bp(ago(10), 152, 96), bp(ago(5), 155, 97));
        assertThat(h.backlog()).isEqualTo(4);

        // The evaluator does its work and dies before COMMIT.
        try (Connection c = h.database.connection()) {
            c.setAutoCommit(false);
            var batch = evaluator.evaluateBatch(c, 100);
            assertThat(batch.evaluated()).isEqualTo(4);
            assertThat(batch.raised()).isPositive();
            c.rollback();
        }
        assertThat(h.count("SELECT count(*) FROM clinical.alert WHERE patient_id = ?", p.id())).isZero();
        assertThat(h.backlog()).isEqualTo(4);

        // Restarted, it evaluates them again: each alert once.
        drain();
        assertThat(h.backlog()).isZero();
        List<Alert> after = alerts(p);
        assertThat(after).extracting(Alert::ruleId).containsExactlyInAnyOrder("bp_crisis", "bp_high", "bp_high_repeated");
        int occurrences = after.stream().mapToInt(Alert::occurrences).sum();

        // The same readings queued again (a replay): nothing new, no count bumped.
        h.execute("""
                INSERT INTO ingest.evaluation_batch (size, practice_ids, patient_ids, device_ids, types, measured_ats)
                SELECT count(*), array_agg(practice_id), array_agg(patient_id), array_agg(device_id), array_agg(type), array_agg(measured_at)
                FROM ingest.reading WHERE patient_id = ?""", p.id());
        assertThat(h.backlog()).isEqualTo(4);
        drain();
        assertThat(alerts(p)).hasSize(3);
        assertThat(alerts(p).stream().mapToInt(Alert::occurrences).sum()).isEqualTo(occurrences);
        // Re-sending the readings over MQTT stores nothing and so queues nothing, not even an empty row.
        assertThat(h.store(cuff, bp(crisisAt, 190, 110))).isZero();
        assertThat(h.backlog()).isZero();
        assertThat(h.count("SELECT count(*) FROM ingest.evaluation_batch")).isZero();
    }

    @Test
    void twoEvaluatorsNeverEvaluateTheSamePatientAtOnce() throws Exception {
        Patient p = h.patient(practice);
        String cuff = h.device(p, DeviceKind.BLOOD_PRESSURE_CUFF);
        drain();
        h.store(cuff, bp(ago(3), 185, 100));
        try (Connection first = h.database.connection()) {
            first.setAutoCommit(false);
            // The first evaluator holds the patient (its transaction is open) ...
            assertThat(evaluator.evaluateBatch(first, 100).evaluated()).isEqualTo(1);
            h.store(cuff, bp(ago(2), 186, 101));
            // ... so a second one leaves the patient's new reading queued rather than evaluating it alongside.
            var second = evaluator.runOnce(100);
            assertThat(second.evaluated()).isZero();
            assertThat(second.skippedLocked()).isEqualTo(1);
            first.commit();
        }
        drain();
        assertThat(alerts(p)).singleElement().satisfies(a -> assertThat(a.occurrences()).isEqualTo(2));
        assertThat(h.backlog()).isZero();
    }

    @Test
    void onePatientHeldByAScheduledCheckIsLeftQueuedWhileTheOthersInTheBatchAreEvaluated() throws Exception {
        Patient held = h.patient(practice);
        Patient free = h.patient(practice);
        String heldCuff = h.device(held, DeviceKind.BLOOD_PRESSURE_CUFF);
        String freeCuff = h.device(free, DeviceKind.BLOOD_PRESSURE_CUFF);
        drain();
        h.store(heldCuff, bp(ago(2), 190, 100));
        h.store(freeCuff, bp(ago(2), 191, 100));
        try (Connection check = h.database.connection()) {
            check.setAutoCommit(false);
            // The missed-reading check waits for and holds the patient with PatientLock.lock: the same key.
            PatientLock.lock(check, held.id());
            var batch = evaluator.runOnce(100);
            assertThat(batch.evaluated()).isEqualTo(1);
            assertThat(batch.skippedLocked()).isEqualTo(1);
            assertThat(alerts(free)).extracting(Alert::ruleId).containsExactly("bp_crisis");
            assertThat(alerts(held)).isEmpty();
            check.commit();
        }
        drain();
        assertThat(alerts(held)).extracting(Alert::ruleId).containsExactly("bp_crisis");
        assertThat(h.backlog()).isZero();
    }

    @Test
    void oneIngestBatchIsOneQueueRowAndAHeldPatientsReadingsGoBackInANewRow() throws Exception {
        Patient held = h.patient(practice);
        Patient free = h.patient(practice);
        String heldCuff = h.device(held, DeviceKind.BLOOD_PRESSURE_CUFF);
        String freeCuff = h.device(free, DeviceKind.BLOOD_PRESSURE_CUFF);
        drain();
        assertThat(h.storeTogether(Map.of(heldCuff, bp(ago(2), 190, 100), freeCuff, bp(ago(2), 191, 100)))).isEqualTo(2);
        // Issue 19: the batch's two readings are one row, not one row each.
        assertThat(h.count("SELECT count(*) FROM ingest.evaluation_batch")).isEqualTo(1);
        long original = h.count("SELECT id FROM ingest.evaluation_batch");
        assertThat(h.backlog()).isEqualTo(2);
        try (Connection check = h.database.connection()) {
            check.setAutoCommit(false);
            PatientLock.lock(check, held.id());
            var batch = evaluator.runOnce(100);
            assertThat(batch.evaluated()).isEqualTo(1);
            assertThat(batch.skippedLocked()).isEqualTo(1);
            // The row is gone; the held patient's reading waits alone in a new one, nothing else with it.
            assertThat(h.count("SELECT count(*) FROM ingest.evaluation_batch WHERE id = ?", original)).isZero();
            assertThat(h.count("SELECT count(*) FROM ingest.evaluation_queue WHERE patient_id = ?", held.id())).isEqualTo(1);
            assertThat(h.backlog()).isEqualTo(1);
            check.commit();
        }
        drain();
        assertThat(alerts(free)).extracting(Alert::ruleId).containsExactly("bp_crisis");
        assertThat(alerts(held)).extracting(Alert::ruleId).containsExactly("bp_crisis");
        assertThat(h.count("SELECT count(*) FROM ingest.evaluation_batch")).isZero();
    }

    @Test
    void theEvaluatorTakesWholeIngestBatchesUpToItsLimitAndAtLeastOne() throws Exception {
        Patient p = h.patient(practice);
        String cuff = h.device(p, DeviceKind.BLOOD_PRESSURE_CUFF);
        drain();
        storeBatches(cuff, 3, 3, 60);
        assertThat(h.count("SELECT count(*) FROM ingest.evaluation_batch")).isEqualTo(3);
        // A limit of 4 takes the first row (3) and the second, which starts before the limit; never part of a row.
        assertThat(evaluator.runOnce(4).evaluated()).isEqualTo(6);
        // A limit smaller than a row still takes the whole row, so a large drained batch is not rewritten piecemeal.
        assertThat(evaluator.runOnce(1).evaluated()).isEqualTo(3);
        assertThat(h.backlog()).isZero();
        assertThat(evaluator.runOnce(1).evaluated()).isZero();
    }

    @Test
    void aSecondEvaluatorTakesTheNextBatchesWhileTheFirstHoldsTheOldest() throws Exception {
        Patient p = h.patient(practice);
        String cuff = h.device(p, DeviceKind.BLOOD_PRESSURE_CUFF);
        drain();
        storeBatches(cuff, 4, 2, 50);
        try (Connection first = h.database.connection(); Connection second = h.database.connection()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            var firstTook = EvaluationQueue.lock(first, 4);
            var secondTook = EvaluationQueue.lock(second, 4);
            // The window counts only rows this evaluator could lock: the second is not left idle behind the first.
            assertThat(firstTook.batchIds()).hasSize(2);
            assertThat(secondTook.batchIds()).hasSize(2).doesNotContainAnyElementsOf(firstTook.batchIds());
            assertThat(firstTook.batchIds().get(1)).isLessThan(secondTook.batchIds().get(0));
            try (Connection third = h.database.connection()) {
                third.setAutoCommit(false);
                assertThat(EvaluationQueue.lock(third, 4).batchIds()).isEmpty();
                third.rollback();
            }
            first.rollback();
            second.rollback();
        }
        drain();
        assertThat(h.backlog()).isZero();
    }

    @Test
    void manyPatientsInOneBatchAreEachJudgedAgainstTheirOwnRecentReadings() throws Exception {
        Patient series = h.patient(practice);
        Patient normal = h.patient(practice);
        Patient heart = h.patient(practice);
        h.condition(heart, "I50.9");
        Patient crisis = h.patient(practice);
        Patient sugar = h.patient(practice);
        String seriesCuff = h.device(series, DeviceKind.BLOOD_PRESSURE_CUFF);
        String normalCuff = h.device(normal, DeviceKind.BLOOD_PRESSURE_CUFF);
        String scale = h.device(heart, DeviceKind.SCALE);
        String crisisCuff = h.device(crisis, DeviceKind.BLOOD_PRESSURE_CUFF);
        String meter = h.device(sugar, DeviceKind.GLUCOMETER);
        // Earlier batches: two stage-2 readings for one patient, high readings around another's normal one, a weight.
        h.store(seriesCuff, bp(ago(60 * 48), 150, 95), bp(ago(60 * 24), 152, 96));
        h.store(normalCuff, bp(ago(60 * 30), 150, 95), bp(ago(60 * 20), 151, 95));
        h.store(scale, weight(ago(60 * 20), "80.0"));
        drain();

        // One batch holds every patient's new readings.
        h.store(seriesCuff, bp(ago(10), 148, 92));
        h.store(normalCuff, bp(ago(10), 120, 78));
        h.store(scale, weight(ago(10), "81.5"));
        h.store(crisisCuff, bp(ago(10), 185, 100), bp(ago(5), 120, 80));
        h.store(meter, glucose(ago(10), 50), glucose(ago(5), 52));
        var batch = evaluator.runOnce(100);
        assertThat(batch.evaluated()).isEqualTo(7);
        assertThat(h.backlog()).isZero();

        // The third stage-2 reading completes a series with the two evaluated in earlier batches.
        assertThat(alerts(series)).extracting(Alert::ruleId).containsExactlyInAnyOrder("bp_high", "bp_high_repeated");
        assertThat(alerts(series).stream().filter(a -> a.ruleId().equals("bp_high_repeated")).findFirst().orElseThrow().readings())
                .hasSize(3);
        // A normal reading completes nothing, whatever surrounds it.
        assertThat(alerts(normal)).singleElement().satisfies(a -> {
            assertThat(a.ruleId()).isEqualTo("bp_high");
            assertThat(a.occurrences()).isEqualTo(2);
        });
        assertThat(alerts(heart)).extracting(Alert::ruleId).containsExactly("hf_weight_gain_24h");
        assertThat(alerts(crisis)).extracting(Alert::ruleId).containsExactly("bp_crisis");
        assertThat(alerts(sugar)).singleElement().satisfies(a -> {
            assertThat(a.ruleId()).isEqualTo("glucose_level2");
            assertThat(a.occurrences()).isEqualTo(2);
        });
    }

    @Test
    void aReadingQueuedTwiceInOneBatchIsJudgedOnce() throws Exception {
        Patient p = h.patient(practice);
        String cuff = h.device(p, DeviceKind.BLOOD_PRESSURE_CUFF);
        drain();
        h.store(cuff, bp(ago(4), 195, 105));
        h.execute("""
                INSERT INTO ingest.evaluation_batch (size, practice_ids, patient_ids, device_ids, types, measured_ats)
                SELECT count(*), array_agg(practice_id), array_agg(patient_id), array_agg(device_id), array_agg(type), array_agg(measured_at)
                FROM ingest.reading WHERE patient_id = ?""", p.id());
        assertThat(h.backlog()).isEqualTo(2);
        var batch = evaluator.runOnce(100);
        assertThat(batch.evaluated()).isEqualTo(2);
        assertThat(alerts(p)).singleElement().satisfies(a -> assertThat(a.occurrences()).isEqualTo(1));
        assertThat(h.count("SELECT count(*) FROM clinical.task WHERE patient_id = ?", p.id())).isEqualTo(1);
        assertThat(h.backlog()).isZero();
    }

    @Test
    void unacknowledgedCriticalAlertsEscalateAfterTheConfiguredTime() throws Exception {
        Patient p = h.patient(practice);
        String cuff = h.device(p, DeviceKind.BLOOD_PRESSURE_CUFF);
        h.store(cuff, bp(ago(1), 200, 130));
        drain();
        Alert alert = alerts(p).get(0);
        try (Connection c = h.database.connection()) {
            assertThat(AlertEscalation.run(c, Instant.now(), Duration.ofMinutes(15))).doesNotContain(alert.id());
            h.execute("UPDATE clinical.alert SET raised_at = now() - interval '16 minutes' WHERE id = ?", alert.id());
            assertThat(AlertEscalation.run(c, Instant.now(), Duration.ofMinutes(15))).contains(alert.id());
            assertThat(AlertEscalation.run(c, Instant.now(), Duration.ofMinutes(15))).doesNotContain(alert.id());
            Alert escalated = AlertStore.find(c, alert.id(), false).orElseThrow();
            assertThat(escalated.status()).isEqualTo("escalated");
            assertThat(escalated.escalatedBy()).isEqualTo("system:escalation");
            assertThat(TaskStore.find(c, alert.taskId(), false).orElseThrow().dueAt()).isBeforeOrEqualTo(Instant.now());
        }
        // An acknowledged critical alert does not escalate.
        Patient q = h.patient(practice);
        String cuff2 = h.device(q, DeviceKind.BLOOD_PRESSURE_CUFF);
        h.store(cuff2, bp(ago(1), 200, 130));
        drain();
        Alert other = alerts(q).get(0);
        try (Connection c = h.database.connection()) {
            AlertStore.acknowledge(c, other, "staff:nurse");
            h.execute("UPDATE clinical.alert SET raised_at = now() - interval '1 hour' WHERE id = ?", other.id());
            assertThat(AlertEscalation.run(c, Instant.now(), Duration.ofMinutes(15))).doesNotContain(other.id());
        }
    }
}
