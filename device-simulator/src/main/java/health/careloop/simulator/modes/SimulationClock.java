package health.careloop.simulator.modes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Simulated time running {@code speed} times faster than real time. An accelerated run starts far enough in the
 * past to reach the present exactly when it ends, so no reading is ever measured in the future.
 */
public final class SimulationClock {
    private final Clock real;
    private final Instant realStart;
    private final Instant simStart;
    private final double speed;

    public SimulationClock(Clock real, Instant simStart, double speed) {
        if (speed < 1) {
            throw new IllegalArgumentException("speed must be 1 or more");
        }
        this.real = real;
        this.realStart = real.instant();
        this.simStart = simStart;
        this.speed = speed;
    }

    /** For a run of {@code realDuration}: starts at now - realDuration × (speed - 1), ends at the real end time. */
    public static SimulationClock catchingUpWithNow(Clock real, Duration realDuration, double speed) {
        long backNanos = (long) (realDuration.toNanos() * (speed - 1));
        return new SimulationClock(real, real.instant().minusNanos(backNanos), speed);
    }

    public Instant simStart() {
        return simStart;
    }

    public Instant now() {
        long elapsed = Duration.between(realStart, real.instant()).toNanos();
        return simStart.plusNanos((long) (elapsed * speed));
    }

    /** Real time to wait until simulated time reaches {@code simInstant}; zero if it has. */
    public Duration realWaitUntil(Instant simInstant) {
        long simNanos = Duration.between(now(), simInstant).toNanos();
        return simNanos <= 0 ? Duration.ZERO : Duration.ofNanos((long) (simNanos / speed));
    }

    public Duration simDurationOf(Duration realDuration) {
        return Duration.ofNanos((long) (realDuration.toNanos() * speed));
    }
}
