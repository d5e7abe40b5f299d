package health.careloop.ingest.config;

import health.careloop.common.config.ConfigException;
import health.careloop.common.config.Settings;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;

/**
 * Ingest tuning. Defaults: group commit (a batch is written as soon as the previous one has committed, so batches
 * grow with load) of at most 1000 readings per transaction while ingest keeps up, growing by doubling up to
 * {@code maxBatchSize} (8000; the batch size itself when set lower) while a backlog waits behind each batch; a
 * positive batch delay waits that long to gather more; at most 20,000 unacknowledged messages held in memory (more are
 * left with the broker); readings kept 7 years (2557 days), the longest Medicare record-keeping horizon we plan for.
 * Per device, at most {@code deviceRatePerMinute} readings a
 * minute sustained (120) with bursts of {@code deviceBurst} (500, the largest message the payload contract allows, so a
 * store-and-forward batch from a device that was offline passes whole); readings beyond go to the dead letters as
 * {@code rate_limited}. A rate of 0 turns the limit off. Every {@code canaryInterval} (5 s) ingest publishes a liveness
 * canary through the broker to its own subscription (BrokerCanary). On plain PostgreSQL storage maintenance rewrites
 * closed months in patient order unless {@code clusterClosedMonths} is off. Read from the CARELOOP_INGEST_* settings
 * (and CARELOOP_READINGS_RETENTION_DAYS, CARELOOP_STORAGE_CLUSTER_CLOSED_MONTHS) by {@link #read}, which the launcher
 * calls with the rest of its configuration.
 */
public record IngestConfig(
        int batchSize,
        int maxBatchSize,
        Duration batchMaxDelay,
        int maxInFlight,
        Duration retention,
        String clientId,
        String shareGroup,
        int maxPayloadBytes,
        int deviceRatePerMinute,
        int deviceBurst,
        Duration canaryInterval,
        boolean clusterClosedMonths) {

    /** Ingest's settings; the client id defaults to one made of the host name and the process's HTTP port. */
    public static IngestConfig read(Settings s, int httpPort) {
        IngestConfig ingest = new IngestConfig(
                s.integer("CARELOOP_INGEST_BATCH_SIZE", 1000, 1, 50_000),
                s.integer("CARELOOP_INGEST_MAX_BATCH_SIZE", 8000, 1, 50_000),
                s.millis("CARELOOP_INGEST_BATCH_DELAY_MS", 0, 0, 10_000),
                s.integer("CARELOOP_INGEST_MAX_IN_FLIGHT", 20_000, 10, 1_000_000),
                Duration.ofDays(s.integer("CARELOOP_READINGS_RETENTION_DAYS", 2557, 31, 36_500)),
                s.optional("CARELOOP_INGEST_CLIENT_ID").orElseGet(() -> defaultClientId(httpPort)),
                s.string("CARELOOP_INGEST_SHARE_GROUP", "careloop-ingest"),
                s.integer("CARELOOP_INGEST_MAX_PAYLOAD_BYTES", 256 * 1024, 1024, 16 * 1024 * 1024),
                s.integer("CARELOOP_INGEST_DEVICE_RATE_PER_MINUTE", 0, 0, 60_000),
                s.integer("CARELOOP_INGEST_DEVICE_BURST", 500, 1, 100_000),
                s.millis("CARELOOP_INGEST_CANARY_INTERVAL_MS", 5_000, 100, 60_000),
                onOff(s, "CARELOOP_STORAGE_CLUSTER_CLOSED_MONTHS", "on"));
        if (!ingest.clientId().matches("[A-Za-z0-9._-]{1,64}")) {
            throw new ConfigException("CARELOOP_INGEST_CLIENT_ID must be 1-64 of [A-Za-z0-9._-], got '" + ingest.clientId() + "'");
        }
        if (!ingest.shareGroup().matches("[A-Za-z0-9._-]{1,64}")) {
            throw new ConfigException("CARELOOP_INGEST_SHARE_GROUP must be 1-64 of [A-Za-z0-9._-], got '" + ingest.shareGroup() + "'");
        }
        return ingest;
    }

    private static boolean onOff(Settings s, String name, String defaultValue) {
        String value = s.string(name, defaultValue);
        return switch (value) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new ConfigException(name + " must be on or off, got '" + value + "'");
        };
    }

    /** The ingest settings among {@code settings}, the others' defaults (tests, benchmarks); the client id as on port 8080. */
    public static IngestConfig from(Map<String, String> settings) {
        return read(new Settings(settings), 8080);
    }

    /**
     * A persistent MQTT session must come back under the same client id after a restart, or what the broker queued
     * for it is stranded; host name plus HTTP port is stable per process slot and distinct for two processes on a host.
     */
    private static String defaultClientId(int httpPort) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        String id = "careloop-ingest-" + host.replaceAll("[^A-Za-z0-9._-]", "-") + "-" + httpPort;
        return id.length() > 64 ? id.substring(0, 64) : id;
    }


    /** False when {@code CARELOOP_INGEST_DEVICE_RATE_PER_MINUTE=0}. */
    public boolean deviceRateLimited() {
        return deviceRatePerMinute > 0;
    }

    /** Every device's readings topic. */
    public static final String READINGS_FILTER = "rpm/v1/devices/+/readings";

    /** The shared subscription every ingest process joins; the broker spreads messages across the group. */
    public String subscription() {
        return "$share/" + shareGroup + "/" + READINGS_FILTER;
    }
}
