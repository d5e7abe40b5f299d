package health.careloop.clinical.rules;

import health.careloop.ingest.storage.StoredReading;

import java.time.Duration;
import java.util.List;

/**
 * N readings at or above 140/90 within a window (default 3 within 7 days): sustained stage 2 hypertension, high.
 * Any window that contains the new reading counts, before or after it in measured time, so a late reading that
 * completes a series is caught as well as a new one that ends it.
 */
public final class RepeatedHighBloodPressureRule implements ReadingRule {
    public static final String ID = "bp_high_repeated";

    /** Only a high reading can complete a series; a normal one is judged (and dismissed) on its own. */
    @Override
    public boolean needsRecent(StoredReading reading, Thresholds thresholds) {
        return BloodPressureStage2Rule.isHigh(reading, thresholds);
    }

    @Override
    public List<Finding> evaluate(StoredReading reading, List<StoredReading> recent, Thresholds thresholds) {
        if (!BloodPressureStage2Rule.isHigh(reading, thresholds)) {
            return List.of();
        }
        int needed = thresholds.intValue(ThresholdKey.BP_REPEAT_COUNT);
        Duration window = Duration.ofDays(thresholds.intValue(ThresholdKey.BP_REPEAT_WINDOW_DAYS));
        List<StoredReading> high = recent.stream().filter(r -> BloodPressureStage2Rule.isHigh(r, thresholds)).toList();
        ReadingRef self = ReadingRef.of(reading);
        int k = -1;
        for (int i = 0; i < high.size(); i++) {
            if (ReadingRef.of(high.get(i)).equals(self)) {
                k = i;
            }
        }
        if (k < 0) {
            return List.of();
        }
        // Windows [start, start + window] with start at a high reading no later than the new one and not before it - window.
        for (int i = 0; i <= k; i++) {
            if (high.get(i).measuredAt().isBefore(reading.measuredAt().minus(window))) {
                continue;
            }
            int j = i;
            while (j + 1 < high.size() && !high.get(j + 1).measuredAt().isAfter(high.get(i).measuredAt().plus(window))) {
                j++;
            }
            if (j >= k && j - i + 1 >= needed) {
                List<ReadingRef> refs = high.subList(i, j + 1).stream().map(ReadingRef::of).toList();
                String message = refs.size() + " blood pressure readings at or above " + thresholds.intValue(ThresholdKey.BP_HIGH_SYSTOLIC)
                        + "/" + thresholds.intValue(ThresholdKey.BP_HIGH_DIASTOLIC) + " mmHg within " + window.toDays() + " days";
                return List.of(Finding.onReading(ID, Severity.HIGH, message, self, refs));
            }
        }
        return List.of();
    }
}
