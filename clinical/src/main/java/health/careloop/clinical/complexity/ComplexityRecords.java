package health.careloop.clinical.complexity;

import health.careloop.common.db.PerPatientRows;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** clinical.ccm_complexity: one record per patient and month; recording the month again replaces its level. Blocking JDBC. */
public final class ComplexityRecords {
    public static final Set<String> LEVELS = Set.of("moderate", "high");
    private static final String COLUMNS = "id, patient_id, month, level, note, provider_id, recorded_by, recorded_at";

    private final DataSource dataSource;

    public ComplexityRecords(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public ComplexityRecord record(UUID practiceId, UUID patientId, YearMonth month, String level, String note, UUID providerId, String actor)
            throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO clinical.ccm_complexity (id, practice_id, patient_id, month, level, note, provider_id, recorded_by) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (patient_id, month) DO UPDATE SET level = EXCLUDED.level, note = EXCLUDED.note, "
                        + "provider_id = EXCLUDED.provider_id, recorded_by = EXCLUDED.recorded_by, recorded_at = now() RETURNING " + COLUMNS)) {
            ps.setObject(1, UUID.randomUUID());
            ps.setObject(2, practiceId);
            ps.setObject(3, patientId);
            ps.setDate(4, Date.valueOf(month.atDay(1)));
            ps.setString(5, level);
            ps.setString(6, note);
            ps.setObject(7, providerId);
            ps.setString(8, actor);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return row(rs);
            }
        }
    }

    /** The patient's records, newest month first. */
    public List<ComplexityRecord> of(UUID patientId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM clinical.ccm_complexity WHERE patient_id = ? ORDER BY month DESC")) {
            ps.setObject(1, patientId);
            try (ResultSet rs = ps.executeQuery()) {
                List<ComplexityRecord> result = new ArrayList<>();
                while (rs.next()) {
                    result.add(row(rs));
                }
                return result;
            }
        }
    }

    /** Many patients' records in one query (the billing month close reads them per chunk); patients without any are absent. */
    public static Map<UUID, List<ComplexityRecord>> ofPatients(Connection c, Collection<UUID> patientIds) throws SQLException {
        return PerPatientRows.read(c, "SELECT " + COLUMNS + " FROM clinical.ccm_complexity WHERE patient_id = ANY (?) ORDER BY patient_id, month DESC",
                patientIds, ComplexityRecords::row, ComplexityRecord::patientId);
    }

    /** The level recorded for the month among these records, or null. */
    public static String levelIn(List<ComplexityRecord> records, YearMonth month) {
        return records.stream().filter(r -> r.month().equals(month)).map(ComplexityRecord::level).findFirst().orElse(null);
    }

    private static ComplexityRecord row(ResultSet rs) throws SQLException {
        return new ComplexityRecord(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), YearMonth.from(rs.getDate(3).toLocalDate()),
                rs.getString(4), rs.getString(5), rs.getObject(6, UUID.class), rs.getString(7), rs.getTimestamp(8).toInstant());
    }
}
