package health.careloop.billing.encounters;

import health.careloop.common.db.PerPatientRows;
import health.careloop.common.http.ApiException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Hospital and SNF stays in billing.inpatient_stay. Stays are often learnt of after the fact (a discharge summary), so
 * the ledger keeps accepting time and the month close leaves out the minutes inside a stay. Blocking JDBC.
 */
public final class InpatientStays {
    private static final String COLUMNS = "id, practice_id, patient_id, setting, admitted_at, discharged_at, recorded_by, recorded_at";

    private final DataSource dataSource;
    private final Clock clock;

    public InpatientStays(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    public InpatientStay record(UUID practiceId, UUID patientId, InpatientStay.Setting setting, Instant admittedAt, Instant dischargedAt,
                                String actor) throws SQLException {
        Instant now = clock.instant();
        if (admittedAt.isAfter(now) || dischargedAt != null && dischargedAt.isAfter(now)) {
            throw ApiException.badRequest("'admittedAt' and 'dischargedAt' may not be in the future.");
        }
        if (dischargedAt != null && !dischargedAt.isAfter(admittedAt)) {
            throw ApiException.badRequest("'dischargedAt' must be after 'admittedAt'.");
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO billing.inpatient_stay (id, "
                + "practice_id, patient_id, setting, admitted_at, discharged_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING " + COLUMNS)) {
            ps.setObject(1, UUID.randomUUID());
            ps.setObject(2, practiceId);
            ps.setObject(3, patientId);
            ps.setString(4, setting.wireName());
            ps.setTimestamp(5, Timestamp.from(admittedAt));
            ps.setTimestamp(6, dischargedAt == null ? null : Timestamp.from(dischargedAt));
            ps.setString(7, actor);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return stay(rs);
            }
        }
    }

    /** Sets the discharge of an open stay once. */
    public InpatientStay discharge(UUID patientId, UUID stayId, Instant dischargedAt) throws SQLException {
        InpatientStay stay = find(patientId, stayId).orElseThrow(() -> ApiException.notFound("No inpatient stay " + stayId + "."));
        if (stay.dischargedAt() != null) {
            throw ApiException.conflict("The stay already ended on " + stay.dischargedAt() + ".");
        }
        if (!dischargedAt.isAfter(stay.admittedAt()) || dischargedAt.isAfter(clock.instant())) {
            throw ApiException.badRequest("'dischargedAt' must be after the admission and not in the future.");
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("UPDATE billing.inpatient_stay SET discharged_at = ? "
                + "WHERE id = ? AND patient_id = ? AND discharged_at IS NULL RETURNING " + COLUMNS)) {
            ps.setTimestamp(1, Timestamp.from(dischargedAt));
            ps.setObject(2, stayId);
            ps.setObject(3, patientId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.conflict("The stay was ended meanwhile.");
                }
                return stay(rs);
            }
        }
    }

    public Optional<InpatientStay> find(UUID patientId, UUID stayId) throws SQLException {
        return of(patientId).stream().filter(s -> s.id().equals(stayId)).findFirst();
    }

    public List<InpatientStay> of(UUID patientId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return ofPatients(c, List.of(patientId)).getOrDefault(patientId, List.of());
        }
    }

    /** Every stay of the patients, oldest first; patients without any are absent. */
    public static Map<UUID, List<InpatientStay>> ofPatients(Connection c, Collection<UUID> patientIds) throws SQLException {
        return PerPatientRows.read(c, "SELECT " + COLUMNS + " FROM billing.inpatient_stay WHERE patient_id = ANY (?) "
                + "ORDER BY patient_id, admitted_at",
                patientIds, InpatientStays::stay, InpatientStay::patientId);
    }

    private static InpatientStay stay(ResultSet rs) throws SQLException {
        Timestamp discharged = rs.getTimestamp(6);
        return new InpatientStay(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                InpatientStay.Setting.fromWire(rs.getString(4)).orElseThrow(), rs.getTimestamp(5).toInstant(),
                discharged == null ? null : discharged.toInstant(), rs.getString(7), rs.getTimestamp(8).toInstant());
    }
}
