package health.careloop.common.config;

import java.net.URI;

/**
 * An MQTT broker (CARELOOP_MQTT_*): host and port parsed once from tcp://host:1883, or ssl://host:8883 for TLS (with
 * {@code trustStore} for a private CA or a self-signed certificate; the JVM's trusted CAs otherwise).
 *
 * @param soleSubscriber this process's ingest is the only one that can read the readings (the embedded broker, whose
 *                       ingest account exists only in this JVM): it subscribes without a shared-subscription group,
 *                       which a single member does not need (and HiveMQ CE's shared-subscription queue stalls after a
 *                       crash; DESIGN.md, "Broker session"). False for an external broker, where N ingest processes
 *                       share the load.
 */
public record MqttConfig(String host, int port, String username, String password, boolean tls, TlsKeystore trustStore,
                         boolean soleSubscriber) {

    public MqttConfig(String host, int port, String username, String password) {
        this(host, port, username, password, false, null, false);
    }

    public MqttConfig(String host, int port, String username, String password, boolean tls, TlsKeystore trustStore) {
        this(host, port, username, password, tls, trustStore, false);
    }

    /** The same broker, with this process's ingest as its only reader. */
    public MqttConfig asSoleSubscriber() {
        return new MqttConfig(host, port, username, password, tls, trustStore, true);
    }

    public static MqttConfig fromUrl(String url, String username, String password) {
        return fromUrl(url, username, password, null);
    }

    public static MqttConfig fromUrl(String url, String username, String password, TlsKeystore trustStore) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("CARELOOP_MQTT_URL must look like tcp://host:1883, got '" + url + "'");
        }
        boolean tls = "ssl".equals(uri.getScheme()) || "mqtts".equals(uri.getScheme());
        if (!tls && !"tcp".equals(uri.getScheme()) && !"mqtt".equals(uri.getScheme())) {
            throw new ConfigException("CARELOOP_MQTT_URL must use tcp:// or, for TLS, ssl://, got '" + url + "'");
        }
        if (uri.getHost() == null) {
            throw new ConfigException("CARELOOP_MQTT_URL has no host: '" + url + "'");
        }
        return new MqttConfig(uri.getHost(), uri.getPort() < 0 ? (tls ? 8883 : 1883) : uri.getPort(), username, password, tls, trustStore);
    }

    public String url() {
        return (tls ? "ssl://" : "tcp://") + host + ":" + port;
    }

    @Override
    public String toString() {
        return "MqttConfig[" + url() + (username == null ? "" : " as " + username) + "]";
    }
}
