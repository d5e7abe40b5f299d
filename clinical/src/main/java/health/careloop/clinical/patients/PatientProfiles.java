package health.careloop.clinical.patients;

import health.careloop.common.http.ApiException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Demographics in clinical.patient_profile. Blocking JDBC: call from worker threads. */
public final class PatientProfiles {
    private static final String COLUMNS = "patient_id, practice_id, given_name, family_name, birth_date, sex, mbi, address_line1, "
            + "address_line2, city, state, zip, phone, updated_by, updated_at";
    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource dataSource;

    public PatientProfiles(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Each patient's name as the care team reads it ("Family, Given"), of many patients in one query, on the caller's
     * connection (its transaction and practice scope): how other tiers name a patient in a sentence. Patients without
     * demographics are absent.
     */
    public static Map<UUID, String> names(Connection c, Collection<UUID> patientIds) throws SQLException {
        Map<UUID, String> result = new HashMap<>();
        if (patientIds.isEmpty()) {
            return result;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT patient_id, family_name, given_name FROM clinical.patient_profile WHERE patient_id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("uuid", patientIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getObject(1, UUID.class), rs.getString(2) + ", " + rs.getString(3));
                }
            }
        }
        return result;
    }

    /**
     * The demographics of many patients in one query, on the caller's connection (its transaction and practice scope):
     * how another tier reads them for a whole export (billing's claims.csv). Patients without demographics are absent.
     */
    public static Map<UUID, PatientProfile> ofPatients(Connection c, Collection<UUID> patientIds) throws SQLException {
        Map<UUID, PatientProfile> result = new HashMap<>();
        if (patientIds.isEmpty()) {
            return result;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM clinical.patient_profile WHERE patient_id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("uuid", patientIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    PatientProfile p = profile(rs, 0);
                    result.put(p.patientId(), p);
                }
            }
        }
        return result;
    }

    /** {@link #ofPatients(Connection, Collection)} on a connection of its own. */
    public Map<UUID, PatientProfile> findAll(Collection<UUID> patientIds) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return ofPatients(c, patientIds);
        }
    }

    /** A patient in a practice list: the identity and, when recorded, the demographics. */
    public record Listed(UUID patientId, String externalRef, PatientProfile profile) {
    }

    private static final String UPSERT = "INSERT INTO clinical.patient_profile (" + COLUMNS.replace(", updated_at", "")
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (patient_id) DO UPDATE SET given_name = excluded.given_name, family_name = excluded.family_name, "
            + "birth_date = excluded.birth_date, sex = excluded.sex, mbi = excluded.mbi, address_line1 = excluded.address_line1, "
            + "address_line2 = excluded.address_line2, city = excluded.city, state = excluded.state, zip = excluded.zip, "
            + "phone = excluded.phone, updated_by = excluded.updated_by, updated_at = now()";

    /** Creates or replaces the profile (PUT semantics); the MBI is unique in the practice (409). */
    public PatientProfile save(PatientProfile p) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(UPSERT + " RETURNING " + COLUMNS)) {
            bind(ps, p);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return profile(rs, 0);
            }
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new ApiException(409, "duplicate_mbi", "Another patient of this practice has MBI " + p.mbi() + ".");
            }
            throw e;
        }
    }

    /**
     * {@link #save} of many profiles in one batch on the caller's connection, inside its transaction (a bulk import). A
     * duplicate MBI fails the batch (409 naming the MBI when the batch is one profile).
     */
    public static void saveAll(Connection c, List<PatientProfile> profiles) throws SQLException {
        if (profiles.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            for (PatientProfile p : profiles) {
                bind(ps, p);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            if (profiles.size() == 1 && UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new ApiException(409, "duplicate_mbi", "Another patient of this practice has MBI " + profiles.get(0).mbi() + ".");
            }
            throw e;
        }
    }

    private static void bind(PreparedStatement ps, PatientProfile p) throws SQLException {
        Address a = p.address();
        ps.setObject(1, p.patientId());
        ps.setObject(2, p.practiceId());
        ps.setString(3, p.givenName());
        ps.setString(4, p.familyName());
        ps.setObject(5, Date.valueOf(p.birthDate()));
        ps.setString(6, p.sex().wireName());
        ps.setString(7, p.mbi());
        ps.setString(8, a == null ? null : a.line1());
        ps.setString(9, a == null ? null : a.line2());
        ps.setString(10, a == null ? null : a.city());
        ps.setString(11, a == null ? null : a.state());
        ps.setString(12, a == null ? null : a.zip());
        ps.setString(13, p.phone());
        ps.setString(14, p.updatedBy());
    }

    public Optional<PatientProfile> find(UUID patientId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM clinical.patient_profile WHERE patient_id = ?")) {
            ps.setObject(1, patientId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(profile(rs, 0)) : Optional.empty();
            }
        }
    }

    /**
     * The practice's patients, by family then given name; with a search, those whose given or family name contains every
     * word of it (case-insensitive), or whose external reference or MBI equals it.
     */
    public List<Listed> list(UUID practiceId, String search, int limit) throws SQLException {
        List<String> words = search == null ? List.of() : List.of(search.trim().toLowerCase().split("\\s+"));
        StringBuilder sql = new StringBuilder("SELECT p.id, p.external_ref, ");
        sql.append(COLUMNS.replaceAll("(^|, )", "$1f.")).append(" FROM core.patient p LEFT JOIN clinical.patient_profile f ON f.patient_id = p.id ")
                .append("WHERE p.practice_id = ?");
        if (!words.isEmpty() && !words.get(0).isEmpty()) {
            sql.append(" AND ((");
            for (int i = 0; i < words.size(); i++) {
                sql.append(i == 0 ? "" : " AND ").append("(lower(f.given_name) LIKE ? ESCAPE '\\' OR lower(f.family_name) LIKE ? ESCAPE '\\')");
            }
            sql.append(") OR p.external_ref = ? OR f.mbi = ?)");
        } else {
            words = List.of();
        }
        sql.append(" ORDER BY lower(f.family_name) NULLS LAST, lower(f.given_name), p.external_ref LIMIT ?");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            ps.setObject(i++, practiceId);
            for (String word : words) {
                String like = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
                ps.setString(i++, like);
                ps.setString(i++, like);
            }
            if (!words.isEmpty()) {
                ps.setString(i++, search.trim());
                ps.setString(i++, Mbi.normalise(search));
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                List<Listed> result = new ArrayList<>();
                while (rs.next()) {
                    PatientProfile profile = rs.getObject(3) == null ? null : profile(rs, 2);
                    result.add(new Listed(rs.getObject(1, UUID.class), rs.getString(2), profile));
                }
                return result;
            }
        }
    }

    private static PatientProfile profile(ResultSet rs, int offset) throws SQLException {
        String line1 = rs.getString(offset + 8);
        Address address = line1 == null ? null : new Address(line1, rs.getString(offset + 9), rs.getString(offset + 10),
                rs.getString(offset + 11), rs.getString(offset + 12));
        return new PatientProfile(rs.getObject(offset + 1, UUID.class), rs.getObject(offset + 2, UUID.class), rs.getString(offset + 3),
                rs.getString(offset + 4), rs.getDate(offset + 5).toLocalDate(), Sex.fromWire(rs.getString(offset + 6)).orElseThrow(),
                rs.getString(offset + 7), address, rs.getString(offset + 13), rs.getString(offset + 14), rs.getTimestamp(offset + 15).toInstant());
    }
}
