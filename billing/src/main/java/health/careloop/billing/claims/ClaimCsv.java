package health.careloop.billing.claims;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Claim lines as CSV, one row per line. RFC 4180 written by hand (no CSV library is on the build): CRLF line ends, a
 * header row, and every field that holds a comma, double quote, CR or LF is enclosed in double quotes with inner quotes
 * doubled. Pure.
 */
public final class ClaimCsv {
    static final List<String> HEADER = List.of("patient_id", "external_ref", "code", "units", "date_of_service", "period_start", "period_end",
            "diagnoses", "billing_npi", "billing_practitioner_id", "place_of_service", "charge", "minutes_counted", "data_days", "justification");

    private ClaimCsv() {
    }

    public static String write(List<ClaimLine> lines, Function<UUID, String> externalRef) {
        StringBuilder out = new StringBuilder();
        row(out, HEADER);
        for (ClaimLine l : lines) {
            row(out, List.of(l.patientId().toString(), nullToEmpty(externalRef.apply(l.patientId())), l.code().cpt(), Integer.toString(l.units()),
                    l.dateOfService().toString(), l.periodStart().toString(), l.periodEnd().toString(), String.join(" ", l.diagnoses()),
                    l.billingNpi(), l.billingPractitionerId().toString(), l.placeOfService(), l.charge().toPlainString(),
                    l.minutesCounted() == null ? "" : l.minutesCounted().toString(), l.dataDays() == null ? "" : l.dataDays().toString(),
                    l.justification()));
        }
        return out.toString();
    }

    static String field(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\r') < 0 && value.indexOf('\n') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private static void row(StringBuilder out, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(field(fields.get(i)));
        }
        out.append("\r\n");
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
