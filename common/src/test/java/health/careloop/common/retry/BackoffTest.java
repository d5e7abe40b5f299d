package health.careloop.common.retry;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {
    @Test
    void doublesUpToItsCapAndStartsOverAfterASuccess() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(500), false);
        assertThat(new long[]{b.nextMillis(), b.nextMillis(), b.nextMillis(), b.nextMillis()}).containsExactly(100, 200, 400, 500);
        b.reset();
        assertThat(b.nextMillis()).isEqualTo(100);
    }

    @Test
    void jitterAddsAtMostHalfOfTheWait() {
        Backoff b = new Backoff(Duration.ofMillis(1000), Duration.ofMillis(1000), true);
        for (int i = 0; i < 1000; i++) {
            assertThat(b.nextMillis()).isBetween(1000L, 1500L);
        }
    }

    @Test
    void refusesAFirstWaitAboveItsCap() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), false)).isInstanceOf(IllegalArgumentException.class);
    }
}
