package health.careloop.ingest.storage;

import health.careloop.ingest.devices.Assignment;
import health.careloop.ingest.devices.DeviceDirectory;
import health.careloop.ingest.devices.DeviceRecord;
import health.careloop.ingest.payload.ReadingDecoder;
import health.careloop.ingest.payload.Reading;
import health.careloop.ingest.payload.RejectReason;
import health.careloop.ingest.payload.Rejection;

import javax.sql.DataSource;
import java.io.IOException;
import java.math.BigDecimal;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Writes a batch of decoded messages in one transaction: readings attributed to their patient at measured_at
 * (one multi-row INSERT … ON CONFLICT DO NOTHING), and everything refused to the dead letters. Either the whole batch
 * commits or none of it does, so the caller may acknowledge the batch's messages exactly when this returns.
 * Blocking JDBC: call from a worker thread.
 */
public final class ReadingStore implements BatchStore {
    private static final String INSERT_DEAD_LETTER = """
            INSERT INTO ingest.dead_letter (received_at, topic, device_id, reason, detail, element_index, payload)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";

    private final DataSource dataSource;
    private final DeviceDirectory devices;
    private final String insertReadings;

    public ReadingStore(DataSource dataSource, DeviceDirectory devices, StorageMode mode) {
        this.dataSource = dataSource;
        this.devices = devices;
        this.insertReadings = sql("insert-readings.sql").replace("-- @rollup",
                mode == StorageMode.POSTGRES ? sql("postgres/reading-day-rollup.sql") : "");
    }

    /** Whether PostgreSQL answers within 2 s: an outage, not a refused batch. */
    @Override
    public boolean isReachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public WriteOutcome write(List<IncomingMessage> batch) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                WriteOutcome outcome = writeIn(c, batch);
                c.commit();
                return outcome;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        }
    }

    /** Dead-letters a whole message that the database refused on its own (see IngestPipeline's poison handling). */
    @Override
    public WriteOutcome deadLetter(IncomingMessage message, String detail) throws SQLException {
        WriteOutcome outcome = new WriteOutcome();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT_DEAD_LETTER)) {
            addDeadLetter(ps, message, RejectReason.STORAGE_ERROR, detail, -1, message.payload());
            ps.executeBatch();
            outcome.addRejected(RejectReason.STORAGE_ERROR);
        }
        return outcome;
    }

    private WriteOutcome writeIn(Connection c, List<IncomingMessage> batch) throws SQLException {
        WriteOutcome outcome = new WriteOutcome();
        Set<String> deviceIds = new HashSet<>();
        for (IncomingMessage m : batch) {
            if (!m.decoded().readings().isEmpty()) {
                deviceIds.add(m.deviceId());
            }
        }
        Map<String, Optional<DeviceRecord>> resolved = deviceIds.isEmpty() ? Map.of() : devices.resolve(c, deviceIds);
        ReadingColumns columns = new ReadingColumns(batch.size() * 2);
        try (PreparedStatement deadLetters = c.prepareStatement(INSERT_DEAD_LETTER)) {
            boolean anyDeadLetter = false;
            for (IncomingMessage m : batch) {
                for (Rejection r : m.decoded().rejections()) {
                    addDeadLetter(deadLetters, m, r.reason(), r.detail(), r.elementIndex(), r.raw());
                    outcome.addRejected(r.reason());
                    anyDeadLetter = true;
                }
                if (m.decoded().readings().isEmpty()) {
                    continue;
                }
                Optional<DeviceRecord> device = resolved.get(m.deviceId());
                for (Reading reading : m.decoded().readings()) {
                    Optional<Assignment> assignment = device.flatMap(d -> d.assignmentAt(reading.measuredAt()));
                    if (assignment.isPresent()) {
                        columns.add(reading, device.get(), assignment.get(), m.receivedAt());
                        continue;
                    }
                    RejectReason reason = device.isEmpty() ? RejectReason.UNKNOWN_DEVICE : RejectReason.DEVICE_NOT_ASSIGNED;
                    String detail = device.isEmpty()
                            ? "device '" + m.deviceId() + "' is not registered"
                            : "device '" + m.deviceId() + "' was not assigned to a patient at " + reading.measuredAt();
                    addDeadLetter(deadLetters, m, reason, detail, reading.elementIndex(),
                            ReadingDecoder.element(m.payload(), reading.elementIndex()));
                    outcome.addRejected(reason);
                    anyDeadLetter = true;
                }
            }
            if (anyDeadLetter) {
                deadLetters.executeBatch();
            }
        }
        if (columns.size() > 0) {
            int inserted = insert(c, columns);
            outcome.addStored(inserted);
            outcome.addDuplicates(columns.size() - inserted);
        }
        return outcome;
    }

    private int insert(Connection c, ReadingColumns columns) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insertReadings)) {
            columns.bind(c, ps);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void addDeadLetter(PreparedStatement ps, IncomingMessage m, RejectReason reason, String detail, int index, byte[] raw)
            throws SQLException {
        ps.setTimestamp(1, Timestamp.from(m.receivedAt()));
        ps.setString(2, m.topic());
        ps.setString(3, m.deviceId());
        ps.setString(4, reason.code());
        ps.setString(5, detail);
        if (index < 0) {
            ps.setNull(6, java.sql.Types.INTEGER);
        } else {
            ps.setInt(6, index);
        }
        ps.setBytes(7, raw);
        ps.addBatch();
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // The connection is broken; the pool discards it and the transaction is gone with it.
        }
    }

    static String sql(String name) {
        String path = "/sql/ingest/" + name;
        try (InputStream in = ReadingStore.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Missing SQL resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The batch as one typed array per column, the shape the unnest() insert takes. */
    private static final class ReadingColumns {
        private record Row(Reading reading, DeviceRecord device, Assignment assignment, Instant receivedAt) {
        }

        private final List<Row> rows;

        ReadingColumns(int capacity) {
            rows = new ArrayList<>(capacity);
        }

        void add(Reading r, DeviceRecord device, Assignment assignment, Instant receivedAt) {
            rows.add(new Row(r, device, assignment, receivedAt));
        }

        int size() {
            return rows.size();
        }

        void bind(Connection c, PreparedStatement ps) throws SQLException {
            int n = rows.size();
            String[] deviceId = new String[n], type = new String[n], readingId = new String[n], meal = new String[n];
            String[] unit = new String[n], loinc = new String[n], sourceUnit = new String[n];
            Timestamp[] measuredAt = new Timestamp[n], receivedAt = new Timestamp[n];
            UUID[] practice = new UUID[n], patient = new UUID[n];
            java.sql.Date[] localDate = new java.sql.Date[n];
            Short[] offset = new Short[n], systolic = new Short[n], diastolic = new Short[n], pulse = new Short[n], battery = new Short[n];
            BigDecimal[] glucose = new BigDecimal[n], weight = new BigDecimal[n], spo2 = new BigDecimal[n];
            for (int i = 0; i < n; i++) {
                Row row = rows.get(i);
                Reading r = row.reading();
                deviceId[i] = r.deviceId();
                type[i] = r.type().wireName();
                measuredAt[i] = Timestamp.from(r.measuredAt());
                practice[i] = row.device().practiceId();
                patient[i] = row.assignment().patientId();
                localDate[i] = java.sql.Date.valueOf(r.measuredAt().atZone(row.device().practiceZone()).toLocalDate());
                offset[i] = (short) r.offsetMinutes();
                receivedAt[i] = Timestamp.from(row.receivedAt());
                readingId[i] = r.readingId();
                systolic[i] = shortOrNull(r.systolic());
                diastolic[i] = shortOrNull(r.diastolic());
                pulse[i] = shortOrNull(r.pulse());
                glucose[i] = r.glucoseMgDl();
                meal[i] = r.mealContext() == null ? null : r.mealContext().wireName();
                weight[i] = r.weightKg();
                spo2[i] = r.spo2();
                unit[i] = r.type().storedUnit();
                loinc[i] = r.type().loinc();
                sourceUnit[i] = r.sourceUnit();
                battery[i] = shortOrNull(r.batteryPercent());
            }
            Object[][] columns = {deviceId, type, measuredAt, practice, patient, localDate, offset, receivedAt, readingId,
                    systolic, diastolic, pulse, glucose, meal, weight, spo2, unit, loinc, sourceUnit, battery};
            String[] sqlTypes = {"text", "text", "timestamptz", "uuid", "uuid", "date", "int2", "timestamptz", "text",
                    "int2", "int2", "int2", "numeric", "text", "numeric", "numeric", "text", "text", "text", "int2"};
            for (int col = 0; col < columns.length; col++) {
                ps.setArray(col + 1, c.createArrayOf(sqlTypes[col], columns[col]));
            }
        }

        private static Short shortOrNull(Integer value) {
            return value == null ? null : value.shortValue();
        }
    }
}
