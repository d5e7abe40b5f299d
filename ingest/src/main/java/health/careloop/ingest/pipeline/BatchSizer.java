package health.careloop.ingest.pipeline;

/**
 * How many readings the next transaction may take: the configured batch size while ingest keeps up, growing while a
 * backlog waits and back to the configured size once it is gone (issue 19). Larger transactions touch each index page
 * and data-day row fewer times per reading, so a backlog drains faster; small ones commit sooner, so live readings
 * stay fast. Each batch that leaves more than another batch of its size waiting behind it doubles the limit, up to
 * {@code cap}; a queue no longer than the configured size brings it straight back. Event-loop confined, like the
 * pipeline that owns it.
 */
final class BatchSizer {
    private final int base;
    private final int cap;
    private int current;

    BatchSizer(int base, int cap) {
        if (base < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + base);
        }
        this.base = base;
        this.cap = Math.max(base, cap);
        this.current = base;
    }

    /** The limit for the batch about to be cut, given the readings waiting now (including that batch). */
    int next(int waitingReadings) {
        if (waitingReadings <= base) {
            current = base;
        } else if (waitingReadings - current > current && current < cap) {
            current = (int) Math.min(cap, 2L * current);
        }
        return current;
    }

    /** The limit in force (what a flush is triggered at). */
    int current() {
        return current;
    }
}
