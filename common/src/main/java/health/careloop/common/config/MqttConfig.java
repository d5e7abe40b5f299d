package health.careloop.common.config;

import java.net.URI;

/** An MQTT broker (CARELOOP_MQTT_*): host and port parsed once from tcp://host:port. */
public record MqttConfig(String host, int port, String username, String password) {

    public static MqttConfig fromUrl(String url, String username, String password) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("CARELOOP_MQTT_URL must look like tcp://host:1883, got '" + url + "'");
        }
        if (!"tcp".equals(uri.getScheme()) && !"mqtt".equals(uri.getScheme())) {
            throw new ConfigException("CARELOOP_MQTT_URL must use tcp:// (TLS is set up by the broker in front), got '" + url + "'");
        }
        if (uri.getHost() == null) {
            throw new ConfigException("CARELOOP_MQTT_URL has no host: '" + url + "'");
        }
        return new MqttConfig(uri.getHost(), uri.getPort() < 0 ? 1883 : uri.getPort(), username, password);
    }

    public String url() {
        return "tcp://" + host + ":" + port;
    }

    @Override
    public String toString() {
        return "MqttConfig[" + url() + (username == null ? "" : " as " + username) + "]";
    }
}
