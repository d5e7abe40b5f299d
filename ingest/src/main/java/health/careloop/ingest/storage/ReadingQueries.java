package health.careloop.ingest.storage;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The read side of the readings store, for the API and the other tiers. The same SQL runs on both storage modes:
 * reading_day is a continuous aggregate on TimescaleDB and a rollup table on PostgreSQL, with the same columns.
 */
public final class ReadingQueries {
    private static final String READINGS = """
            SELECT device_id, type, measured_at, measured_offset_minutes, received_at, patient_id, practice_id, local_date,
                   reading_id, systolic, diastolic, pulse, glucose_mg_dl, meal_context, weight_kg, spo2, unit, loinc, source_unit
            FROM ingest.reading
            WHERE patient_id = ? AND measured_at >= ? AND measured_at < ? AND (?::text IS NULL OR type = ?)
            ORDER BY measured_at, device_id, type
            LIMIT ?""";
    private static final String DATA_DAYS = """
            SELECT local_date, sum(reading_count)::bigint
            FROM ingest.reading_day
            WHERE patient_id = ? AND local_date BETWEEN ? AND ?
            GROUP BY local_date
            ORDER BY local_date""";

    private final DataSource dataSource;

    public ReadingQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public List<StoredReading> readings(UUID patientId, Instant from, Instant to, String type, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return readings(c, patientId, from, to, type, limit);
        }
    }

    /** As above, on the caller's connection (and so inside its transaction), oldest first by measured_at. */
    public static List<StoredReading> readings(Connection c, UUID patientId, Instant from, Instant to, String type, int limit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(READINGS)) {
            ps.setObject(1, patientId);
            ps.setTimestamp(2, Timestamp.from(from));
            ps.setTimestamp(3, Timestamp.from(to));
            ps.setString(4, type);
            ps.setString(5, type);
            ps.setInt(6, limit);
            List<StoredReading> result = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(new StoredReading(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getInt(4),
                            rs.getTimestamp(5).toInstant(), rs.getObject(6, UUID.class), rs.getObject(7, UUID.class),
                            rs.getDate(8).toLocalDate(), rs.getString(9), intOrNull(rs, 10), intOrNull(rs, 11), intOrNull(rs, 12),
                            rs.getBigDecimal(13), rs.getString(14), rs.getBigDecimal(15), rs.getBigDecimal(16),
                            rs.getString(17), rs.getString(18), rs.getString(19)));
                }
            }
            return result;
        }
    }

    /** Days in [from, to] (the practice's local dates) with at least one stored reading, and how many readings each. */
    public Map<LocalDate, Long> dataDays(UUID patientId, LocalDate from, LocalDate to) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(DATA_DAYS)) {
            ps.setObject(1, patientId);
            ps.setDate(2, Date.valueOf(from));
            ps.setDate(3, Date.valueOf(to));
            Map<LocalDate, Long> result = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getDate(1).toLocalDate(), rs.getLong(2));
                }
            }
            return result;
        }
    }

    private static Integer intOrNull(ResultSet rs, int column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

}
