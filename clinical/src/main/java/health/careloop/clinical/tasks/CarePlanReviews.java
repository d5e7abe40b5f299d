package health.careloop.clinical.tasks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * A care-plan review task for each patient whose current care plan is due for review within {@link #LEAD_DAYS} days
 * (the plan's review date, billing-rules.md 2.2 "a review schedule"), due at the end of that day in the practice's
 * time zone. Idempotent: the review date is the task's schedule key, so a new plan version with a new date brings a
 * new task and re-runs bring none.
 */
public final class CarePlanReviews {
    static final int LEAD_DAYS = 7;

    private CarePlanReviews() {
    }

    /** Creates the missing review tasks as of {@code now}; returns how many. */
    public static int run(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO clinical.task (id, practice_id, patient_id, kind, schedule_key, title, detail, priority, due_at,
                                           suggested_program, created_by)
                SELECT gen_random_uuid(), v.practice_id, v.patient_id, 'care_plan_review', v.review_date::text,
                       'Care plan review due', 'Review and update the comprehensive care plan with the patient.', 'normal',
                       (v.review_date + 1)::timestamp AT TIME ZONE p.time_zone, 'ccm', 'system:schedule'
                FROM (SELECT DISTINCT ON (patient_id) patient_id, practice_id, review_date
                      FROM clinical.care_plan_version ORDER BY patient_id, version DESC) v
                JOIN unnest(?::uuid[], ?::text[]) AS p (id, time_zone) ON p.id = v.practice_id
                WHERE v.review_date <= (?::timestamptz AT TIME ZONE p.time_zone)::date + ?
                ON CONFLICT (patient_id, kind, schedule_key) WHERE schedule_key IS NOT NULL DO NOTHING""")) {
            PracticeZones.bind(c, ps, 1);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setInt(4, LEAD_DAYS);
            return ps.executeUpdate();
        }
    }
}
