package health.careloop.platform.config;

import health.careloop.common.config.ConfigException;
import health.careloop.common.config.Settings;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Where the HTTP server listens, and when it closes a connection nobody uses. The API (with /health, /ready and /openapi.yaml) binds to {@code apiBind}: 127.0.0.1
 * unless TLS is configured (then every interface) or CARELOOP_HTTP_BIND names an address, which is the operator's
 * choice (plain HTTP on a non-loopback address is logged as a warning: put TLS in front of it). Prometheus metrics are
 * served by a listener of their own, {@code metricsBind}:{@code metricsPort}, loopback by default: they carry no
 * patient data, but the process's internals are nobody else's business.
 *
 * <p>
 * A connection with no byte read or written for {@code idleTimeout} is closed (before, idle connections stayed open
 * for ever: a cheap way to hold the server's sockets). It must exceed the live queue's 20-second heartbeat
 * (GET /alerts/stream writes a comment line every 20 s) and the slowest request, during which the connection is quiet
 * too: a month close of 100,000 patients took 32-41 s on a quiet machine, hence 120 s by default.
 *
 * @param apiBindExplicit whether CARELOOP_HTTP_BIND chose {@code apiBind}
 * @param metricsPort     0: any free port (tests)
 */
public record HttpSettings(String apiBind, boolean apiBindExplicit, int metricsPort, String metricsBind, Duration idleTimeout) {
    public static final String LOOPBACK = "127.0.0.1";
    public static final String ALL_INTERFACES = "0.0.0.0";
    public static final int DEFAULT_METRICS_PORT = 9464;
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

    static HttpSettings read(Settings s, boolean tls) {
        String explicit = s.optional("CARELOOP_HTTP_BIND").map(v -> address("CARELOOP_HTTP_BIND", v)).orElse(null);
        String apiBind = explicit != null ? explicit : tls ? ALL_INTERFACES : LOOPBACK;
        int metricsPort = s.integer("CARELOOP_METRICS_PORT", DEFAULT_METRICS_PORT, 0, 65535);
        String metricsBind = address("CARELOOP_METRICS_BIND", s.string("CARELOOP_METRICS_BIND", LOOPBACK));
        // At least 30 s: above the live queue's 20 s heartbeat, so an open stream is never cut.
        Duration idleTimeout = Duration.ofSeconds(s.integer("CARELOOP_HTTP_IDLE_TIMEOUT_SECONDS", 120, 30, 3600));
        return new HttpSettings(apiBind, explicit != null, metricsPort, metricsBind, idleTimeout);
    }

    /** An IP address literal (a host name could resolve to anything, or to nothing at the next start). */
    static String address(String name, String value) {
        if (IPV4.matcher(value).matches()) {
            return value;
        }
        if (value.indexOf(':') >= 0 && value.matches("[0-9A-Fa-f:.]+")) {
            try {
                return InetAddress.getByName(value).getHostAddress(); // a literal: no name lookup
            } catch (UnknownHostException e) {
                // answered below
            }
        }
        throw new ConfigException(name + " must be an IP address such as 127.0.0.1, 0.0.0.0 or ::1, got '" + value + "'");
    }

    /** Whether the API answers only on this machine. */
    public boolean apiOnLoopbackOnly() {
        return isLoopback(apiBind);
    }

    static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
