package health.careloop.simulator.modes;

import java.util.concurrent.locks.LockSupport;

/**
 * Paces one sender to a steady rate: the k-th permit is due at start + k / rate. A sender that fell behind catches
 * up without sleeping, which keeps the average on target (a token bucket whose burst is the backlog).
 */
public final class PublishPacer {
    private final long startNanos;
    private final double nanosPerPermit;
    private long issued;

    /** @param perSecond 0 or less for no limit */
    public PublishPacer(double perSecond) {
        this.startNanos = System.nanoTime();
        this.nanosPerPermit = perSecond > 0 ? 1e9 / perSecond : 0;
    }

    public void acquire() {
        long due = startNanos + (long) (issued++ * nanosPerPermit);
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
