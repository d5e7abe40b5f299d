package health.careloop.clinical.rules;

import health.careloop.ingest.storage.StoredReading;

import java.math.BigDecimal;
import java.util.List;

/** SpO2 below 90 % (88 % with COPD, see {@link Thresholds#forPatient}) [S46]: high. */
public final class LowOxygenSaturationRule implements ReadingRule {
    public static final String ID = "spo2_low";

    @Override
    public List<Finding> evaluate(StoredReading reading, List<StoredReading> recent, Thresholds thresholds) {
        if (!"oxygen_saturation".equals(reading.type()) || reading.spo2() == null) {
            return List.of();
        }
        BigDecimal limit = thresholds.value(ThresholdKey.SPO2_LOW_BELOW);
        if (reading.spo2().compareTo(limit) >= 0) {
            return List.of();
        }
        ReadingRef ref = ReadingRef.of(reading);
        return List.of(Finding.onReading(ID, Severity.HIGH, "Low oxygen saturation: " + reading.spo2().stripTrailingZeros().toPlainString()
                + " % (below " + limit.stripTrailingZeros().toPlainString() + " %)", ref, List.of(ref)));
    }

    @Override
    public boolean needsRecent(StoredReading reading, Thresholds thresholds) {
        return false;
    }
}
