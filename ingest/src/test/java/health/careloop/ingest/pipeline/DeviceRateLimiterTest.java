package health.careloop.ingest.pipeline;

import health.careloop.ingest.payload.DecodedMessage;
import health.careloop.ingest.payload.ReadingDecoder;
import health.careloop.ingest.payload.RejectReason;
import health.careloop.ingest.payload.Rejection;
import health.careloop.ingest.storage.IncomingMessage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-device token bucket on a fake clock: burst, refill, eviction, and what a limited message becomes. */
class DeviceRateLimiterTest {
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void aQuietDeviceGetsItsWholeBurstAtOnceThenNothingUntilTheBucketRefills() {
        DeviceRateLimiter limiter = new DeviceRateLimiter(120, 500, 1000, nanos::get);
        assertThat(limiter.acquire("cuff-1", 500)).isEqualTo(500); // a store-and-forward batch passes whole
        assertThat(limiter.acquire("cuff-1", 1)).isZero();
        advance(Duration.ofMillis(499));
        assertThat(limiter.acquire("cuff-1", 1)).isZero();
        advance(Duration.ofMillis(1)); // 120 a minute = one every 500 ms
        assertThat(limiter.acquire("cuff-1", 5)).isEqualTo(1);
        advance(Duration.ofSeconds(10));
        assertThat(limiter.acquire("cuff-1", 100)).isEqualTo(20);
        // Other devices have their own buckets.
        assertThat(limiter.acquire("cuff-2", 3)).isEqualTo(3);
    }

    @Test
    void theBucketNeverHoldsMoreThanTheBurstHoweverLongTheDeviceWasQuiet() {
        DeviceRateLimiter limiter = new DeviceRateLimiter(60, 10, 1000, nanos::get);
        assertThat(limiter.acquire("scale", 1)).isEqualTo(1);
        advance(Duration.ofDays(3650));
        assertThat(limiter.acquire("scale", 1000)).isEqualTo(10);
        advance(Duration.ofSeconds(3));
        assertThat(limiter.acquire("scale", 1000)).isEqualTo(3);
        // The clock going backwards (it does not, with nanoTime) never mints tokens.
        nanos.addAndGet(-Duration.ofMinutes(5).toNanos());
        assertThat(limiter.acquire("scale", 1)).isZero();
    }

    @Test
    void aSteadyDeviceAtItsRateIsNeverRefused() {
        DeviceRateLimiter limiter = new DeviceRateLimiter(120, 500, 1000, nanos::get);
        for (int i = 0; i < 10_000; i++) {
            assertThat(limiter.acquire("oximeter", 1)).as("reading %d", i).isEqualTo(1);
            advance(Duration.ofMillis(500));
        }
    }

    @Test
    void idleDevicesAreForgottenAndTheMapNeverGrowsBeyondItsBound() {
        DeviceRateLimiter limiter = new DeviceRateLimiter(120, 500, 1000, nanos::get);
        for (int i = 0; i < 100_000; i++) {
            limiter.acquire("device-" + i, 1); // each device refills its one token in 500 ms
            advance(Duration.ofMillis(1));
        }
        // Only the devices seen within the last refill time are still tracked.
        assertThat(limiter.trackedDevices()).isLessThanOrEqualTo(510);

        DeviceRateLimiter bounded = new DeviceRateLimiter(1, 500, 1000, nanos::get);
        for (int i = 0; i < 100_000; i++) {
            bounded.acquire("busy-" + i, 400); // none refills for hours: only the bound keeps the map small
        }
        assertThat(bounded.trackedDevices()).isEqualTo(1000);
        // A forgotten device starts again with a full bucket; a remembered one does not.
        assertThat(bounded.acquire("busy-0", 500)).isEqualTo(500);
        assertThat(bounded.acquire("busy-99999", 500)).isEqualTo(100);
    }

    @Test
    void readingsBeyondTheLimitBecomeRateLimitedRejectionsWithTheirOwnElementBytes() {
        Instant now = Instant.parse("2026-11-26T15:00:00Z");
        ReadingDecoder decoder = new ReadingDecoder(Clock.fixed(now, ZoneOffset.UTC), Duration.ofDays(365), 64 * 1024);
        DeviceRateLimiter limiter = new DeviceRateLimiter(60, 3, 1000, nanos::get);
        String payload = "[" + bp(0, 120) + ",{\"type\":\"blood_pressure\"}," + bp(1, 121) + "," + bp(2, 122) + "," + bp(3, 123.0) + "]";
        IncomingMessage limited = limiter.limit(message(decoder, payload));

        DecodedMessage decoded = limited.decoded();
        assertThat(decoded.readings()).extracting(r -> r.elementIndex()).containsExactly(0, 2, 3);
        assertThat(decoded.rejections()).extracting(Rejection::reason, Rejection::elementIndex).containsExactly(
                org.assertj.core.groups.Tuple.tuple(RejectReason.MISSING_FIELD, 1),
                org.assertj.core.groups.Tuple.tuple(RejectReason.RATE_LIMITED, 4));
        Rejection rateLimited = decoded.rejections().get(1);
        assertThat(new String(rateLimited.raw(), StandardCharsets.UTF_8)).isEqualTo(bp(3, 123.0));
        assertThat(rateLimited.detail()).contains("60 readings a minute", "burst 3", "1 of the 4 readings");

        // A single-object message over the limit keeps the whole payload; a message with no readings costs nothing.
        IncomingMessage single = limiter.limit(message(decoder, bp(4, 124)));
        assertThat(single.decoded().readings()).isEmpty();
        assertThat(single.decoded().rejections()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(RejectReason.RATE_LIMITED);
            assertThat(r.elementIndex()).isEqualTo(-1);
            assertThat(new String(r.raw(), StandardCharsets.UTF_8)).isEqualTo(bp(4, 124));
        });
        IncomingMessage garbage = message(decoder, "{not json");
        assertThat(limiter.limit(garbage)).isSameAs(garbage);
    }

    private static IncomingMessage message(ReadingDecoder decoder, String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        return new IncomingMessage("rpm/v1/devices/cuff-9/readings", "cuff-9", Instant.now(), bytes, decoder.decode("cuff-9", bytes));
    }

    private static String bp(int minute, Object systolic) {
        return "{\"type\":\"blood_pressure\",\"measuredAt\":\"2026-11-26T14:0" + minute + ":00Z\",\"systolic\":" + systolic + ",\"diastolic\":80}";
    }
}
