package health.careloop.common.auth;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class LoginThrottleTest {
    /** A clock the test moves by hand. */
    private static final class Hands extends Clock {
        Instant now = Instant.parse("2026-11-27T08:00:00Z");

        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    @Test
    void anAccountIsRefusedAfterItsLimitUntilTheOldestFailureLeavesTheWindow() {
        Hands clock = new Hands();
        LoginThrottle throttle = new LoginThrottle(3, 100, Duration.ofMinutes(15), clock);
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.refusal("Nurse@Example.org", "10.0.0.1")).isEmpty();
            throttle.failed("nurse@example.org ", "10.0.0." + i);
            clock.now = clock.now.plusSeconds(60);
        }
        // Case and spaces do not make a new account; a new address does not help either.
        assertThat(throttle.refusal("NURSE@example.org", "10.0.0.9")).contains(Duration.ofMinutes(12));
        assertThat(throttle.refusal("someone.else@example.org", "10.0.0.9")).isEmpty();
        clock.now = clock.now.plus(Duration.ofMinutes(12));
        assertThat(throttle.refusal("nurse@example.org", "10.0.0.9")).isEmpty();
    }

    @Test
    void oneAddressSprayingManyAccountsIsRefusedToo() {
        Hands clock = new Hands();
        LoginThrottle throttle = new LoginThrottle(3, 4, Duration.ofMinutes(15), clock);
        for (int i = 0; i < 4; i++) {
            throttle.failed("user" + i + "@example.org", "192.0.2.7");
        }
        assertThat(throttle.refusal("user9@example.org", "192.0.2.7")).isPresent();
        assertThat(throttle.refusal("user9@example.org", "192.0.2.8")).isEmpty();
    }

    @Test
    void aCorrectPasswordClearsTheAccountsFailures() {
        Hands clock = new Hands();
        LoginThrottle throttle = new LoginThrottle(2, 100, Duration.ofMinutes(15), clock);
        throttle.failed("ma@example.org", "10.0.0.1");
        throttle.succeeded("ma@example.org");
        throttle.failed("ma@example.org", "10.0.0.1");
        assertThat(throttle.refusal("ma@example.org", "10.0.0.1")).isEmpty();
        throttle.failed("ma@example.org", "10.0.0.1");
        assertThat(throttle.refusal("ma@example.org", "10.0.0.1")).isPresent();
    }
}
