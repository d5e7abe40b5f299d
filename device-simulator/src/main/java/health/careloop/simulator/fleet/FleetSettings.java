package health.careloop.simulator.fleet;

import java.net.URI;
import java.time.Duration;

/**
 * How a fleet of devices, each on its own connection, reaches the broker.
 *
 * @param host               broker host
 * @param port               broker port
 * @param devicePassword     MQTT password of every device (username and client id are the device id); null for none
 * @param qos                0, 1 or 2; the contract asks devices for 1
 * @param ratePerSecond      messages per second of the whole fleet once every device is connected; each device
 *                           publishes every (devices / rate) seconds
 * @param connectConcurrency connection attempts in flight at once
 * @param connectAttempts    attempts per device before it counts as failed (a refusal that cannot change, such as
 *                           bad credentials, fails at once)
 * @param connectTimeout     from opening the socket to the broker's CONNACK
 * @param keepAliveSeconds   MQTT keep-alive of each connection
 */
public record FleetSettings(String host, int port, String devicePassword, int qos, double ratePerSecond,
                            int connectConcurrency, int connectAttempts, Duration connectTimeout, int keepAliveSeconds) {
    /** First wait before retrying a refused or failed connect; it doubles per attempt up to {@link #MAX_BACKOFF}. */
    public static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    public FleetSettings {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS is 0, 1 or 2");
        }
        if (connectConcurrency < 1 || connectAttempts < 1 || keepAliveSeconds < 1) {
            throw new IllegalArgumentException("connect concurrency, connect attempts and keep-alive must be positive");
        }
        if (ratePerSecond < 0) {
            throw new IllegalArgumentException("the rate cannot be negative");
        }
    }

    /** Defaults for a broker URL such as tcp://127.0.0.1:1883 (TLS is not supported in this mode). */
    public static FleetSettings forBroker(String url, String devicePassword, int qos, double ratePerSecond) {
        URI uri = URI.create(url);
        if (!"tcp".equals(uri.getScheme()) && !"mqtt".equals(uri.getScheme())) {
            throw new IllegalArgumentException("the connections mode speaks plain MQTT (tcp://host:port), not " + url);
        }
        int port = uri.getPort() > 0 ? uri.getPort() : 1883;
        return new FleetSettings(uri.getHost(), port, devicePassword, qos, ratePerSecond, 64, 5, Duration.ofSeconds(10), 60);
    }

    public FleetSettings withConnecting(int concurrency, int attempts, Duration timeout) {
        return new FleetSettings(host, port, devicePassword, qos, ratePerSecond, concurrency, attempts, timeout, keepAliveSeconds);
    }

    /** The wait before attempt {@code attempt + 1}, given that {@code attempt} (1-based) failed. */
    static Duration backoff(int attempt) {
        long ms = FIRST_BACKOFF.toMillis() << Math.min(attempt - 1, 10);
        return Duration.ofMillis(Math.min(ms, MAX_BACKOFF.toMillis()));
    }
}
