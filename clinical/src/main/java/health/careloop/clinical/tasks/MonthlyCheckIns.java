package health.careloop.clinical.tasks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * One CCM check-in task per patient enrolled in CCM, per calendar month (the month in the practice's time zone; CCM
 * time counts per CM, billing-rules.md 2.1), due at the end of that month. Idempotent: the month is the task's
 * schedule key. Enrolled = a clinical.enrolment in program 'ccm' covering today's local date (the patients/programs
 * part of issue 4 owns enrolment and its consent checks).
 */
public final class MonthlyCheckIns {
    private MonthlyCheckIns() {
    }

    /** Creates the missing check-ins for the month containing {@code now}; returns how many. */
    public static int run(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO clinical.task (id, practice_id, patient_id, kind, schedule_key, title, detail, priority, due_at,
                                           suggested_program, created_by)
                SELECT gen_random_uuid(), e.practice_id, e.patient_id, 'monthly_check_in',
                       to_char(?::timestamptz AT TIME ZONE p.time_zone, 'YYYY-MM'), 'Monthly CCM check-in',
                       'Review the care plan and the month''s readings with the patient.', 'normal',
                       (date_trunc('month', ?::timestamptz AT TIME ZONE p.time_zone) + interval '1 month') AT TIME ZONE p.time_zone,
                       'ccm', 'system:schedule'
                FROM clinical.enrolment e JOIN unnest(?::uuid[], ?::text[]) AS p (id, time_zone) ON p.id = e.practice_id
                WHERE e.program = 'ccm'
                  AND e.start_date <= (?::timestamptz AT TIME ZONE p.time_zone)::date
                  AND (e.end_date IS NULL OR e.end_date >= (?::timestamptz AT TIME ZONE p.time_zone)::date)
                GROUP BY e.practice_id, e.patient_id, p.time_zone
                ON CONFLICT (patient_id, kind, schedule_key) WHERE schedule_key IS NOT NULL DO NOTHING""")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setTimestamp(2, Timestamp.from(now));
            PracticeZones.bind(c, ps, 3);
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setTimestamp(6, Timestamp.from(now));
            return ps.executeUpdate();
        }
    }
}
