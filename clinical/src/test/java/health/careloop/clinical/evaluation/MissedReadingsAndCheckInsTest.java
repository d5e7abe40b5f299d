package health.careloop.clinical.evaluation;

import health.careloop.clinical.tasks.CarePlanReviews;
import health.careloop.clinical.tasks.MonthlyCheckIns;
import health.careloop.common.directory.Patient;
import health.careloop.common.directory.Practice;
import health.careloop.ingest.devices.DeviceKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import health.careloop.clinical.rules.MissedReadingRules;
import health.careloop.clinical.rules.ThresholdStore;
import health.careloop.clinical.rules.Thresholds;
import health.careloop.ingest.devices.MonitoredPatient;
import health.careloop.ingest.storage.ReadingQueries;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.concurrent.TimeUnit;

import static health.careloop.clinical.evaluation.ClinicalHarness.bp;
import static org.assertj.core.api.Assertions.assertThat;

/** The scheduled rules on a real database: missed readings (idempotent, episodes) and monthly CCM check-ins. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MissedReadingsAndCheckInsTest {
    static ClinicalHarness h;
    static Practice practice;

    @BeforeAll
    static void setUp() throws Exception {
        h = new ClinicalHarness();
        practice = h.practice();
    }

    @AfterAll
    static void tearDown() {
        h.close();
    }

    @Test
    void aSilentPatientRaisesNoDataOnceAndAResolvedGapStaysResolved() throws Exception {
        Patient silent = h.patient(practice);
        h.device(silent, DeviceKind.BLOOD_PRESSURE_CUFF, Instant.now().minus(Duration.ofDays(20)));
        Patient regular = h.patient(practice);
        String cuff = h.device(regular, DeviceKind.BLOOD_PRESSURE_CUFF, Instant.now().minus(Duration.ofDays(20)));
        for (int day = 0; day <= 19; day++) {
            h.store(cuff, bp(Instant.now().minus(Duration.ofDays(day)).minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS), 120, 80));
        }
        MissedReadingsCheck check = new MissedReadingsCheck(h.database.dataSource());
        check.run(Instant.now());
        check.run(Instant.now());
        assertThat(h.alerts(silent, "no_data")).isEqualTo(1);
        assertThat(h.alerts(regular, "no_data")).isZero();
        // 0 data days on day 20 of the P30: 16 cannot be reached.
        assertThat(h.alerts(silent, "data_days_at_risk")).isEqualTo(1);
        assertThat(h.alerts(regular, "data_days_at_risk")).isZero();
        assertThat(h.count("SELECT count(*) FROM clinical.task WHERE patient_id = ? AND priority = 'normal'", silent.id())).isEqualTo(2);

        h.execute("UPDATE clinical.alert SET status = 'resolved', resolved_by = 'staff:x', resolved_at = now(), outcome = 'cuff replaced' "
                + "WHERE patient_id = ?", silent.id());
        check.run(Instant.now());
        assertThat(h.count("SELECT count(*) FROM clinical.alert WHERE patient_id = ?", silent.id())).isEqualTo(2);
        assertThat(h.count("SELECT count(*) FROM clinical.alert WHERE patient_id = ? AND status <> 'resolved'", silent.id())).isZero();
    }

    /**
     * The set-based check against the rules applied one patient at a time to everything ingest holds for them (the
     * check's former shape): same alerts, across chunk boundaries (chunks of 2), practices on both sides of the date line,
     * a gap that began before the current P30, and a patient whose thresholds were changed.
     */
    @Test
    void theChunkedCheckRaisesWhatTheRulesFindPatientByPatient() throws Exception {
        Instant now = Instant.now();
        List<Patient> patients = new ArrayList<>();
        for (ZoneId zone : List.of(ZoneId.of("Pacific/Kiritimati"), ZoneId.of("Pacific/Pago_Pago"), ZoneId.of("America/Chicago"))) {
            Practice p = h.directory.createPractice("Zone " + zone + " " + UUID.randomUUID(), zone);
            // Each pattern names the days ago (at 01:00 UTC before now's day) that have a reading.
            for (int[] daysAgo : new int[][]{
                    IntStream.rangeClosed(0, 44).toArray(),        // every day: nothing to raise
                    {40, 39},                                      // a gap that began before this P30
                    {14, 12, 10, 9, 8, 7, 5, 3, 2, 1},             // ten days of this P30
                    {},                                            // never a reading
                    IntStream.rangeClosed(4, 20).toArray()}) {     // a gap of four days after many
                Patient patient = h.patient(p);
                String cuff = h.device(patient, DeviceKind.BLOOD_PRESSURE_CUFF, now.minus(Duration.ofDays(45)));
                for (int day : daysAgo) {
                    h.store(cuff, bp(now.minus(Duration.ofDays(day)).minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS), 120, 80));
                }
                patients.add(patient);
            }
        }
        h.execute("INSERT INTO clinical.threshold_override (practice_id, patient_id, key, value, set_by, reason) "
                + "VALUES (?, ?, 'missed.no_data_days', 2, 'test', 'test')", patients.get(4).practiceId(), patients.get(4).id());

        new MissedReadingsCheck(h.database.dataSource(), 2).run(now);

        ReadingQueries readings = new ReadingQueries(h.database.dataSource());
        Set<String> expectedRules = new HashSet<>();
        for (MonitoredPatient m : h.devices.monitoredPatients()) {
            Patient patient = patients.stream().filter(x -> x.id().equals(m.patientId())).findFirst().orElse(null);
            if (patient == null) {
                continue;
            }
            LocalDate today = now.atZone(m.practiceZone()).toLocalDate();
            LocalDate firstDay = m.firstAssigned().atZone(m.practiceZone()).toLocalDate();
            Set<LocalDate> days = new TreeSet<>(readings.dataDays(m.patientId(), firstDay, today).keySet());
            Thresholds t;
            try (Connection c = h.database.connection()) {
                t = ThresholdStore.load(c, m.patientId());
            }
            Set<String> expected = new HashSet<>();
            MissedReadingRules.noData(firstDay, days.stream().max(LocalDate::compareTo), today, t)
                    .ifPresent(f -> expected.add(f.ruleId() + ": " + f.message()));
            MissedReadingRules.dataDaysAtRisk(firstDay, days, today, t).ifPresent(f -> expected.add(f.ruleId() + ": " + f.message()));
            expected.forEach(e -> expectedRules.add(e.substring(0, e.indexOf(':'))));
            assertThat(h.strings("SELECT rule_id || ': ' || message FROM clinical.alert WHERE patient_id = ?", m.patientId()))
                    .as("alerts of patient %d", patients.indexOf(patient)).containsExactlyInAnyOrderElementsOf(expected);
        }
        // The comparison is only worth something if both rules fired for some patients and not for others.
        assertThat(expectedRules).containsExactlyInAnyOrder(MissedReadingRules.NO_DATA, MissedReadingRules.DATA_DAYS_AT_RISK);
        assertThat(h.count("SELECT count(*) FROM clinical.alert WHERE patient_id = ?", patients.get(0).id())).isZero();
    }

    @Test
    void enrolledCcmPatientsGetOneCheckInPerMonth() throws Exception {
        Patient enrolled = h.patient(practice);
        Patient notEnrolled = h.patient(practice);
        UUID provider = UUID.randomUUID();
        h.execute("INSERT INTO core.staff_user (id, practice_id, email, display_name, role, npi, password_hash) "
                + "VALUES (?, ?, ?, 'Dr Test', 'physician', '1234567893', 'x')", provider, practice.id(), provider + "@example.org");
        UUID consent = UUID.randomUUID();
        h.execute("""
                INSERT INTO clinical.consent (id, practice_id, patient_id, program, method, obtained_on, obtained_by, told_service_available,
                    told_cost_sharing, told_one_practitioner, told_may_stop, accepted, recorded_by)
                VALUES (?, ?, ?, 'ccm', 'verbal', current_date - 40, ?, true, true, true, true, true, 'test')""",
                consent, practice.id(), enrolled.id(), provider);
        h.execute("""
                INSERT INTO clinical.enrolment (id, practice_id, patient_id, program, start_date, billing_practitioner_id, consent_id, enrolled_by)
                VALUES (?, ?, ?, 'ccm', current_date - 40, ?, ?, 'test')""", UUID.randomUUID(), practice.id(), enrolled.id(), provider, consent);
        try (Connection c = h.database.connection()) {
            MonthlyCheckIns.run(c, Instant.now());
            MonthlyCheckIns.run(c, Instant.now());
        }
        assertThat(h.count("SELECT count(*) FROM clinical.task WHERE kind = 'monthly_check_in' AND patient_id = ?", enrolled.id())).isEqualTo(1);
        assertThat(h.count("SELECT count(*) FROM clinical.task WHERE kind = 'monthly_check_in' AND patient_id = ?", notEnrolled.id())).isZero();
        assertThat(h.count("SELECT count(*) FROM clinical.task WHERE kind = 'monthly_check_in' AND suggested_program = 'ccm' "
                + "AND due_at > now() AND due_at <= now() + interval '32 days'")).isEqualTo(1);
        try (Connection c = h.database.connection()) {
            MonthlyCheckIns.run(c, Instant.now().plus(Duration.ofDays(31)));
        }
        assertThat(h.count("SELECT count(*) FROM clinical.task WHERE kind = 'monthly_check_in' AND patient_id = ?", enrolled.id())).isEqualTo(2);
    }

    @Test
    void aCarePlanDueForReviewGetsOneReviewTaskPerReviewDate() throws Exception {
        Patient dueSoon = h.patient(practice);
        Patient dueLater = h.patient(practice);
        for (Object[] plan : new Object[][]{{dueSoon, 3}, {dueLater, 60}}) {
            h.execute("""
                    INSERT INTO clinical.care_plan_version (id, practice_id, patient_id, version, plan, review_date, change_note,
                        changed_sections, author_actor, author_name, established_on)
                    VALUES (?, ?, ?, 1, '{}'::jsonb, current_date + ?, 'first plan', '{problems}', 'test', 'Dr Test', current_date)""",
                    UUID.randomUUID(), practice.id(), ((Patient) plan[0]).id(), plan[1]);
        }
        try (Connection c = h.database.connection()) {
            CarePlanReviews.run(c, Instant.now());
            CarePlanReviews.run(c, Instant.now());
        }
        assertThat(h.count("SELECT count(*) FROM clinical.task WHERE kind = 'care_plan_review' AND patient_id = ?", dueSoon.id())).isEqualTo(1);
        assertThat(h.count("SELECT count(*) FROM clinical.task WHERE kind = 'care_plan_review' AND patient_id = ?", dueLater.id())).isZero();
    }
}
