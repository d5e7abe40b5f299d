package health.careloop.bench;

import health.careloop.platform.config.CareLoopConfig;
import health.careloop.ingest.config.IngestConfig;
import health.careloop.ingest.config.StorageModePreference;
import health.careloop.common.db.Database;
import health.careloop.common.directory.CoreSchema;
import health.careloop.ingest.IngestTier;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the ingest benchmarks stand on: a fresh database with the schema, CareLoop's ingest tier on it (as the bench
 * subscriber's client id and share group), {@code devices} patients with a cuff each, and the phase runner.
 */
record IngestRig(BenchDatabase db, Database database, IngestConfig config, IngestTier tier, int devices, Phases phases)
        implements AutoCloseable {

    static IngestRig open(int devices) throws Exception {
        return open(devices, Map.of());
    }

    /** {@code settings}: more CareLoop settings for ingest, e.g. CARELOOP_INGEST_BATCH_SIZE. */
    static IngestRig open(int devices, Map<String, String> settings) throws Exception {
        BenchDatabase db = BenchDatabase.create();
        Database database = Database.connect(db.config(8));
        Map<String, String> all = new HashMap<>(settings);
        all.put("CARELOOP_INGEST_CLIENT_ID", Subscriber.CLIENT_ID);
        all.put("CARELOOP_INGEST_SHARE_GROUP", Subscriber.SHARE_GROUP);
        IngestConfig config = CareLoopConfig.from(all).ingest();
        CoreSchema.migrate(database.dataSource());
        IngestTier tier = IngestTier.open(database, config, StorageModePreference.AUTO);
        long setup = System.nanoTime();
        Path devicesFile = Fleet.register(database, devices);
        System.err.printf("Registered %d patients with a cuff each in %.1f s%n", devices, (System.nanoTime() - setup) / 1e9);
        Phases phases = new Phases(devicesFile, () -> {
            try {
                return db.backendPids();
            } catch (SQLException e) {
                return List.of();
            }
        });
        return new IngestRig(db, database, config, tier, devices, phases);
    }

    void truncate() throws SQLException {
        db.execute("TRUNCATE ingest.reading, ingest.reading_day, ingest.evaluation_batch, ingest.dead_letter");
    }

    @Override
    public void close() throws Exception {
        try (BenchDatabase ignored = db) {
            database.close();
        }
    }
}
