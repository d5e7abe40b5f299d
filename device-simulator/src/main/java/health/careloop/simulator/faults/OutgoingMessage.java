package health.careloop.simulator.faults;

import health.careloop.simulator.devices.ReadingTopic;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;

/**
 * A payload ready to publish.
 *
 * @param sendAt           when the device sends it, in simulated time
 * @param readings         how many readings the payload holds (1 unless a batch)
 * @param latestMeasuredAt the latest measuredAt in the payload, as the device's clock wrote it
 */
public record OutgoingMessage(String deviceId, byte[] payload, Instant sendAt, MessageKind kind, int readings,
                              Instant latestMeasuredAt) {

    public static final Comparator<OutgoingMessage> BY_SEND_TIME = Comparator.comparing(OutgoingMessage::sendAt);

    /** DESIGN.md: measuredAt more than 5 minutes in the future is rejected. */
    public static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(5);
    /** Clocks differ between us and ingest; a reading this close to the limit could go either way, so is withheld. */
    public static final Duration AMBIGUITY_MARGIN = Duration.ofSeconds(60);

    public String topic() {
        return ReadingTopic.forDevice(deviceId);
    }

    /** Whether the server, whose clock reads {@code now}, will find this message's time too far in the future. */
    public boolean inFutureAt(Instant now) {
        return latestMeasuredAt.isAfter(now.plus(FUTURE_TOLERANCE));
    }

    /** Whether the future check could go either way with a clock difference of up to {@link #AMBIGUITY_MARGIN}. */
    public boolean nearFutureLimitAt(Instant now) {
        Duration distance = Duration.between(now.plus(FUTURE_TOLERANCE), latestMeasuredAt).abs();
        return kind == MessageKind.SKEWED && distance.compareTo(AMBIGUITY_MARGIN) < 0;
    }
}
