package health.careloop.common.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a CareLoop process is told, read once at start-up from the environment (names in DESIGN.md,
 * "Configuration"). Components receive the parts they need; none reads the environment itself.
 *
 * @param database   empty: start the embedded PostgreSQL under {@code dataDir}
 * @param mqtt       empty: start the embedded broker on {@code embeddedMqttPort}
 * @param escalateCriticalAfter a critical alert nobody acknowledged by then is escalated
 * @param apiToken   empty: generate one and keep it in {@code dataDir/admin-token}
 * @param http       where the API and the metrics listen (loopback unless TLS or CARELOOP_HTTP_BIND says otherwise)
 * @param tls        the server's key and certificate: HTTPS on {@code httpPort}, and the embedded broker's TLS
 *                   listener on {@code embeddedMqttTlsPort} (all interfaces) for devices on the network
 */
public record CareLoopConfig(
        Role role,
        int httpPort,
        HttpSettings http,
        Path dataDir,
        Optional<DatabaseConfig> database,
        int embeddedDatabasePort,
        Optional<MqttConfig> mqtt,
        int embeddedMqttPort,
        EmbeddedBrokerAccess embeddedMqttAccess,
        Optional<TlsKeystore> tls,
        int embeddedMqttTlsPort,
        StorageModePreference storageMode,
        IngestConfig ingest,
        Duration escalateCriticalAfter,
        Optional<String> apiToken) {

    public static CareLoopConfig fromEnvironment() {
        return from(ConfigFile.merge(System.getenv()));
    }

    public static CareLoopConfig from(Map<String, String> env) {
        return from(ConfigFile.merge(env));
    }

    public static CareLoopConfig from(ConfigFile.Sources sources) {
        Settings s = new Settings(sources.values());
        // Read elsewhere or only with another setting; named here so a configuration file may set them.
        s.known(ConfigFile.VARIABLE, "CARELOOP_LOG_FORMAT", "CARELOOP_DB_USER", "CARELOOP_DB_PASSWORD", "CARELOOP_MQTT_USERNAME",
                "CARELOOP_MQTT_PASSWORD", "CARELOOP_MQTT_TLS_TRUSTSTORE_PASSWORD", "CARELOOP_TLS_KEYSTORE_PASSWORD",
                "CARELOOP_DEMO", "CARELOOP_DEMO_PATIENTS");
        int httpPort = s.integer("CARELOOP_HTTP_PORT", 8080, 0, 65535);
        int poolSize = s.integer("CARELOOP_DB_POOL_SIZE", 8, 1, 200);
        Optional<DatabaseConfig> database = s.optional("CARELOOP_DB_URL").map(url -> {
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new ConfigException("CARELOOP_DB_URL must be a PostgreSQL JDBC URL (jdbc:postgresql://host:5432/db), got '" + url + "'");
            }
            return new DatabaseConfig(url, s.string("CARELOOP_DB_USER", "careloop"), s.string("CARELOOP_DB_PASSWORD", ""), poolSize);
        });
        TlsKeystore trustStore = s.optional("CARELOOP_MQTT_TLS_TRUSTSTORE").isPresent()
                ? TlsKeystore.read(s, "CARELOOP_MQTT_TLS_TRUSTSTORE", "CARELOOP_MQTT_TLS_TRUSTSTORE_PASSWORD") : null;
        Optional<MqttConfig> mqtt = s.optional("CARELOOP_MQTT_URL").map(url -> MqttConfig.fromUrl(url,
                s.optional("CARELOOP_MQTT_USERNAME").orElse(null), s.optional("CARELOOP_MQTT_PASSWORD").orElse(null), trustStore));
        IngestConfig ingest = new IngestConfig(
                s.integer("CARELOOP_INGEST_BATCH_SIZE", 1000, 1, 50_000),
                s.millis("CARELOOP_INGEST_BATCH_DELAY_MS", 0, 0, 10_000),
                s.integer("CARELOOP_INGEST_MAX_IN_FLIGHT", 20_000, 10, 1_000_000),
                Duration.ofDays(s.integer("CARELOOP_READINGS_RETENTION_DAYS", 2557, 31, 36_500)),
                s.optional("CARELOOP_INGEST_CLIENT_ID").orElseGet(() -> defaultClientId(httpPort)),
                s.string("CARELOOP_INGEST_SHARE_GROUP", "careloop-ingest"),
                s.integer("CARELOOP_INGEST_MAX_PAYLOAD_BYTES", 256 * 1024, 1024, 16 * 1024 * 1024),
                s.integer("CARELOOP_INGEST_DEVICE_RATE_PER_MINUTE", 0, 0, 60_000),
                s.integer("CARELOOP_INGEST_DEVICE_BURST", 500, 1, 100_000),
                s.millis("CARELOOP_INGEST_CANARY_INTERVAL_MS", 5_000, 100, 60_000));
        if (!ingest.clientId().matches("[A-Za-z0-9._-]{1,64}")) {
            throw new ConfigException("CARELOOP_INGEST_CLIENT_ID must be 1-64 of [A-Za-z0-9._-], got '" + ingest.clientId() + "'");
        }
        if (!ingest.shareGroup().matches("[A-Za-z0-9._-]{1,64}")) {
            throw new ConfigException("CARELOOP_INGEST_SHARE_GROUP must be 1-64 of [A-Za-z0-9._-], got '" + ingest.shareGroup() + "'");
        }
        Optional<TlsKeystore> tls = s.optional("CARELOOP_TLS_KEYSTORE").map(p -> TlsKeystore.read(s, "CARELOOP_TLS_KEYSTORE", "CARELOOP_TLS_KEYSTORE_PASSWORD"));
        CareLoopConfig config = new CareLoopConfig(
                s.choice("CARELOOP_ROLE", Role.ALL, Role::byName, "all, ingest, clinical, billing"),
                httpPort,
                HttpSettings.read(s, tls.isPresent()),
                Path.of(s.string("CARELOOP_DATA_DIR", "careloop-data")).toAbsolutePath(),
                database,
                s.integer("CARELOOP_EMBEDDED_DB_PORT", 0, 0, 65535),
                mqtt,
                s.integer("CARELOOP_EMBEDDED_MQTT_PORT", 1883, 0, 65535),
                embeddedBrokerAccess(s),
                tls,
                s.integer("CARELOOP_EMBEDDED_MQTT_TLS_PORT", 8883, 0, 65535),
                s.choice("CARELOOP_STORAGE_MODE", StorageModePreference.AUTO, StorageModePreference::byName, "auto, timescaledb, postgres"),
                ingest,
                Duration.ofMinutes(s.integer("CARELOOP_ESCALATE_CRITICAL_AFTER_MINUTES", 15, 1, 24 * 60)),
                s.optional("CARELOOP_API_TOKEN"));
        s.rejectUnknown(sources.fromFile().keySet(), sources.file());
        return config;
    }

    private static EmbeddedBrokerAccess embeddedBrokerAccess(Settings s) {
        String auth = s.string("CARELOOP_EMBEDDED_MQTT_AUTH", "devices");
        if (!auth.equals("devices") && !auth.equals("off")) {
            throw new ConfigException("CARELOOP_EMBEDDED_MQTT_AUTH must be devices or off, got '" + auth + "'");
        }
        Optional<String> simulator = s.optional("CARELOOP_EMBEDDED_MQTT_SIMULATOR_PASSWORD");
        if (simulator.isPresent() && simulator.get().length() < 16) {
            throw new ConfigException("CARELOOP_EMBEDDED_MQTT_SIMULATOR_PASSWORD must be at least 16 characters");
        }
        return new EmbeddedBrokerAccess(auth.equals("devices"), simulator);
    }

    /**
     * A persistent MQTT session must come back under the same client id after a restart, or what the broker queued
     * for it is stranded; host name plus HTTP port is stable per process slot and distinct for two processes on a host.
     */
    private static String defaultClientId(int httpPort) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        String id = "careloop-ingest-" + host.replaceAll("[^A-Za-z0-9._-]", "-") + "-" + httpPort;
        return id.length() > 64 ? id.substring(0, 64) : id;
    }

    @Override
    public String toString() {
        return "CareLoopConfig[role=" + role + ", http=" + http.apiBind() + ":" + httpPort + ", metrics=" + http.metricsBind() + ":"
                + http.metricsPort() + ", data=" + dataDir
                + ", db=" + database.map(Object::toString).orElse("embedded")
                + ", mqtt=" + mqtt.map(Object::toString).orElse("embedded:" + embeddedMqttPort
                        + (embeddedMqttAccess.deviceCredentials() ? " (device credentials)" : " (anonymous allowed)"))
                + tls.map(t -> ", tls=" + t.path() + " (https, embedded mqtts:" + embeddedMqttTlsPort + ")").orElse("")
                + ", storage=" + storageMode + ", ingest=" + ingest + "]";
    }
}
