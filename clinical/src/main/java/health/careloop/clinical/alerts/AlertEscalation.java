package health.careloop.clinical.alerts;

import health.careloop.clinical.tasks.TaskStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Critical alerts nobody acknowledged within the configured time (default 15 minutes) become escalated, and their
 * follow-up task urgent. Run on a schedule; an alert escalates once (only open ones are considered), so running it
 * twice or on two processes at once changes nothing more (the UPDATE takes the row locks).
 */
public final class AlertEscalation {
    public static final Duration DEFAULT_AFTER = Duration.ofMinutes(15);
    static final String ACTOR = "system:escalation";

    private AlertEscalation() {
    }

    /** Escalates what is due at {@code now}; returns the alerts escalated. In the caller's transaction. */
    public static List<UUID> run(Connection c, Instant now, Duration after) throws SQLException {
        List<UUID> escalated = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE clinical.alert SET status = 'escalated', escalated_by = ?, escalated_at = now(), escalation_reason = ?
                WHERE status = 'open' AND severity = 'critical' AND raised_at <= ?
                RETURNING id""")) {
            ps.setString(1, ACTOR);
            ps.setString(2, "Critical alert not acknowledged within " + after.toMinutes() + " minutes");
            ps.setTimestamp(3, Timestamp.from(now.minus(after)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    escalated.add(rs.getObject(1, UUID.class));
                }
            }
        }
        TaskStore.raiseToUrgent(c, escalated);
        return escalated;
    }
}
