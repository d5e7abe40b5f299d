package health.careloop.ingest.storage;

import health.careloop.common.config.ConfigException;
import health.careloop.ingest.config.StorageModePreference;
import health.careloop.common.db.SchemaMigrations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * Finds out which storage mode this database supports (or already uses), and migrates the ingest schema for it.
 * A schema created in one mode stays in that mode: the readings table tells which it is.
 */
public final class IngestSchema {
    private static final Logger log = LoggerFactory.getLogger(IngestSchema.class);
    public static final String SCHEMA = "ingest";

    private IngestSchema() {
    }

    public static StorageMode migrate(DataSource dataSource, StorageModePreference preference) throws SQLException {
        StorageMode mode = detect(dataSource, preference);
        SchemaMigrations.migrate(dataSource, SCHEMA,
                List.of("classpath:db/ingest/common", "classpath:db/ingest/" + mode.folder()), Map.of());
        return mode;
    }

    static StorageMode detect(DataSource dataSource, StorageModePreference preference) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            String existing = existingMode(s);
            if (existing != null) {
                StorageMode mode = StorageMode.valueOf(existing);
                if (preference == StorageModePreference.TIMESCALEDB && mode != StorageMode.TIMESCALEDB
                        || preference == StorageModePreference.POSTGRES && mode != StorageMode.POSTGRES) {
                    throw new ConfigException("CARELOOP_STORAGE_MODE asks for " + preference + " but the readings in this database are stored as "
                            + mode + "; migrate the data or change the setting");
                }
                log.info("Storage mode: {} (found in the existing ingest schema)", mode);
                return mode;
            }
            if (preference == StorageModePreference.POSTGRES) {
                log.info("Storage mode: POSTGRES (native partitioning; CARELOOP_STORAGE_MODE=postgres)");
                return StorageMode.POSTGRES;
            }
            String unavailable = enableTimescale(s);
            if (unavailable == null) {
                log.info("Storage mode: TIMESCALEDB (hypertable, compression, retention policy, continuous aggregate)");
                return StorageMode.TIMESCALEDB;
            }
            if (preference == StorageModePreference.TIMESCALEDB) {
                throw new ConfigException("CARELOOP_STORAGE_MODE=timescaledb but this database cannot use TimescaleDB: " + unavailable);
            }
            log.info("Storage mode: POSTGRES (native partitioning, rollup maintained by ingest); TimescaleDB not used: {}", unavailable);
            return StorageMode.POSTGRES;
        }
    }

    /** Null when the readings table does not exist yet. */
    private static String existingMode(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("""
                SELECT c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'ingest' AND c.relname = 'reading'""")) {
            if (!rs.next()) {
                return null;
            }
            return "p".equals(rs.getString(1)) ? "POSTGRES" : "TIMESCALEDB";
        }
    }

    /** Null when TimescaleDB is (now) enabled; otherwise why not. */
    private static String enableTimescale(Statement s) {
        try {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'")) {
                if (!rs.next()) {
                    return "the timescaledb extension is not installed on the server";
                }
            }
            s.execute("CREATE EXTENSION IF NOT EXISTS timescaledb");
            return null;
        } catch (SQLException e) {
            return "CREATE EXTENSION timescaledb failed: " + e.getMessage();
        }
    }
}
