package health.careloop.common.csv;

import java.math.BigDecimal;
import java.util.List;

/**
 * One cell of a CSV export, safe to open in a spreadsheet: every CSV that CareLoop writes builds its cells here.
 * <ul>
 *   <li>RFC 4180: a cell holding a comma, double quote, CR or LF is enclosed in double quotes, inner quotes doubled.</li>
 *   <li>CSV injection (OWASP, "CSV Injection"): a text cell starting with {@code =}, {@code +}, {@code -}, {@code @}, tab or
 *       CR would be read by Excel, LibreOffice or Google Sheets as a formula ({@code =HYPERLINK(…)}, {@code @SUM(…)},
 *       DDE). Such a cell gets a leading single quote, which spreadsheets show as text and which a reader of the raw
 *       file recognises. Text is never interpreted, so an external reference "=1+1" is exported as {@code '=1+1}.</li>
 *   <li>Numbers are written by {@link #number}, never prefixed: a real negative number (a charge adjustment of -12.50)
 *       stays a number, and a number cannot carry a formula.</li>
 * </ul>
 * No CSV library is on the build (Commons CSV and Jackson's CSV module quote, but neither neutralises formulas).
 */
public final class CsvCell {
    private static final String FORMULA_STARTS = "=+-@\t\r";

    private CsvCell() {
    }

    /** A text cell: neutralised when it starts like a formula, then quoted when RFC 4180 needs it; null is empty. */
    public static String text(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String safe = FORMULA_STARTS.indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return quoted(safe);
    }

    /** A numeric cell, as the number's plain text (no exponent); null is empty. */
    public static String number(Number value) {
        if (value == null) {
            return "";
        }
        return value instanceof BigDecimal d ? d.toPlainString() : value.toString();
    }

    /** One line of cells (already made by {@link #text} or {@link #number}), comma-separated and ended by CRLF. */
    public static String row(List<String> cells) {
        return String.join(",", cells) + "\r\n";
    }

    private static String quoted(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\r') < 0 && value.indexOf('\n') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
