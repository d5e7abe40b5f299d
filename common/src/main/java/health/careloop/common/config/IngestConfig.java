package health.careloop.common.config;

import java.time.Duration;

/**
 * Ingest tuning. Defaults: group commit (a batch is written as soon as the previous one has committed, so batches
 * grow with load) of at most 1000 readings per transaction; a positive batch delay waits that long to gather more; at most 20,000 unacknowledged messages held in memory (more are left with the broker); readings kept 7 years (2557 days), the
 * longest Medicare record-keeping horizon we plan for.
 */
public record IngestConfig(
        int batchSize,
        Duration batchMaxDelay,
        int maxInFlight,
        Duration retention,
        String clientId,
        String shareGroup,
        int maxPayloadBytes) {

    /** The shared subscription every ingest process joins; the broker spreads messages across the group. */
    public String subscription() {
        return "$share/" + shareGroup + "/rpm/v1/devices/+/readings";
    }
}
