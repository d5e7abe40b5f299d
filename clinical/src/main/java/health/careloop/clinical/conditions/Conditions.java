package health.careloop.clinical.conditions;

import health.careloop.common.db.PerPatientRows;
import health.careloop.common.http.ApiException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The patient's conditions in clinical.condition. Blocking JDBC: call from worker threads. */
public final class Conditions {
    private static final String COLUMNS = "id, practice_id, patient_id, icd10, description, onset, expected_duration, significant_risk, "
            + "ended_on, recorded_by, recorded_at";

    private final DataSource dataSource;

    public Conditions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Condition add(UUID practiceId, UUID patientId, String icd10, String description, LocalDate onset,
                         ExpectedDuration duration, boolean significantRisk, String actor) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO clinical.condition (id, practice_id, patient_id, icd10, description, onset, expected_duration, significant_risk, recorded_by) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING " + COLUMNS)) {
            ps.setObject(1, UUID.randomUUID());
            ps.setObject(2, practiceId);
            ps.setObject(3, patientId);
            ps.setString(4, icd10);
            ps.setString(5, description);
            ps.setObject(6, onset == null ? null : Date.valueOf(onset));
            ps.setString(7, duration.wireName());
            ps.setBoolean(8, significantRisk);
            ps.setString(9, actor);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return condition(rs);
            }
        }
    }

    /**
     * Conditions documented elsewhere first (an EHR's), in one batch on the caller's connection, inside its transaction: each
     * with the id the caller chose, and ended already when {@code endedOn} is set (the caller checked it is not before the
     * onset).
     */
    public static void addImported(Connection c, List<Condition> conditions) throws SQLException {
        if (conditions.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO clinical.condition (id, practice_id, patient_id, icd10, description, onset, "
                + "expected_duration, significant_risk, ended_on, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Condition k : conditions) {
                ps.setObject(1, k.id());
                ps.setObject(2, k.practiceId());
                ps.setObject(3, k.patientId());
                ps.setString(4, k.icd10());
                ps.setString(5, k.description());
                ps.setObject(6, k.onset() == null ? null : Date.valueOf(k.onset()));
                ps.setString(7, k.expectedDuration().wireName());
                ps.setBoolean(8, k.significantRisk());
                ps.setObject(9, k.endedOn() == null ? null : Date.valueOf(k.endedOn()));
                ps.setString(10, k.recordedBy());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Ends these conditions (each on its {@code endedOn}) in one batch on the caller's connection, inside its transaction;
     * one that has ended meanwhile fails the batch (409).
     */
    public static void endAll(Connection c, List<Condition> ended) throws SQLException {
        if (ended.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE clinical.condition SET ended_on = ? WHERE id = ? AND patient_id = ? AND ended_on IS NULL")) {
            for (Condition k : ended) {
                ps.setObject(1, Date.valueOf(k.endedOn()));
                ps.setObject(2, k.id());
                ps.setObject(3, k.patientId());
                ps.addBatch();
            }
            for (int count : ps.executeBatch()) {
                if (count == 0) {
                    throw ApiException.conflict("The condition was ended meanwhile.");
                }
            }
        }
    }

    /** Ends a condition once; ending it again is a 409. The caller's identity is in the audit trail of the request. */
    public Condition end(UUID patientId, UUID conditionId, LocalDate endedOn) throws SQLException {
        Condition existing = find(patientId, conditionId).orElseThrow(() -> ApiException.notFound("No condition " + conditionId + "."));
        if (existing.endedOn() != null) {
            throw ApiException.conflict("The condition already ended on " + existing.endedOn() + ".");
        }
        if (existing.onset() != null && endedOn.isBefore(existing.onset())) {
            throw ApiException.badRequest("'endedOn' is before the onset (" + existing.onset() + ").");
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE clinical.condition SET ended_on = ? WHERE id = ? AND patient_id = ? AND ended_on IS NULL RETURNING " + COLUMNS)) {
            ps.setObject(1, Date.valueOf(endedOn));
            ps.setObject(2, conditionId);
            ps.setObject(3, patientId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.conflict("The condition was ended meanwhile.");
                }
                return condition(rs);
            }
        }
    }

    public Optional<Condition> find(UUID patientId, UUID conditionId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM clinical.condition WHERE id = ? AND patient_id = ?")) {
            ps.setObject(1, conditionId);
            ps.setObject(2, patientId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(condition(rs)) : Optional.empty();
            }
        }
    }

    /** The condition with this id, whoever's it is (the caller checks the practice). */
    public Optional<Condition> findById(UUID conditionId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM clinical.condition WHERE id = ?")) {
            ps.setObject(1, conditionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(condition(rs)) : Optional.empty();
            }
        }
    }

    /** Every condition of the patient, active or ended, oldest record first. */
    public List<Condition> of(UUID patientId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM clinical.condition WHERE patient_id = ? ORDER BY recorded_at, id")) {
            ps.setObject(1, patientId);
            try (ResultSet rs = ps.executeQuery()) {
                List<Condition> result = new ArrayList<>();
                while (rs.next()) {
                    result.add(condition(rs));
                }
                return result;
            }
        }
    }

    /** {@link #of} for many patients in one query (the billing month close reads them in chunks); patients without any are absent. */
    public static Map<UUID, List<Condition>> ofPatients(Connection c, Collection<UUID> patientIds) throws SQLException {
        return PerPatientRows.read(c, "SELECT " + COLUMNS + " FROM clinical.condition WHERE patient_id = ANY (?) ORDER BY patient_id, recorded_at, id",
                patientIds, Conditions::condition, Condition::patientId);
    }

    private static Condition condition(ResultSet rs) throws SQLException {
        Date onset = rs.getDate(6);
        Date ended = rs.getDate(9);
        return new Condition(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class), rs.getString(4),
                rs.getString(5), onset == null ? null : onset.toLocalDate(), ExpectedDuration.fromWire(rs.getString(7)).orElseThrow(),
                rs.getBoolean(8), ended == null ? null : ended.toLocalDate(), rs.getString(10), rs.getTimestamp(11).toInstant());
    }
}
