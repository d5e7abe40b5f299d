package health.careloop.common.config;

import java.net.URI;

/**
 * An MQTT broker (CARELOOP_MQTT_*): host and port parsed once from tcp://host:1883, or ssl://host:8883 for TLS (with
 * {@code trustStore} for a private CA or a self-signed certificate; the JVM's trusted CAs otherwise).
 */
public record MqttConfig(String host, int port, String username, String password, boolean tls, TlsKeystore trustStore) {

    public MqttConfig(String host, int port, String username, String password) {
        this(host, port, username, password, false, null);
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
