package health.careloop.ingest.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain PostgreSQL (issue 19): rewrites a closed month's reading partition in (patient_id, measured_at) order, so a
 * patient's chart reads a few pages of it instead of one per reading, without holding the month while it works:
 * <ol>
 *   <li>a trigger on the partition starts copying every reading inserted into it to a side table ({@code _late});</li>
 *   <li>the month is copied in patient order into a new table ({@code _sorted}) in one snapshot, which readers and
 *       late readings do not wait for; its indexes are built and it is vacuumed;</li>
 *   <li>one short transaction locks {@code ingest.reading}, adds the late readings, swaps the tables (DETACH, ATTACH
 *       with a CHECK constraint that spares ATTACH its scan, DROP, RENAME) and records the rewrite.</li>
 * </ol>
 * Only the swap blocks anyone, for milliseconds; it waits at most {@link #SWAP_LOCK_TIMEOUT} for running statements
 * and otherwise tries again later, dropping its copy after {@code swapAttempts} tries. A crash mid-way leaves a
 * {@code _sorted} or {@code _late} table or the trigger, which the next run removes first. Costs free disk about the
 * partition's size while it runs, like V10's CLUSTER did. Two processes never rewrite at once (a session advisory lock).
 */
public final class PartitionRewrite {
    private static final Logger log = LoggerFactory.getLogger(PartitionRewrite.class);
    /** Kept from V10's function, so a process still running that version and this one exclude each other. */
    private static final String LOCK_KEY = "careloop.ingest.reading.cluster";
    static final Duration SWAP_LOCK_TIMEOUT = Duration.ofSeconds(1);
    private static final String CAPTURE_TRIGGER = "reading_rewrite_capture";
    /** SQLSTATE of a lock not had within lock_timeout. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    /** Points between the steps, where tests act as a concurrent ingest or reader would. */
    interface Steps {
        Steps NONE = new Steps() {
        };

        /** The capture trigger is in place; the copy has not begun. */
        default void beforeCopy() throws SQLException {
        }

        /** The copy's rows are written and its transaction not yet committed. */
        default void duringCopy() throws SQLException {
        }

        /** The copy is committed and indexed; the swap comes next. */
        default void beforeSwap() throws SQLException {
        }
    }

    private final DataSource dataSource;
    private final int swapAttempts;
    private final Duration swapPause;
    private final Steps steps;

    public PartitionRewrite(DataSource dataSource) {
        this(dataSource, 5, Duration.ofSeconds(10), Steps.NONE);
    }

    PartitionRewrite(DataSource dataSource, int swapAttempts, Duration swapPause, Steps steps) {
        this.dataSource = dataSource;
        this.swapAttempts = swapAttempts;
        this.swapPause = swapPause;
        this.steps = steps;
    }

    /**
     * Rewrites at most {@code maxCount} monthly partitions that ended before {@code closedBefore} and were not rewritten
     * yet, newest first (the months charts read most). Returns how many; 0 when another process is rewriting.
     */
    public int rewriteClosed(Instant closedBefore, int maxCount) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            if (!queryBoolean(c, "SELECT pg_try_advisory_lock(hashtext('" + LOCK_KEY + "'))")) {
                return 0;
            }
            try {
                int done = 0;
                for (String partition : candidates(c, closedBefore, maxCount)) {
                    if (rewrite(c, partition)) {
                        done++;
                    }
                }
                return done;
            } finally {
                execute(c, "SELECT pg_advisory_unlock(hashtext('" + LOCK_KEY + "'))");
            }
        }
    }

    private static List<String> candidates(Connection c, Instant closedBefore, int maxCount) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT ch.relname
                FROM pg_inherits i
                JOIN pg_class ch ON ch.oid = i.inhrelid
                WHERE i.inhparent = 'ingest.reading'::regclass AND ch.relname ~ '^reading_\\d{4}_\\d{2}$'
                  AND (to_date(substr(ch.relname, 9), 'YYYY_MM') + interval '1 month') AT TIME ZONE 'UTC' <= ?
                  AND NOT EXISTS (SELECT 1 FROM ingest.reading_partition_clustered d WHERE d.partition_name = ch.relname)
                ORDER BY ch.relname DESC
                LIMIT ?""")) {
            ps.setTimestamp(1, Timestamp.from(closedBefore));
            ps.setInt(2, maxCount);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    /** One month, start to end, on the caller's autocommit connection; false when the swap never got its lock. */
    private boolean rewrite(Connection c, String partition) throws SQLException {
        String sorted = partition + "_sorted";
        String late = partition + "_late";
        YearMonth month = YearMonth.of(Integer.parseInt(partition.substring(8, 12)), Integer.parseInt(partition.substring(13, 15)));
        String from = month.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC).toString();
        String to = month.plusMonths(1).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC).toString();
        long started = System.nanoTime();
        long bytesBefore = queryLong(c, "SELECT pg_total_relation_size('ingest." + partition + "')");
        try {
            removeLeftovers(c, partition);
            return copyAndSwap(c, partition, sorted, late, from, to, started, bytesBefore);
        } catch (SQLException | RuntimeException e) {
            // Not left capturing into a table nobody will read: the trigger and the work tables go now if they can.
            try {
                removeLeftovers(c, partition);
            } catch (SQLException cleanup) {
                e.addSuppressed(cleanup);
            }
            if (e instanceof SQLException sql && LOCK_NOT_AVAILABLE.equals(sql.getSQLState())) {
                log.info("Rewrite of {} postponed: statements on the month kept a lock from it; the next maintenance run tries again", partition);
                return false;
            }
            throw e;
        }
    }

    private boolean copyAndSwap(Connection c, String partition, String sorted, String late, String from, String to, long started,
                                long bytesBefore) throws SQLException {
        execute(c, "CREATE TABLE ingest." + late + " (LIKE ingest.reading INCLUDING DEFAULTS INCLUDING GENERATED)");
        execute(c, "CREATE TABLE ingest." + sorted + " (LIKE ingest.reading INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING CONSTRAINTS)");
        // The partition's own bound as a CHECK: ATTACH trusts it instead of scanning the table under its lock.
        execute(c, "ALTER TABLE ingest." + sorted + " ADD CONSTRAINT " + sorted + "_month CHECK (measured_at >= '" + from
                + "' AND measured_at < '" + to + "')");
        // Waits for the month's running inserts and holds new ones for a moment (not readers); from its commit on,
        // every reading inserted into the month also lands in _late. So the copy below, whose snapshot is taken after
        // it, misses nothing that _late does not hold.
        withLockTimeout(c, () -> execute(c, "CREATE TRIGGER " + CAPTURE_TRIGGER + " AFTER INSERT ON ingest." + partition
                + " FOR EACH ROW EXECUTE FUNCTION ingest.reading_rewrite_capture('ingest." + late + "')"));
        steps.beforeCopy();

        c.setAutoCommit(false);
        try {
            execute(c, "INSERT INTO ingest." + sorted + " SELECT * FROM ingest." + partition + " ORDER BY patient_id, measured_at");
            steps.duringCopy();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
        // The parent's indexes (V2): ATTACH adopts these instead of building them under its lock.
        execute(c, "ALTER TABLE ingest." + sorted + " ADD PRIMARY KEY (device_id, type, measured_at)");
        execute(c, "CREATE INDEX ON ingest." + sorted + " (patient_id, measured_at)");
        execute(c, "VACUUM (ANALYZE) ingest." + sorted);
        steps.beforeSwap();

        for (int attempt = 1; attempt <= swapAttempts; attempt++) {
            if (swap(c, partition, sorted, late, from, to, started, bytesBefore)) {
                return true;
            }
            log.info("Rewrite of {}: the swap waited {} ms for running statements (attempt {} of {})", partition,
                    SWAP_LOCK_TIMEOUT.toMillis(), attempt, swapAttempts);
            if (attempt < swapAttempts) {
                pause();
            }
        }
        log.warn("Rewrite of {} postponed: statements on ingest.reading kept the swap waiting {} times; the next maintenance run tries again",
                partition, swapAttempts);
        removeLeftovers(c, partition);
        return false;
    }

    /**
     * The only step anyone waits for: with ingest.reading locked (no ingest insert and no read in flight), adds the
     * readings captured since the trigger, swaps the tables and records the rewrite. False when the lock was not had
     * within the timeout; nothing has changed then.
     */
    private boolean swap(Connection c, String partition, String sorted, String late, String from, String to, long started,
                         long bytesBefore) throws SQLException {
        c.setAutoCommit(false);
        try {
            execute(c, "SET LOCAL lock_timeout = '" + SWAP_LOCK_TIMEOUT.toMillis() + "ms'");
            // After ensure/drop_reading_partitions (V2), which take this lock too: retention never drops the month mid-swap.
            execute(c, "SELECT pg_advisory_xact_lock(hashtext('careloop.ingest.reading.partitions'))");
            execute(c, "LOCK TABLE ONLY ingest.reading IN ACCESS EXCLUSIVE MODE");
            execute(c, "INSERT INTO ingest." + sorted + " SELECT * FROM ingest." + late + " ON CONFLICT DO NOTHING");
            execute(c, "ALTER TABLE ingest.reading DETACH PARTITION ingest." + partition);
            execute(c, "ALTER TABLE ingest.reading ATTACH PARTITION ingest." + sorted + " FOR VALUES FROM ('" + from + "') TO ('" + to + "')");
            execute(c, "DROP TABLE ingest." + partition);
            execute(c, "DROP TABLE ingest." + late);
            execute(c, "ALTER TABLE ingest." + sorted + " RENAME TO " + partition);
            execute(c, "ALTER TABLE ingest." + partition + " RENAME CONSTRAINT " + sorted + "_month TO " + partition + "_month");
            for (String index : strings(c, "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'ingest." + partition + "'::regclass")) {
                String bare = index.substring(index.indexOf('.') + 1);
                execute(c, "ALTER INDEX " + index + " RENAME TO " + bare.replace(sorted, partition));
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ingest.reading_partition_clustered (partition_name, seconds, bytes_before, "
                    + "bytes_after) VALUES (?, ?, ?, pg_total_relation_size(?::regclass))")) {
                ps.setString(1, partition);
                ps.setDouble(2, Math.round((System.nanoTime() - started) / 1e8) / 10.0);
                ps.setLong(3, bytesBefore);
                ps.setString(4, "ingest." + partition);
                ps.executeUpdate();
            }
            c.commit();
            return true;
        } catch (SQLException e) {
            c.rollback();
            if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /**
     * What an earlier run that crashed or gave up left: the capture trigger and the two work tables. The trigger goes
     * first, and the table it writes to only after it: a late reading must never meet a trigger whose table is gone.
     * When a long statement on the month keeps the trigger's lock from us, the trigger and its table stay (it costs each
     * late reading one more insert) and the next run removes them.
     */
    private static void removeLeftovers(Connection c, String partition) throws SQLException {
        execute(c, "DROP TABLE IF EXISTS ingest." + partition + "_sorted");
        if (queryBoolean(c, "SELECT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'ingest." + partition + "'::regclass AND tgname = '"
                + CAPTURE_TRIGGER + "')")) {
            // Takes the partition's ACCESS EXCLUSIVE lock for a moment: bounded like the swap.
            withLockTimeout(c, () -> execute(c, "DROP TRIGGER " + CAPTURE_TRIGGER + " ON ingest." + partition));
        }
        execute(c, "DROP TABLE IF EXISTS ingest." + partition + "_late");
    }

    private interface SqlWork {
        void run() throws SQLException;
    }

    private static void withLockTimeout(Connection c, SqlWork work) throws SQLException {
        execute(c, "SET lock_timeout = '" + SWAP_LOCK_TIMEOUT.toMillis() + "ms'");
        try {
            work.run();
        } finally {
            execute(c, "RESET lock_timeout");
        }
    }

    private void pause() {
        try {
            Thread.sleep(swapPause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static boolean queryBoolean(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static long queryLong(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
