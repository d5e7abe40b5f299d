package health.careloop.ingest.entered;

import health.careloop.common.http.ApiException;
import health.careloop.ingest.payload.Reading;
import health.careloop.ingest.storage.EvaluationQueue;
import health.careloop.ingest.storage.ReadingQueries;
import health.careloop.ingest.storage.StoredReading;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Readings entered by staff (ingest.entered_reading, V8): stored once per patient, type and measured time, handed to the
 * clinical evaluator in the same transaction (so the same rules judge them), and never part of a data day (they are
 * not in ingest.reading, over which both data-day rollups are built). Blocking JDBC: call from worker threads.
 */
public final class EnteredReadings {
    private final DataSource dataSource;

    public EnteredReadings(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** How the value reached the care team. */
    public enum Source {
        PHONED_IN, CLINIC;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Optional<Source> fromWire(String value) {
            return java.util.Arrays.stream(values()).filter(s -> s.wireName().equals(value)).findFirst();
        }
    }

    /**
     * Stores a decoded reading for the patient and queues it for evaluation, in one transaction. A reading of the same
     * type and measured time already entered for the patient is refused (409 naming when it was entered), never stored twice.
     */
    public StoredReading record(UUID practiceId, ZoneId zone, UUID patientId, Reading r, Source source, String note, UUID enteredBy)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                StoredReading stored = insert(c, practiceId, zone, patientId, r, source, note, enteredBy);
                EvaluationQueue.enqueue(c, List.of(new EvaluationQueue.Entry(0, practiceId, patientId, stored.deviceId(), stored.type(),
                        stored.measuredAt())));
                c.commit();
                return stored;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static StoredReading insert(Connection c, UUID practiceId, ZoneId zone, UUID patientId, Reading r, Source source, String note,
                                        UUID enteredBy) throws SQLException {
        LocalDate localDate = r.measuredAt().atZone(zone).toLocalDate();
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO ingest.entered_reading (id, practice_id, patient_id, type, measured_at, local_date, source, systolic, diastolic,
                    pulse, glucose_mg_dl, meal_context, weight_kg, spo2, unit, loinc, source_unit, note, entered_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (patient_id, type, measured_at) DO NOTHING
                RETURNING entered_at""")) {
            int i = 1;
            ps.setObject(i++, UUID.randomUUID());
            ps.setObject(i++, practiceId);
            ps.setObject(i++, patientId);
            ps.setString(i++, r.type().wireName());
            ps.setTimestamp(i++, Timestamp.from(r.measuredAt()));
            ps.setDate(i++, Date.valueOf(localDate));
            ps.setString(i++, source.wireName());
            ps.setObject(i++, r.systolic());
            ps.setObject(i++, r.diastolic());
            ps.setObject(i++, r.pulse());
            ps.setBigDecimal(i++, r.glucoseMgDl());
            ps.setString(i++, r.mealContext() == null ? null : r.mealContext().wireName());
            ps.setBigDecimal(i++, r.weightKg());
            ps.setBigDecimal(i++, r.spo2());
            ps.setString(i++, r.type().storedUnit());
            ps.setString(i++, r.type().loinc());
            ps.setString(i++, r.sourceUnit());
            ps.setString(i++, note);
            ps.setObject(i, enteredBy);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new ApiException(409, "already_entered", "A " + r.type().wireName().replace('_', ' ') + " reading measured at "
                            + r.measuredAt() + " is already on record for this patient; it is stored once.");
                }
                return new StoredReading(ReadingQueries.ENTERED_PREFIX + patientId, r.type().wireName(), r.measuredAt(), 0,
                        rs.getTimestamp(1).toInstant(), patientId, practiceId, localDate, null, r.systolic(), r.diastolic(), r.pulse(),
                        r.glucoseMgDl(), r.mealContext() == null ? null : r.mealContext().wireName(), r.weightKg(), r.spo2(),
                        r.type().storedUnit(), r.type().loinc(), r.sourceUnit(), enteredBy, source.wireName());
            }
        }
    }

    /**
     * How many readings staff entered for each patient on each local day in [from, to], of many patients in one query on
     * the caller's connection (the month close says in its reasons that they do not count as data days); patients
     * without any are absent.
     */
    public static Map<UUID, Map<LocalDate, Integer>> countsByDay(Connection c, Collection<UUID> patientIds, LocalDate from, LocalDate to)
            throws SQLException {
        Map<UUID, Map<LocalDate, Integer>> result = new HashMap<>();
        if (patientIds.isEmpty()) {
            return result;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT patient_id, local_date, count(*) FROM ingest.entered_reading "
                + "WHERE patient_id = ANY (?) AND local_date BETWEEN ? AND ? GROUP BY patient_id, local_date")) {
            ps.setArray(1, c.createArrayOf("uuid", patientIds.toArray()));
            ps.setDate(2, Date.valueOf(from));
            ps.setDate(3, Date.valueOf(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.computeIfAbsent(rs.getObject(1, UUID.class), id -> new HashMap<>()).put(rs.getDate(2).toLocalDate(), rs.getInt(3));
                }
            }
        }
        return result;
    }
}
