package health.careloop.clinical.rules;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A patient's conditions and threshold overrides (clinical.threshold_override), and their change history. Blocking JDBC. */
public final class ThresholdStore {
    public record Override(ThresholdKey key, BigDecimal value, String setBy, Instant setAt, String reason) {
    }

    public record Change(ThresholdKey key, BigDecimal oldValue, BigDecimal newValue, String changedBy, Instant changedAt, String reason) {
    }

    private ThresholdStore() {
    }

    /** The patient's effective thresholds, on the caller's connection. */
    public static Thresholds load(Connection c, UUID patientId) throws SQLException {
        Map<ThresholdKey, BigDecimal> overrides = new EnumMap<>(ThresholdKey.class);
        for (Override o : overrides(c, patientId)) {
            overrides.put(o.key(), o.value());
        }
        return Thresholds.forPatient(activeConditions(c, patientId), overrides);
    }

    /**
     * {@link #load} for several patients with two statements (conditions, overrides), on the caller's connection.
     * Every patient asked about has an entry (the defaults when they have neither).
     */
    public static Map<UUID, Thresholds> loadAll(Connection c, Collection<UUID> patientIds) throws SQLException {
        Map<UUID, List<String>> conditions = new HashMap<>();
        Map<UUID, Map<ThresholdKey, BigDecimal>> overrides = new HashMap<>();
        Map<UUID, Thresholds> result = new HashMap<>();
        if (patientIds.isEmpty()) {
            return result;
        }
        Array ids = c.createArrayOf("uuid", patientIds.toArray());
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT DISTINCT patient_id, icd10 FROM clinical.condition
                WHERE patient_id = ANY (?) AND (ended_on IS NULL OR ended_on > current_date) ORDER BY 1, 2""")) {
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    conditions.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT patient_id, key, value FROM clinical.threshold_override WHERE patient_id = ANY (?)")) {
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID patient = rs.getObject(1, UUID.class);
                    BigDecimal value = rs.getBigDecimal(3);
                    // As in overrides(): a key no longer known to the code is ignored.
                    ThresholdKey.fromKey(rs.getString(2)).ifPresent(key ->
                            overrides.computeIfAbsent(patient, k -> new EnumMap<>(ThresholdKey.class)).put(key, value));
                }
            }
        }
        for (UUID patient : patientIds) {
            result.put(patient, Thresholds.forPatient(conditions.getOrDefault(patient, List.of()), overrides.getOrDefault(patient, Map.of())));
        }
        return result;
    }

    /** ICD-10 codes of the patient's conditions that have not ended (clinical.condition). */
    public static List<String> activeConditions(Connection c, UUID patientId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT DISTINCT icd10 FROM clinical.condition WHERE patient_id = ? AND (ended_on IS NULL OR ended_on > current_date) ORDER BY 1")) {
            ps.setObject(1, patientId);
            List<String> codes = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    codes.add(rs.getString(1));
                }
            }
            return codes;
        }
    }

    public static List<Override> overrides(Connection c, UUID patientId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT key, value, set_by, set_at, reason FROM clinical.threshold_override WHERE patient_id = ? ORDER BY key")) {
            ps.setObject(1, patientId);
            List<Override> result = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // A key no longer known to the code is ignored rather than failing every evaluation.
                    var key = ThresholdKey.fromKey(rs.getString(1));
                    if (key.isPresent()) {
                        result.add(new Override(key.get(), rs.getBigDecimal(2), rs.getString(3), rs.getTimestamp(4).toInstant(), rs.getString(5)));
                    }
                }
            }
            return result;
        }
    }

    public static List<Change> history(Connection c, UUID patientId, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT key, old_value, new_value, changed_by, changed_at, reason FROM clinical.threshold_change
                WHERE patient_id = ? ORDER BY changed_at DESC, id DESC LIMIT ?""")) {
            ps.setObject(1, patientId);
            ps.setInt(2, limit);
            List<Change> result = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ThresholdKey.fromKey(rs.getString(1)).ifPresent(key -> {
                        try {
                            result.add(new Change(key, rs.getBigDecimal(2), rs.getBigDecimal(3), rs.getString(4),
                                    rs.getTimestamp(5).toInstant(), rs.getString(6)));
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                }
            }
            return result;
        }
    }

    /**
     * Sets (value not null) or removes (null) overrides, each change recorded with its old and new value, in the
     * caller's transaction. Unchanged values record nothing.
     */
    public static int change(Connection c, UUID practiceId, UUID patientId, Map<ThresholdKey, BigDecimal> changes, String actor, String reason)
            throws SQLException {
        Map<ThresholdKey, BigDecimal> current = new EnumMap<>(ThresholdKey.class);
        try (PreparedStatement lock = c.prepareStatement(
                "SELECT key, value FROM clinical.threshold_override WHERE patient_id = ? FOR UPDATE")) {
            lock.setObject(1, patientId);
            try (ResultSet rs = lock.executeQuery()) {
                while (rs.next()) {
                    BigDecimal value = rs.getBigDecimal(2);
                    ThresholdKey.fromKey(rs.getString(1)).ifPresent(k -> current.put(k, value));
                }
            }
        }
        int changed = 0;
        for (Map.Entry<ThresholdKey, BigDecimal> e : changes.entrySet()) {
            BigDecimal old = current.get(e.getKey());
            BigDecimal value = e.getValue();
            if (old == null ? value == null : value != null && old.compareTo(value) == 0) {
                continue;
            }
            if (value == null) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM clinical.threshold_override WHERE patient_id = ? AND key = ?")) {
                    ps.setObject(1, patientId);
                    ps.setString(2, e.getKey().key());
                    ps.executeUpdate();
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO clinical.threshold_override (practice_id, patient_id, key, value, set_by, set_at, reason)
                        VALUES (?, ?, ?, ?, ?, now(), ?)
                        ON CONFLICT (patient_id, key) DO UPDATE SET value = EXCLUDED.value, set_by = EXCLUDED.set_by,
                            set_at = EXCLUDED.set_at, reason = EXCLUDED.reason""")) {
                    ps.setObject(1, practiceId);
                    ps.setObject(2, patientId);
                    ps.setString(3, e.getKey().key());
                    ps.setBigDecimal(4, value);
                    ps.setString(5, actor);
                    ps.setString(6, reason);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO clinical.threshold_change (practice_id, patient_id, key, old_value, new_value, changed_by, reason)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
                ps.setObject(1, practiceId);
                ps.setObject(2, patientId);
                ps.setString(3, e.getKey().key());
                ps.setBigDecimal(4, old);
                ps.setBigDecimal(5, value);
                ps.setString(6, actor);
                ps.setString(7, reason);
                ps.executeUpdate();
            }
            changed++;
        }
        return changed;
    }
}
