package health.careloop.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Seeds one practice of N patients for the month-close benchmark with set-based SQL (generate_series, no round trip per
 * row): two lifelong conditions, RPM and CCM consent and enrolment with one physician, a care plan (revised in November
 * for every 7th patient), a cuff assigned in October (P30s ending across November), November readings 4 a day on 6 to
 * 30 days (so both 99454 and 99445 occur) with the daily rollup ingest keeps, 5 ledger entries in November (RPM
 * calls and reviews, CCM coordination, physician RPM time for every 10th patient) spread over 20 nurses, CCM's initiating
 * visit (with G0506's assessment for every 9th patient) and a hospital stay for every 50th.
 */
final class MonthCloseSeed {
    static final String ZONE = "America/Chicago";

    private MonthCloseSeed() {
    }

    /** The practice's id. Every patient's number g (1..n) drives its variation. */
    static UUID practice(Connection c, int n) throws SQLException {
        UUID practice = UUID.randomUUID();
        UUID physician = UUID.randomUUID();
        UUID[] nurses = new UUID[20];
        c.setAutoCommit(false);
        run(c, "INSERT INTO core.practice (id, name, time_zone) VALUES (?, ?, ?)", practice, "Bench practice " + n, ZONE);
        run(c, "INSERT INTO core.staff_user (id, practice_id, email, display_name, role, npi, password_hash) "
                + "VALUES (?, ?, ?, 'Dr. Bench', 'physician', '1234567893', 'x')", physician, practice, physician + "@bench.example");
        for (int i = 0; i < nurses.length; i++) {
            nurses[i] = UUID.randomUUID();
            run(c, "INSERT INTO core.staff_user (id, practice_id, email, display_name, role, password_hash) VALUES (?, ?, ?, 'Nurse', 'rn', 'x')",
                    nurses[i], practice, nurses[i] + "@bench.example");
        }
        run(c, "INSERT INTO core.patient (id, practice_id, external_ref) SELECT gen_random_uuid(), ?, 'BENCH-' || g FROM generate_series(1, ?) g",
                practice, n);
        // g: the patient's number, for deterministic variation.
        String patients = "(SELECT id, split_part(external_ref, '-', 2)::int AS g FROM core.patient WHERE practice_id = '" + practice + "') p";
        run(c, "INSERT INTO clinical.condition (id, practice_id, patient_id, icd10, description, onset, expected_duration, recorded_by) "
                + "SELECT gen_random_uuid(), ?, p.id, x.icd10, x.description, DATE '2020-01-01', 'lifelong', 'bench' FROM " + patients
                + " CROSS JOIN (VALUES ('I10', 'Hypertension'), ('E11.9', 'Type 2 diabetes')) x (icd10, description)", practice);
        run(c, "INSERT INTO clinical.consent (id, practice_id, patient_id, program, method, obtained_on, obtained_by, told_service_available, "
                + "told_cost_sharing, told_one_practitioner, told_may_stop, accepted, recorded_by) "
                + "SELECT gen_random_uuid(), ?, p.id, x.program, 'verbal', DATE '2026-09-01', ?, true, true, true, true, true, 'bench' FROM " + patients
                + " CROSS JOIN (VALUES ('rpm'), ('ccm')) x (program)", practice, physician);
        run(c, "INSERT INTO clinical.enrolment (id, practice_id, patient_id, program, start_date, billing_practitioner_id, consent_id, enrolled_by) "
                + "SELECT gen_random_uuid(), practice_id, patient_id, program, obtained_on, ?, id, 'bench' FROM clinical.consent WHERE practice_id = ?",
                physician, practice);
        run(c, "INSERT INTO clinical.care_plan_version (id, practice_id, patient_id, version, plan, review_date, change_note, changed_sections, "
                + "author_actor, author_name, created_at, established_on) "
                + "SELECT gen_random_uuid(), ?, p.id, v.version, '{\"reviewDate\": \"2027-03-01\"}'::jsonb, DATE '2027-03-01', 'bench', v.sections, "
                + "'bench', 'Dr. Bench', v.at, v.at::date FROM " + patients + " CROSS JOIN LATERAL (VALUES (1, ARRAY[]::text[], TIMESTAMPTZ '2026-09-15 15:00Z'), "
                + "(2, ARRAY['goals'], TIMESTAMPTZ '2026-11-10 15:00Z')) v (version, sections, at) WHERE v.version = 1 OR p.g % 7 = 0", practice);
        // The initiating E/M visit of CCM (every 9th patient's with G0506's assessment, in November) and, for every 50th, a
        // hospital stay over the 12th-14th of November that takes some CCM time out of the count.
        run(c, "INSERT INTO billing.visit (id, practice_id, patient_id, kind, visit_date, practitioner_id, ccm_assessment, recorded_by) "
                + "SELECT gen_random_uuid(), ?, p.id, 'em', CASE WHEN p.g % 9 = 0 THEN DATE '2026-11-03' ELSE DATE '2026-08-20' END, ?, p.g % 9 = 0, "
                + "'bench' FROM " + patients, practice, physician);
        run(c, "INSERT INTO billing.inpatient_stay (id, practice_id, patient_id, setting, admitted_at, discharged_at, recorded_by) "
                + "SELECT gen_random_uuid(), ?, p.id, 'hospital', TIMESTAMPTZ '2026-11-12 14:00Z', TIMESTAMPTZ '2026-11-14 18:00Z', 'bench' FROM "
                + patients + " WHERE p.g % 50 = 0", practice);
        run(c, "INSERT INTO ingest.device (device_id, practice_id, kind) SELECT 'cuff-' || p.id, ?, 'blood_pressure_cuff' FROM " + patients, practice);
        // First monitoring day Oct 12..31: the first P30 ends on Nov 10..29.
        run(c, "INSERT INTO ingest.device_assignment (device_id, practice_id, patient_id, valid_from) "
                + "SELECT 'cuff-' || p.id, ?, p.id, ((DATE '2026-10-31' - p.g % 20) + TIME '08:00') AT TIME ZONE '" + ZONE + "' FROM " + patients, practice);
        try (Statement s = c.createStatement()) {
            s.execute("SELECT ingest.ensure_reading_partitions('2026-10-01', '2026-12-31')");
        }
        // November: data days = 30 - g % 25 (6..30), 4 readings a day at 07:00, 12:00, 17:00, 21:00 local.
        String days = patients + " CROSS JOIN generate_series(0, 29) d";
        String withData = " WHERE d < 30 - p.g % 25";
        run(c, "INSERT INTO ingest.reading (device_id, type, measured_at, practice_id, patient_id, local_date, measured_offset_minutes, received_at, "
                + "systolic, diastolic, pulse, unit, loinc) "
                + "SELECT 'cuff-' || p.id, 'blood_pressure', t.at, ?, p.id, DATE '2026-11-01' + d, -360, t.at + interval '2 seconds', "
                + "120 + (p.g + d) % 30, 80 + (p.g + d) % 10, 70, 'mmHg', '85354-9' FROM " + days
                + " CROSS JOIN LATERAL (SELECT ((DATE '2026-11-01' + d) + h) AT TIME ZONE '" + ZONE + "' AS at "
                + "FROM unnest(ARRAY[TIME '07:00', TIME '12:00', TIME '17:00', TIME '21:00']) h) t" + withData, practice);
        run(c, "INSERT INTO ingest.reading_day (practice_id, patient_id, local_date, reading_count) "
                + "SELECT ?, p.id, DATE '2026-11-01' + d, 4 FROM " + days + withData, practice);
        // 5 entries: k = 0 RPM call (phone), 1-2 RPM reviews (k = 2 by the physician for every 10th patient), 3-4 CCM coordination.
        run(c, "INSERT INTO billing.time_entry (id, practice_id, patient_id, staff_id, staff_role, program, activity, started_at, ended_at, "
                + "interactive, interaction_mode, created_by) "
                + "SELECT gen_random_uuid(), ?, p.id, CASE WHEN k = 2 AND p.g % 10 = 0 THEN ? ELSE (?::uuid[])[1 + p.g % 20] END, "
                + "CASE WHEN k = 2 AND p.g % 10 = 0 THEN 'physician' ELSE 'rn' END, CASE WHEN k < 3 THEN 'rpm' ELSE 'ccm' END, "
                + "CASE WHEN k = 0 THEN 'patient_call' WHEN k < 3 THEN 'data_review' ELSE 'care_coordination' END, s.at, "
                + "s.at + make_interval(mins => 5 + (p.g * 7 + k) % 20), k = 0, CASE WHEN k = 0 THEN 'phone' END, 'bench' FROM " + patients
                + " CROSS JOIN generate_series(0, 4) k CROSS JOIN LATERAL (SELECT ((DATE '2026-11-02' + k * 5 + p.g % 4) + TIME '09:00' "
                + "+ make_interval(mins => p.g % 420)) AT TIME ZONE '" + ZONE + "' AS at) s",
                practice, physician, c.createArrayOf("uuid", nurses));
        c.commit();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("ANALYZE");
        }
        return practice;
    }

    /** One statement with bound parameters; also {@link Fleet}'s. */
    static void run(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        }
    }
}
