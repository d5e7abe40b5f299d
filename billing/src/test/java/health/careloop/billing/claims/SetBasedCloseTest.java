package health.careloop.billing.claims;

import health.careloop.billing.BillingTier;
import health.careloop.clinical.ClinicalTier;
import health.careloop.common.config.DatabaseConfig;
import health.careloop.ingest.config.StorageModePreference;
import health.careloop.common.db.Database;
import health.careloop.common.directory.CoreSchema;
import health.careloop.ingest.storage.IngestSchema;
import health.careloop.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The set-based close (PracticeMonthLoader, chunked, COPY) gives exactly what the per-patient path gives: seeded random
 * practices (consents given and revoked, enrolments that change practitioner, conditions that end, care plan
 * revisions, devices assigned and returned, data days, ledger time of staff and physicians, superseded entries),
 * evaluated both ways for a closed and an open previous month, mid-month (readiness) and at month end, then closed.
 */
class SetBasedCloseTest {
    static final ZoneId ZONE = ZoneId.of("America/Chicago");
    static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    static final YearMonth NOVEMBER = YearMonth.of(2026, 11);
    static final long SEED = Long.getLong("careloop.test.seed", 20261127L);

    static DatabaseConfig config;
    static Database database;
    static MonthClose close;
    static PracticeMonthLoader smallChunks;
    static MonthRules rules;

    @BeforeAll
    static void start() throws SQLException {
        config = TestDatabases.fresh();
        database = Database.connect(config);
        CoreSchema.migrate(database.dataSource());
        IngestSchema.migrate(database.dataSource(), StorageModePreference.POSTGRES);
        ClinicalTier.open(database);
        Clock clock = Clock.fixed(Instant.parse("2026-12-05T12:00:00Z"), ZoneOffset.UTC);
        BillingTier tier = BillingTier.open(database.dataSource(), BillingSettings.defaults(), clock);
        close = tier.monthClose();
        rules = new MonthRules(BillingSettings.defaults());
        smallChunks = new PracticeMonthLoader(rules, 7);
    }

    @AfterAll
    static void stop() {
        if (database != null) {
            database.close();
        }
        if (config != null) {
            TestDatabases.drop(config);
        }
    }

    @Test
    void setBasedEqualsOneByOneWithAPreviousMonthClosedOrOpen() throws SQLException {
        Random random = new Random(SEED);
        UUID closedBefore = Seeder.practice(database, random, 60);
        UUID openBefore = Seeder.practice(database, random, 45);
        // October closed in one practice: 99453 already billed, last month's 99457/99470 read from claim lines.
        close.close(closedBefore, OCTOBER, "test");

        for (UUID practice : List.of(closedBefore, openBefore)) {
            for (LocalDate asOf : List.of(NOVEMBER.atDay(12), NOVEMBER.atEndOfMonth())) {
                Map<UUID, MonthOutcome> oneByOne = new HashMap<>();
                Map<UUID, PatientMonth> oneByOneFacts = new HashMap<>();
                for (MonthClose.Readiness r : close.evaluateOneByOne(practice, ZONE, NOVEMBER, asOf)) {
                    oneByOne.put(r.patientId(), r.outcome());
                    oneByOneFacts.put(r.patientId(), r.facts());
                }
                Map<UUID, MonthOutcome> setBased = new HashMap<>();
                Map<UUID, PatientMonth> setBasedFacts = new HashMap<>();
                close.evaluate(practice, ZONE, NOVEMBER, asOf, r -> {
                    setBased.put(r.patientId(), r.outcome());
                    setBasedFacts.put(r.patientId(), r.facts());
                });
                assertThat(setBased).isEqualTo(oneByOne);
                // The facts too, day by day (coverage worked out by stretch vs daily), except last month's management,
                // which the set-based path reads only for patients with physician RPM time (the only rule that uses it).
                for (UUID id : oneByOne.keySet()) {
                    PatientMonth a = oneByOneFacts.get(id);
                    PatientMonth b = setBasedFacts.get(id);
                    assertThat(b.coverage()).as("coverage of %s", id).isEqualTo(a.coverage());
                    assertThat(b.dataDays()).isEqualTo(a.dataDays());
                    assertThat(b.time()).containsExactlyInAnyOrderElementsOf(a.time());
                    assertThat(b.staffNames()).as("staff names of %s", id).isEqualTo(a.staffNames());
                    assertThat(b.substantialCarePlanChanges()).isEqualTo(a.substantialCarePlanChanges());
                    assertThat(b.carePlanSince()).isEqualTo(a.carePlanSince());
                    assertThat(b.complexDecisionMaking()).isEqualTo(a.complexDecisionMaking());
                    assertThat(b.setupBilledBefore()).isEqualTo(a.setupBilledBefore());
                    assertThat(b.monitoringStart()).isEqualTo(a.monitoringStart());
                    assertThat(b.encounters()).isEqualTo(a.encounters());
                }
                assertThat(oneByOne).isNotEmpty();

                Map<UUID, MonthOutcome> chunked = new HashMap<>();
                try (Connection c = database.dataSource().getConnection()) {
                    smallChunks.forEachChunk(c, practice, ZONE, NOVEMBER, asOf, chunk -> chunk.forEach(m -> {
                        MonthOutcome o = rules.evaluate(m);
                        if (!o.lines().isEmpty() || !o.notBilled().isEmpty()) {
                            chunked.put(m.patientId(), o);
                        }
                    }));
                }
                assertThat(chunked).isEqualTo(oneByOne);
            }
        }
    }

    @Test
    void closeStoresWhatThePerPatientPathBills() throws SQLException {
        Random random = new Random(SEED + 1);
        UUID practice = Seeder.practice(database, random, 50);
        List<ClaimLine> expectedLines = new ArrayList<>();
        List<NotBilled> expectedReasons = new ArrayList<>();
        for (MonthClose.Readiness r : close.evaluateOneByOne(practice, ZONE, NOVEMBER, NOVEMBER.atEndOfMonth())) {
            expectedLines.addAll(r.outcome().lines());
            expectedReasons.addAll(r.outcome().notBilled());
        }
        MonthClose.Closed closed = close.close(practice, NOVEMBER, "test");
        assertThat(closed.alreadyClosed()).isFalse();
        assertThat(expectedLines).isNotEmpty();
        assertThat(closed.lines()).containsExactlyInAnyOrderElementsOf(expectedLines);
        assertThat(closed.notBilled()).containsExactlyInAnyOrderElementsOf(expectedReasons);
        assertThat(close.close(practice, NOVEMBER, "test").lines()).hasSameSizeAs(closed.lines());
    }

    @Test
    void closeRowsStillReferenceAClosedMonthAndAPatient() throws SQLException {
        UUID practice = Seeder.practice(database, new Random(SEED + 2), 3);
        close.close(practice, NOVEMBER, "test");
        try (Connection c = database.dataSource().getConnection()) {
            UUID patient;
            try (var rs = c.createStatement().executeQuery("SELECT id FROM core.patient WHERE practice_id = '" + practice + "' LIMIT 1")) {
                rs.next();
                patient = rs.getObject(1, UUID.class);
            }
            String insert = "INSERT INTO billing.code_not_billed (practice_id, month, patient_id, code, period_end, reason) VALUES (?, ?, ?, '99490', ?, 'x')";
            // The checks that replaced the per-row foreign keys (V4): a month that is not closed, a patient that does not exist.
            assertThatThrownBy(() -> Seeder.exec(c, insert, practice, LocalDate.of(2026, 9, 1), patient, LocalDate.of(2026, 9, 30)))
                    .isInstanceOf(SQLException.class).hasMessageContaining("not closed")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23503"));
            assertThatThrownBy(() -> Seeder.exec(c, insert, practice, NOVEMBER.atDay(1), UUID.randomUUID(), LocalDate.of(2026, 12, 31)))
                    .isInstanceOf(SQLException.class).hasMessageContaining("patient that does not exist");
            assertThatThrownBy(() -> Seeder.exec(c, "DELETE FROM billing.month_close WHERE practice_id = ?", practice))
                    .isInstanceOf(SQLException.class).hasMessageContaining("final");
        }
    }

    /** Random patients of a new practice, written with plain SQL within the schema's constraints. */
    static final class Seeder {
        static final String[] ICD = {"I10", "E11.9", "I50.22", "J44.9", "N18.30", "F32.A"};
        static final String[] DURATION = {"under_3_months", "3_to_12_months", "at_least_12_months", "lifelong"};
        static final String[] ROLE = {"rn", "ma", "care_coordinator", "physician", "npp"};
        static final String[] MODE = {null, "phone", "video", "messaging"};
        static final String[] VISIT = {"em", "awv", "ippe"};
        static final String[] PROGRAM = {"rpm", "ccm", "pcm"};
        static final String[] SECTIONS = {"problems", "goals", "symptomManagement", "medications", "communityResources"};

        static UUID practice(Database database, Random random, int patients) throws SQLException {
            UUID practice = UUID.randomUUID();
            try (Connection c = database.dataSource().getConnection()) {
                exec(c, "INSERT INTO core.practice (id, name, time_zone) VALUES (?, ?, ?)", practice, "Practice " + practice, ZONE.getId());
                UUID drOne = staff(c, practice, "physician", "1234567893");
                UUID drTwo = staff(c, practice, "npp", "1245319599");
                UUID drNoNpi = staff(c, practice, "physician", null);
                UUID nurse = staff(c, practice, "rn", null);
                UUID[] doctors = {drOne, drOne, drOne, drTwo, drNoNpi};
                LocalDate base = LocalDate.of(2026, 9, 1);
                for (int i = 0; i < patients; i++) {
                    UUID patient = UUID.randomUUID();
                    exec(c, "INSERT INTO core.patient (id, practice_id, external_ref) VALUES (?, ?, ?)", patient, practice, "MRN-" + i);
                    for (int k = random.nextInt(4); k > 0; k--) {
                        LocalDate onset = base.minusDays(random.nextInt(400));
                        exec(c, "INSERT INTO clinical.condition (id, practice_id, patient_id, icd10, description, onset, expected_duration, "
                                        + "significant_risk, ended_on, recorded_by) VALUES (?, ?, ?, ?, 'condition', ?, ?, ?, ?, 'test')",
                                UUID.randomUUID(), practice, patient, ICD[random.nextInt(ICD.length)], onset, DURATION[random.nextInt(DURATION.length)],
                                random.nextInt(5) > 0, random.nextInt(6) == 0 ? base.plusDays(30 + random.nextInt(70)) : null);
                    }
                    for (String program : List.of("rpm", "ccm", "pcm", "apcm")) {
                        if (random.nextInt(program.equals("apcm") ? 2 : 5) == 0) {
                            continue;
                        }
                        LocalDate obtained = base.plusDays(random.nextInt(70));
                        boolean accepted = random.nextInt(8) > 0;
                        LocalDate revoked = random.nextInt(7) == 0 ? obtained.plusDays(random.nextInt(60)) : null;
                        UUID consent = UUID.randomUUID();
                        exec(c, "INSERT INTO clinical.consent (id, practice_id, patient_id, program, method, obtained_on, obtained_by, "
                                        + "told_service_available, told_cost_sharing, told_one_practitioner, told_may_stop, accepted, recorded_by, "
                                        + "revoked_on, revoked_by) VALUES (?, ?, ?, ?, 'verbal', ?, ?, true, true, true, true, ?, 'test', ?, ?)",
                                consent, practice, patient, program, obtained, nurse, accepted, revoked, revoked == null ? null : "test");
                        LocalDate start = obtained.plusDays(random.nextInt(5));
                        LocalDate end = random.nextInt(4) == 0 ? start.plusDays(random.nextInt(80)) : null;
                        exec(c, "INSERT INTO clinical.enrolment (id, practice_id, patient_id, program, start_date, end_date, billing_practitioner_id, "
                                        + "consent_id, enrolled_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'test')",
                                UUID.randomUUID(), practice, patient, program, start, end, doctors[random.nextInt(doctors.length)], consent);
                        if (end != null && random.nextBoolean()) {
                            exec(c, "INSERT INTO clinical.enrolment (id, practice_id, patient_id, program, start_date, end_date, billing_practitioner_id, "
                                            + "consent_id, enrolled_by) VALUES (?, ?, ?, ?, ?, NULL, ?, ?, 'test')",
                                    UUID.randomUUID(), practice, patient, program, end.plusDays(1), doctors[random.nextInt(doctors.length)], consent);
                        }
                    }
                    int versions = random.nextInt(3);
                    for (int v = 1; v <= versions; v++) {
                        var created = at(base.plusDays(random.nextInt(90)), random.nextInt(24));
                        exec(c, "INSERT INTO clinical.care_plan_version (id, practice_id, patient_id, version, plan, review_date, change_note, "
                                        + "changed_sections, author_actor, author_name, created_at, established_on, substantial_revision) VALUES (?, ?, ?, ?, "
                                        + "'{\"reviewDate\": \"2027-03-01\"}'::jsonb, ?, 'change', ARRAY[?]::text[], 'test', 'Test', ?, ?, ?)",
                                UUID.randomUUID(), practice, patient, v, base.plusDays(200), SECTIONS[random.nextInt(SECTIONS.length)],
                                created, LocalDate.ofInstant(created.toInstant(), ZONE), random.nextInt(3) == 0 ? null : random.nextBoolean());
                    }
                    if (random.nextInt(3) == 0) {
                        // Issue 16: a provider's record of moderate or high complexity decision making, in November or October.
                        exec(c, "INSERT INTO clinical.ccm_complexity (id, practice_id, patient_id, month, level, provider_id, recorded_by) "
                                + "VALUES (?, ?, ?, ?, ?, ?, 'test')", UUID.randomUUID(), practice, patient,
                                random.nextBoolean() ? LocalDate.of(2026, 11, 1) : LocalDate.of(2026, 10, 1), random.nextBoolean() ? "moderate" : "high", drOne);
                    }
                    if (random.nextInt(4) > 0) {
                        LocalDate assigned = base.plusDays(random.nextInt(80));
                        String device = "dev-" + patient.toString().substring(0, 18);
                        exec(c, "INSERT INTO ingest.device (device_id, practice_id, kind) VALUES (?, ?, 'blood_pressure_cuff')", device, practice);
                        exec(c, "INSERT INTO ingest.device_assignment (device_id, practice_id, patient_id, valid_from, valid_to) VALUES (?, ?, ?, ?, ?)",
                                device, practice, patient, at(assigned, random.nextInt(24)),
                                random.nextInt(6) == 0 ? at(assigned.plusDays(20 + random.nextInt(40)), 1) : null);
                        int every = 1 + random.nextInt(4);
                        for (LocalDate d = assigned; d.isBefore(LocalDate.of(2026, 12, 1)); d = d.plusDays(every + random.nextInt(2))) {
                            exec(c, "INSERT INTO ingest.reading_day (practice_id, patient_id, local_date, reading_count) VALUES (?, ?, ?, ?)",
                                    practice, patient, d, 1 + random.nextInt(4));
                        }
                    }
                    for (int k = random.nextInt(3); k > 0; k--) {
                        exec(c, "INSERT INTO billing.visit (id, practice_id, patient_id, kind, visit_date, practitioner_id, ccm_assessment, recorded_by) "
                                        + "VALUES (?, ?, ?, ?, ?, ?, ?, 'test')", UUID.randomUUID(), practice, patient, VISIT[random.nextInt(VISIT.length)],
                                LocalDate.of(2025, 6, 1).plusDays(random.nextInt(540)), doctors[random.nextInt(doctors.length)], random.nextInt(3) == 0);
                    }
                    if (random.nextInt(5) == 0) {
                        Timestamp admitted = at(LocalDate.of(2026, 10, 15).plusDays(random.nextInt(45)), random.nextInt(24));
                        exec(c, "INSERT INTO billing.inpatient_stay (id, practice_id, patient_id, setting, admitted_at, discharged_at, recorded_by) "
                                        + "VALUES (?, ?, ?, ?, ?, ?, 'test')", UUID.randomUUID(), practice, patient, random.nextBoolean() ? "hospital" : "snf",
                                admitted, random.nextInt(4) == 0 ? null : Timestamp.from(admitted.toInstant().plusSeconds(3600L * (2 + random.nextInt(200)))));
                    }
                    UUID previous = null;
                    for (int k = random.nextInt(8); k > 0; k--) {
                        String role = ROLE[random.nextInt(ROLE.length)];
                        // Physician time is the usual practitioner's, or (issue 18) a colleague's who bills none of it.
                        UUID staff = role.equals("physician") ? (random.nextInt(3) == 0 ? drNoNpi : drOne) : role.equals("npp") ? drTwo : nurse;
                        Instant started = at(LocalDate.of(2026, 10, 1).plusDays(random.nextInt(61)), random.nextInt(24)).toInstant()
                                .plusSeconds(random.nextInt(3600));
                        String mode = MODE[random.nextInt(MODE.length)];
                        UUID id = UUID.randomUUID();
                        boolean superseded = previous != null && random.nextInt(6) == 0;
                        exec(c, "INSERT INTO billing.time_entry (id, practice_id, patient_id, staff_id, staff_role, program, activity, started_at, "
                                        + "ended_at, interactive, interaction_mode, created_by, superseded_by_entry, superseded_by) "
                                        + "VALUES (?, ?, ?, ?, ?, ?, 'other', ?, ?, ?, ?, 'test', ?, ?)",
                                id, practice, patient, staff, role, PROGRAM[random.nextInt(PROGRAM.length)], Timestamp.from(started),
                                Timestamp.from(started.plusSeconds(60L * (1 + random.nextInt(50)) + random.nextInt(60))), mode != null, mode,
                                superseded ? previous : null, superseded ? "test" : null);
                        previous = id;
                    }
                }
            }
            return practice;
        }

        static UUID staff(Connection c, UUID practice, String role, String npi) throws SQLException {
            UUID id = UUID.randomUUID();
            exec(c, "INSERT INTO core.staff_user (id, practice_id, email, display_name, role, npi, password_hash) VALUES (?, ?, ?, ?, ?, ?, 'x')",
                    id, practice, id + "@example.org", "Staff " + role + " " + id.toString().substring(0, 4), role, npi);
            return id;
        }

        static Timestamp at(LocalDate day, int hour) {
            return Timestamp.from(day.atTime(hour, 0).atZone(ZONE).toInstant());
        }

        static void exec(Connection c, String sql, Object... params) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    Object p = params[i];
                    ps.setObject(i + 1, p instanceof LocalDate d ? java.sql.Date.valueOf(d) : p);
                }
                ps.executeUpdate();
            }
        }
    }
}
