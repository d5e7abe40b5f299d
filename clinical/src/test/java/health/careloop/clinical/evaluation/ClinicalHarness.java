package health.careloop.clinical.evaluation;

import health.careloop.clinical.ClinicalTier;
import health.careloop.ingest.config.IngestConfig;
import health.careloop.common.config.DatabaseConfig;
import health.careloop.ingest.config.StorageModePreference;
import health.careloop.common.db.Database;
import health.careloop.common.directory.CoreSchema;
import health.careloop.common.directory.Directory;
import health.careloop.common.directory.Patient;
import health.careloop.common.directory.Practice;
import health.careloop.ingest.IngestTier;
import health.careloop.ingest.devices.DeviceDirectory;
import health.careloop.ingest.devices.DeviceKind;
import health.careloop.ingest.devices.DeviceRegistry;
import health.careloop.ingest.payload.ReadingDecoder;
import health.careloop.ingest.storage.IncomingMessage;
import health.careloop.ingest.storage.ReadingStore;
import health.careloop.ingest.storage.WriteOutcome;
import health.careloop.testing.TestDatabases;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Core, ingest and clinical schemas on a fresh real database; readings stored through ingest's own decoder and writer
 * (so they are queued for evaluation exactly as in production), and helpers to count what the evaluator recorded.
 */
final class ClinicalHarness implements AutoCloseable {
    final DatabaseConfig dbConfig = TestDatabases.fresh();
    final Database database = Database.connect(dbConfig);
    final Directory directory;
    final DeviceRegistry devices;
    final ClinicalTier clinical;
    private final ReadingStore store;
    private final ReadingDecoder decoder;

    ClinicalHarness() throws SQLException {
        CoreSchema.migrate(database.dataSource());
        var config = IngestConfig.from(Map.of("CARELOOP_READINGS_RETENTION_DAYS", "400"));
        IngestTier ingest = IngestTier.open(database, config, StorageModePreference.POSTGRES);
        clinical = ClinicalTier.open(database);
        directory = new Directory(database.dataSource());
        devices = new DeviceRegistry(database.dataSource());
        store = new ReadingStore(database.dataSource(), new DeviceDirectory(devices), ingest.storageMode());
        decoder = new ReadingDecoder(Clock.systemUTC(), config.retention(), config.maxPayloadBytes());
    }

    Practice practice() throws SQLException {
        return directory.createPractice("Practice " + UUID.randomUUID(), ZoneId.of("America/Chicago"));
    }

    Patient patient(Practice practice) throws SQLException {
        return directory.createPatient(practice.id(), "MRN-" + UUID.randomUUID());
    }

    String device(Patient patient, DeviceKind kind, Instant assignedFrom) throws SQLException {
        String id = kind.wireName() + "-" + UUID.randomUUID().toString().substring(0, 8);
        devices.register(id, patient.practiceId(), kind, "test model");
        devices.assign(id, patient.id(), assignedFrom, null);
        return id;
    }

    String device(Patient patient, DeviceKind kind) throws SQLException {
        return device(patient, kind, Instant.now().minus(Duration.ofDays(60)));
    }

    /** Stores readings (JSON objects without the enclosing array) as one device message; returns how many were new. */
    int store(String deviceId, String... readings) throws SQLException {
        byte[] payload = ("[" + String.join(",", readings) + "]").getBytes(StandardCharsets.UTF_8);
        var decoded = decoder.decode(deviceId, payload);
        if (!decoded.rejections().isEmpty()) {
            throw new AssertionError("rejected: " + decoded.rejections());
        }
        WriteOutcome outcome = store.write(List.of(new IncomingMessage("rpm/v1/devices/" + deviceId + "/readings", deviceId, Instant.now(), payload, decoded)));
        return outcome.stored();
    }

    /** Stores several devices' messages in one ingest write (one batch, so one evaluation row); returns how many were new. */
    int storeTogether(Map<String, String> readingByDevice) throws SQLException {
        List<IncomingMessage> messages = new java.util.ArrayList<>();
        for (Map.Entry<String, String> e : readingByDevice.entrySet()) {
            byte[] payload = ("[" + e.getValue() + "]").getBytes(StandardCharsets.UTF_8);
            messages.add(new IncomingMessage("rpm/v1/devices/" + e.getKey() + "/readings", e.getKey(), Instant.now(), payload,
                    decoder.decode(e.getKey(), payload)));
        }
        return store.write(messages).stored();
    }

    static String bp(Instant at, int systolic, int diastolic) {
        return "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + at.truncatedTo(ChronoUnit.MILLIS) + "\",\"systolic\":" + systolic
                + ",\"diastolic\":" + diastolic + "}";
    }

    static String weight(Instant at, String kg) {
        return "{\"type\":\"body_weight\",\"measuredAt\":\"" + at.truncatedTo(ChronoUnit.MILLIS) + "\",\"weight\":" + kg + ",\"unit\":\"kg\"}";
    }

    static String glucose(Instant at, int mgDl) {
        return "{\"type\":\"blood_glucose\",\"measuredAt\":\"" + at.truncatedTo(ChronoUnit.MILLIS) + "\",\"glucose\":" + mgDl + ",\"unit\":\"mg/dL\"}";
    }

    void condition(Patient patient, String icd10) throws SQLException {
        execute("INSERT INTO clinical.condition (id, practice_id, patient_id, icd10, description, expected_duration, recorded_by) "
                + "VALUES (?, ?, ?, ?, 'test', 'lifelong', 'test')", UUID.randomUUID(), patient.practiceId(), patient.id(), icd10);
    }

    void execute(String sql, Object... params) throws SQLException {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.execute();
        }
    }

    long count(String sql, Object... params) throws SQLException {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    List<String> strings(String sql, Object... params) throws SQLException {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<String> result = new java.util.ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(rs.getString(1));
                }
            }
            return result;
        }
    }

    long alerts(Patient patient, String rule) throws SQLException {
        return count("SELECT count(*) FROM clinical.alert WHERE patient_id = ? AND rule_id = ?", patient.id(), rule);
    }

    long backlog() throws SQLException {
        return count("SELECT count(*) FROM ingest.evaluation_queue");
    }

    @Override
    public void close() {
        database.close();
        TestDatabases.drop(dbConfig);
    }
}
