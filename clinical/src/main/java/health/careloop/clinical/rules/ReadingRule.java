package health.careloop.clinical.rules;

import health.careloop.ingest.storage.StoredReading;

import java.util.List;

/**
 * A rule evaluated for each newly stored reading. Pure: no I/O, no clock. {@code recent} holds the patient's readings
 * of every type around the new one (the new one included), in measured_at order, so a late reading is judged by
 * when it was measured, not when it arrived (STYLE.md: "latest" = newest measured time).
 */
public interface ReadingRule {
    List<Finding> evaluate(StoredReading reading, List<StoredReading> recent, Thresholds thresholds);

    /**
     * Whether {@link #evaluate} of this reading may look at other readings. False only when the outcome for this
     * reading is the same whatever {@code recent} holds besides the reading itself: the evaluator then skips loading
     * the patient's recent readings (most readings are normal and only absolute limits apply to them).
     */
    default boolean needsRecent(StoredReading reading, Thresholds thresholds) {
        return true;
    }
}
