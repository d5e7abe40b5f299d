package health.careloop.platform;

import health.careloop.testing.FreePort;
import health.careloop.platform.config.CareLoopConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A whole CareLoop for a test class: embedded PostgreSQL and broker, a fresh data directory, free ports. */
final class EmbeddedPlatforms {
    private EmbeddedPlatforms() {
    }

    static Platform start() throws Exception {
        return start(Map.of());
    }

    /** With extra settings on top of the embedded defaults. */
    static Platform start(Map<String, String> settings) throws Exception {
        Map<String, String> env = settings(Files.createTempDirectory("careloop"), freePort());
        env.putAll(settings);
        return Platform.start(CareLoopConfig.from(env));
    }

    /**
     * The embedded defaults, for a test that starts CareLoop itself: its data in {@code dataDir}, HTTP and metrics on
     * ports the system picks, the embedded broker on {@code mqttPort}. A map to add to.
     */
    static Map<String, String> settings(Path dataDir, int mqttPort) {
        Map<String, String> env = new HashMap<>();
        env.put("CARELOOP_DATA_DIR", dataDir.toString());
        env.put("CARELOOP_HTTP_PORT", "0");
        env.put("CARELOOP_METRICS_PORT", "0");
        env.put("CARELOOP_EMBEDDED_MQTT_PORT", Integer.toString(mqttPort));
        return env;
    }

    /** A new MQTT password for a registered device, as an installer would get it. */
    static String devicePassword(ApiClient api, String deviceId) throws Exception {
        var issued = api.post("/api/v1/devices/" + deviceId + "/credentials", "");
        if (issued.status() != 201) {
            throw new AssertionError("credentials for " + deviceId + ": " + issued);
        }
        return issued.json().getString("mqttPassword");
    }

    /** The unlabelled samples of the platform's /metrics (Prometheus text format) whose names start with careloop_, by name. */
    static Map<String, Double> metrics(Platform platform) throws Exception {
        Map<String, Double> values = new HashMap<>();
        for (String line : new ApiClient(platform.metricsPort(), null).getWithoutToken("/metrics").body().split("\n")) {
            if (line.startsWith("careloop_") && !line.contains("{")) {
                String[] parts = line.trim().split(" ");
                values.put(parts[0], Double.parseDouble(parts[1]));
            }
        }
        return values;
    }

    static int freePort() {
        return FreePort.loopback();
    }
}
