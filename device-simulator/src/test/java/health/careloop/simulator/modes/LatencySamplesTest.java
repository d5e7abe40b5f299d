package health.careloop.simulator.modes;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LatencySamplesTest {
    @Test
    void percentilesAreNearestRankInMilliseconds() {
        LatencySamples samples = new LatencySamples();
        for (int i = 100; i >= 1; i--) {
            samples.add(i * 1_000_000L);
        }
        LatencySamples.Percentiles p = samples.percentiles();
        assertThat(p.count()).isEqualTo(100);
        assertThat(p.p50Ms()).isEqualTo(50.0);
        assertThat(p.p95Ms()).isEqualTo(95.0);
        assertThat(p.p99Ms()).isEqualTo(99.0);
        assertThat(p.maxMs()).isEqualTo(100.0);
    }

    @Test
    void noSamplesGiveZeros() {
        assertThat(new LatencySamples().percentiles()).isEqualTo(new LatencySamples.Percentiles(0, 0, 0, 0, 0));
    }
}
