package health.careloop.clinical.conditions;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How long a condition is expected to last, as the clinician judges it (clinical.condition.expected_duration). */
public enum ExpectedDuration {
    UNDER_3_MONTHS("under 3 months"),
    THREE_TO_12_MONTHS("3 to 12 months"),
    AT_LEAST_12_MONTHS("at least 12 months"),
    LIFELONG("lifelong");

    private final String words;

    ExpectedDuration(String words) {
        this.words = words;
    }

    public String wireName() {
        return this == THREE_TO_12_MONTHS ? "3_to_12_months" : name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ExpectedDuration> fromWire(String value) {
        return Arrays.stream(values()).filter(d -> d.wireName().equals(value)).findFirst();
    }

    /** billing-rules.md 2.2 [S17][S20]: CCM counts conditions expected to last >= 12 months or until death. */
    public boolean isChronicForCcm() {
        return this == AT_LEAST_12_MONTHS || this == LIFELONG;
    }

    public String words() {
        return words;
    }
}
