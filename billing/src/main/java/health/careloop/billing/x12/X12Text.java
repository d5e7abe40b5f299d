package health.careloop.billing.x12;

import java.util.regex.Pattern;

/** Checks shared by the input records: every refusal names the record and field it is about. */
final class X12Text {
    /**
     * X12's basic and extended character sets, without the separators this writer uses ({@code * : ~ ^}) and without
     * control characters: a value may not break the element, component, segment or repetition structure.
     */
    private static final Pattern PRINTABLE = Pattern.compile("[A-Za-z0-9 !\"&'()+,\\-./;?=%@\\[\\]_{}\\\\|<>#$]*");

    private X12Text() {
    }

    /** Non-blank, at most {@code max} characters of the allowed set, trimmed. */
    static String required(String value, String field, int max) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return checked(value.trim(), field, max);
    }

    /** Null or blank becomes null; otherwise as {@link #required}. */
    static String optional(String value, String field, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return checked(value.trim(), field, max);
    }

    static String matching(String value, String field, Pattern pattern, String expected) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be " + expected + ", not " + quoted(value));
        }
        return value;
    }

    static <T> T notNull(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    static String quoted(String value) {
        return value == null ? "null" : "'" + value + "'";
    }

    private static String checked(String value, String field, int max) {
        if (value.length() > max) {
            throw new IllegalArgumentException(field + " has at most " + max + " characters, not " + value.length() + ": " + quoted(value));
        }
        if (!PRINTABLE.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " may not contain the X12 separators * : ~ ^ or characters outside X12's "
                    + "character set: " + quoted(value));
        }
        return value;
    }
}
