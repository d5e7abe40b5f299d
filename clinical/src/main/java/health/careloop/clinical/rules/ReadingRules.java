package health.careloop.clinical.rules;

import health.careloop.ingest.storage.StoredReading;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The rules evaluated for every new reading, and how far around it they look. */
public final class ReadingRules {
    private final List<ReadingRule> rules = List.of(
            new BloodPressureCrisisRule(),
            new BloodPressureStage2Rule(),
            new RepeatedHighBloodPressureRule(),
            new LowGlucoseRule(),
            new LowOxygenSaturationRule(),
            WeightGainRule.over24Hours(),
            WeightGainRule.over7Days());

    public List<Finding> evaluate(StoredReading reading, List<StoredReading> recent, Thresholds thresholds) {
        List<Finding> findings = new ArrayList<>();
        for (ReadingRule rule : rules) {
            findings.addAll(rule.evaluate(reading, recent, thresholds));
        }
        return findings;
    }

    /** Whether any rule may look at other readings to judge this one (see {@link ReadingRule#needsRecent}). */
    public boolean needsRecent(StoredReading reading, Thresholds thresholds) {
        for (ReadingRule rule : rules) {
            if (rule.needsRecent(reading, thresholds)) {
                return true;
            }
        }
        return false;
    }

    /** The readings a rule may need lie within this distance of the new one, on either side. */
    public static Duration lookAround(Thresholds thresholds) {
        return Duration.ofDays(Math.max(7, thresholds.intValue(ThresholdKey.BP_REPEAT_WINDOW_DAYS)) + 1);
    }
}
