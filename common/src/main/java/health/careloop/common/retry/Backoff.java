package health.careloop.common.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The wait before the next attempt at something that failed (a broker connection, a database probe, a LISTEN
 * connection): it starts at {@code first}, doubles with every failure up to {@code max}, and starts over after a
 * success. With jitter each wait is up to half as long again, at random, so processes that failed together do not
 * retry together. One owner; not thread-safe.
 */
public final class Backoff {
    private final long firstMs;
    private final long maxMs;
    private final boolean jitter;
    private long nextMs;

    public Backoff(Duration first, Duration max, boolean jitter) {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("Backoff needs 0 < first <= max, got " + first + " and " + max);
        }
        this.firstMs = first.toMillis();
        this.maxMs = max.toMillis();
        this.jitter = jitter;
        this.nextMs = firstMs;
    }

    /** The wait before the next attempt; the one after it is twice as long (at most {@code max}). */
    public long nextMillis() {
        long base = nextMs;
        nextMs = Math.min(maxMs, nextMs * 2);
        return jitter ? base + ThreadLocalRandom.current().nextLong(base / 2 + 1) : base;
    }

    /** The base of the next wait, without taking it (for a log line). */
    public long peekMillis() {
        return nextMs;
    }

    /** After a success: the next failure waits {@code first} again. */
    public void reset() {
        nextMs = firstMs;
    }
}
