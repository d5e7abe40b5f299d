package health.careloop.clinical.careplan;

import health.careloop.common.http.ApiException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Copies of a care plan version given to the patient (billing-rules.md 2.2: a copy to the patient), in
 * clinical.care_plan_copy: the day, how (in person, mail, portal, e-mail) and who recorded it. Blocking JDBC.
 */
public final class CarePlanCopies {
    public static final Set<String> METHODS = Set.of("in_person", "mail", "portal", "email");

    private final DataSource dataSource;

    public CarePlanCopies(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A copy as recorded. */
    public record Copy(UUID id, UUID versionId, int version, LocalDate givenOn, String method, String recordedBy, Instant recordedAt) {
    }

    public Copy record(CarePlanVersion version, LocalDate givenOn, String method, String actor) throws SQLException {
        if (givenOn.isBefore(version.establishedOn())) {
            throw ApiException.badRequest("'givenOn' (" + givenOn + ") is before version " + version.version() + " was established ("
                    + version.establishedOn() + ").");
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO clinical.care_plan_copy (id, practice_id, patient_id, care_plan_version_id, given_on, method, recorded_by) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id, recorded_at")) {
            UUID id = UUID.randomUUID();
            ps.setObject(1, id);
            ps.setObject(2, version.practiceId());
            ps.setObject(3, version.patientId());
            ps.setObject(4, version.id());
            ps.setDate(5, Date.valueOf(givenOn));
            ps.setString(6, method);
            ps.setString(7, actor);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Copy(id, version.id(), version.version(), givenOn, method, actor, rs.getTimestamp(2).toInstant());
            }
        }
    }

    /** Every copy of the patient's plan, oldest first. */
    public List<Copy> of(UUID patientId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT k.id, k.care_plan_version_id, v.version, k.given_on, k.method, k.recorded_by, k.recorded_at FROM clinical.care_plan_copy k "
                        + "JOIN clinical.care_plan_version v ON v.id = k.care_plan_version_id WHERE k.patient_id = ? ORDER BY k.given_on, k.recorded_at")) {
            ps.setObject(1, patientId);
            try (ResultSet rs = ps.executeQuery()) {
                List<Copy> result = new ArrayList<>();
                while (rs.next()) {
                    result.add(new Copy(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getInt(3), rs.getDate(4).toLocalDate(),
                            rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant()));
                }
                return result;
            }
        }
    }
}
