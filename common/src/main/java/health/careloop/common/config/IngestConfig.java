package health.careloop.common.config;

import java.time.Duration;

/**
 * Ingest tuning. Defaults: group commit (a batch is written as soon as the previous one has committed, so batches
 * grow with load) of at most 1000 readings per transaction; a positive batch delay waits that long to gather more; at most 20,000 unacknowledged messages held in memory (more are left with the broker); readings kept 7 years (2557 days), the
 * longest Medicare record-keeping horizon we plan for. Per device, at most {@code deviceRatePerMinute} readings a
 * minute sustained (120) with bursts of {@code deviceBurst} (500, the largest message the payload contract allows, so a
 * store-and-forward batch from a device that was offline passes whole); readings beyond go to the dead letters as
 * {@code rate_limited}. A rate of 0 turns the limit off. Every {@code canaryInterval} (5 s) ingest publishes a liveness
 * canary through the broker to its own subscription (BrokerCanary).
 */
public record IngestConfig(
        int batchSize,
        Duration batchMaxDelay,
        int maxInFlight,
        Duration retention,
        String clientId,
        String shareGroup,
        int maxPayloadBytes,
        int deviceRatePerMinute,
        int deviceBurst,
        Duration canaryInterval) {

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
