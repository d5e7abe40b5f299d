package health.careloop.clinical.rules;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Optional;

/**
 * Every tunable number of the alert rules, with its default from clinical guidance (billing-rules.md section 5) and
 * the range a provider may set it to for one patient. Condition-specific defaults are in {@link Thresholds#forPatient}.
 */
public enum ThresholdKey {
    // AHA: SBP > 180 and/or DBP > 120 mmHg is a hypertensive crisis [S43].
    BP_CRISIS_SYSTOLIC("bp.crisis_systolic", "180", "150", "250", "mmHg; a reading above it is a hypertensive crisis (critical)"),
    BP_CRISIS_DIASTOLIC("bp.crisis_diastolic", "120", "90", "160", "mmHg; a reading above it is a hypertensive crisis (critical)"),
    // Stage 2 hypertension: >= 140/90 [S43, billing-rules.md 5].
    BP_HIGH_SYSTOLIC("bp.high_systolic", "140", "110", "200", "mmHg; at or above it a reading is stage 2 hypertension"),
    BP_HIGH_DIASTOLIC("bp.high_diastolic", "90", "60", "130", "mmHg; at or above it a reading is stage 2 hypertension"),
    // Our default: three stage-2 readings within seven days make a sustained elevation worth a clinician's look (high).
    BP_REPEAT_COUNT("bp.repeat_count", "3", "2", "20", "stage 2 readings within the window that raise a high alert"),
    BP_REPEAT_WINDOW_DAYS("bp.repeat_window_days", "7", "1", "30", "days"),
    // ADA Standards of Care: level 1 hypoglycaemia < 70 mg/dL, level 2 < 54 mg/dL [S44].
    GLUCOSE_LEVEL1_BELOW("glucose.level1_below", "70", "54", "100", "mg/dL; below it: level 1 hypoglycaemia (high)"),
    GLUCOSE_LEVEL2_BELOW("glucose.level2_below", "54", "40", "70", "mg/dL; below it: level 2 hypoglycaemia (critical)"),
    // SpO2 < 90 % in general; COPD targets 88-92 %, so < 88 % with COPD (J44.x) [S46].
    SPO2_LOW_BELOW("spo2.low_below", "90", "80", "95", "%; below it: low oxygen saturation (high)"),
    // Weight trends are a heart-failure rule (I50.x and hypertensive heart disease with HF); 1 = evaluated.
    WEIGHT_TREND_ENABLED("weight.trend_enabled", "0", "0", "1", "1 = check weight gain (default 1 with heart failure)"),
    // HF: gain > 2 lb (0.9 kg) in a day or > 5 lb (2.3 kg) in a week [S45].
    WEIGHT_GAIN_24H_KG("weight.gain_24h_kg", "0.9", "0.3", "5", "kg gained within 24 h that raise a high alert"),
    WEIGHT_GAIN_7D_KG("weight.gain_7d_kg", "2.3", "0.5", "10", "kg gained within 7 days that raise a high alert"),
    // Missing data is a clinical event (STYLE.md, Nightscout #418): N whole days without any reading.
    NO_DATA_DAYS("missed.no_data_days", "3", "1", "30", "whole days without any reading that raise a low alert"),
    // RPM device codes need 16 data days per P30 (billing-rules.md 1.1); warn while there is still time.
    DATA_DAYS_SLACK("missed.at_risk_slack_days", "3", "0", "14",
            "days to spare: alert when the days left in the P30 minus the data days still needed fall below this");

    private final String key;
    private final BigDecimal defaultValue;
    private final BigDecimal min;
    private final BigDecimal max;
    private final String description;

    ThresholdKey(String key, String defaultValue, String min, String max, String description) {
        this.key = key;
        this.defaultValue = new BigDecimal(defaultValue);
        this.min = new BigDecimal(min);
        this.max = new BigDecimal(max);
        this.description = description;
    }

    public static Optional<ThresholdKey> fromKey(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
    }

    public String key() {
        return key;
    }

    public BigDecimal defaultValue() {
        return defaultValue;
    }

    public BigDecimal min() {
        return min;
    }

    public BigDecimal max() {
        return max;
    }

    public String description() {
        return description;
    }

    public boolean allows(BigDecimal value) {
        return value.compareTo(min) >= 0 && value.compareTo(max) <= 0;
    }
}
