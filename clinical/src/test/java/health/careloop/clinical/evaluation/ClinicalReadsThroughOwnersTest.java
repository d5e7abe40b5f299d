package health.careloop.clinical.evaluation;

import health.careloop.clinical.careplan.CarePlanRevision;
import health.careloop.clinical.careplan.CarePlans;
import health.careloop.clinical.tasks.CarePlanReviews;
import health.careloop.clinical.tasks.MonthlyCheckIns;
import health.careloop.clinical.tasks.Task;
import health.careloop.clinical.tasks.TaskStore;
import health.careloop.common.auth.StaffAccounts;
import health.careloop.common.auth.StaffMember;
import health.careloop.common.auth.StaffRole;
import health.careloop.common.directory.Patient;
import health.careloop.common.directory.Practice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clinical's statements that need core's rows (practice time zones, staff names) get them through common's code: the
 * scheduled tasks work out each practice's local dates from its own zone, tasks carry their assignee's name; and
 * clinical's batch read of care plan revisions for billing. On a real PostgreSQL.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClinicalReadsThroughOwnersTest {
    /** 23:30 UTC on 30 November: already 1 December in Auckland (UTC+13), still 30 November in Chicago (UTC-6). */
    static final Instant NOW = Instant.parse("2026-11-30T23:30:00Z");
    static final ZoneId AUCKLAND = ZoneId.of("Pacific/Auckland");
    static final ZoneId CHICAGO = ZoneId.of("America/Chicago");
    static ClinicalHarness h;
    static Practice chicago;
    static Practice auckland;
    static UUID chicagoDoctor;
    static UUID aucklandDoctor;

    @BeforeAll
    static void setUp() throws Exception {
        h = new ClinicalHarness();
        chicago = h.practice();
        auckland = h.directory.createPractice("Auckland " + UUID.randomUUID(), AUCKLAND);
        chicagoDoctor = doctor(chicago);
        aucklandDoctor = doctor(auckland);
    }

    @AfterAll
    static void tearDown() {
        h.close();
    }

    private static UUID doctor(Practice practice) throws SQLException {
        return new StaffAccounts(h.database.dataSource()).create(practice.id(), UUID.randomUUID() + "@example.org", "Okafor, Ada",
                StaffRole.PHYSICIAN, "1234567893", "a long passphrase").id();
    }

    @Test
    void monthlyCheckInsUseEachPracticesOwnMonth() throws SQLException {
        Patient inChicago = enrolledInCcm(chicago, chicagoDoctor);
        Patient inAuckland = enrolledInCcm(auckland, aucklandDoctor);
        try (Connection c = h.database.connection()) {
            MonthlyCheckIns.run(c, NOW);
        }
        assertThat(task(inChicago, "monthly_check_in")).containsExactly("2026-11", YearMonth.of(2026, 12).atDay(1).atStartOfDay(CHICAGO).toInstant());
        assertThat(task(inAuckland, "monthly_check_in")).containsExactly("2026-12", YearMonth.of(2027, 1).atDay(1).atStartOfDay(AUCKLAND).toInstant());
    }

    @Test
    void carePlanReviewsAreDueAtTheEndOfTheReviewDayInThePracticesZone() throws SQLException {
        Patient inChicago = h.patient(chicago);
        Patient inAuckland = h.patient(auckland);
        LocalDate review = LocalDate.of(2026, 12, 4);
        carePlan(inChicago, 1, review, "{problems}");
        carePlan(inAuckland, 1, review, "{problems}");
        try (Connection c = h.database.connection()) {
            CarePlanReviews.run(c, NOW);
        }
        assertThat(task(inChicago, "care_plan_review")).containsExactly(review.toString(), review.plusDays(1).atStartOfDay(CHICAGO).toInstant());
        assertThat(task(inAuckland, "care_plan_review")).containsExactly(review.toString(), review.plusDays(1).atStartOfDay(AUCKLAND).toInstant());
    }

    @Test
    void tasksCarryTheirAssigneesNameAndNoneWhenUnclaimed() throws SQLException {
        Patient patient = h.patient(chicago);
        StaffMember nurse = new StaffAccounts(h.database.dataSource()).create(chicago.id(), UUID.randomUUID() + "@example.org", "Nurse, Robin",
                StaffRole.RN, null, "a long passphrase");
        try (Connection c = h.database.connection()) {
            UUID claimed = TaskStore.createManual(c, chicago.id(), patient.id(), "Call back", null, "normal", NOW, "rpm", null, "test");
            UUID open = TaskStore.createManual(c, chicago.id(), patient.id(), "Check cuff", null, "low", NOW, "rpm", null, "test");
            TaskStore.claim(c, TaskStore.find(c, claimed, false).orElseThrow(), nurse.id());
            assertThat(TaskStore.find(c, claimed, true).orElseThrow().assigneeName()).isEqualTo("Nurse, Robin");
            assertThat(TaskStore.find(c, open, false).orElseThrow().assigneeName()).isNull();
            List<Task> listed = TaskStore.list(c, chicago.id(), patient.id(), null, null, false, false, NOW, 10);
            assertThat(listed).extracting(Task::id, Task::assigneeName)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(claimed, "Nurse, Robin"), org.assertj.core.groups.Tuple.tuple(open, null));
        }
    }

    @Test
    void carePlanRevisionsOfManyPatientsComeNewestFirst() throws SQLException {
        Patient revised = h.patient(chicago);
        Patient once = h.patient(auckland);
        Patient without = h.patient(chicago);
        carePlan(revised, 1, LocalDate.of(2027, 3, 1), "{problems,goals}");
        carePlan(revised, 2, LocalDate.of(2027, 3, 1), "{medications}");
        carePlan(once, 1, LocalDate.of(2027, 3, 1), "{}");
        Map<UUID, List<CarePlanRevision>> revisions;
        try (Connection c = h.database.connection()) {
            revisions = CarePlans.revisionsOfPatients(c, List.of(revised.id(), once.id(), without.id()));
        }
        assertThat(revisions).containsOnlyKeys(revised.id(), once.id());
        assertThat(revisions.get(revised.id())).extracting(CarePlanRevision::version).containsExactly(2, 1);
        assertThat(revisions.get(revised.id()).get(0).changedSections()).containsExactly("medications");
        assertThat(revisions.get(revised.id()).get(1).changedSections()).containsExactly("problems", "goals");
        assertThat(revisions.get(once.id())).singleElement().satisfies(r -> {
            assertThat(r.patientId()).isEqualTo(once.id());
            assertThat(r.changedSections()).isEmpty();
            assertThat(r.establishedOn()).isNotNull();
        });
    }

    private static Patient enrolledInCcm(Practice practice, UUID provider) throws SQLException {
        Patient patient = h.patient(practice);
        UUID consent = UUID.randomUUID();
        h.execute("""
                INSERT INTO clinical.consent (id, practice_id, patient_id, program, method, obtained_on, obtained_by, told_service_available,
                    told_cost_sharing, told_one_practitioner, told_may_stop, accepted, recorded_by)
                VALUES (?, ?, ?, 'ccm', 'verbal', DATE '2026-10-01', ?, true, true, true, true, true, 'test')""",
                consent, practice.id(), patient.id(), provider);
        h.execute("""
                INSERT INTO clinical.enrolment (id, practice_id, patient_id, program, start_date, billing_practitioner_id, consent_id, enrolled_by)
                VALUES (?, ?, ?, 'ccm', DATE '2026-10-01', ?, ?, 'test')""", UUID.randomUUID(), practice.id(), patient.id(), provider, consent);
        return patient;
    }

    private static void carePlan(Patient patient, int version, LocalDate review, String sections) throws SQLException {
        h.execute("""
                INSERT INTO clinical.care_plan_version (id, practice_id, patient_id, version, plan, review_date, change_note,
                    changed_sections, author_actor, author_name, established_on)
                VALUES (?, ?, ?, ?, '{}'::jsonb, ?, 'plan', ?::text[], 'test', 'Dr Test', current_date)""",
                UUID.randomUUID(), patient.practiceId(), patient.id(), version, review, sections);
    }

    /** The patient's one task of that kind: its schedule key and due time. */
    private static List<Object> task(Patient patient, String kind) throws SQLException {
        try (Connection c = h.database.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT schedule_key, due_at FROM clinical.task WHERE patient_id = ? AND kind = ?")) {
            ps.setObject(1, patient.id());
            ps.setString(2, kind);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("a " + kind + " task").isTrue();
                List<Object> row = List.of(rs.getString(1), rs.getTimestamp(2).toInstant());
                assertThat(rs.next()).as("only one " + kind + " task").isFalse();
                return row;
            }
        }
    }
}
