package health.careloop.common.directory;

import health.careloop.common.audit.RecordOwner;
import health.careloop.common.http.ApiException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Practices and patient identities in the core schema. Blocking JDBC: call from worker threads. */
public final class Directory {
    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource dataSource;

    public Directory(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Whose record a patient id names, for the audit trail of refused calls. */
    public static Map<String, RecordOwner> auditedRecords() {
        return Map.of("patientId", RecordOwner.byUuid("SELECT practice_id, id FROM core.patient WHERE id = ?"));
    }

    public Practice createPractice(String name, ZoneId zone) throws SQLException {
        Practice practice = new Practice(UUID.randomUUID(), name, zone);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO core.practice (id, name, time_zone) VALUES (?, ?, ?)")) {
            ps.setObject(1, practice.id());
            ps.setString(2, name);
            ps.setString(3, zone.getId());
            ps.executeUpdate();
        }
        return practice;
    }

    public List<Practice> practices() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, name, time_zone FROM core.practice ORDER BY name");
             ResultSet rs = ps.executeQuery()) {
            List<Practice> result = new ArrayList<>();
            while (rs.next()) {
                result.add(new Practice(rs.getObject(1, UUID.class), rs.getString(2), ZoneId.of(rs.getString(3))));
            }
            return result;
        }
    }

    public Optional<Practice> practice(UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, name, time_zone FROM core.practice WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Practice(id, rs.getString(2), ZoneId.of(rs.getString(3)))) : Optional.empty();
            }
        }
    }

    public Patient createPatient(UUID practiceId, String externalRef) throws SQLException {
        practice(practiceId).orElseThrow(() -> ApiException.notFound("No practice " + practiceId + "."));
        Patient patient = new Patient(UUID.randomUUID(), practiceId, externalRef);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO core.patient (id, practice_id, external_ref) VALUES (?, ?, ?)")) {
            ps.setObject(1, patient.id());
            ps.setObject(2, practiceId);
            ps.setString(3, externalRef);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw ApiException.conflict("The practice already has a patient with externalRef '" + externalRef + "'.");
            }
            throw e;
        }
        return patient;
    }

    public Optional<Patient> patient(UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT practice_id, external_ref FROM core.patient WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Patient(id, rs.getObject(1, UUID.class), rs.getString(2))) : Optional.empty();
            }
        }
    }

    /** Every patient's external reference in the practice, in one query (views that list a whole practice). */
    public Map<UUID, String> externalRefs(UUID practiceId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, external_ref FROM core.patient WHERE practice_id = ?")) {
            ps.setObject(1, practiceId);
            Map<UUID, String> refs = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    refs.put(rs.getObject(1, UUID.class), rs.getString(2));
                }
            }
            return refs;
        }
    }

    public Optional<Patient> patientByExternalRef(UUID practiceId, String externalRef) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM core.patient WHERE practice_id = ? AND external_ref = ?")) {
            ps.setObject(1, practiceId);
            ps.setString(2, externalRef);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Patient(rs.getObject(1, UUID.class), practiceId, externalRef)) : Optional.empty();
            }
        }
    }
}
