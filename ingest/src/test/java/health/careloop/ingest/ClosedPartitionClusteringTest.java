package health.careloop.ingest;

import health.careloop.common.config.DatabaseConfig;
import health.careloop.common.db.Database;
import health.careloop.common.directory.CoreSchema;
import health.careloop.ingest.config.IngestConfig;
import health.careloop.ingest.config.StorageModePreference;
import health.careloop.ingest.storage.HeapOrder;
import health.careloop.ingest.storage.IngestSchema;
import health.careloop.ingest.storage.PartitionRewrite;
import health.careloop.ingest.storage.StorageMaintenance;
import health.careloop.ingest.storage.StorageMode;
import health.careloop.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ingest V10/V11 (issue 19), plain PostgreSQL: a closed month's partition is rewritten once in (patient, time) order, so
 * that a patient's readings sit together; the open month never is, nothing is lost, and two processes never rewrite at
 * once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClosedPartitionClusteringTest {
    static final String LOCK = "SELECT pg_advisory_lock(hashtext('careloop.ingest.reading.cluster'))";
    static Database database;
    static YearMonth lastMonth = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
    static YearMonth thisMonth = YearMonth.now(ZoneOffset.UTC);
    static List<UUID> patients = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());

    @BeforeAll
    static void seed() throws Exception {
        DatabaseConfig config = TestDatabases.fresh();
        database = Database.connect(config);
        CoreSchema.migrate(database.dataSource());
        IngestSchema.migrate(database.dataSource(), StorageModePreference.POSTGRES);
        new StorageMaintenance(database.dataSource(), StorageMode.POSTGRES, Duration.ofDays(400)).run();
        // As devices send them: every day, each of the three patients in turn, so a patient's rows are interleaved.
        try (Connection c = database.connection(); Statement s = c.createStatement()) {
            for (YearMonth month : List.of(lastMonth, thisMonth)) {
                for (int day = 1; day <= 5; day++) {
                    for (int i = 0; i < patients.size(); i++) {
                        String at = month.atDay(day).atTime(8, i).atOffset(ZoneOffset.UTC).toString();
                        s.execute("""
                                INSERT INTO ingest.reading (device_id, type, measured_at, practice_id, patient_id, local_date,
                                                            measured_offset_minutes, received_at, systolic, diastolic, unit, loinc)
                                VALUES ('cuff-%d', 'blood_pressure', '%s', gen_random_uuid(), '%s', '%s', 0, now(), 120, 80, 'mmHg', '85354-9')"""
                                .formatted(i, at, patients.get(i), month.atDay(day)));
                    }
                }
            }
        }
    }

    @AfterAll
    static void close() {
        database.close();
    }

    private static String partition(YearMonth month) {
        return "ingest.reading_%d_%02d".formatted(month.getYear(), month.getMonthValue());
    }

    private static int clusterClosedBefore(java.time.Instant closedBefore, int max) throws Exception {
        return new PartitionRewrite(database.dataSource()).rewriteClosed(closedBefore, max);
    }

    private static long count(String sql) throws Exception {
        try (Connection c = database.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    @Order(1)
    void aClosedMonthIsRewrittenOnceInPatientOrderAndTheOpenMonthNever() throws Exception {
        assertThat(HeapOrder.of(database, lastMonth).subList(0, 3)).containsExactlyElementsOf(patients);

        // Another process rewriting at the same moment: this call leaves the work to it.
        try (Connection other = database.connection(); Statement s = other.createStatement()) {
            s.execute(LOCK);
            assertThat(clusterClosedBefore(java.time.Instant.now(), 1)).isZero();
        }

        // The newest closed month first.
        assertThat(clusterClosedBefore(java.time.Instant.now(), 1)).isEqualTo(1);
        List<UUID> after = HeapOrder.of(database, lastMonth);
        assertThat(after).hasSize(15);
        List<UUID> grouped = new ArrayList<>();
        // PostgreSQL orders uuids byte by byte: as their lower-case text, not as Java's signed UUID.compareTo.
        patients.stream().sorted(java.util.Comparator.comparing(UUID::toString)).forEach(p -> grouped.addAll(java.util.Collections.nCopies(5, p)));
        assertThat(after).containsExactlyElementsOf(grouped);
        assertThat(count("SELECT count(*) FROM " + partition(lastMonth) + " r WHERE NOT EXISTS (SELECT 1 FROM " + partition(lastMonth)
                + " q WHERE q.patient_id = r.patient_id AND q.measured_at < r.measured_at AND q.ctid > r.ctid)")).isEqualTo(15);
        assertThat(count("SELECT count(*) FROM ingest.reading_partition_clustered WHERE partition_name = 'reading_%d_%02d' AND bytes_before > 0 AND bytes_after > 0"
                .formatted(lastMonth.getYear(), lastMonth.getMonthValue()))).isEqualTo(1);

        // The rest of the closed months (empty, made ahead by retention), then nothing: each month once, this one never.
        assertThat(clusterClosedBefore(java.time.Instant.now(), 100)).isPositive();
        assertThat(clusterClosedBefore(java.time.Instant.now(), 100)).isZero();
        assertThat(count("SELECT count(*) FROM ingest.reading_partition_clustered WHERE partition_name = 'reading_%d_%02d'"
                .formatted(thisMonth.getYear(), thisMonth.getMonthValue()))).isZero();
        assertThat(HeapOrder.of(database, thisMonth).subList(0, 3)).containsExactlyElementsOf(patients);
        assertThat(count("SELECT count(*) FROM ingest.reading")).isEqualTo(30);
    }

    @Test
    @Order(2)
    void storageMaintenanceRewritesTheNewestMonthClosedAWeekAgoOneARunAndNothingOnTimescale() throws Exception {
        try (Database fresh = Database.connect(TestDatabases.fresh())) {
            CoreSchema.migrate(fresh.dataSource());
            IngestSchema.migrate(fresh.dataSource(), StorageModePreference.POSTGRES);
            var maintenance = new StorageMaintenance(fresh.dataSource(), StorageMode.POSTGRES, Duration.ofDays(400));
            maintenance.run();
            // The newest month that ended at least CLUSTER_AFTER_CLOSE ago.
            YearMonth expected = YearMonth.from(java.time.LocalDate.now(ZoneOffset.UTC).minusDays(StorageMaintenance.CLUSTER_AFTER_CLOSE.toDays())).minusMonths(1);
            assertThat(maintenance.clusterClosedPartitions()).isEqualTo(1);
            try (Connection c = fresh.connection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT partition_name FROM ingest.reading_partition_clustered")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("reading_%d_%02d".formatted(expected.getYear(), expected.getMonthValue()));
                assertThat(rs.next()).isFalse();
            }
            assertThat(new StorageMaintenance(fresh.dataSource(), StorageMode.TIMESCALEDB, Duration.ofDays(400)).clusterClosedPartitions()).isZero();
        }
    }

    @Test
    @Order(3)
    void anOperatorTurnsItOffWithOnOrOffAndNothingElse() {
        assertThat(IngestConfig.from(java.util.Map.of()).clusterClosedMonths()).isTrue();
        assertThat(IngestConfig.from(java.util.Map.of("CARELOOP_STORAGE_CLUSTER_CLOSED_MONTHS", "off")).clusterClosedMonths()).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IngestConfig.from(java.util.Map.of("CARELOOP_STORAGE_CLUSTER_CLOSED_MONTHS", "yes")))
                .isInstanceOf(health.careloop.common.config.ConfigException.class)
                .hasMessage("CARELOOP_STORAGE_CLUSTER_CLOSED_MONTHS must be on or off, got 'yes'");
    }
}
