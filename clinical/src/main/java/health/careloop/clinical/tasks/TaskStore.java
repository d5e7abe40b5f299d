package health.careloop.clinical.tasks;

import health.careloop.clinical.rules.Severity;
import health.careloop.common.auth.StaffAccounts;
import health.careloop.common.http.ApiException;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** clinical.task. Every method works in the caller's transaction. */
public final class TaskStore {
    private static final String COLUMNS = """
            id, practice_id, patient_id, kind, alert_id, schedule_key, title, detail, priority, due_at, status, assignee_id,
            suggested_program, minutes_spent, time_program, outcome, created_by, created_at, updated_at, claimed_at,
            completed_by, completed_at""";
    private static final String PRIORITY_ORDER = "CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END";

    private TaskStore() {
    }

    /**
     * The follow-up task of a new alert. Reviewing an RPM alert's readings is RPM time (billing-rules.md 2.4), so
     * that is the suggested program; the coordination that follows is logged as CCM by whoever does it.
     */
    public static UUID createForAlert(Connection c, UUID alertId, UUID practiceId, UUID patientId, Severity severity, String message)
            throws SQLException {
        UUID id = UUID.randomUUID();
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO clinical.task (id, practice_id, patient_id, kind, alert_id, title, detail, priority, due_at,
                                           suggested_program, created_by)
                VALUES (?, ?, ?, 'alert_follow_up', ?, ?, ?, ?, now() + ?::interval, 'rpm', 'system:rules')
                ON CONFLICT (alert_id) DO NOTHING""")) {
            ps.setObject(1, id);
            ps.setObject(2, practiceId);
            ps.setObject(3, patientId);
            ps.setObject(4, alertId);
            ps.setString(5, "Review " + severity.wireName() + " alert");
            ps.setString(6, message);
            ps.setString(7, TaskPriority.forSeverity(severity));
            ps.setString(8, TaskPriority.dueWithin(severity).toMinutes() + " minutes");
            ps.executeUpdate();
        }
        return id;
    }

    /** The alert absorbed another reading: its task (while still to do) shows the latest finding. */
    public static void alertRepeated(Connection c, UUID alertId, String message) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE clinical.task SET detail = ?, updated_at = now() WHERE alert_id = ? AND status IN ('open', 'in_progress')""")) {
            ps.setString(1, message);
            ps.setObject(2, alertId);
            ps.executeUpdate();
        }
    }

    /** Escalated alerts: their tasks become urgent and due now (if not sooner). */
    public static void raiseToUrgent(Connection c, List<UUID> alertIds) throws SQLException {
        if (alertIds.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE clinical.task SET priority = 'urgent', due_at = least(due_at, now()), updated_at = now()
                WHERE alert_id = ANY (?) AND status IN ('open', 'in_progress')""")) {
            Array ids = c.createArrayOf("uuid", alertIds.toArray());
            ps.setArray(1, ids);
            ps.executeUpdate();
        }
    }

    public static UUID createManual(Connection c, UUID practiceId, UUID patientId, String title, String detail, String priority,
                                    Instant dueAt, String suggestedProgram, UUID assigneeId, String actor) throws SQLException {
        UUID id = UUID.randomUUID();
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO clinical.task (id, practice_id, patient_id, kind, title, detail, priority, due_at, suggested_program,
                                           assignee_id, status, claimed_at, created_by)
                VALUES (?, ?, ?, 'manual', ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            ps.setObject(1, id);
            ps.setObject(2, practiceId);
            ps.setObject(3, patientId);
            ps.setString(4, title);
            ps.setString(5, detail);
            ps.setString(6, priority);
            ps.setTimestamp(7, Timestamp.from(dueAt));
            ps.setString(8, suggestedProgram);
            ps.setObject(9, assigneeId);
            ps.setString(10, "open");
            ps.setTimestamp(11, assigneeId == null ? null : Timestamp.from(Instant.now()));
            ps.setString(12, actor);
            ps.executeUpdate();
        }
        return id;
    }

    public static Optional<Task> find(Connection c, UUID id, boolean forUpdate) throws SQLException {
        List<Task> found = query(c, "id = ?" + (forUpdate ? " FOR UPDATE" : ""), List.of(id));
        return found.stream().findFirst();
    }

    /**
     * A practice's (null: every practice's) tasks, filtered; by priority, then oldest first.
     *
     * @param assignee a staff id, or null for any; {@code unassigned} true for tasks nobody claimed
     */
    public static List<Task> list(Connection c, UUID practiceId, UUID patientId, String status, UUID assignee, boolean unassigned,
                                  boolean overdue, Instant now, int limit) throws SQLException {
        StringBuilder where = new StringBuilder("true");
        List<Object> params = new ArrayList<>();
        if (practiceId != null) {
            where.append(" AND practice_id = ?");
            params.add(practiceId);
        }
        if (patientId != null) {
            where.append(" AND patient_id = ?");
            params.add(patientId);
        }
        if (status != null) {
            where.append(" AND status = ?");
            params.add(status);
        }
        if (assignee != null) {
            where.append(" AND assignee_id = ?");
            params.add(assignee);
        }
        if (unassigned) {
            where.append(" AND assignee_id IS NULL");
        }
        if (overdue) {
            where.append(" AND status IN ('open', 'in_progress') AND due_at < ?");
            params.add(Timestamp.from(now));
        }
        where.append(" ORDER BY ").append(PRIORITY_ORDER).append(", created_at, id LIMIT ").append(limit);
        return query(c, where.toString(), params);
    }

    /** Takes the task for {@code staffId}; a task someone else holds is theirs (409), a finished one cannot be claimed. */
    public static void claim(Connection c, Task task, UUID staffId) throws SQLException {
        if (!task.isActive()) {
            throw ApiException.conflict("The task is " + task.status() + ".");
        }
        if (task.assigneeId() != null && !task.assigneeId().equals(staffId) && task.status().equals("in_progress")) {
            throw ApiException.conflict("The task is already claimed by someone else.");
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE clinical.task SET assignee_id = ?, status = 'in_progress', claimed_at = coalesce(claimed_at, now()), updated_at = now()
                WHERE id = ?""")) {
            ps.setObject(1, staffId);
            ps.setObject(2, task.id());
            ps.executeUpdate();
        }
    }

    /** done (or cancelled) with what happened, and the minutes spent and their program (issue 5's ledger takes them). */
    public static void finish(Connection c, Task task, String status, String actor, String outcome, Integer minutes, String program)
            throws SQLException {
        if (!task.isActive()) {
            throw ApiException.conflict("The task is already " + task.status() + ".");
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE clinical.task SET status = ?, completed_by = ?, completed_at = now(), outcome = ?, minutes_spent = ?,
                    time_program = ?, updated_at = now()
                WHERE id = ?""")) {
            ps.setString(1, status);
            ps.setString(2, actor);
            ps.setString(3, outcome);
            ps.setObject(4, minutes);
            ps.setString(5, program);
            ps.setObject(6, task.id());
            ps.executeUpdate();
        }
    }

    /** The assignees' display names, from common's staff accounts in one query for the whole list. */
    private static List<Task> withAssigneeNames(Connection c, List<Task> tasks) throws SQLException {
        Set<UUID> assignees = new HashSet<>();
        for (Task t : tasks) {
            if (t.assigneeId() != null) {
                assignees.add(t.assigneeId());
            }
        }
        if (assignees.isEmpty()) {
            return tasks;
        }
        Map<UUID, String> names = StaffAccounts.displayNames(c, assignees);
        List<Task> named = new ArrayList<>(tasks.size());
        for (Task t : tasks) {
            named.add(t.assigneeId() == null ? t : new Task(t.id(), t.practiceId(), t.patientId(), t.kind(), t.alertId(), t.scheduleKey(),
                    t.title(), t.detail(), t.priority(), t.dueAt(), t.status(), t.assigneeId(), t.suggestedProgram(), t.minutesSpent(),
                    t.timeProgram(), t.outcome(), t.createdBy(), t.createdAt(), t.updatedAt(), t.claimedAt(), t.completedBy(),
                    t.completedAt(), names.get(t.assigneeId())));
        }
        return named;
    }

    private static List<Task> query(Connection c, String where, List<Object> params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM clinical.task WHERE " + where)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            List<Task> result = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int minutes = rs.getInt(14);
                    Integer minutesSpent = rs.wasNull() ? null : minutes;
                    result.add(new Task(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                            rs.getString(4), rs.getObject(5, UUID.class), rs.getString(6), rs.getString(7), rs.getString(8),
                            rs.getString(9), instant(rs, 10), rs.getString(11), rs.getObject(12, UUID.class), rs.getString(13),
                            minutesSpent, rs.getString(15), rs.getString(16), rs.getString(17), instant(rs, 18), instant(rs, 19),
                            instant(rs, 20), rs.getString(21), instant(rs, 22), null));
                }
            }
            return withAssigneeNames(c, result);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
