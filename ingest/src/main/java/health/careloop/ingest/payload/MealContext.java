package health.careloop.ingest.payload;

import java.util.Arrays;
import java.util.Optional;

/** When a glucose reading was taken relative to a meal; fasting and after-meal values have different targets. */
public enum MealContext {
    FASTING("fasting"), BEFORE_MEAL("before_meal"), AFTER_MEAL("after_meal"), BEDTIME("bedtime"), RANDOM("random");

    private final String wireName;

    MealContext(String wireName) {
        this.wireName = wireName;
    }

    public static Optional<MealContext> fromWire(String name) {
        return Arrays.stream(values()).filter(m -> m.wireName.equals(name)).findFirst();
    }

    public String wireName() {
        return wireName;
    }
}
