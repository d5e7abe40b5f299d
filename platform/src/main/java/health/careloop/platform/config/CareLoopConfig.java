package health.careloop.platform.config;

import health.careloop.common.config.ConfigException;
import health.careloop.common.config.DatabaseConfig;
import health.careloop.common.config.MqttConfig;
import health.careloop.common.config.Settings;
import health.careloop.common.config.TlsKeystore;
import health.careloop.ingest.config.IngestConfig;
import health.careloop.ingest.config.StorageModePreference;

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
        IngestConfig ingest = IngestConfig.read(s, httpPort);
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
