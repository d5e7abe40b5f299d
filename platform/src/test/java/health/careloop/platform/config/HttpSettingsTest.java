package health.careloop.platform.config;

import health.careloop.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where the API and the metrics listen by default, what an operator may choose, and what is refused at start-up. */
class HttpSettingsTest {
    @TempDir
    Path dir;

    private static HttpSettings http(Map<String, String> env) {
        return CareLoopConfig.from(env).http();
    }

    @Test
    void byDefaultTheApiAndTheMetricsListenOnLoopbackOnly() {
        HttpSettings http = http(Map.of());
        assertThat(http.apiBind()).isEqualTo("127.0.0.1");
        assertThat(http.apiBindExplicit()).isFalse();
        assertThat(http.apiOnLoopbackOnly()).isTrue();
        assertThat(http.metricsBind()).isEqualTo("127.0.0.1");
        assertThat(http.metricsPort()).isEqualTo(9464);
        assertThat(http.idleTimeout()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void withTlsTheApiListensOnEveryInterfaceAndAnExplicitAddressAlwaysWins() throws Exception {
        Path keystore = Files.writeString(dir.resolve("server.p12"), "not read here");
        Map<String, String> tls = new HashMap<>(Map.of("CARELOOP_TLS_KEYSTORE", keystore.toString(), "CARELOOP_TLS_KEYSTORE_PASSWORD", "changeit"));
        assertThat(http(tls).apiBind()).isEqualTo("0.0.0.0");
        tls.put("CARELOOP_HTTP_BIND", "127.0.0.1");
        assertThat(http(tls).apiBind()).isEqualTo("127.0.0.1");
        HttpSettings chosen = http(Map.of("CARELOOP_HTTP_BIND", "0.0.0.0", "CARELOOP_METRICS_BIND", "::", "CARELOOP_METRICS_PORT", "0",
                "CARELOOP_HTTP_IDLE_TIMEOUT_SECONDS", "30"));
        assertThat(chosen.apiBind()).isEqualTo("0.0.0.0");
        assertThat(chosen.apiBindExplicit()).isTrue();
        assertThat(chosen.apiOnLoopbackOnly()).isFalse();
        assertThat(chosen.metricsBind()).isEqualTo("0:0:0:0:0:0:0:0");
        assertThat(chosen.metricsPort()).isZero();
        assertThat(chosen.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(http(Map.of("CARELOOP_HTTP_BIND", "::1")).apiOnLoopbackOnly()).isTrue();
    }

    @Test
    void aBadAddressPortOrTimeoutStopsStartUpNamingIt() {
        assertThatThrownBy(() -> http(Map.of("CARELOOP_HTTP_BIND", "localhost")))
                .isInstanceOf(ConfigException.class).hasMessage("CARELOOP_HTTP_BIND must be an IP address such as 127.0.0.1, 0.0.0.0 or ::1, got 'localhost'");
        assertThatThrownBy(() -> http(Map.of("CARELOOP_HTTP_BIND", "256.1.1.1"))).hasMessageContaining("CARELOOP_HTTP_BIND must be an IP address");
        assertThatThrownBy(() -> http(Map.of("CARELOOP_METRICS_BIND", "10.0.0"))).hasMessageContaining("CARELOOP_METRICS_BIND must be an IP address");
        assertThatThrownBy(() -> http(Map.of("CARELOOP_METRICS_PORT", "70000"))).hasMessage("CARELOOP_METRICS_PORT must be between 0 and 65535, got 70000");
        // Below the live queue's 20-second heartbeat the stream would be cut.
        assertThatThrownBy(() -> http(Map.of("CARELOOP_HTTP_IDLE_TIMEOUT_SECONDS", "20")))
                .hasMessage("CARELOOP_HTTP_IDLE_TIMEOUT_SECONDS must be between 30 and 3600, got 20");
    }
}
