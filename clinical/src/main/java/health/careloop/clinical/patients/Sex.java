package health.careloop.clinical.patients;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Administrative sex as the claim's DMG segment carries it (billing-rules.md 4: DMG*D8*dob*sex). */
public enum Sex {
    FEMALE, MALE, OTHER, UNKNOWN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Sex> fromWire(String value) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(value)).findFirst();
    }
}
