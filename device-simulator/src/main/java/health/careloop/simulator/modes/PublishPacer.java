package health.careloop.simulator.modes;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Paces one sender to a steady rate: the k-th permit is due at start + k / rate. A sender that fell behind catches
 * up without sleeping, which keeps the average on target (a token bucket whose burst is the backlog).
 *
 * <p>With a tick, a sender whose next permit is not due yet sleeps to the end of the tick it falls in and then takes
 * every permit due by then at once: one wake-up per tick instead of one per message. On a machine that also runs the
 * system being measured, a per-message wake-up of the sender (and of the MQTT client's threads behind it) costs the
 * load generator about twice the CPU per message of an unpaced one (BENCHMARKS.md 1); the price is bursts of one
 * tick's permits.
 */
public final class PublishPacer {
    private final long startNanos;
    private final double nanosPerPermit;
    private final long tickNanos;
    private long issued;

    /** @param perSecond 0 or less for no limit */
    public PublishPacer(double perSecond) {
        this(perSecond, Duration.ZERO);
    }

    /** @param tick zero for a wake-up per permit */
    public PublishPacer(double perSecond, Duration tick) {
        this.startNanos = System.nanoTime();
        this.nanosPerPermit = perSecond > 0 ? 1e9 / perSecond : 0;
        this.tickNanos = tick.toNanos();
    }

    public void acquire() {
        long due = startNanos + (long) (issued++ * nanosPerPermit);
        if (due - System.nanoTime() <= 0) {
            return;
        }
        long wakeAt = tickNanos > 0 ? startNanos + Math.floorDiv(due - startNanos + tickNanos - 1, tickNanos) * tickNanos : due;
        long wait;
        while ((wait = wakeAt - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
