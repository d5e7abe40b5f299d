package health.careloop.billing.encounters;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The visits that can initiate CCM (billing-rules.md 2.2 [S18][S20]). */
public enum VisitKind {
    /** An evaluation and management visit, any level. */
    EM("E/M visit"),
    /** Annual wellness visit. */
    AWV("annual wellness visit"),
    /** Initial preventive physical examination. */
    IPPE("initial preventive physical examination");

    private final String words;

    VisitKind(String words) {
        this.words = words;
    }

    public String words() {
        return words;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<VisitKind> fromWire(String value) {
        return Arrays.stream(values()).filter(k -> k.wireName().equals(value)).findFirst();
    }
}
