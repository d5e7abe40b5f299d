package health.careloop.ingest;

import health.careloop.common.db.DatabaseErrors;
import health.careloop.ingest.config.IngestConfig;
import health.careloop.common.config.MqttConfig;
import health.careloop.ingest.config.StorageModePreference;
import health.careloop.common.db.Database;
import health.careloop.ingest.api.DeviceApi;
import health.careloop.ingest.devices.DeviceCredentials;
import health.careloop.ingest.api.ReadingsApi;
import health.careloop.ingest.api.EnteredReadingsApi;
import health.careloop.ingest.entered.EnteredReadings;
import health.careloop.ingest.devices.DeviceDirectory;
import health.careloop.ingest.devices.DeviceInventory;
import health.careloop.ingest.devices.DeviceRegistry;
import health.careloop.ingest.liveness.BrokerCanary;
import health.careloop.ingest.liveness.CanaryReceipts;
import health.careloop.ingest.metrics.IngestMetrics;
import health.careloop.ingest.mqtt.BrokerConnection;
import health.careloop.ingest.payload.ReadingDecoder;
import health.careloop.ingest.pipeline.IngestPipeline;
import health.careloop.ingest.storage.IngestSchema;
import health.careloop.ingest.storage.ReadingQueries;
import health.careloop.ingest.storage.ReadingStore;
import health.careloop.ingest.storage.StorageMaintenance;
import health.careloop.ingest.storage.StorageMode;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;

/**
 * The ingest tier: its schema, its HTTP API (devices, readings) and the verticle that consumes the broker.
 * The launcher migrates the schema, mounts the API, and deploys {@link #consumer} when this process runs ingest.
 */
public final class IngestTier {
    private static final Logger log = LoggerFactory.getLogger(IngestTier.class);
    private static final Duration MAINTENANCE_INTERVAL = Duration.ofHours(6);
    /** Longest a stopping consumer waits for its held messages to be committed and acknowledged before it disconnects. */
    public static final Duration DRAIN_BOUND = Duration.ofSeconds(10);

    private final Database database;
    private final IngestConfig config;
    private final StorageMode mode;
    private final DeviceRegistry registry;
    private final DeviceCredentials credentials;
    private final DeviceDirectory directory;
    private final ReadingQueries queries;

    private IngestTier(Database database, IngestConfig config, StorageMode mode) {
        this.database = database;
        this.config = config;
        this.mode = mode;
        this.registry = new DeviceRegistry(database.dataSource());
        this.directory = new DeviceDirectory(registry);
        this.credentials = new DeviceCredentials(database.dataSource());
        this.queries = new ReadingQueries(database.dataSource());
    }

    /** Migrates the ingest schema (the core schema must exist) and brings storage into shape. Blocking. */
    public static IngestTier open(Database database, IngestConfig config, StorageModePreference preference) throws SQLException {
        StorageMode mode = IngestSchema.migrate(database.dataSource(), preference);
        new StorageMaintenance(database.dataSource(), mode, config.retention()).run();
        return new IngestTier(database, config, mode);
    }

    public StorageMode storageMode() {
        return mode;
    }

    /** Devices' MQTT passwords, which the embedded broker checks at CONNECT. */
    public DeviceCredentials deviceCredentials() {
        return credentials;
    }

    public ReadingQueries readings() {
        return queries;
    }

    public void mountApi(Router api) {
        var patients = new health.careloop.common.directory.Directory(database.dataSource());
        new DeviceApi(registry, directory, new DeviceInventory(database.dataSource()), patients, credentials).mount(api);
        new ReadingsApi(queries, patients).mount(api);
        new EnteredReadingsApi(new EnteredReadings(database.dataSource()), patients,
                new ReadingDecoder(java.time.Clock.systemUTC(), config.retention(), config.maxPayloadBytes())).mount(api);
    }

    /** Whose record a device id in a route names, for the audit trail of refused calls. */
    public static java.util.Map<String, health.careloop.common.audit.RecordOwner> auditedRecords() {
        return java.util.Map.of("deviceId", health.careloop.common.audit.RecordOwner.byText(
                "SELECT practice_id, NULL::uuid FROM ingest.device WHERE device_id = ?"));
    }

    /** The verticle that consumes readings from the broker; deploy one per process. */
    public Consumer consumer(MqttConfig broker, MeterRegistry meters, Clock clock) {
        return new Consumer(broker, meters, clock);
    }

    public final class Consumer extends VerticleBase {
        private final MqttConfig broker;
        private final MeterRegistry meters;
        private final Clock clock;
        private BrokerConnection connection;
        private IngestPipeline pipeline;
        private BrokerCanary canary;
        private long maintenanceTimer;

        private Consumer(MqttConfig broker, MeterRegistry meters, Clock clock) {
            this.broker = broker;
            this.meters = meters;
            this.clock = clock;
        }

        @Override
        public Future<?> start() {
            IngestMetrics metrics = new IngestMetrics(meters, this::isConnected);
            ReadingDecoder decoder = new ReadingDecoder(clock, config.retention(), config.maxPayloadBytes());
            ReadingStore store = new ReadingStore(database.dataSource(), directory, mode);
            pipeline = new IngestPipeline(vertx, config, decoder, store, metrics, clock);
            connection = new BrokerConnection(vertx, broker, config, new Router());
            pipeline.attach(connection);
            canary = new BrokerCanary(vertx, new CanaryLink(), broker.soleSubscriber() ? null : new CanaryReceipts(database.dataSource()),
                    config.clientId(), config.canaryInterval(), metrics, clock.millis(), System::nanoTime);
            StorageMaintenance maintenance = new StorageMaintenance(database.dataSource(), mode, config.retention());
            maintenanceTimer = vertx.setPeriodic(MAINTENANCE_INTERVAL.toMillis(), id -> vertx.executeBlocking(() -> {
                maintenance.run();
                if (config.clusterClosedMonths()) {
                    maintenance.clusterClosedPartitions();
                }
                return null;
            }, false).onFailure(e -> log.error("Storage maintenance failed; retrying in {}", MAINTENANCE_INTERVAL, DatabaseErrors.loggable(e))));
            canary.start();
            return connection.start();
        }

        /**
         * Graceful: stop taking messages, commit and acknowledge what is held (at most {@link #DRAIN_BOUND}), then
         * disconnect. What the broker delivered but we did not take is redelivered to this client id's next session.
         */
        @Override
        public Future<?> stop() {
            vertx.cancelTimer(maintenanceTimer);
            canary.stop();
            return connection.stop(DRAIN_BOUND);
        }

        /**
         * Connected to the broker, the database is answering, and the broker delivers: this process is taking
         * readings.
         */
        public boolean isReady() {
            return connection != null && connection.isConnected() && !pipeline.isDatabaseDown() && !canary.isDeaf();
        }

        /** Why {@link #isReady} is false, in words for /ready; empty when it is true. */
        public String notReadyBecause() {
            if (connection == null || !connection.isConnected()) {
                return "ingest is not connected to the MQTT broker";
            } else if (pipeline.isDatabaseDown()) {
                return "ingest cannot reach PostgreSQL";
            } else if (canary.isDeaf()) {
                return "the MQTT broker accepts readings that ingest does not receive (canary " + canary.canaryAge().toSeconds() + " s old)";
            }
            return "";
        }

        private boolean isConnected() {
            return connection != null && connection.isConnected();
        }

        /** Readings to the pipeline, canaries to the canary; every arrival tells the canary the connection delivers. */
        private final class Router implements BrokerConnection.Listener {
            @Override
            public void onMessage(MqttPublishMessage message, long generation) {
                canary.messageArrived();
                if (BrokerCanary.isCanary(message.topicName())) {
                    canary.canaryArrived(message.payload().getBytes()).onComplete(done -> connection.ack(message, generation));
                } else {
                    pipeline.onMessage(message, generation);
                }
            }

            @Override
            public void onConnectionLost(long generation) {
                pipeline.onConnectionLost(generation);
            }

            @Override
            public Future<Void> drain() {
                return pipeline.drain();
            }
        }

        private final class CanaryLink implements BrokerCanary.Link {
            @Override
            public boolean isConnected() {
                return connection.isConnected();
            }

            @Override
            public boolean isReadingPaused() {
                return connection.isReadingPaused();
            }

            @Override
            public Future<?> publish(String topic, byte[] payload) {
                return connection.publish(topic, payload);
            }

            @Override
            public void reconnect(String why) {
                connection.reconnect(why);
            }
        }
    }
}
