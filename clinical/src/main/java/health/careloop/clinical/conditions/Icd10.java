package health.careloop.clinical.conditions;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * ICD-10-CM code checks. billing-rules.md 5: only billable leaf codes, validated against the CMS table for the date of
 * service. Without that table loaded, this checks the format and refuses the category and subcategory headers of the
 * conditions CareLoop manages, which are the mistakes billing-rules.md 7 (item 10) lists.
 */
public final class Icd10 {
    /** Same as the CHECK on clinical.condition.icd10: letter, digit, digit-or-letter, optionally a dot and 1-4 more. */
    private static final Pattern FORMAT = Pattern.compile("[A-Z][0-9][0-9A-Z](\\.[0-9A-Z]{1,4})?");

    /** Headers that have subdivisions, so are never billed, with the codes to use instead. */
    private static final Map<String, String> NOT_BILLABLE = Map.ofEntries(
            // billing-rules.md 5 [S47]: N18.3 was split into N18.30/.31/.32.
            Map.entry("N18.3", "N18.30, N18.31 or N18.32"),
            Map.entry("N18", "N18.1, N18.2, N18.30, N18.31, N18.32, N18.4, N18.5, N18.6 or N18.9"),
            // billing-rules.md 7 item 10: E11 alone is a header.
            Map.entry("E11", "a complete code such as E11.9, E11.65 or E11.22"),
            Map.entry("E11.2", "E11.21, E11.22 or E11.29"),
            Map.entry("E11.6", "a complete code such as E11.65 or E11.69"),
            Map.entry("E10", "a complete code such as E10.9 or E10.65"),
            // billing-rules.md 5: hypertension with heart failure is I11.0 + I50.x.
            Map.entry("I11", "I11.0 or I11.9"),
            Map.entry("I12", "I12.0 or I12.9"),
            Map.entry("I13", "I13.0, I13.10, I13.11 or I13.2"),
            Map.entry("I13.1", "I13.10 or I13.11"),
            Map.entry("I50", "a complete code such as I50.22, I50.32 or I50.9"),
            Map.entry("I50.2", "I50.20, I50.21, I50.22 or I50.23"),
            Map.entry("I50.3", "I50.30, I50.31, I50.32 or I50.33"),
            Map.entry("I50.4", "I50.40, I50.41, I50.42 or I50.43"),
            Map.entry("J44", "J44.0, J44.1 or J44.9"),
            Map.entry("J45", "a complete code such as J45.909"),
            Map.entry("J45.9", "a complete code such as J45.909"),
            Map.entry("J45.90", "J45.901, J45.902 or J45.909"),
            Map.entry("M19", "a complete code such as M19.90"),
            Map.entry("M19.9", "M19.90, M19.91, M19.92 or M19.93"),
            Map.entry("M06", "a complete code such as M06.9"),
            // billing-rules.md 5 [S47]: unspecified depression is F32.A; MDD is F32.x or F33.x.
            Map.entry("F32", "F32.A for depression, unspecified, or a complete F32.x code for major depressive disorder"),
            Map.entry("F33", "a complete F33.x code such as F33.9"));

    private Icd10() {
    }

    /** Upper-cases and puts the dot after the category ("e119" becomes "E11.9"). */
    public static String normalise(String raw) {
        String code = raw.trim().toUpperCase(Locale.ROOT);
        if (code.length() > 3 && code.indexOf('.') < 0) {
            code = code.substring(0, 3) + "." + code.substring(3);
        }
        return code;
    }

    /** Why the (normalised) code cannot be recorded for billing, or empty when it can. */
    public static Optional<String> problem(String code) {
        if (!FORMAT.matcher(code).matches()) {
            return Optional.of("'" + code + "' is not an ICD-10-CM code: a letter, a digit, a digit or letter, then optionally a dot and 1-4 more characters (E11.9, F32.A).");
        }
        String instead = NOT_BILLABLE.get(code);
        if (instead != null) {
            return Optional.of(code + " is a category header, not a billable ICD-10-CM code; use " + instead + ".");
        }
        return Optional.empty();
    }

    /** A code that is billable but often chosen by mistake. */
    public static Optional<String> warning(String code, String description) {
        String words = description.toLowerCase(Locale.ROOT);
        // billing-rules.md 5 and 7 item 10: F32.9 is MDD, single episode; plain "depression" is F32.A.
        if (code.equals("F32.9") && !words.contains("major") && !words.contains("mdd")) {
            return Optional.of("F32.9 is major depressive disorder, single episode, unspecified; depression, unspecified is F32.A.");
        }
        return Optional.empty();
    }
}
