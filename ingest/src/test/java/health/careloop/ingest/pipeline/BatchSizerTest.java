package health.careloop.ingest.pipeline;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The batch limit alone: doubles while more than a batch waits behind the batch, stops at the cap, resets when live. */
class BatchSizerTest {
    @Test
    void whileIngestKeepsUpTheLimitIsTheConfiguredSize() {
        BatchSizer sizer = new BatchSizer(1000, 8000);
        assertThat(sizer.next(1)).isEqualTo(1000);
        assertThat(sizer.next(1000)).isEqualTo(1000);
        assertThat(sizer.next(2000)).as("one batch waiting behind this one is not a backlog yet").isEqualTo(1000);
        assertThat(sizer.current()).isEqualTo(1000);
    }

    @Test
    void aBacklogDoublesTheLimitPerBatchUpToTheCap() {
        BatchSizer sizer = new BatchSizer(1000, 8000);
        assertThat(sizer.next(20_000)).isEqualTo(2000);
        assertThat(sizer.next(19_000)).isEqualTo(4000);
        assertThat(sizer.next(17_000)).isEqualTo(8000);
        assertThat(sizer.next(20_000)).as("the cap").isEqualTo(8000);
    }

    @Test
    void aQueueThatOneBatchOfTheCurrentSizeTakesKeepsTheLimit() {
        BatchSizer sizer = new BatchSizer(1000, 8000);
        sizer.next(20_000);
        sizer.next(20_000);
        assertThat(sizer.current()).isEqualTo(4000);
        assertThat(sizer.next(6000)).as("4,000 now and 2,000 behind: no growth, no shrink").isEqualTo(4000);
    }

    @Test
    void theLimitIsBackToTheConfiguredSizeOnceTheBacklogIsGone() {
        BatchSizer sizer = new BatchSizer(1000, 8000);
        sizer.next(50_000);
        sizer.next(50_000);
        sizer.next(50_000);
        assertThat(sizer.current()).isEqualTo(8000);
        assertThat(sizer.next(900)).isEqualTo(1000);
        assertThat(sizer.current()).isEqualTo(1000);
    }

    @Test
    void aCapBelowTheBatchSizeTurnsGrowthOff() {
        BatchSizer sizer = new BatchSizer(1000, 500);
        assertThat(sizer.next(100_000)).isEqualTo(1000);
        assertThat(sizer.next(100_000)).isEqualTo(1000);
    }

    @Test
    void aBatchSizeBelowOneIsRefused() {
        assertThatThrownBy(() -> new BatchSizer(0, 10)).hasMessageContaining("at least 1");
    }
}
