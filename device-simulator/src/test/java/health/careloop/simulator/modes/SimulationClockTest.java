package health.careloop.simulator.modes;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class SimulationClockTest {
    private static final Instant T0 = Instant.parse("2026-11-20T12:00:00Z");

    @Test
    void anAcceleratedRunEndsAtTheRealPresent() {
        MutableClock real = new MutableClock(T0);
        SimulationClock clock = SimulationClock.catchingUpWithNow(real, Duration.ofMinutes(10), 144);
        assertThat(clock.simStart()).isEqualTo(T0.minus(Duration.ofMinutes(10).multipliedBy(143)));
        real.now = T0.plus(Duration.ofMinutes(5));
        assertThat(clock.now()).isBefore(real.now);
        real.now = T0.plus(Duration.ofMinutes(10));
        assertThat(clock.now()).isEqualTo(real.now);
    }

    @Test
    void realWaitIsSimulatedDistanceOverSpeed() {
        MutableClock real = new MutableClock(T0);
        SimulationClock clock = new SimulationClock(real, T0, 60);
        assertThat(clock.realWaitUntil(T0.plus(Duration.ofHours(1)))).isEqualTo(Duration.ofMinutes(1));
        assertThat(clock.realWaitUntil(T0.minusSeconds(1))).isEqualTo(Duration.ZERO);
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
