package health.careloop.billing.claims;

import java.util.List;
import java.util.Locale;

/**
 * The rule choices billing-rules.md leaves to the practice (DISPUTED or payer-dependent; section 8 lists them), each
 * with its default, the values it takes, what it changes and its source. A practice stores a value with the first day
 * of the billing month it takes effect from; a month is evaluated with the values in effect on its first day.
 */
public enum BillingSetting {
    SETUP_RULE("setupRule", "first_period_qualifies", List.of("first_period_qualifies", "sixteen_days", "two_days"),
            "When 99453 (set-up) is billed: only if the first 30-day period qualifies for 99445 or 99454 (default), with 16 data days "
                    + "(the rule through 2025), or with 2 data days (one vendor's 2026 reading).",
            "billing-rules.md 1.1 DISPUTED [S13][S10][S54]"),
    MAX_99458_UNITS("max99458Units", "2", List.of("1", "2", "3"),
            "The most 99458 units (each further 20 minutes of RPM treatment management) billed in a month.",
            "billing-rules.md 1.1 DISPUTED: MUE 3 since July 2023 [S14]; \"commonly 2\" [S15]"),
    MAX_99437_UNITS("max99437Units", "2", List.of("1", "2", "3", "4"),
            "The most 99437 units (each further 30 minutes of the physician's own CCM time) billed in a month.",
            "billing-rules.md 2.1: RVUDoc says 2 [S15]; verify the MUE"),
    MAX_99489_UNITS("max99489Units", "0", List.of("0", "1", "2", "3", "4", "5", "6"),
            "The most 99489 units (each further 30 minutes of complex CCM) billed in a month; 0 means no cap.",
            "billing-rules.md 2.1: no CMS cap found [S30]"),
    MESSAGING_IS_INTERACTIVE("messagingIsInteractive", "false", List.of("false", "true"),
            "Whether real-time secure messaging counts as the interactive communication 99457 and 99470 need (default: only a logged "
                    + "phone or video call).",
            "billing-rules.md 1.4 DISPUTED [S8][S9] vs vendors [S32][S35]"),
    PLACE_OF_SERVICE("placeOfService", "11", List.of(),
            "The place of service on every claim line: two digits, never the telehealth codes 02 or 10 (the MAC may expect another than 11).",
            "billing-rules.md 4 [S9][S51]");

    private final String wireName;
    private final String defaultValue;
    private final List<String> allowed;
    private final String changes;
    private final String source;

    BillingSetting(String wireName, String defaultValue, List<String> values, String changes, String source) {
        this.wireName = wireName;
        this.defaultValue = defaultValue;
        this.allowed = values;
        this.changes = changes;
        this.source = source;
    }

    public String wireName() {
        return wireName;
    }

    public String defaultValue() {
        return defaultValue;
    }

    /** The values allowed; empty for place of service, which is checked by pattern. */
    public List<String> allowed() {
        return allowed;
    }

    public String changes() {
        return changes;
    }

    public String source() {
        return source;
    }

    public static java.util.Optional<BillingSetting> ofWire(String name) {
        for (BillingSetting s : values()) {
            if (s.wireName.equals(name)) {
                return java.util.Optional.of(s);
            }
        }
        return java.util.Optional.empty();
    }

    /** The value as the settings spell it, or an IllegalArgumentException naming what is allowed. */
    public String check(String value) {
        if (this == PLACE_OF_SERVICE) {
            if (value == null || !value.matches("[0-9]{2}") || value.equals("02") || value.equals("10")) {
                throw new IllegalArgumentException(wireName + " must be two digits and not telehealth (02 or 10), not '" + value + "'");
            }
            return value;
        }
        if (value == null || !allowed.contains(value)) {
            throw new IllegalArgumentException(wireName + " must be one of " + String.join(", ", allowed) + ", not '" + value + "'");
        }
        return value;
    }

    /** The value of this setting in {@code s}, as the API spells it. */
    public String valueIn(BillingSettings s) {
        return switch (this) {
            case SETUP_RULE -> s.setupRule().name().toLowerCase(Locale.ROOT);
            case MAX_99458_UNITS -> Integer.toString(s.max99458Units());
            case MAX_99437_UNITS -> Integer.toString(s.max99437Units());
            case MAX_99489_UNITS -> Integer.toString(s.max99489Units());
            case MESSAGING_IS_INTERACTIVE -> Boolean.toString(s.messagingIsInteractive());
            case PLACE_OF_SERVICE -> s.placeOfService();
        };
    }

    /** {@code s} with this setting set to {@code value} (checked). */
    public BillingSettings applyTo(BillingSettings s, String value) {
        String v = check(value);
        return switch (this) {
            case SETUP_RULE -> s.withSetupRule(BillingSettings.SetupRule.valueOf(v.toUpperCase(Locale.ROOT)));
            case MAX_99458_UNITS -> s.withMax99458Units(Integer.parseInt(v));
            case MAX_99437_UNITS -> new BillingSettings(s.setupRule(), s.max99458Units(), s.max99439Units(), Integer.parseInt(v), s.max99489Units(),
                    s.messagingIsInteractive(), s.placeOfService(), s.fees());
            case MAX_99489_UNITS -> s.withMax99489Units(Integer.parseInt(v));
            case MESSAGING_IS_INTERACTIVE -> s.withMessagingIsInteractive(Boolean.parseBoolean(v));
            case PLACE_OF_SERVICE -> new BillingSettings(s.setupRule(), s.max99458Units(), s.max99439Units(), s.max99437Units(), s.max99489Units(),
                    s.messagingIsInteractive(), v, s.fees());
        };
    }

    /** How a reason names this setting when it decided the outcome: "practice setting max99458Units = 2". */
    public String named(BillingSettings s) {
        return "practice setting " + wireName + " = " + valueIn(s);
    }
}
