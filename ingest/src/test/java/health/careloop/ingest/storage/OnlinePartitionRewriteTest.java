package health.careloop.ingest.storage;

import health.careloop.common.db.Database;
import health.careloop.common.directory.CoreSchema;
import health.careloop.ingest.config.StorageModePreference;
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
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Ingest V11 (issue 19): a closed month is rewritten in patient order while staff keep reading it and late readings keep
 * arriving for it; only the swap waits, for at most its lock timeout, and gives up rather than queue ingest behind a long
 * statement; a rewrite that dies half-way leaves nothing the next one trips on. Each test rewrites the newest closed
 * month not rewritten yet (last month, then the one before, then the one before that).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OnlinePartitionRewriteTest {
    static Database database;
    static final YearMonth LAST_MONTH = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
    static final List<UUID> PATIENTS = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
    /** Readings each seeded month holds before any late one: 5 days × 3 patients. */
    static final int SEEDED = 15;

    @BeforeAll
    static void seed() throws Exception {
        database = Database.connect(TestDatabases.fresh());
        CoreSchema.migrate(database.dataSource());
        IngestSchema.migrate(database.dataSource(), StorageModePreference.POSTGRES);
        new StorageMaintenance(database.dataSource(), StorageMode.POSTGRES, Duration.ofDays(400)).run();
        // As devices send them: every day, each patient in turn, so a patient's rows are interleaved on the heap.
        try (Connection c = database.connection(); Statement s = c.createStatement()) {
            for (int back = 0; back < 3; back++) {
                for (int day = 1; day <= 5; day++) {
                    for (int i = 0; i < PATIENTS.size(); i++) {
                        s.execute(insert(LAST_MONTH.minusMonths(back), day, i));
                    }
                }
            }
        }
    }

    @AfterAll
    static void close() {
        database.close();
    }

    /** A reading of patient {@code i} on {@code day} of {@code month}, as ingest writes it (duplicates ignored). */
    static String insert(YearMonth month, int day, int i) {
        return """
                INSERT INTO ingest.reading (device_id, type, measured_at, practice_id, patient_id, local_date,
                                            measured_offset_minutes, received_at, systolic, diastolic, unit, loinc)
                VALUES ('cuff-%d', 'blood_pressure', '%s', '00000000-0000-0000-0000-000000000001', '%s', '%s', 0, now(), 120, 80, 'mmHg', '85354-9')
                ON CONFLICT DO NOTHING"""
                .formatted(i, month.atDay(day).atTime(8, i).atOffset(ZoneOffset.UTC), PATIENTS.get(i), month.atDay(day));
    }

    static String partition(YearMonth month) {
        return "reading_%d_%02d".formatted(month.getYear(), month.getMonthValue());
    }

    static long count(String sql) throws SQLException {
        try (Connection c = database.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static long inMonth(YearMonth month) throws SQLException {
        return count("SELECT count(*) FROM ingest.reading WHERE measured_at >= '" + month.atDay(1) + "' AND measured_at < '"
                + month.plusMonths(1).atDay(1) + "'");
    }

    /** Runs SQL as another session would, failing instead of waiting more than 500 ms for a lock. */
    static int asAnotherSession(String sql) throws SQLException {
        try (Connection c = database.connection(); Statement s = c.createStatement()) {
            s.execute("SET lock_timeout = '500ms'");
            return s.executeUpdate(sql);
        }
    }

    static long readAsAnotherSession(String sql) throws SQLException {
        try (Connection c = database.connection(); Statement s = c.createStatement()) {
            s.execute("SET lock_timeout = '500ms'");
            try (ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** No work table or capture trigger is left, and the month is an attached partition with the parent's two indexes. */
    static void assertCleanPartition(YearMonth month) throws SQLException {
        String p = partition(month);
        assertThat(count("SELECT count(*) FROM pg_class WHERE relname IN ('" + p + "_sorted', '" + p + "_late')")).isZero();
        assertThat(count("SELECT count(*) FROM pg_trigger WHERE tgname = 'reading_rewrite_capture' AND tgrelid = 'ingest." + p + "'::regclass"))
                .isZero();
        assertThat(count("SELECT count(*) FROM pg_inherits WHERE inhparent = 'ingest.reading'::regclass AND inhrelid = 'ingest." + p + "'::regclass"))
                .isEqualTo(1);
        // Both of the partition's indexes are the parent's (attached), none was built twice.
        assertThat(count("SELECT count(*) FROM pg_index x JOIN pg_inherits i ON i.inhrelid = x.indexrelid "
                + "WHERE x.indrelid = 'ingest." + p + "'::regclass AND i.inhparent IN ('ingest.reading_pkey'::regclass, 'ingest.reading_patient_time'::regclass)"))
                .isEqualTo(2);
        assertThat(count("SELECT count(*) FROM pg_index WHERE indrelid = 'ingest." + p + "'::regclass")).isEqualTo(2);
    }

    @Test
    @Order(1)
    void readersAndLateReadingsOfTheMonthDoNotWaitForTheRewriteAndNoneIsLostOrStoredTwice() throws Exception {
        YearMonth month = LAST_MONTH;
        assertThat(HeapOrder.of(database, month).subList(0, 3)).containsExactlyElementsOf(PATIENTS);
        PartitionRewrite rewrite = new PartitionRewrite(database.dataSource(), 1, Duration.ZERO, new PartitionRewrite.Steps() {
            @Override
            public void beforeCopy() throws SQLException {
                // Committed before the copy's snapshot and also captured: in both, stored once.
                assertThat(asAnotherSession(insert(month, 10, 0))).isEqualTo(1);
            }

            @Override
            public void duringCopy() throws SQLException {
                // The copy's transaction is open: a late reading and a chart read of the month go through at once.
                assertThat(asAnotherSession(insert(month, 11, 1))).isEqualTo(1);
                assertThat(readAsAnotherSession("SELECT count(*) FROM ingest.reading WHERE patient_id = '" + PATIENTS.get(1)
                        + "' AND measured_at >= '" + month.atDay(1) + "' AND measured_at < '" + month.plusMonths(1).atDay(1) + "'")).isEqualTo(6);
                assertThat(inMonth(month)).isEqualTo(SEEDED + 2);
            }

            @Override
            public void beforeSwap() throws SQLException {
                assertThat(asAnotherSession(insert(month, 12, 2))).isEqualTo(1);
                // A device re-sending a reading already copied: still a duplicate, nothing stored.
                assertThat(asAnotherSession(insert(month, 1, 0))).isZero();
            }
        });

        assertThat(rewrite.rewriteClosed(Instant.now(), 1)).isEqualTo(1);

        assertThat(inMonth(month)).isEqualTo(SEEDED + 3);
        assertThat(count("SELECT count(DISTINCT (device_id, type, measured_at)) FROM ingest." + partition(month))).isEqualTo(SEEDED + 3);
        // The copied rows lie grouped by patient (PostgreSQL orders uuids as their text); the two that came during the
        // copy follow them.
        List<UUID> grouped = new ArrayList<>();
        PATIENTS.stream().sorted(Comparator.comparing(UUID::toString)).forEach(p ->
                grouped.addAll(java.util.Collections.nCopies(p.equals(PATIENTS.get(0)) ? 6 : 5, p)));
        assertThat(HeapOrder.of(database, month).subList(0, SEEDED + 1)).containsExactlyElementsOf(grouped);
        assertThat(HeapOrder.of(database, month).subList(SEEDED + 1, SEEDED + 3)).containsExactlyInAnyOrder(PATIENTS.get(1), PATIENTS.get(2));
        assertCleanPartition(month);
        assertThat(count("SELECT count(*) FROM ingest.reading_partition_clustered WHERE partition_name = '" + partition(month)
                + "' AND bytes_before > 0 AND bytes_after > 0")).isEqualTo(1);
        // After the swap the partition takes readings and refuses duplicates through the parent, as before.
        assertThat(asAnotherSession(insert(month, 13, 0))).isEqualTo(1);
        assertThat(asAnotherSession(insert(month, 13, 0))).isZero();
        assertThat(count("SELECT count(*) FROM ingest.reading WHERE measured_at >= now() - interval '400 days'")).isEqualTo(3 * SEEDED + 4);
        // The same month is not rewritten twice; the next call takes the month before.
        assertThat(count("SELECT count(*) FROM ingest.reading_partition_clustered")).isEqualTo(1);
    }

    @Test
    @Order(2)
    void aSwapKeptWaitingByALongStatementGivesUpAfterItsLockTimeoutAndTheNextRunDoesIt() throws Exception {
        YearMonth month = LAST_MONTH.minusMonths(1);
        List<UUID> before = HeapOrder.of(database, month);
        try (Connection reader = database.connection()) {
            reader.setAutoCommit(false);
            PartitionRewrite rewrite = new PartitionRewrite(database.dataSource(), 2, Duration.ofMillis(50), new PartitionRewrite.Steps() {
                @Override
                public void beforeSwap() throws SQLException {
                    // A long read of the readings (a month close, an export) holds ingest.reading from here on.
                    try (Statement s = reader.createStatement()) {
                        s.executeQuery("SELECT count(*) FROM ingest.reading").close();
                    }
                }
            });
            long t0 = System.nanoTime();
            assertThat(rewrite.rewriteClosed(Instant.now(), 1)).isZero();
            // Two tries of at most the lock timeout each and the pause between them; then the cleanup's own bounded try.
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
            // Nothing is left locked: a late reading goes in while the long reader is still there, and is captured by
            // the trigger the reader's lock kept us from dropping (its table stays with it; the copy is gone).
            assertThat(asAnotherSession(insert(month, 20, 0))).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM pg_class WHERE relname = '" + partition(month) + "_sorted'")).isZero();
            assertThat(count("SELECT count(*) FROM ingest." + partition(month) + "_late")).isEqualTo(1);
            reader.rollback();
        }
        assertThat(HeapOrder.of(database, month).subList(0, SEEDED)).containsExactlyElementsOf(before);
        assertThat(count("SELECT count(*) FROM ingest.reading_partition_clustered WHERE partition_name = '" + partition(month) + "'")).isZero();

        assertThat(new PartitionRewrite(database.dataSource()).rewriteClosed(Instant.now(), 1)).isEqualTo(1);
        assertThat(inMonth(month)).isEqualTo(SEEDED + 1);
        assertThat(count("SELECT count(*) FROM ingest.reading_partition_clustered WHERE partition_name = '" + partition(month) + "'")).isEqualTo(1);
        assertCleanPartition(month);
    }

    @Test
    @Order(3)
    void aRewriteThatDiesHalfWayLeavesNothingTheNextRunTripsOn() throws Exception {
        YearMonth month = LAST_MONTH.minusMonths(2);
        String p = partition(month);
        // A failure inside the process (here before the swap): it removes its own trigger and work tables.
        PartitionRewrite failing = new PartitionRewrite(database.dataSource(), 1, Duration.ZERO, new PartitionRewrite.Steps() {
            @Override
            public void beforeSwap() {
                throw new IllegalStateException("disk full, say");
            }
        });
        assertThatThrownBy(() -> failing.rewriteClosed(Instant.now(), 1)).hasMessage("disk full, say");
        assertCleanPartition(month);
        assertThat(inMonth(month)).isEqualTo(SEEDED);

        // kill -9 after the copy: the work tables and the trigger stay behind, and late readings keep being captured.
        try (Connection c = database.connection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE ingest." + p + "_late (LIKE ingest.reading)");
            s.execute("CREATE TABLE ingest." + p + "_sorted (LIKE ingest.reading)");
            s.execute("INSERT INTO ingest." + p + "_sorted SELECT * FROM ingest." + p);
            s.execute("CREATE TRIGGER reading_rewrite_capture AFTER INSERT ON ingest." + p
                    + " FOR EACH ROW EXECUTE FUNCTION ingest.reading_rewrite_capture('ingest." + p + "_late')");
        }
        assertThat(asAnotherSession(insert(month, 21, 1))).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM ingest." + p + "_late")).isEqualTo(1);

        assertThat(new PartitionRewrite(database.dataSource()).rewriteClosed(Instant.now(), 1)).isEqualTo(1);
        assertThat(inMonth(month)).isEqualTo(SEEDED + 1);
        assertThat(count("SELECT count(DISTINCT (device_id, type, measured_at)) FROM ingest." + p)).isEqualTo(SEEDED + 1);
        assertCleanPartition(month);
    }
}
