package health.careloop.clinical.rules;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How urgent an alert is; decides its follow-up task's priority and due time, and whether it escalates. */
public enum Severity {
    CRITICAL, HIGH, LOW;

    public static Optional<Severity> fromWire(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(name)).findFirst();
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
