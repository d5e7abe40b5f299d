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
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Practices and patient identities in the core schema. Blocking JDBC: call from worker threads. The static methods work
 * on the caller's connection (its transaction, isolation and practice scope): they are how the other tiers read and
 * lock core's rows, since a tier's SQL names only its own schema (docs/DESIGN.md, "Modules").
 */
public final class Directory {
    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource dataSource;

    public Directory(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Whose record a patient or staff id names, for the audit trail of refused calls. */
    public static Map<String, RecordOwner> auditedRecords() {
        return Map.of("patientId", RecordOwner.byUuid("SELECT practice_id, id FROM core.patient WHERE id = ?"),
                // A staff member named by the staff routes: another practice's probe belongs in that practice's trail.
                "staffId", RecordOwner.byUuid("SELECT practice_id, NULL::uuid FROM core.staff_user WHERE id = ?"));
    }

    public Practice createPractice(String name, ZoneId zone) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return createPractice(c, name, zone);
        }
    }

    /** The same, on the caller's connection and in its transaction (the first-run setup makes a practice and its administrator at once). */
    public static Practice createPractice(Connection c, String name, ZoneId zone) throws SQLException {
        Practice practice = new Practice(UUID.randomUUID(), name, zone);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO core.practice (id, name, time_zone) VALUES (?, ?, ?)")) {
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

    /** A new medical record number (the practice's external reference) for the patient; unique within the practice. */
    public Patient changeExternalRef(Patient patient, String externalRef) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE core.patient SET external_ref = ? WHERE id = ?")) {
            ps.setString(1, externalRef);
            ps.setObject(2, patient.id());
            ps.executeUpdate();
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw ApiException.conflict("The practice already has a patient with externalRef '" + externalRef + "'.");
            }
            throw e;
        }
        return new Patient(patient.id(), patient.practiceId(), externalRef);
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

    /**
     * Creates these patients (ids chosen by the caller) in one batch on the caller's connection, inside its transaction: a
     * bulk import. An external reference the practice already has fails the batch (409 when the batch is one patient).
     */
    public static void insertPatients(Connection c, List<Patient> patients) throws SQLException {
        if (patients.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO core.patient (id, practice_id, external_ref) VALUES (?, ?, ?)")) {
            for (Patient p : patients) {
                ps.setObject(1, p.id());
                ps.setObject(2, p.practiceId());
                ps.setString(3, p.externalRef());
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            if (patients.size() == 1 && UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw ApiException.conflict("The practice already has a patient with externalRef '" + patients.get(0).externalRef() + "'.");
            }
            throw e;
        }
    }

    /** The practice's patients with these external references, in one query, by reference; unknown ones are absent. */
    public static Map<String, Patient> patientsByExternalRef(Connection c, UUID practiceId, Collection<String> externalRefs) throws SQLException {
        Map<String, Patient> result = new HashMap<>();
        if (externalRefs.isEmpty()) {
            return result;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, external_ref FROM core.patient WHERE practice_id = ? AND external_ref = ANY (?)")) {
            ps.setObject(1, practiceId);
            ps.setArray(2, c.createArrayOf("text", externalRefs.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getString(2), new Patient(rs.getObject(1, UUID.class), practiceId, rs.getString(2)));
                }
            }
        }
        return result;
    }

    /** These patients, in one query, by id; unknown ids (and, in a practice scope, other practices' patients) are absent. */
    public static Map<UUID, Patient> patients(Connection c, Collection<UUID> ids) throws SQLException {
        Map<UUID, Patient> result = new HashMap<>();
        if (ids.isEmpty()) {
            return result;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, practice_id, external_ref FROM core.patient WHERE id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    result.put(id, new Patient(id, rs.getObject(2, UUID.class), rs.getString(3)));
                }
            }
        }
        return result;
    }

    /**
     * Ids of the practice's patients after {@code after} (null: from the first), by id, at most {@code limit}: one chunk
     * of a practice-wide batch such as the month close.
     */
    public static List<UUID> patientIds(Connection c, UUID practiceId, UUID after, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(after == null
                ? "SELECT id FROM core.patient WHERE practice_id = ? ORDER BY id LIMIT ?"
                : "SELECT id FROM core.patient WHERE practice_id = ? AND id > ? ORDER BY id LIMIT ?")) {
            int i = 1;
            ps.setObject(i++, practiceId);
            if (after != null) {
                ps.setObject(i++, after);
            }
            ps.setInt(i, limit);
            return ids(ps);
        }
    }

    /** Every patient id of the practice, by id. */
    public static List<UUID> patientIds(Connection c, UUID practiceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM core.patient WHERE practice_id = ? ORDER BY id")) {
            ps.setObject(1, practiceId);
            return ids(ps);
        }
    }

    /** The practice a patient belongs to; empty when there is no such patient. */
    public static Optional<UUID> practiceOfPatient(Connection c, UUID patientId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT practice_id FROM core.patient WHERE id = ?")) {
            ps.setObject(1, patientId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }

    public static boolean practiceExists(Connection c, UUID practiceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM core.practice WHERE id = ?")) {
            ps.setObject(1, practiceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Locks the patient's row until the caller's transaction ends. NO KEY UPDATE: it serialises another tier's writes
     * about one patient (enrolments) without blocking inserts that reference the patient.
     */
    public static void lockPatient(Connection c, UUID patientId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM core.patient WHERE id = ? FOR NO KEY UPDATE")) {
            ps.setObject(1, patientId);
            ps.executeQuery().close();
        }
    }

    /** The time zones of the given practices in one query; unknown ids are absent. */
    public static Map<UUID, ZoneId> timeZones(Connection c, Collection<UUID> practiceIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, time_zone FROM core.practice WHERE id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("uuid", practiceIds.toArray()));
            return zones(ps);
        }
    }

    /** Every practice's time zone in one query (scheduled work across practices). */
    public static Map<UUID, ZoneId> timeZones(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, time_zone FROM core.practice")) {
            return zones(ps);
        }
    }

    private static Map<UUID, ZoneId> zones(PreparedStatement ps) throws SQLException {
        Map<UUID, ZoneId> result = new HashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                result.put(rs.getObject(1, UUID.class), ZoneId.of(rs.getString(2)));
            }
        }
        return result;
    }

    private static List<UUID> ids(PreparedStatement ps) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
            }
        }
        return ids;
    }
}
