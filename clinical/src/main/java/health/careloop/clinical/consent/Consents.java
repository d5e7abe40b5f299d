package health.careloop.clinical.consent;

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
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Consents in clinical.consent; recorded once, later only revoked. Blocking JDBC: call from worker threads. */
public final class Consents {
    private static final String COLUMNS = "id, practice_id, patient_id, program, method, obtained_on, obtained_by, told_service_available, "
            + "told_cost_sharing, told_one_practitioner, told_may_stop, accepted, note, recorded_by, recorded_at, revoked_on, revoked_by";

    private final DataSource dataSource;

    public Consents(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public ConsentRecord record(UUID practiceId, UUID patientId, Program program, String method, LocalDate obtainedOn, UUID obtainedBy,
                                Set<ConsentElement> told, boolean accepted, String note, String actor) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO clinical.consent (id, practice_id, patient_id, program, method, obtained_on, obtained_by, told_service_available, "
                        + "told_cost_sharing, told_one_practitioner, told_may_stop, accepted, note, recorded_by) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING " + COLUMNS)) {
            ps.setObject(1, UUID.randomUUID());
            ps.setObject(2, practiceId);
            ps.setObject(3, patientId);
            ps.setString(4, program.wireName());
            ps.setString(5, method);
            ps.setObject(6, Date.valueOf(obtainedOn));
            ps.setObject(7, obtainedBy);
            ps.setBoolean(8, told.contains(ConsentElement.SERVICE_AVAILABLE));
            ps.setBoolean(9, told.contains(ConsentElement.COST_SHARING));
            ps.setBoolean(10, told.contains(ConsentElement.ONE_PRACTITIONER_PER_MONTH));
            ps.setBoolean(11, told.contains(ConsentElement.MAY_STOP_ANY_TIME));
            ps.setBoolean(12, accepted);
            ps.setString(13, note);
            ps.setString(14, actor);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return consent(rs);
            }
        }
    }

    /**
     * Consents documented elsewhere first (an EHR's), in one batch on the caller's connection, inside its transaction: each
     * with the id the caller chose, and revoked already when {@code revokedOn} is set (the caller checked it is not before
     * the day it was obtained).
     */
    public static void recordImported(Connection c, List<ConsentRecord> consents) throws SQLException {
        if (consents.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO clinical.consent (id, practice_id, patient_id, program, method, obtained_on, obtained_by, told_service_available, "
                        + "told_cost_sharing, told_one_practitioner, told_may_stop, accepted, note, recorded_by, revoked_on, revoked_by, revoked_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ?::date IS NULL THEN NULL ELSE now() END)")) {
            for (ConsentRecord k : consents) {
                ps.setObject(1, k.id());
                ps.setObject(2, k.practiceId());
                ps.setObject(3, k.patientId());
                ps.setString(4, k.program().wireName());
                ps.setString(5, k.method());
                ps.setObject(6, Date.valueOf(k.obtainedOn()));
                ps.setObject(7, k.obtainedBy());
                ps.setBoolean(8, k.told().contains(ConsentElement.SERVICE_AVAILABLE));
                ps.setBoolean(9, k.told().contains(ConsentElement.COST_SHARING));
                ps.setBoolean(10, k.told().contains(ConsentElement.ONE_PRACTITIONER_PER_MONTH));
                ps.setBoolean(11, k.told().contains(ConsentElement.MAY_STOP_ANY_TIME));
                ps.setBoolean(12, k.accepted());
                ps.setString(13, k.note());
                ps.setString(14, k.recordedBy());
                Date revoked = k.revokedOn() == null ? null : Date.valueOf(k.revokedOn());
                ps.setObject(15, revoked);
                ps.setString(16, k.revokedOn() == null ? null : k.revokedBy());
                ps.setObject(17, revoked, java.sql.Types.DATE);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Revokes these consents (each on its {@code revokedOn}, by its {@code revokedBy}) in one batch on the caller's
     * connection, inside its transaction; one revoked meanwhile fails the batch (409).
     */
    public static void revokeAll(Connection c, List<ConsentRecord> revoked) throws SQLException {
        if (revoked.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE clinical.consent SET revoked_on = ?, revoked_by = ?, revoked_at = now() "
                + "WHERE id = ? AND patient_id = ? AND revoked_on IS NULL")) {
            for (ConsentRecord k : revoked) {
                ps.setObject(1, Date.valueOf(k.revokedOn()));
                ps.setString(2, k.revokedBy());
                ps.setObject(3, k.id());
                ps.setObject(4, k.patientId());
                ps.addBatch();
            }
            for (int count : ps.executeBatch()) {
                if (count == 0) {
                    throw ApiException.conflict("The consent was revoked meanwhile.");
                }
            }
        }
    }

    public ConsentRecord revoke(UUID patientId, UUID consentId, LocalDate revokedOn, String actor) throws SQLException {
        ConsentRecord existing = find(patientId, consentId).orElseThrow(() -> ApiException.notFound("No consent " + consentId + "."));
        if (existing.revokedOn() != null) {
            throw ApiException.conflict("The consent was already revoked on " + existing.revokedOn() + ".");
        }
        if (revokedOn.isBefore(existing.obtainedOn())) {
            throw ApiException.badRequest("'revokedOn' is before the consent was obtained (" + existing.obtainedOn() + ").");
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE clinical.consent SET revoked_on = ?, revoked_by = ?, revoked_at = now() "
                        + "WHERE id = ? AND patient_id = ? AND revoked_on IS NULL RETURNING " + COLUMNS)) {
            ps.setObject(1, Date.valueOf(revokedOn));
            ps.setString(2, actor);
            ps.setObject(3, consentId);
            ps.setObject(4, patientId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.conflict("The consent was revoked meanwhile.");
                }
                return consent(rs);
            }
        }
    }

    public Optional<ConsentRecord> find(UUID patientId, UUID consentId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM clinical.consent WHERE id = ? AND patient_id = ?")) {
            ps.setObject(1, consentId);
            ps.setObject(2, patientId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(consent(rs)) : Optional.empty();
            }
        }
    }

    /** The consent with this id, whoever's it is (the caller checks the practice). */
    public Optional<ConsentRecord> findById(UUID consentId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM clinical.consent WHERE id = ?")) {
            ps.setObject(1, consentId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(consent(rs)) : Optional.empty();
            }
        }
    }

    public List<ConsentRecord> of(UUID patientId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return of(c, patientId);
        }
    }

    List<ConsentRecord> of(Connection c, UUID patientId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM clinical.consent WHERE patient_id = ? ORDER BY obtained_on, recorded_at")) {
            ps.setObject(1, patientId);
            try (ResultSet rs = ps.executeQuery()) {
                List<ConsentRecord> result = new ArrayList<>();
                while (rs.next()) {
                    result.add(consent(rs));
                }
                return result;
            }
        }
    }

    /** {@link #of} for many patients in one query (the billing month close reads them in chunks); patients without any are absent. */
    public static Map<UUID, List<ConsentRecord>> ofPatients(Connection c, Collection<UUID> patientIds) throws SQLException {
        return PerPatientRows.read(c, "SELECT " + COLUMNS + " FROM clinical.consent WHERE patient_id = ANY (?) ORDER BY patient_id, obtained_on, recorded_at",
                patientIds, Consents::consent, ConsentRecord::patientId);
    }

    private static ConsentRecord consent(ResultSet rs) throws SQLException {
        Set<ConsentElement> told = EnumSet.noneOf(ConsentElement.class);
        if (rs.getBoolean(8)) {
            told.add(ConsentElement.SERVICE_AVAILABLE);
        }
        if (rs.getBoolean(9)) {
            told.add(ConsentElement.COST_SHARING);
        }
        if (rs.getBoolean(10)) {
            told.add(ConsentElement.ONE_PRACTITIONER_PER_MONTH);
        }
        if (rs.getBoolean(11)) {
            told.add(ConsentElement.MAY_STOP_ANY_TIME);
        }
        Date revoked = rs.getDate(16);
        return new ConsentRecord(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                Program.fromWire(rs.getString(4)).orElseThrow(), rs.getString(5), rs.getDate(6).toLocalDate(), rs.getObject(7, UUID.class),
                told, rs.getBoolean(12), rs.getString(13), rs.getString(14), rs.getTimestamp(15).toInstant(),
                revoked == null ? null : revoked.toLocalDate(), rs.getString(17));
    }
}
