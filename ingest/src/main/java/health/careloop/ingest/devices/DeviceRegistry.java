package health.careloop.ingest.devices;

import health.careloop.common.directory.Directory;
import health.careloop.common.http.ApiException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Devices and their assignments in the ingest schema. Blocking JDBC: call from worker threads. Practices, their time
 * zones and patients are core's, read through common's {@link Directory}.
 */
public final class DeviceRegistry {
    private static final String LOAD = """
            SELECT d.device_id, d.practice_id, d.kind, d.model, d.registered_at,
                   a.id, a.patient_id, a.valid_from, a.valid_to
            FROM ingest.device d
            LEFT JOIN ingest.device_assignment a ON a.device_id = d.device_id
            WHERE d.device_id = ANY (?)
            ORDER BY d.device_id, a.valid_from""";

    private final DataSource dataSource;

    public DeviceRegistry(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public DeviceRecord register(String deviceId, UUID practiceId, DeviceKind kind, String model) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            if (!Directory.practiceExists(c, practiceId)) {
                throw ApiException.notFound("No practice " + practiceId + ".");
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO ingest.device (device_id, practice_id, kind, model) VALUES (?, ?, ?, ?) ON CONFLICT (device_id) DO NOTHING")) {
                insert.setString(1, deviceId);
                insert.setObject(2, practiceId);
                insert.setString(3, kind.wireName());
                insert.setString(4, model);
                if (insert.executeUpdate() == 0) {
                    c.rollback();
                    throw ApiException.conflict("Device '" + deviceId + "' is already registered.");
                }
            }
            c.commit();
            return load(c, List.of(deviceId)).get(deviceId);
        }
    }

    public Optional<DeviceRecord> find(String deviceId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return Optional.ofNullable(load(c, List.of(deviceId)).get(deviceId));
        }
    }

    /** The devices the patient has ever been given, each with all its assignments (to anyone), by device id. */
    public List<DeviceRecord> everAssignedTo(UUID patientId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT DISTINCT device_id FROM ingest.device_assignment WHERE patient_id = ?")) {
            ps.setObject(1, patientId);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return load(c, ids).values().stream().sorted(java.util.Comparator.comparing(DeviceRecord::deviceId)).toList();
        }
    }

    /** Patients being monitored now, with the start of their first assignment, for the clinical tier's scheduled rules. */
    public List<MonitoredPatient> monitoredPatients() throws SQLException {
        return patientsWithDevices(true);
    }

    /**
     * Every patient who has ever had a device, with the start of their first assignment: billing needs the periods of
     * patients whose devices have since been returned, too.
     */
    public List<MonitoredPatient> everMonitoredPatients() throws SQLException {
        return patientsWithDevices(false);
    }

    private List<MonitoredPatient> patientsWithDevices(boolean onlyCurrent) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            List<UUID> patients = new ArrayList<>();
            List<UUID> practices = new ArrayList<>();
            List<Instant> firstAssigned = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT a.patient_id, a.practice_id, min(a.valid_from)
                    FROM ingest.device_assignment a
                    GROUP BY a.patient_id, a.practice_id
                    HAVING NOT ? OR bool_or(a.valid_to IS NULL OR a.valid_to > now())
                    ORDER BY a.patient_id""")) {
                ps.setBoolean(1, onlyCurrent);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        patients.add(rs.getObject(1, UUID.class));
                        practices.add(rs.getObject(2, UUID.class));
                        firstAssigned.add(rs.getTimestamp(3).toInstant());
                    }
                }
            }
            Map<UUID, ZoneId> zones = Directory.timeZones(c, new HashSet<>(practices));
            List<MonitoredPatient> result = new ArrayList<>(patients.size());
            for (int i = 0; i < patients.size(); i++) {
                result.add(new MonitoredPatient(patients.get(i), practices.get(i), zoneOf(zones, practices.get(i)), firstAssigned.get(i)));
            }
            return result;
        }
    }

    /**
     * The start of each given patient's first device assignment (returned devices included) in one query: where their
     * monitoring and their 30-day device-supply periods begin. Patients who never had a device are absent.
     */
    public static Map<UUID, Instant> firstAssignments(Connection c, Collection<UUID> patientIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT patient_id, min(valid_from) FROM ingest.device_assignment
                WHERE patient_id = ANY (?)
                GROUP BY patient_id""")) {
            ps.setArray(1, c.createArrayOf("uuid", patientIds.toArray()));
            Map<UUID, Instant> result = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant());
                }
            }
            return result;
        }
    }

    /** Loads many devices with one query (and their practices' time zones with one more); ids that are not registered are absent. */
    public Map<String, DeviceRecord> load(Connection c, Collection<String> deviceIds) throws SQLException {
        Map<String, DeviceRecord> result = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(LOAD)) {
            ps.setArray(1, c.createArrayOf("text", deviceIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                String current = null;
                List<Assignment> assignments = null;
                DeviceRecord head = null;
                while (rs.next()) {
                    String id = rs.getString(1);
                    if (!id.equals(current)) {
                        if (head != null) {
                            result.put(current, withAssignments(head, assignments));
                        }
                        current = id;
                        assignments = new ArrayList<>();
                        head = new DeviceRecord(id, rs.getObject(2, UUID.class), null,
                                DeviceKind.fromWire(rs.getString(3)).orElseThrow(), rs.getString(4),
                                rs.getTimestamp(5).toInstant(), List.of());
                    }
                    long assignmentId = rs.getLong(6);
                    if (!rs.wasNull()) {
                        Timestamp to = rs.getTimestamp(9);
                        assignments.add(new Assignment(assignmentId, rs.getObject(7, UUID.class), rs.getTimestamp(8).toInstant(),
                                to == null ? null : to.toInstant()));
                    }
                }
                if (head != null) {
                    result.put(current, withAssignments(head, assignments));
                }
            }
        }
        if (result.isEmpty()) {
            return result;
        }
        Set<UUID> practices = new HashSet<>();
        result.values().forEach(d -> practices.add(d.practiceId()));
        Map<UUID, ZoneId> zones = Directory.timeZones(c, practices);
        result.replaceAll((id, d) -> new DeviceRecord(d.deviceId(), d.practiceId(), zoneOf(zones, d.practiceId()), d.kind(), d.model(),
                d.registeredAt(), d.assignments()));
        return result;
    }

    /** A device's practice exists (a foreign key), so its zone is always there. */
    private static ZoneId zoneOf(Map<UUID, ZoneId> zones, UUID practiceId) {
        return Objects.requireNonNull(zones.get(practiceId), () -> "no time zone for practice " + practiceId);
    }

    /**
     * Gives the device to a patient from {@code from} (until {@code to}, or open-ended). A device that is with another
     * patient open-endedly since before {@code from} moves: that assignment ends at {@code from}. Any other overlap is
     * refused, because a reading must belong to exactly one patient.
     */
    public Assignment assign(String deviceId, UUID patientId, Instant from, Instant to) throws SQLException {
        if (to != null && !to.isAfter(from)) {
            throw ApiException.badRequest("'validTo' must be after 'validFrom'.");
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                UUID devicePractice = lockDevice(c, deviceId);
                UUID patientPractice = patientPractice(c, patientId);
                if (!devicePractice.equals(patientPractice)) {
                    throw ApiException.conflict("Device '" + deviceId + "' and patient " + patientId + " belong to different practices.");
                }
                for (Assignment existing : load(c, List.of(deviceId)).get(deviceId).assignments()) {
                    boolean overlaps = (existing.validTo() == null || existing.validTo().isAfter(from))
                            && (to == null || existing.validFrom().isBefore(to));
                    if (!overlaps) {
                        continue;
                    }
                    if (existing.validTo() == null && existing.validFrom().isBefore(from)) {
                        endAssignment(c, existing.id(), from);
                    } else {
                        throw ApiException.conflict("Device '" + deviceId + "' is already assigned from " + existing.validFrom()
                                + (existing.validTo() == null ? "" : " to " + existing.validTo()) + "; assignments must not overlap.");
                    }
                }
                long id;
                try (PreparedStatement insert = c.prepareStatement("""
                        INSERT INTO ingest.device_assignment (device_id, practice_id, patient_id, valid_from, valid_to)
                        VALUES (?, ?, ?, ?, ?) RETURNING id""")) {
                    insert.setString(1, deviceId);
                    insert.setObject(2, devicePractice);
                    insert.setObject(3, patientId);
                    insert.setTimestamp(4, Timestamp.from(from));
                    insert.setTimestamp(5, to == null ? null : Timestamp.from(to));
                    try (ResultSet rs = insert.executeQuery()) {
                        rs.next();
                        id = rs.getLong(1);
                    }
                }
                c.commit();
                return new Assignment(id, patientId, from, to);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static UUID lockDevice(Connection c, String deviceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT practice_id FROM ingest.device WHERE device_id = ? FOR UPDATE")) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.notFound("Device '" + deviceId + "' is not registered.");
                }
                return rs.getObject(1, UUID.class);
            }
        }
    }

    private static UUID patientPractice(Connection c, UUID patientId) throws SQLException {
        return Directory.practiceOfPatient(c, patientId).orElseThrow(() -> ApiException.notFound("No patient " + patientId + "."));
    }

    private static void endAssignment(Connection c, long assignmentId, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE ingest.device_assignment SET valid_to = ? WHERE id = ?")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setLong(2, assignmentId);
            ps.executeUpdate();
        }
    }

    private static DeviceRecord withAssignments(DeviceRecord head, List<Assignment> assignments) {
        return new DeviceRecord(head.deviceId(), head.practiceId(), head.practiceZone(), head.kind(), head.model(),
                head.registeredAt(), List.copyOf(assignments));
    }
}
