package health.careloop.ingest.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Keeps storage within its configured shape; run at start-up and daily. On plain PostgreSQL it creates monthly
 * partitions from the retention horizon to three months ahead and drops those past retention. On TimescaleDB it
 * (re)applies the retention and compression policies, whose background jobs then do the work.
 */
public final class StorageMaintenance {
    private static final Logger log = LoggerFactory.getLogger(StorageMaintenance.class);
    static final Duration PARTITIONS_AHEAD = Duration.ofDays(92);
    static final Duration COMPRESS_AFTER = Duration.ofDays(30);

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
