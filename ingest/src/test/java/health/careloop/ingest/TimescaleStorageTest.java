package health.careloop.ingest;

import health.careloop.ingest.config.IngestConfig;
import health.careloop.ingest.config.StorageModePreference;
import health.careloop.common.db.Database;
import health.careloop.common.directory.CoreSchema;
import health.careloop.common.directory.Directory;
import health.careloop.common.directory.Patient;
import health.careloop.common.directory.Practice;
import health.careloop.ingest.devices.DeviceDirectory;
import health.careloop.ingest.devices.DeviceKind;
import health.careloop.ingest.devices.DeviceRegistry;
import health.careloop.ingest.payload.ReadingDecoder;
import health.careloop.ingest.storage.IncomingMessage;
import health.careloop.ingest.storage.ReadingStore;
import health.careloop.ingest.storage.StorageMode;
import health.careloop.ingest.storage.WriteOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TimescaleDB storage mode against a real TimescaleDB: the migrations (hypertable, compression, policies,
 * continuous aggregate) and the application's own write and read queries, the same ones plain PostgreSQL runs.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TimescaleStorageTest {
    static TimescaleServer server;
    static Database database;
    static IngestTier tier;
    static Patient patient;
    static Patient otherPatient;
    static String scale;

    @BeforeAll
    static void migrate() throws Exception {
        server = TimescaleServer.start();
        database = Database.connect(server.config());
        CoreSchema.migrate(database.dataSource());
        var config = IngestConfig.from(Map.of("CARELOOP_READINGS_RETENTION_DAYS", "400"));
        tier = IngestTier.open(database, config, StorageModePreference.TIMESCALEDB);
        Directory directory = new Directory(database.dataSource());
        Practice practice = directory.createPractice("Timescale practice", ZoneId.of("America/Los_Angeles"));
        patient = directory.createPatient(practice.id(), "MRN-TS-1");
        otherPatient = directory.createPatient(practice.id(), "MRN-TS-2");
        DeviceRegistry registry = new DeviceRegistry(database.dataSource());
        scale = "ts-scale-1";
        registry.register(scale, practice.id(), DeviceKind.SCALE, null);
        registry.assign(scale, patient.id(), Instant.now().minus(Duration.ofDays(120)), null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (database != null) {
            database.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theSchemaIsAHypertableWithCompressionRetentionAndAContinuousAggregate() throws Exception {
        assertThat(tier.storageMode()).isEqualTo(StorageMode.TIMESCALEDB);
        assertThat(query("SELECT count(*) FROM timescaledb_information.hypertables WHERE hypertable_schema = 'ingest' AND hypertable_name = 'reading' AND compression_enabled"))
                .isEqualTo(1);
        assertThat(query("SELECT count(*) FROM timescaledb_information.continuous_aggregates WHERE view_schema = 'ingest' AND view_name = 'reading_day'"))
                .isEqualTo(1);
        assertThat(query("SELECT count(*) FROM timescaledb_information.jobs WHERE proc_name = 'policy_retention' AND hypertable_name = 'reading'"))
                .isEqualTo(1);
        assertThat(query("SELECT count(*) FROM timescaledb_information.jobs WHERE proc_name = 'policy_compression' AND hypertable_name = 'reading'"))
                .isEqualTo(1);
        assertThat(query("SELECT count(*) FROM timescaledb_information.jobs WHERE proc_name = 'policy_refresh_continuous_aggregate'"))
                .isEqualTo(1);
    }

    @Test
    void theApplicationsReadQueriesRunOnTheHypertableAndTheContinuousAggregate() throws Exception {
        String cuff = "ts-cuff-1";
        new DeviceRegistry(database.dataSource()).register(cuff, patientPractice(), DeviceKind.BLOOD_PRESSURE_CUFF, null);
        Instant start = Instant.now().minus(Duration.ofDays(45)).truncatedTo(ChronoUnit.HOURS);
        execute("INSERT INTO ingest.reading (device_id, type, measured_at, practice_id, patient_id, local_date, measured_offset_minutes,"
                + " received_at, systolic, diastolic, unit, loinc)"
                + " SELECT '" + cuff + "', 'blood_pressure', TIMESTAMPTZ '" + start + "' + i * INTERVAL '1 day', '" + patientPractice() + "', '"
                + otherPatient.id() + "', (TIMESTAMPTZ '" + start + "' + i * INTERVAL '1 day') AT TIME ZONE 'America/Los_Angeles', -480, now(), 120 + i, 80,"
                + " 'mmHg', '85354-9' FROM generate_series(0, 19) i ON CONFLICT DO NOTHING");
        execute("CALL refresh_continuous_aggregate('ingest.reading_day', NULL, NULL)");
        LocalDate firstDay = LocalDate.ofInstant(start, ZoneId.of("America/Los_Angeles"));
        assertThat(tier.readings().dataDays(otherPatient.id(), firstDay, firstDay.plusDays(30))).hasSize(20);
        assertThat(tier.readings().readings(otherPatient.id(), start, Instant.now(), "blood_pressure", 100))
                .extracting(r -> r.systolic()).startsWith(120, 121, 122).hasSize(20);
    }

    /**
     * The batch writer on TimescaleDB, in transactions as ingest runs it: a month stored, sent again (all duplicates),
     * counted in data days, compressed, and sent again into the compressed chunks (still all duplicates). One
     * transaction per day, because the WASM build traps now and then when one transaction touches several chunks
     * (real TimescaleDB does not; see tools/timescale-wasm/README.md).
     */
    @Test
    void readingsAreStoredOnceCountedInDataDaysAndStayDeduplicatedAfterCompression() throws Exception {
        ReadingStore store = new ReadingStore(database.dataSource(), new DeviceDirectory(new DeviceRegistry(database.dataSource())),
                StorageMode.TIMESCALEDB);
        ReadingDecoder decoder = new ReadingDecoder(Clock.systemUTC(), Duration.ofDays(400), 256 * 1024);
        Instant start = Instant.now().minus(Duration.ofDays(60)).truncatedTo(ChronoUnit.HOURS);
        List<IncomingMessage> month = new ArrayList<>();
        for (int day = 0; day < 30; day++) {
            String payload = "{\"type\":\"body_weight\",\"measuredAt\":\"" + start.plus(Duration.ofDays(day)).atOffset(ZoneOffset.ofHours(-8))
                    + "\",\"weight\":" + (90 + day * 0.1) + ",\"unit\":\"kg\"}";
            byte[] bytes = payload.getBytes();
            month.add(new IncomingMessage("rpm/v1/devices/" + scale + "/readings", scale, Instant.now(), bytes, decoder.decode(scale, bytes)));
        }
        assertThat(writeDayByDay(store, month).stored()).isEqualTo(30);
        assertThat(writeDayByDay(store, month).duplicates()).isEqualTo(30);
        assertThat(query("SELECT count(*) FROM ingest.evaluation_queue WHERE device_id = '" + scale + "'")).isEqualTo(30);

        execute("CALL refresh_continuous_aggregate('ingest.reading_day', NULL, NULL)");
        LocalDate firstDay = LocalDate.ofInstant(start, ZoneId.of("America/Los_Angeles"));
        assertThat(tier.readings().dataDays(patient.id(), firstDay, firstDay.plusDays(40))).hasSize(30);
        assertThat(tier.readings().readings(patient.id(), start, Instant.now(), "body_weight", 100)).hasSize(30);

        execute("SELECT compress_chunk(c, if_not_compressed => true) FROM show_chunks('ingest.reading') c");
        assertThat(query("SELECT count(*) FROM timescaledb_information.chunks WHERE hypertable_name = 'reading' AND is_compressed"))
                .isPositive();
        WriteOutcome again = writeDayByDay(store, month);
        assertThat(again.duplicates()).isEqualTo(30);
        assertThat(query("SELECT count(*) FROM ingest.reading WHERE device_id = '" + scale + "'")).isEqualTo(30);
    }

    /** One transaction per day of data, as live data arrives; see the class comment on the WASM build's limit. */
    private static WriteOutcome writeDayByDay(ReadingStore store, List<IncomingMessage> month) throws Exception {
        WriteOutcome total = new WriteOutcome();
        for (IncomingMessage day : month) {
            total.add(store.write(List.of(day)));
        }
        return total;
    }

    private static java.util.UUID patientPractice() {
        return patient.practiceId();
    }

    private static long query(String sql) throws Exception {
        try (Connection c = database.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(String sql) throws Exception {
        try (Connection c = database.connection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
