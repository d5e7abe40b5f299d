package health.careloop.simulator.modes;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The pacer never lets a permit go before it is due; with a tick it sleeps once per tick, not once per permit. */
class PublishPacerTest {

    @Test
    void withATickPermitsGoInOneBurstPerTickAndNoneBeforeItIsDue() {
        long[] returned = acquire(new PublishPacer(1000, Duration.ofMillis(20)), 100);
        assertNoneBeforeDue(returned, 1_000_000);
        int sleeps = 0;
        for (int k = 1; k < returned.length; k++) {
            if (returned[k] - returned[k - 1] > 2_000_000) {
                sleeps++;
            }
        }
        // 100 permits at 1 ms each span 100 ms: five 20 ms ticks (a slow machine makes fewer sleeps, not more).
        assertThat(sleeps).as("sleeps for 100 permits over 100 ms in 20 ms ticks").isBetween(1, 7);
    }

    @Test
    void withoutATickEachPermitWaitsForItsOwnDueTime() {
        assertNoneBeforeDue(acquire(new PublishPacer(200), 20), 5_000_000);
    }

    /** When each acquire returned, in nanoseconds after the pacer was made (assertions come after: their first call is slow). */
    private static long[] acquire(PublishPacer pacer, int permits) {
        long start = System.nanoTime();
        long[] returned = new long[permits];
        for (int k = 0; k < permits; k++) {
            pacer.acquire();
            returned[k] = System.nanoTime() - start;
        }
        return returned;
    }

    private static void assertNoneBeforeDue(long[] returned, long nanosPerPermit) {
        for (int k = 0; k < returned.length; k++) {
            // The pacer's clock started a little before the test's, so a permit may return up to that much "early".
            assertThat(returned[k]).as("permit %d", k).isGreaterThanOrEqualTo(k * nanosPerPermit - 1_000_000);
        }
    }
}
