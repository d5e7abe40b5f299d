package health.careloop.clinical.alerts;

import health.careloop.clinical.rules.Finding;
import health.careloop.clinical.rules.ReadingRef;
import health.careloop.clinical.tasks.TaskStore;
import health.careloop.common.http.ApiException;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * clinical.alert and its readings. Every method works in the caller's transaction. Recording a finding is idempotent:
 * the reading that triggered it is recorded once per rule (alert_reading_trigger), and at most one alert per
 * (patient, rule) is unresolved (alert_one_unresolved), which INSERT ... ON CONFLICT targets to absorb a repeat.
 */
public final class AlertStore {
    public enum Outcome { RAISED, ABSORBED, ALREADY_RECORDED, EPISODE_ALREADY_REPORTED }

    private static final String COLUMNS = """
            a.id, a.practice_id, a.patient_id, a.rule_id, a.severity, a.status, a.message, a.episode_key, a.raised_at,
            a.last_seen_at, a.occurrence_count, a.acknowledged_by, a.acknowledged_at, a.escalated_by, a.escalated_at,
            a.escalation_reason, a.resolved_by, a.resolved_at, a.outcome, t.id""";

    private AlertStore() {
    }

    /** A finding about one patient, for {@link #recordAll}. */
    public record PatientFinding(UUID practiceId, UUID patientId, Finding finding) {
    }

    public static Outcome record(Connection c, UUID practiceId, UUID patientId, Finding finding) throws SQLException {
        if (finding.trigger() != null && alreadyTriggered(c, patientId, finding)) {
            return Outcome.ALREADY_RECORDED;
        }
        return recordUntriggered(c, practiceId, patientId, finding);
    }

    /**
     * {@link #record} for many findings, in their order, with one statement to find the triggers already recorded
     * instead of one per finding. The same trigger twice in the list (a reading queued twice) is recorded once: the
     * later ones are ALREADY_RECORDED, as they would be one at a time. Returns an outcome per finding, in order.
     */
    public static List<Outcome> recordAll(Connection c, List<PatientFinding> findings) throws SQLException {
        Set<TriggerKey> done = alreadyTriggered(c, findings);
        List<Outcome> outcomes = new ArrayList<>(findings.size());
        for (PatientFinding pf : findings) {
            Finding f = pf.finding();
            if (f.trigger() != null && !done.add(new TriggerKey(pf.patientId(), f.ruleId(), f.trigger()))) {
                outcomes.add(Outcome.ALREADY_RECORDED);
                continue;
            }
            outcomes.add(recordUntriggered(c, pf.practiceId(), pf.patientId(), f));
        }
        return outcomes;
    }

    private record TriggerKey(UUID patientId, String ruleId, ReadingRef trigger) {
    }

    /** The triggers among {@code findings} already recorded (alert_reading_trigger), in one statement. */
    private static Set<TriggerKey> alreadyTriggered(Connection c, List<PatientFinding> findings) throws SQLException {
        List<TriggerKey> keys = new ArrayList<>();
        for (PatientFinding pf : findings) {
            if (pf.finding().trigger() != null) {
                keys.add(new TriggerKey(pf.patientId(), pf.finding().ruleId(), pf.finding().trigger()));
            }
        }
        Set<TriggerKey> found = new HashSet<>();
        if (keys.isEmpty()) {
            return found;
        }
        UUID[] patients = new UUID[keys.size()];
        String[] rules = new String[keys.size()];
        String[] devices = new String[keys.size()];
        String[] types = new String[keys.size()];
        String[] times = new String[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            TriggerKey k = keys.get(i);
            patients[i] = k.patientId();
            rules[i] = k.ruleId();
            devices[i] = k.trigger().deviceId();
            types[i] = k.trigger().type();
            times[i] = k.trigger().measuredAt().toString();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT t.i FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[]::timestamptz[])
                    WITH ORDINALITY AS t (patient_id, rule_id, device_id, type, measured_at, i)
                WHERE EXISTS (SELECT 1 FROM clinical.alert_reading ar
                              WHERE ar.patient_id = t.patient_id AND ar.rule_id = t.rule_id AND ar.device_id = t.device_id
                                AND ar.type = t.type AND ar.measured_at = t.measured_at AND ar.triggered)""")) {
            ps.setArray(1, c.createArrayOf("uuid", patients));
            ps.setArray(2, c.createArrayOf("text", rules));
            ps.setArray(3, c.createArrayOf("text", devices));
            ps.setArray(4, c.createArrayOf("text", types));
            ps.setArray(5, c.createArrayOf("text", times));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(keys.get((int) rs.getLong(1) - 1));
                }
            }
        }
        return found;
    }

    /** record() once the trigger (if any) is known not to be recorded yet. */
    private static Outcome recordUntriggered(Connection c, UUID practiceId, UUID patientId, Finding finding) throws SQLException {
        if (finding.episodeKey() != null && episodeReported(c, patientId, finding)) {
            return Outcome.EPISODE_ALREADY_REPORTED;
        }
        UUID alertId;
        boolean inserted;
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO clinical.alert (id, practice_id, patient_id, rule_id, severity, message, episode_key)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (patient_id, rule_id) WHERE status IN ('open', 'acknowledged', 'escalated')
                DO UPDATE SET last_seen_at = now(), message = EXCLUDED.message,
                    episode_key = coalesce(EXCLUDED.episode_key, alert.episode_key),
                    occurrence_count = alert.occurrence_count + ?
                RETURNING id, (xmax = 0)""")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setObject(2, practiceId);
            ps.setObject(3, patientId);
            ps.setString(4, finding.ruleId());
            ps.setString(5, finding.severity().wireName());
            ps.setString(6, finding.message());
            ps.setString(7, finding.episodeKey());
            ps.setInt(8, finding.trigger() == null ? 0 : 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                alertId = rs.getObject(1, UUID.class);
                inserted = rs.getBoolean(2);
            }
        }
        addReadings(c, alertId, patientId, finding);
        if (inserted) {
            TaskStore.createForAlert(c, alertId, practiceId, patientId, finding.severity(), finding.message());
            return Outcome.RAISED;
        }
        if (finding.trigger() != null) {
            TaskStore.alertRepeated(c, alertId, finding.message());
        }
        return Outcome.ABSORBED;
    }

    private static boolean alreadyTriggered(Connection c, UUID patientId, Finding f) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT 1 FROM clinical.alert_reading
                WHERE patient_id = ? AND rule_id = ? AND device_id = ? AND type = ? AND measured_at = ? AND triggered""")) {
            ps.setObject(1, patientId);
            ps.setString(2, f.ruleId());
            ps.setString(3, f.trigger().deviceId());
            ps.setString(4, f.trigger().type());
            ps.setTimestamp(5, Timestamp.from(f.trigger().measuredAt()));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** A resolved alert for this episode (gap, period) exists: staff dealt with it; do not raise it again. */
    private static boolean episodeReported(Connection c, UUID patientId, Finding f) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM clinical.alert WHERE patient_id = ? AND rule_id = ? AND episode_key = ? AND status = 'resolved'")) {
            ps.setObject(1, patientId);
            ps.setString(2, f.ruleId());
            ps.setString(3, f.episodeKey());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void addReadings(Connection c, UUID alertId, UUID patientId, Finding f) throws SQLException {
        if (f.readings().isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO clinical.alert_reading (alert_id, patient_id, rule_id, device_id, type, measured_at, triggered)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (alert_id, device_id, type, measured_at)
                DO UPDATE SET triggered = alert_reading.triggered OR EXCLUDED.triggered""")) {
            for (ReadingRef r : f.readings()) {
                ps.setObject(1, alertId);
                ps.setObject(2, patientId);
                ps.setString(3, f.ruleId());
                ps.setString(4, r.deviceId());
                ps.setString(5, r.type());
                ps.setTimestamp(6, Timestamp.from(r.measuredAt()));
                ps.setBoolean(7, r.equals(f.trigger()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public static Optional<Alert> find(Connection c, UUID alertId, boolean forUpdate) throws SQLException {
        List<Alert> found = query(c, "a.id = ?" + (forUpdate ? " FOR UPDATE OF a" : ""), List.of(alertId), 1);
        return found.stream().findFirst();
    }

    /**
     * Alerts of a practice (null: all, for the system principal) or of one patient, filtered; unresolved first, then
     * by severity, newest first.
     */
    public static List<Alert> list(Connection c, UUID practiceId, UUID patientId, String status, String severity, String rule, int limit)
            throws SQLException {
        StringBuilder where = new StringBuilder("true");
        List<Object> params = new ArrayList<>();
        if (practiceId != null) {
            where.append(" AND a.practice_id = ?");
            params.add(practiceId);
        }
        if (patientId != null) {
            where.append(" AND a.patient_id = ?");
            params.add(patientId);
        }
        if (status != null) {
            where.append(" AND a.status = ?");
            params.add(status);
        }
        if (severity != null) {
            where.append(" AND a.severity = ?");
            params.add(severity);
        }
        if (rule != null) {
            where.append(" AND a.rule_id = ?");
            params.add(rule);
        }
        where.append(" ORDER BY (a.status = 'resolved'), CASE a.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 ELSE 2 END, a.raised_at DESC");
        return query(c, where.toString(), params, limit);
    }

    private static List<Alert> query(Connection c, String where, List<Object> params, int limit) throws SQLException {
        Map<UUID, Alert> alerts = new LinkedHashMap<>();
        String sql = "SELECT " + COLUMNS + " FROM clinical.alert a LEFT JOIN clinical.task t ON t.alert_id = a.id WHERE " + where;
        if (!where.contains("FOR UPDATE")) {
            sql += " LIMIT " + limit;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Alert a = new Alert(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), instant(rs, 9),
                            instant(rs, 10), rs.getInt(11), rs.getString(12), instant(rs, 13), rs.getString(14), instant(rs, 15),
                            rs.getString(16), rs.getString(17), instant(rs, 18), rs.getString(19), rs.getObject(20, UUID.class), List.of());
                    alerts.put(a.id(), a);
                }
            }
        }
        if (alerts.isEmpty()) {
            return List.of();
        }
        Map<UUID, List<ReadingRef>> readings = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT alert_id, device_id, type, measured_at FROM clinical.alert_reading WHERE alert_id = ANY (?)
                ORDER BY measured_at, device_id, type""")) {
            Array ids = c.createArrayOf("uuid", alerts.keySet().toArray());
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    readings.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                            .add(new ReadingRef(rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()));
                }
            }
        }
        List<Alert> result = new ArrayList<>();
        for (Alert a : alerts.values()) {
            result.add(new Alert(a.id(), a.practiceId(), a.patientId(), a.ruleId(), a.severity(), a.status(), a.message(), a.episodeKey(),
                    a.raisedAt(), a.lastSeenAt(), a.occurrences(), a.acknowledgedBy(), a.acknowledgedAt(), a.escalatedBy(), a.escalatedAt(),
                    a.escalationReason(), a.resolvedBy(), a.resolvedAt(), a.outcome(), a.taskId(), List.copyOf(readings.getOrDefault(a.id(), List.of()))));
        }
        return result;
    }

    /** open/escalated → acknowledged. */
    public static void acknowledge(Connection c, Alert alert, String actor) throws SQLException {
        if (!alert.status().equals("open") && !alert.status().equals("escalated")) {
            throw ApiException.conflict("The alert is " + alert.status() + "; only an open or escalated alert can be acknowledged.");
        }
        update(c, "status = 'acknowledged', acknowledged_by = ?, acknowledged_at = now()", alert.id(), actor);
    }

    /** Any unresolved state → resolved, with what was done. */
    public static void resolve(Connection c, Alert alert, String actor, String outcome) throws SQLException {
        if (alert.status().equals("resolved")) {
            throw ApiException.conflict("The alert is already resolved.");
        }
        update(c, "status = 'resolved', resolved_by = ?, resolved_at = now(), outcome = ?", alert.id(), actor, outcome);
    }

    /** open/acknowledged → escalated (to a provider), by hand. */
    public static void escalate(Connection c, Alert alert, String actor, String reason) throws SQLException {
        if (!alert.status().equals("open") && !alert.status().equals("acknowledged")) {
            throw ApiException.conflict("The alert is " + alert.status() + "; only an open or acknowledged alert can be escalated.");
        }
        update(c, "status = 'escalated', escalated_by = ?, escalated_at = now(), escalation_reason = ?", alert.id(), actor, reason);
        TaskStore.raiseToUrgent(c, List.of(alert.id()));
    }

    private static void update(Connection c, String set, UUID id, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE clinical.alert SET " + set + " WHERE id = ?")) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.setObject(params.length + 1, id);
            ps.executeUpdate();
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
