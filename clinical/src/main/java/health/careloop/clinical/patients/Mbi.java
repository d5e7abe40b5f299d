package health.careloop.clinical.patients;

import java.util.Locale;
import java.util.Optional;

/** Medicare Beneficiary Identifier format (billing-rules.md 4 [S40]); the same rule is a CHECK on clinical.patient_profile.mbi. */
public final class Mbi {
    /** Letters an MBI may use: A-Z without S, L, O, I, B and Z. */
    static final String LETTERS = "ACDEFGHJKMNPQRTUVWXY";
    private static final int[] DIGIT_1_TO_9 = {1};
    private static final int[] LETTER = {2, 5, 8, 9};
    private static final int[] DIGIT = {4, 7, 10, 11};
    private static final int[] LETTER_OR_DIGIT = {3, 6};

    private Mbi() {
    }

    /** Upper-case, without the dashes and spaces it is often printed with (1EG4-TE5-MK73). */
    public static String normalise(String raw) {
        return raw.replace("-", "").replace(" ", "").toUpperCase(Locale.ROOT);
    }

    /** Why the (normalised) value is not an MBI, naming the first wrong position; empty when it is one. */
    public static Optional<String> problem(String mbi) {
        if (mbi.length() != 11) {
            return Optional.of("An MBI has 11 characters; '" + mbi + "' has " + mbi.length() + ".");
        }
        for (int position : DIGIT_1_TO_9) {
            char ch = mbi.charAt(position - 1);
            if (ch < '1' || ch > '9') {
                return wrong(position, ch, "a digit 1-9");
            }
        }
        for (int position : LETTER) {
            char ch = mbi.charAt(position - 1);
            if (LETTERS.indexOf(ch) < 0) {
                return wrong(position, ch, "a letter other than S, L, O, I, B or Z");
            }
        }
        for (int position : DIGIT) {
            char ch = mbi.charAt(position - 1);
            if (ch < '0' || ch > '9') {
                return wrong(position, ch, "a digit");
            }
        }
        for (int position : LETTER_OR_DIGIT) {
            char ch = mbi.charAt(position - 1);
            if (LETTERS.indexOf(ch) < 0 && (ch < '0' || ch > '9')) {
                return wrong(position, ch, "a digit or a letter other than S, L, O, I, B or Z");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> wrong(int position, char ch, String expected) {
        return Optional.of("MBI position " + position + " must be " + expected + ", not '" + ch + "'.");
    }
}
