package health.careloop.clinical.rules;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;

/**
 * One patient's effective thresholds: the guideline default, adjusted for the patient's conditions, replaced by a
 * provider's override where there is one. {@link #source} says which of the three applies, for the API.
 */
public final class Thresholds {
    public enum Source { DEFAULT, CONDITION, OVERRIDE }

    private final Map<ThresholdKey, BigDecimal> values;
    private final Map<ThresholdKey, Source> sources;

    private Thresholds(Map<ThresholdKey, BigDecimal> values, Map<ThresholdKey, Source> sources) {
        this.values = values;
        this.sources = sources;
    }

    public static Thresholds defaults() {
        return forPatient(java.util.List.of(), Map.of());
    }

    /** @param icd10 the patient's active conditions (ICD-10-CM, with the dot); @param overrides by key */
    public static Thresholds forPatient(Collection<String> icd10, Map<ThresholdKey, BigDecimal> overrides) {
        Map<ThresholdKey, BigDecimal> values = new EnumMap<>(ThresholdKey.class);
        Map<ThresholdKey, Source> sources = new EnumMap<>(ThresholdKey.class);
        for (ThresholdKey key : ThresholdKey.values()) {
            values.put(key, key.defaultValue());
            sources.put(key, Source.DEFAULT);
        }
        if (icd10.stream().anyMatch(Thresholds::isCopd)) {
            // COPD target saturation 88-92 %: alert below 88 % instead of 90 % [S46].
            values.put(ThresholdKey.SPO2_LOW_BELOW, new BigDecimal("88"));
            sources.put(ThresholdKey.SPO2_LOW_BELOW, Source.CONDITION);
        }
        if (icd10.stream().anyMatch(Thresholds::isHeartFailure)) {
            // Daily weights and gain limits are heart-failure self-care [S45].
            values.put(ThresholdKey.WEIGHT_TREND_ENABLED, BigDecimal.ONE);
            sources.put(ThresholdKey.WEIGHT_TREND_ENABLED, Source.CONDITION);
        }
        overrides.forEach((key, value) -> {
            values.put(key, value);
            sources.put(key, Source.OVERRIDE);
        });
        return new Thresholds(values, sources);
    }

    /** J44.x: chronic obstructive pulmonary disease (billing-rules.md 5). */
    static boolean isCopd(String icd10) {
        return icd10.startsWith("J44");
    }

    /** I50.x heart failure; I11.0, I13.0, I13.2: hypertensive (and renal) heart disease with heart failure. */
    static boolean isHeartFailure(String icd10) {
        return icd10.startsWith("I50") || icd10.equals("I11.0") || icd10.equals("I13.0") || icd10.equals("I13.2");
    }

    public BigDecimal value(ThresholdKey key) {
        return values.get(key);
    }

    public int intValue(ThresholdKey key) {
        return values.get(key).intValue();
    }

    public boolean enabled(ThresholdKey key) {
        return values.get(key).signum() > 0;
    }

    public Source source(ThresholdKey key) {
        return sources.get(key);
    }
}
