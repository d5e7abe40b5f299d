package health.careloop.clinical.rules;

import health.careloop.ingest.storage.StoredReading;

import java.util.List;

/**
 * One reading at or above 140/90 mmHg (stage 2 hypertension [S43]) that is not a crisis: low severity, a reading to
 * review. Sustained elevation is {@link RepeatedHighBloodPressureRule}'s job.
 */
public final class BloodPressureStage2Rule implements ReadingRule {
    public static final String ID = "bp_high";

    static boolean isHigh(StoredReading r, Thresholds t) {
        return "blood_pressure".equals(r.type()) && r.systolic() != null && r.diastolic() != null
                && (r.systolic() >= t.intValue(ThresholdKey.BP_HIGH_SYSTOLIC) || r.diastolic() >= t.intValue(ThresholdKey.BP_HIGH_DIASTOLIC));
    }

    @Override
    public List<Finding> evaluate(StoredReading reading, List<StoredReading> recent, Thresholds thresholds) {
        if (!isHigh(reading, thresholds) || BloodPressureCrisisRule.isCrisis(reading, thresholds)) {
            return List.of();
        }
        String message = "Stage 2 blood pressure: " + reading.systolic() + "/" + reading.diastolic() + " mmHg (at or above "
                + thresholds.intValue(ThresholdKey.BP_HIGH_SYSTOLIC) + "/" + thresholds.intValue(ThresholdKey.BP_HIGH_DIASTOLIC) + ")";
        ReadingRef ref = ReadingRef.of(reading);
        return List.of(Finding.onReading(ID, Severity.LOW, message, ref, List.of(ref)));
    }

    @Override
    public boolean needsRecent(StoredReading reading, Thresholds thresholds) {
        return false;
    }
}
