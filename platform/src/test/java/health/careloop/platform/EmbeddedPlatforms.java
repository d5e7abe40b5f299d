package health.careloop.platform;

import health.careloop.testing.FreePort;
import health.careloop.platform.config.CareLoopConfig;

import java.nio.file.Files;
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
        Map<String, String> env = new HashMap<>(Map.of(
                "CARELOOP_DATA_DIR", Files.createTempDirectory("careloop").toString(),
                "CARELOOP_HTTP_PORT", "0",
                "CARELOOP_METRICS_PORT", "0",
                "CARELOOP_EMBEDDED_MQTT_PORT", Integer.toString(freePort())));
        env.putAll(settings);
        return Platform.start(CareLoopConfig.from(env));
    }

    /** A new MQTT password for a registered device, as an installer would get it. */
    static String devicePassword(ApiClient api, String deviceId) throws Exception {
        var issued = api.post("/api/v1/devices/" + deviceId + "/credentials", "");
        if (issued.status() != 201) {
            throw new AssertionError("credentials for " + deviceId + ": " + issued);
        }
        return issued.json().getString("mqttPassword");
    }

    static int freePort() {
        return FreePort.loopback();
    }
}
