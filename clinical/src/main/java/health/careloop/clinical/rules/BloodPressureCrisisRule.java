package health.careloop.clinical.rules;

import health.careloop.ingest.storage.StoredReading;

import java.util.List;

/** SBP > 180 and/or DBP > 120 mmHg: hypertensive crisis, critical (AHA [S43]). */
public final class BloodPressureCrisisRule implements ReadingRule {
    public static final String ID = "bp_crisis";

    static boolean isCrisis(StoredReading r, Thresholds t) {
        return "blood_pressure".equals(r.type()) && r.systolic() != null && r.diastolic() != null
                && (r.systolic() > t.intValue(ThresholdKey.BP_CRISIS_SYSTOLIC) || r.diastolic() > t.intValue(ThresholdKey.BP_CRISIS_DIASTOLIC));
    }

    @Override
    public List<Finding> evaluate(StoredReading reading, List<StoredReading> recent, Thresholds thresholds) {
        if (!isCrisis(reading, thresholds)) {
            return List.of();
        }
        String message = "Hypertensive crisis: " + reading.systolic() + "/" + reading.diastolic() + " mmHg (above "
                + thresholds.intValue(ThresholdKey.BP_CRISIS_SYSTOLIC) + "/" + thresholds.intValue(ThresholdKey.BP_CRISIS_DIASTOLIC) + ")";
        ReadingRef ref = ReadingRef.of(reading);
        return List.of(Finding.onReading(ID, Severity.CRITICAL, message, ref, List.of(ref)));
    }

    @Override
    public boolean needsRecent(StoredReading reading, Thresholds thresholds) {
        return false;
    }
}
