package health.careloop.ingest.payload;

import java.math.BigDecimal;

/**
 * Values a living patient's home device can report, in stored units. Outside them the reading is a device or entry
 * error, not a clinical finding, so it is refused (dead letter "implausible_value") rather than alerted on. The ranges
 * are wide on purpose: a hypertensive crisis (SBP > 180) or severe hypoglycaemia (< 54 mg/dL) must get through.
 */
public enum PlausibleRange {
    SYSTOLIC("systolic", 50, 300),
    DIASTOLIC("diastolic", 20, 200),
    PULSE("pulse", 20, 300),
    GLUCOSE_MG_DL("glucose", 10, 1000),
    WEIGHT_KG("weight", 1, 500),
    SPO2("spo2", 50, 100);

    private final String field;
    private final BigDecimal min;
    private final BigDecimal max;

    PlausibleRange(String field, int min, int max) {
        this.field = field;
        this.min = BigDecimal.valueOf(min);
        this.max = BigDecimal.valueOf(max);
    }

    public boolean contains(BigDecimal value) {
        return value.compareTo(min) >= 0 && value.compareTo(max) <= 0;
    }

    public String describe(BigDecimal value, String unit) {
        return field + " " + value.stripTrailingZeros().toPlainString() + " " + unit + " is outside " + min + "-" + max + " " + unit;
    }
}
