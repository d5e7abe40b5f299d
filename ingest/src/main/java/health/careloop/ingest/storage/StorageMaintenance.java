package health.careloop.ingest.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps storage within its configured shape; run at start-up and every 6 hours. On plain PostgreSQL it creates monthly
 * partitions from the retention horizon to three months ahead and drops those past retention. On TimescaleDB it
 * (re)applies the retention and compression policies, whose background jobs then do the work. On plain PostgreSQL
 * the periodic runs also rewrite a closed month in patient order ({@link #clusterClosedPartitions}).
 */
public final class StorageMaintenance {
    private static final Logger log = LoggerFactory.getLogger(StorageMaintenance.class);
    static final Duration PARTITIONS_AHEAD = Duration.ofDays(92);
    static final Duration COMPRESS_AFTER = Duration.ofDays(30);
    /** A month's partition is rewritten in patient order this long after it ends: most late readings are in by then. */
    public static final Duration CLUSTER_AFTER_CLOSE = Duration.ofDays(7);

    private final DataSource dataSource;
    private final StorageMode mode;
    private final Duration retention;

    public StorageMaintenance(DataSource dataSource, StorageMode mode, Duration retention) {
        this.dataSource = dataSource;
        this.mode = mode;
        this.retention = retention;
    }

    public void run() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (mode == StorageMode.POSTGRES) {
                int created = callInt(c, "SELECT ingest.ensure_reading_partitions(now() - ?::interval, now() + ?::interval)",
                        interval(retention), interval(PARTITIONS_AHEAD));
                int dropped = callInt(c, "SELECT ingest.drop_reading_partitions_before(now() - ?::interval)", interval(retention));
                log.info("Reading partitions: {} created, {} dropped past the {}-day retention", created, dropped, retention.toDays());
            } else {
                call(c, "SELECT remove_retention_policy('ingest.reading', if_exists => true)");
                call(c, "SELECT add_retention_policy('ingest.reading', drop_after => ?::interval)", interval(retention));
                call(c, "SELECT add_compression_policy('ingest.reading', compress_after => ?::interval, if_not_exists => true)",
                        interval(COMPRESS_AFTER));
                log.info("TimescaleDB policies: retention {} days, compression after {} days", retention.toDays(), COMPRESS_AFTER.toDays());
            }
        }
    }

    /**
     * Plain PostgreSQL: rewrites at most one closed month's partition in (patient, time) order, so that a patient's
     * chart reads a few pages of it instead of one per reading ({@link PartitionRewrite}, online: readers and late
     * readings of that month do not wait for it). Periodic runs only, never at start-up. On TimescaleDB compression
     * does this; nothing to do. Returns the partitions rewritten.
     */
    public int clusterClosedPartitions() throws SQLException {
        if (mode != StorageMode.POSTGRES) {
            return 0;
        }
        long start = System.nanoTime();
        int clustered = new PartitionRewrite(dataSource).rewriteClosed(Instant.now().minus(CLUSTER_AFTER_CLOSE), 1);
        if (clustered > 0) {
            log.info("Reading partitions: {} closed month(s) rewritten in patient order in {} ms", clustered, (System.nanoTime() - start) / 1_000_000);
        }
        return clustered;
    }

    private static String interval(Duration d) {
        return d.toSeconds() + " seconds";
    }

    private static int callInt(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void call(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            ps.execute();
        }
    }
}
