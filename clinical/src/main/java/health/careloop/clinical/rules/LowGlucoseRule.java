package health.careloop.clinical.rules;

import health.careloop.ingest.storage.StoredReading;

import java.math.BigDecimal;
import java.util.List;

/**
 * Hypoglycaemia by the ADA levels [S44]: level 2 (< 54 mg/dL) is critical, level 1 (< 70 mg/dL) high. Two rule ids,
 * so a level 2 reading raises its own critical alert while a level 1 alert is still open. Level 3 (severe, needing
 * assistance) has no numeric cut-off and is not a reading rule.
 */
public final class LowGlucoseRule implements ReadingRule {
    public static final String LEVEL2 = "glucose_level2";
    public static final String LEVEL1 = "glucose_level1";

    @Override
    public List<Finding> evaluate(StoredReading reading, List<StoredReading> recent, Thresholds thresholds) {
        if (!"blood_glucose".equals(reading.type()) || reading.glucoseMgDl() == null) {
            return List.of();
        }
        BigDecimal glucose = reading.glucoseMgDl();
        ReadingRef ref = ReadingRef.of(reading);
        BigDecimal level2 = thresholds.value(ThresholdKey.GLUCOSE_LEVEL2_BELOW);
        BigDecimal level1 = thresholds.value(ThresholdKey.GLUCOSE_LEVEL1_BELOW);
        if (glucose.compareTo(level2) < 0) {
            return List.of(Finding.onReading(LEVEL2, Severity.CRITICAL, "Level 2 hypoglycaemia: " + glucose.stripTrailingZeros().toPlainString()
                    + " mg/dL (below " + level2.stripTrailingZeros().toPlainString() + ")", ref, List.of(ref)));
        }
        if (glucose.compareTo(level1) < 0) {
            return List.of(Finding.onReading(LEVEL1, Severity.HIGH, "Level 1 hypoglycaemia: " + glucose.stripTrailingZeros().toPlainString()
                    + " mg/dL (below " + level1.stripTrailingZeros().toPlainString() + ")", ref, List.of(ref)));
        }
        return List.of();
    }

    @Override
    public boolean needsRecent(StoredReading reading, Thresholds thresholds) {
        return false;
    }
}
