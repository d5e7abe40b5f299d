package health.careloop.ingest;

import health.careloop.ingest.config.IngestConfig;
import health.careloop.ingest.config.StorageModePreference;
import health.careloop.common.db.Database;
import health.careloop.common.directory.CoreSchema;

import java.util.Map;

/** {@link ReadingQueriesTest} on TimescaleDB (a hypertable instead of monthly partitions). */
class ReadingQueriesTimescaleTest extends ReadingQueriesTest {
    @Override
    protected AutoCloseable open() throws Exception {
        TimescaleServer server = TimescaleServer.start();
        database = Database.connect(server.config());
        CoreSchema.migrate(database.dataSource());
        IngestTier.open(database, IngestConfig.from(Map.of("CARELOOP_READINGS_RETENTION_DAYS", "400")),
                StorageModePreference.TIMESCALEDB);
        Database opened = database;
        return () -> {
            opened.close();
            server.close();
        };
    }
}
