package health.careloop.common.config;

import java.time.Duration;

/**
 * Ingest tuning. Defaults: batches of up to 1000 readings or 20 ms, whichever comes first (a reading is visible well
 * within a second); at most 20,000 unacknowledged messages held in memory; readings kept 7 years (2557 days), the
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
