package health.careloop.ingest.storage;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The read side of the readings store, for the API and the other tiers. The same SQL runs on both storage modes:
 * reading_day is a continuous aggregate on TimescaleDB and a rollup table on PostgreSQL, with the same columns.
 */
public final class ReadingQueries {
    /**
     * Device readings and readings entered by staff (ingest.entered_reading, V8) as one relation with the same columns,
     * plus who entered a reading and how it reached the care team (both null for a device's). An entered reading's
     * device id is {@link #ENTERED_PREFIX} and its patient id: an identity no registered device can have. Only the
     * chart's and the evaluator's reads include them; the data-day reads never do (CMS counts device data only).
     */
    private static final String ALL_READINGS = """
            (SELECT device_id, type, measured_at, measured_offset_minutes, received_at, patient_id, practice_id, local_date,
                    reading_id, systolic, diastolic, pulse, glucose_mg_dl, meal_context, weight_kg, spo2, unit, loinc, source_unit,
                    NULL::uuid AS entered_by, NULL::text AS entry_source
             FROM ingest.reading
             UNION ALL
             SELECT 'careloop-entered-' || patient_id::text, type, measured_at, 0, entered_at, patient_id, practice_id, local_date,
                    NULL, systolic, diastolic, pulse, glucose_mg_dl, meal_context, weight_kg, spo2, unit, loinc, source_unit,
                    entered_by, source
             FROM ingest.entered_reading)""";
    /** The device id under which a patient's readings entered by staff are read (DESIGN.md, "Readings entered by staff"). */
    public static final String ENTERED_PREFIX = "careloop-entered-";
    private static final String READINGS = """
            SELECT device_id, type, measured_at, measured_offset_minutes, received_at, patient_id, practice_id, local_date,
                   reading_id, systolic, diastolic, pulse, glucose_mg_dl, meal_context, weight_kg, spo2, unit, loinc, source_unit,
                   entered_by, entry_source
            FROM """ + ALL_READINGS + """
             r
            WHERE patient_id = ? AND measured_at >= ? AND measured_at < ? AND (?::text IS NULL OR type = ?)
            ORDER BY measured_at, device_id, type
            LIMIT ?""";
    /**
     * Several patients' readings in one statement: a window per patient (unnest of three parallel arrays), each
     * answered from reading_patient_time with its own limit (LATERAL), so one patient's many readings cannot crowd out
     * the others'. The scalar bounds (the union of the windows) let the planner prune reading's partitions when it
     * plans: the per-patient bounds come from the arrays, which it cannot prune by (with years of monthly partitions
     * it would otherwise plan, and cost, a scan of each). Same for the look-up by identity below.
     */
    private static final String READINGS_FOR_PATIENTS = """
            SELECT r.device_id, r.type, r.measured_at, r.measured_offset_minutes, r.received_at, r.patient_id, r.practice_id,
                   r.local_date, r.reading_id, r.systolic, r.diastolic, r.pulse, r.glucose_mg_dl, r.meal_context, r.weight_kg,
                   r.spo2, r.unit, r.loinc, r.source_unit, r.entered_by, r.entry_source
            FROM unnest(?::uuid[], ?::text[]::timestamptz[], ?::text[]::timestamptz[]) AS w (patient_id, from_at, to_at)
            CROSS JOIN LATERAL (
                SELECT * FROM """ + ALL_READINGS + """
                 a
                WHERE patient_id = w.patient_id AND measured_at >= w.from_at AND measured_at < w.to_at
                  AND measured_at >= ? AND measured_at < ?
                ORDER BY measured_at, device_id, type
                LIMIT ?) r
            ORDER BY r.patient_id, r.measured_at, r.device_id, r.type""";
    private static final String READINGS_BY_IDENTITY = """
            SELECT r.device_id, r.type, r.measured_at, r.measured_offset_minutes, r.received_at, r.patient_id, r.practice_id,
                   r.local_date, r.reading_id, r.systolic, r.diastolic, r.pulse, r.glucose_mg_dl, r.meal_context, r.weight_kg,
                   r.spo2, r.unit, r.loinc, r.source_unit, r.entered_by, r.entry_source
            FROM unnest(?::text[], ?::text[], ?::text[]::timestamptz[]) AS k (device_id, type, measured_at)
            JOIN """ + ALL_READINGS + """
             r ON r.device_id = k.device_id AND r.type = k.type AND r.measured_at = k.measured_at
            WHERE r.measured_at >= ? AND r.measured_at <= ?""";
    /**
     * One page of a patient's readings in a window, device readings and readings entered by staff together, in the order of
     * their identity within time, starting at a reading (inclusive) when a position is given: keyset paging, so a page
     * costs the same however deep it is. Each table answers its own page (reading from reading_patient_time, entered
     * readings from entered_reading_patient_time) and the two are merged: the type and pulse filters apply to the rows
     * those indexes find.
     */
    private static final String READINGS_PAGE = """
            SELECT * FROM (
                (SELECT device_id, type, measured_at, measured_offset_minutes, received_at, patient_id, practice_id, local_date,
                        reading_id, systolic, diastolic, pulse, glucose_mg_dl, meal_context, weight_kg, spo2, unit, loinc, source_unit,
                        NULL::uuid AS entered_by, NULL::text AS entry_source
                 FROM ingest.reading
                 WHERE patient_id = ? AND measured_at >= ? AND measured_at < ? AND type = ANY (?)
                   AND (NOT ? OR pulse IS NOT NULL)
                   AND (?::timestamptz IS NULL OR (measured_at, device_id, type) >= (?::timestamptz, ?, ?))
                 ORDER BY measured_at, device_id, type
                 LIMIT ?)
                UNION ALL
                (SELECT * FROM (
                    SELECT 'careloop-entered-' || patient_id::text AS device_id, type, measured_at, 0 AS measured_offset_minutes,
                           entered_at AS received_at, patient_id, practice_id, local_date, NULL::text AS reading_id, systolic, diastolic,
                           pulse, glucose_mg_dl, meal_context, weight_kg, spo2, unit, loinc, source_unit, entered_by, source AS entry_source
                    FROM ingest.entered_reading
                    WHERE patient_id = ? AND measured_at >= ? AND measured_at < ? AND type = ANY (?)
                      AND (NOT ? OR pulse IS NOT NULL)) e
                 WHERE ?::timestamptz IS NULL OR (measured_at, device_id, type) >= (?::timestamptz, ?, ?)
                 ORDER BY measured_at, device_id, type
                 LIMIT ?)) r
            ORDER BY measured_at, device_id, type
            LIMIT ?""";
    private static final String RECENT_DATA_DAYS = """
            SELECT w.patient_id, latest.day, recent.days
            FROM unnest(?::uuid[], ?::date[], ?::date[], ?::date[]) AS w(patient_id, from_day, list_from, to_day)
            CROSS JOIN LATERAL (SELECT max(d.local_date) AS day FROM ingest.reading_day d
                                WHERE d.patient_id = w.patient_id AND d.local_date BETWEEN w.from_day AND w.to_day) latest
            CROSS JOIN LATERAL (SELECT array_agg(DISTINCT d.local_date) AS days FROM ingest.reading_day d
                                WHERE d.patient_id = w.patient_id AND d.local_date BETWEEN w.list_from AND w.to_day) recent""";
    private static final String DATA_DAYS = """
            SELECT local_date, sum(reading_count)::bigint
            FROM ingest.reading_day
            WHERE patient_id = ? AND local_date BETWEEN ? AND ?
            GROUP BY local_date
            ORDER BY local_date""";

    private final DataSource dataSource;

    /** A span of measured time, {@code from} included, {@code to} excluded. */
    public record Window(Instant from, Instant to) {
    }

    /** A reading's identity (DESIGN.md): device, type, measured time. */
    public record Identity(String deviceId, String type, Instant measuredAt) {
    }

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
                    result.add(reading(rs));
                }
            }
            return result;
        }
    }

    /** Where a page of readings starts: the first reading it holds. */
    public record PagePosition(Instant measuredAt, String deviceId, String type) {
    }

    /**
     * A page of the patient's readings measured in [from, to) of the given types (stored type names), oldest first,
     * from {@code start} (inclusive; null: from the beginning), at most {@code limit}; with {@code withPulse}, only
     * readings that carry a pulse. On the caller's connection.
     */
    public static List<StoredReading> page(Connection c, UUID patientId, Instant from, Instant to, Collection<String> types,
                                           boolean withPulse, PagePosition start, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(READINGS_PAGE)) {
            Timestamp at = start == null ? null : Timestamp.from(start.measuredAt());
            for (int table = 0; table < 2; table++) {
                int i = table * 10;
                ps.setObject(i + 1, patientId);
                ps.setTimestamp(i + 2, Timestamp.from(from));
                ps.setTimestamp(i + 3, Timestamp.from(to));
                ps.setArray(i + 4, c.createArrayOf("text", types.toArray()));
                ps.setBoolean(i + 5, withPulse);
                ps.setTimestamp(i + 6, at);
                ps.setTimestamp(i + 7, at);
                ps.setString(i + 8, start == null ? null : start.deviceId());
                ps.setString(i + 9, start == null ? null : start.type());
                ps.setInt(i + 10, limit);
            }
            ps.setInt(21, limit);
            List<StoredReading> result = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(reading(rs));
                }
            }
            return result;
        }
    }

    /** The reading with this identity, if stored (a primary-key look-up). */
    public static java.util.Optional<StoredReading> reading(Connection c, Identity identity) throws SQLException {
        return readingsByIdentity(c, List.of(identity)).stream().findFirst();
    }

    /**
     * Each patient's readings within that patient's window, at most {@code limitPerPatient} of them (the oldest), on
     * the caller's connection, in one statement. Every patient asked about has an entry, oldest first by measured_at
     * (then device, type), empty when there is nothing in the window.
     */
    public static Map<UUID, List<StoredReading>> readingsForPatients(Connection c, Map<UUID, Window> windows, int limitPerPatient)
            throws SQLException {
        Map<UUID, List<StoredReading>> result = new HashMap<>();
        if (windows.isEmpty()) {
            return result;
        }
        UUID[] patients = new UUID[windows.size()];
        String[] from = new String[windows.size()];
        String[] to = new String[windows.size()];
        Instant earliest = null;
        Instant latest = null;
        int i = 0;
        for (Map.Entry<UUID, Window> w : windows.entrySet()) {
            patients[i] = w.getKey();
            from[i] = w.getValue().from().toString();
            to[i] = w.getValue().to().toString();
            earliest = earliest == null || w.getValue().from().isBefore(earliest) ? w.getValue().from() : earliest;
            latest = latest == null || w.getValue().to().isAfter(latest) ? w.getValue().to() : latest;
            result.put(w.getKey(), new ArrayList<>());
            i++;
        }
        try (PreparedStatement ps = c.prepareStatement(READINGS_FOR_PATIENTS)) {
            ps.setArray(1, c.createArrayOf("uuid", patients));
            ps.setArray(2, c.createArrayOf("text", from));
            ps.setArray(3, c.createArrayOf("text", to));
            ps.setTimestamp(4, Timestamp.from(earliest));
            ps.setTimestamp(5, Timestamp.from(latest));
            ps.setInt(6, limitPerPatient);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    StoredReading r = reading(rs);
                    result.get(r.patientId()).add(r);
                }
            }
        }
        return result;
    }

    /**
     * The stored readings with these identities (primary-key look-ups, one statement), on the caller's connection, in
     * no particular order; an identity with no stored reading (never stored, or its partition dropped) is left out,
     * and one asked for twice is returned once.
     */
    public static List<StoredReading> readingsByIdentity(Connection c, Collection<Identity> identities) throws SQLException {
        List<StoredReading> result = new ArrayList<>();
        Set<Identity> distinct = new LinkedHashSet<>(identities);
        if (distinct.isEmpty()) {
            return result;
        }
        String[] devices = new String[distinct.size()];
        String[] types = new String[distinct.size()];
        String[] times = new String[distinct.size()];
        Instant earliest = null;
        Instant latest = null;
        int i = 0;
        for (Identity id : distinct) {
            devices[i] = id.deviceId();
            types[i] = id.type();
            times[i] = id.measuredAt().toString();
            earliest = earliest == null || id.measuredAt().isBefore(earliest) ? id.measuredAt() : earliest;
            latest = latest == null || id.measuredAt().isAfter(latest) ? id.measuredAt() : latest;
            i++;
        }
        try (PreparedStatement ps = c.prepareStatement(READINGS_BY_IDENTITY)) {
            ps.setArray(1, c.createArrayOf("text", devices));
            ps.setArray(2, c.createArrayOf("text", types));
            ps.setArray(3, c.createArrayOf("text", times));
            ps.setTimestamp(4, Timestamp.from(earliest));
            ps.setTimestamp(5, Timestamp.from(latest));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(reading(rs));
                }
            }
        }
        return result;
    }

    private static StoredReading reading(ResultSet rs) throws SQLException {
        return new StoredReading(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getInt(4),
                rs.getTimestamp(5).toInstant(), rs.getObject(6, UUID.class), rs.getObject(7, UUID.class),
                rs.getDate(8).toLocalDate(), rs.getString(9), intOrNull(rs, 10), intOrNull(rs, 11), intOrNull(rs, 12),
                rs.getBigDecimal(13), rs.getString(14), rs.getBigDecimal(15), rs.getBigDecimal(16),
                rs.getString(17), rs.getString(18), rs.getString(19), rs.getObject(20, UUID.class), rs.getString(21));
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

    /**
     * Days in [from, to] with at least one stored reading, of many patients in one query (the month close reads a chunk
     * of patients at a time); patients without such a day are absent.
     */
    public static Map<UUID, Set<LocalDate>> dataDaysOfPatients(Connection c, Collection<UUID> patientIds, LocalDate from, LocalDate to)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT patient_id, local_date FROM ingest.reading_day "
                + "WHERE patient_id = ANY (?) AND local_date BETWEEN ? AND ?")) {
            ps.setArray(1, c.createArrayOf("uuid", patientIds.toArray()));
            ps.setDate(2, Date.valueOf(from));
            ps.setDate(3, Date.valueOf(to));
            Map<UUID, Set<LocalDate>> result = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.computeIfAbsent(rs.getObject(1, UUID.class), id -> new HashSet<>()).add(rs.getDate(2).toLocalDate());
                }
            }
            return result;
        }
    }

    /**
     * A patient's window for {@link #recentDataDays}: the last data day is looked for in [from, to], and the data days
     * themselves are listed for [listFrom, to] only (the missed-reading rules need every day of the current P30 but only
     * the latest day before it).
     */
    public record DataDayWindow(UUID patientId, LocalDate from, LocalDate listFrom, LocalDate to) {
    }

    /** A patient's latest data day in its window (empty when none) and its data days from the window's listFrom. */
    public record RecentDataDays(Optional<LocalDate> last, Set<LocalDate> days) {
    }

    /**
     * {@link RecentDataDays} of many patients in one statement: one index probe per patient for the latest day and one
     * range for the recent days (LATERAL over reading_day's (patient_id, local_date) key), so the scheduled check costs
     * one round trip per chunk of patients instead of one per patient. Every patient asked about has an entry.
     */
    public static Map<UUID, RecentDataDays> recentDataDays(Connection c, List<DataDayWindow> windows) throws SQLException {
        Map<UUID, RecentDataDays> result = new HashMap<>();
        if (windows.isEmpty()) {
            return result;
        }
        try (PreparedStatement ps = c.prepareStatement(RECENT_DATA_DAYS)) {
            ps.setArray(1, c.createArrayOf("uuid", windows.stream().map(DataDayWindow::patientId).toArray()));
            ps.setArray(2, c.createArrayOf("date", windows.stream().map(w -> Date.valueOf(w.from())).toArray()));
            ps.setArray(3, c.createArrayOf("date", windows.stream().map(w -> Date.valueOf(w.listFrom())).toArray()));
            ps.setArray(4, c.createArrayOf("date", windows.stream().map(w -> Date.valueOf(w.to())).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Date last = rs.getDate(2);
                    Set<LocalDate> days = new HashSet<>();
                    Array recent = rs.getArray(3);
                    if (recent != null) {
                        for (Object day : (Object[]) recent.getArray()) {
                            days.add(((Date) day).toLocalDate());
                        }
                    }
                    result.put(rs.getObject(1, UUID.class), new RecentDataDays(Optional.ofNullable(last).map(Date::toLocalDate), days));
                }
            }
        }
        return result;
    }

    private static Integer intOrNull(ResultSet rs, int column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

}
