package health.careloop.billing.encounters;

import health.careloop.common.db.PerPatientRows;
import health.careloop.common.auth.StaffAccounts;
import health.careloop.common.auth.StaffMember;
import health.careloop.common.http.ApiException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Visits in billing.visit: recorded, listed, and read in chunks by the month close. Blocking JDBC. */
public final class Visits {
    private static final String COLUMNS = "id, practice_id, patient_id, kind, visit_date, practitioner_id, ccm_assessment, recorded_by, recorded_at";

    private final DataSource dataSource;
    private final StaffAccounts staff;
    private final Clock clock;

    public Visits(DataSource dataSource, StaffAccounts staff, Clock clock) {
        this.dataSource = dataSource;
        this.staff = staff;
        this.clock = clock;
    }

    /** Refuses a future date and a practitioner who is not a physician or NPP of the patient's practice. */
    public Visit record(UUID practiceId, UUID patientId, ZoneId zone, VisitKind kind, LocalDate date, UUID practitionerId, boolean ccmAssessment,
                        String actor) throws SQLException {
        if (inTheFuture(date, zone, clock)) {
            throw ApiException.badRequest("'date' is in the future; record a visit once it has taken place.");
        }
        StaffMember practitioner = staff.find(practitionerId).filter(s -> s.practiceId().equals(practiceId))
                .orElseThrow(() -> new ApiException(400, "invalid_practitioner", "'practitionerId' is not a staff member of the patient's practice."));
        if (!practitioner.role().isProvider()) {
            // billing-rules.md 2.2 [S20]: the initiating visit is the billing practitioner's (physician, NP, PA, CNS, CNM).
            throw new ApiException(400, "invalid_practitioner", "The visit's practitioner must be a physician or NPP, not " + practitioner.role().wireName() + ".");
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO billing.visit (id, practice_id, "
                + "patient_id, kind, visit_date, practitioner_id, ccm_assessment, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING " + COLUMNS)) {
            ps.setObject(1, UUID.randomUUID());
            ps.setObject(2, practiceId);
            ps.setObject(3, patientId);
            ps.setString(4, kind.wireName());
            ps.setDate(5, Date.valueOf(date));
            ps.setObject(6, practitionerId);
            ps.setBoolean(7, ccmAssessment);
            ps.setString(8, actor);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return visit(rs);
            }
        }
    }

    /** A visit is recorded once it has taken place: not after today in the practice's zone. */
    public static boolean inTheFuture(LocalDate date, ZoneId zone, Clock clock) {
        return date.isAfter(LocalDate.now(clock.withZone(zone)));
    }

    /**
     * Visits documented elsewhere first (an EHR's), in one batch on the caller's connection, inside its transaction, each
     * with the id the caller chose. The caller has checked what {@link #record} checks: the day is not in the future and the
     * practitioner is an active physician or NPP of the practice.
     */
    public static void recordImported(Connection c, List<Visit> visits) throws SQLException {
        if (visits.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO billing.visit (id, practice_id, patient_id, kind, visit_date, practitioner_id, "
                + "ccm_assessment, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Visit v : visits) {
                ps.setObject(1, v.id());
                ps.setObject(2, v.practiceId());
                ps.setObject(3, v.patientId());
                ps.setString(4, v.kind().wireName());
                ps.setDate(5, Date.valueOf(v.date()));
                ps.setObject(6, v.practitionerId());
                ps.setBoolean(7, v.ccmAssessment());
                ps.setString(8, v.recordedBy());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public List<Visit> of(UUID patientId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return ofPatients(c, List.of(patientId)).getOrDefault(patientId, List.of());
        }
    }

    /** Every visit of the patients, oldest first; patients without any are absent. */
    public static Map<UUID, List<Visit>> ofPatients(Connection c, Collection<UUID> patientIds) throws SQLException {
        return PerPatientRows.read(c, "SELECT " + COLUMNS + " FROM billing.visit WHERE patient_id = ANY (?) "
                + "ORDER BY patient_id, visit_date, recorded_at",
                patientIds, Visits::visit, Visit::patientId);
    }

    private static Visit visit(ResultSet rs) throws SQLException {
        return new Visit(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                VisitKind.fromWire(rs.getString(4)).orElseThrow(), rs.getDate(5).toLocalDate(), rs.getObject(6, UUID.class), rs.getBoolean(7),
                rs.getString(8), rs.getTimestamp(9).toInstant());
    }
}
