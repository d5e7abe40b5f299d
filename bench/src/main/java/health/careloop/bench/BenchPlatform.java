package health.careloop.bench;

import health.careloop.testing.PrivateMosquitto;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/** The settings of a whole platform that a benchmark starts in its own JVM, on its database and private broker. */
final class BenchPlatform {
    private BenchPlatform() {
    }

    static Map<String, String> settings(BenchDatabase db, PrivateMosquitto broker, String apiToken) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("CARELOOP_DB_URL", db.url());
        env.put("CARELOOP_DB_USER", BenchDatabase.USER);
        env.put("CARELOOP_MQTT_URL", broker.url());
        env.put("CARELOOP_HTTP_PORT", "0");
        env.put("CARELOOP_METRICS_PORT", "0");
        env.put("CARELOOP_DATA_DIR", Files.createTempDirectory("careloop-bench-data").toString());
        env.put("CARELOOP_API_TOKEN", apiToken);
        env.put("CARELOOP_INGEST_CLIENT_ID", Subscriber.CLIENT_ID);
        env.put("CARELOOP_INGEST_SHARE_GROUP", Subscriber.SHARE_GROUP);
        return env;
    }
}
