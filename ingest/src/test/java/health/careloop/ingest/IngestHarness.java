package health.careloop.ingest;

import health.careloop.common.config.DatabaseConfig;
import health.careloop.ingest.config.IngestConfig;
import health.careloop.common.config.MqttConfig;
import health.careloop.ingest.config.StorageModePreference;
import health.careloop.common.db.Database;
import health.careloop.common.directory.CoreSchema;
import health.careloop.common.directory.Directory;
import health.careloop.common.directory.Patient;
import health.careloop.common.directory.Practice;
import health.careloop.ingest.devices.DeviceKind;
import health.careloop.ingest.devices.DeviceRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/** A real ingest tier on a real database and broker, with helpers to set up practices, patients and devices. */
final class IngestHarness implements AutoCloseable {
    final Database database;
    final IngestConfig config;
    final IngestTier tier;
    final Directory directory;
    final DeviceRegistry devices;
    final MeterRegistry meters = new SimpleMeterRegistry();
    private final DatabaseConfig dbConfig;
    private final boolean ownsDatabase;
    private Vertx vertx;

    IngestHarness(DatabaseConfig dbConfig, boolean ownsDatabase, Map<String, String> settings) throws SQLException {
        this.dbConfig = dbConfig;
        this.ownsDatabase = ownsDatabase;
        Map<String, String> env = new HashMap<>(Map.of(
                "CARELOOP_INGEST_CLIENT_ID", "ingest-test-" + UUID.randomUUID().toString().substring(0, 8),
                "CARELOOP_INGEST_SHARE_GROUP", "test-" + UUID.randomUUID().toString().substring(0, 8),
                "CARELOOP_READINGS_RETENTION_DAYS", "400"));
        env.putAll(settings);
        config = IngestConfig.from(env);
        database = Database.connect(dbConfig);
        CoreSchema.migrate(database.dataSource());
        tier = IngestTier.open(database, config, StorageModePreference.AUTO);
        directory = new Directory(database.dataSource());
        devices = new DeviceRegistry(database.dataSource());
    }

    static IngestHarness onFreshDatabase() throws SQLException {
        return new IngestHarness(health.careloop.testing.TestDatabases.fresh(), true, Map.of());
    }

    void startConsumer(MqttConfig broker) {
        vertx = Vertx.vertx();
        IngestTier.Consumer consumer = tier.consumer(broker, meters, Clock.systemUTC());
        vertx.deployVerticle(consumer).await();
        await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(10)).until(consumer::isReady);
    }

    /** Stops consuming abruptly: whatever was not acknowledged stays with the broker. */
    void stopConsumer() {
        if (vertx != null) {
            vertx.close().await();
            vertx = null;
        }
    }

    Practice practice(String zone) throws SQLException {
        return directory.createPractice("Practice " + UUID.randomUUID(), ZoneId.of(zone));
    }

    Patient patient(Practice practice) throws SQLException {
        return directory.createPatient(practice.id(), "MRN-" + UUID.randomUUID());
    }

    /** A device registered in the patient's practice and assigned to them from 200 days ago. */
    String device(Patient patient, DeviceKind kind) throws SQLException {
        String id = kind.wireName() + "-" + UUID.randomUUID().toString().substring(0, 8);
        devices.register(id, patient.practiceId(), kind, "test model");
        devices.assign(id, patient.id(), Instant.now().minus(Duration.ofDays(200)), null);
        return id;
    }

    long count(String sql) {
        try (Connection c = database.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    void awaitCount(String sql, long expected) {
        // A bound for a loaded machine (six builds on two cores drained 900 readings in batches of 5 past 20 s); a lost reading still fails.
        // Uncaught exceptions of other threads are not this wait's business: a stopped consumer's blocked batch write
        // finishing onto closed event loops (AckAfterCommitTest) throws RejectedExecutionException in a worker thread.
        await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> count(sql) == expected);
    }

    double gauge(String name) {
        var gauge = meters.find(name).gauge();
        return gauge == null ? 0 : gauge.value();
    }

    double counter(String name, String... tags) {
        var counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() {
        stopConsumer();
        database.close();
        if (ownsDatabase) {
            health.careloop.testing.TestDatabases.drop(dbConfig);
        }
    }
}
