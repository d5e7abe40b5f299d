package health.careloop.common.auth;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class LoginThrottleTest {
    /** A clock the test moves by hand. */
    private static final class Hands extends Clock {
        volatile Instant now = Instant.parse("2026-11-27T08:00:00Z");

        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    private static void fail(LoginThrottle throttle, String email, String address) {
        LoginThrottle.Admission attempt = throttle.admit(email, address);
        assertThat(attempt.refusal()).as("admitted").isEmpty();
        attempt.failed();
    }

    @Test
    void anAccountIsRefusedAfterItsLimitUntilTheOldestFailureLeavesTheWindow() {
        Hands clock = new Hands();
        LoginThrottle throttle = new LoginThrottle(3, 100, Duration.ofMinutes(15), clock);
        for (int i = 0; i < 3; i++) {
            fail(throttle, i == 0 ? "Nurse@Example.org" : "nurse@example.org ", "10.0.0." + i);
            clock.now = clock.now.plusSeconds(60);
        }
        // Case and spaces do not make a new account; a new address does not help either.
        assertThat(throttle.admit("NURSE@example.org", "10.0.0.9").refusal()).contains(Duration.ofMinutes(12));
        LoginThrottle.Admission other = throttle.admit("someone.else@example.org", "10.0.0.9");
        assertThat(other.refusal()).isEmpty();
        other.succeeded();
        clock.now = clock.now.plus(Duration.ofMinutes(12));
        // After the lockout window the right password gets through again.
        LoginThrottle.Admission later = throttle.admit("nurse@example.org", "10.0.0.9");
        assertThat(later.refusal()).isEmpty();
        later.succeeded();
    }

    @Test
    void oneAddressSprayingManyAccountsIsRefusedToo() {
        Hands clock = new Hands();
        LoginThrottle throttle = new LoginThrottle(3, 4, Duration.ofMinutes(15), clock);
        for (int i = 0; i < 4; i++) {
            fail(throttle, "user" + i + "@example.org", "192.0.2.7");
        }
        assertThat(throttle.admit("user9@example.org", "192.0.2.7").refusal()).isPresent();
        assertThat(throttle.admit("user9@example.org", "192.0.2.8").refusal()).isEmpty();
    }

    @Test
    void aCorrectPasswordClearsTheAccountsFailures() {
        Hands clock = new Hands();
        LoginThrottle throttle = new LoginThrottle(2, 100, Duration.ofMinutes(15), clock);
        fail(throttle, "ma@example.org", "10.0.0.1");
        throttle.admit("ma@example.org", "10.0.0.1").succeeded();
        fail(throttle, "ma@example.org", "10.0.0.1");
        fail(throttle, "ma@example.org", "10.0.0.1");
        assertThat(throttle.admit("ma@example.org", "10.0.0.1").refusal()).isPresent();
    }

    /** The attack of issue 14: the limit held in flight, not only once failures are counted. */
    @Test
    void attemptsInFlightCountSoParallelGuessesGetNoMoreChecksThanTheLimit() throws Exception {
        LoginThrottle throttle = new LoginThrottle(5, 30, Duration.ofMinutes(15), new Hands());
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch allAsked = new CountDownLatch(20);
        try {
            List<Future<LoginThrottle.Admission>> asked = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                asked.add(pool.submit(() -> {
                    start.await();
                    LoginThrottle.Admission a = throttle.admit("doctor@example.org", "198.51.100." + Thread.currentThread().getId() % 250);
                    allAsked.countDown();
                    // Hold the attempt "in bcrypt" until every attempt has been admitted or refused.
                    allAsked.await(10, TimeUnit.SECONDS);
                    return a;
                }));
            }
            start.countDown();
            int admitted = 0;
            for (Future<LoginThrottle.Admission> f : asked) {
                LoginThrottle.Admission a = f.get(10, TimeUnit.SECONDS);
                if (a.refusal().isEmpty()) {
                    admitted++;
                    a.failed();
                } else {
                    assertThat(a.refusal().get()).isPositive();
                }
            }
            assertThat(admitted).isEqualTo(5);
        } finally {
            pool.shutdownNow();
        }
        assertThat(throttle.admit("doctor@example.org", "203.0.113.1").refusal()).contains(Duration.ofMinutes(15));
    }

    @Test
    void attemptsInFlightCountAgainstTheAddressLimitToo() {
        LoginThrottle throttle = new LoginThrottle(5, 30, Duration.ofMinutes(15), new Hands());
        List<LoginThrottle.Admission> inFlight = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            LoginThrottle.Admission a = throttle.admit("user" + i + "@example.org", "192.0.2.50");
            assertThat(a.refusal()).isEmpty();
            inFlight.add(a);
        }
        LoginThrottle.Admission thirtyFirst = throttle.admit("user99@example.org", "192.0.2.50");
        assertThat(thirtyFirst.refusal()).contains(LoginThrottle.IN_FLIGHT_WAIT);
        // A refusal by the address releases the account's reservation: that account is free from another address.
        LoginThrottle.Admission elsewhere = throttle.admit("user99@example.org", "192.0.2.51");
        assertThat(elsewhere.refusal()).isEmpty();
        elsewhere.abandoned();
        // Attempts that end without a failure (right password, or the check could not be made) free their place.
        inFlight.get(0).succeeded();
        inFlight.get(1).abandoned();
        inFlight.get(1).failed(); // ending twice changes nothing
        LoginThrottle.Admission next = throttle.admit("user100@example.org", "192.0.2.50");
        assertThat(next.refusal()).isEmpty();
        LoginThrottle.Admission andAnother = throttle.admit("user101@example.org", "192.0.2.50");
        assertThat(andAnother.refusal()).isEmpty();
        assertThat(throttle.admit("user102@example.org", "192.0.2.50").refusal()).isPresent();
    }
}
