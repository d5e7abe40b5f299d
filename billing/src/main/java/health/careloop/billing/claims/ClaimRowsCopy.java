package health.careloop.billing.claims;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.Collection;
import java.util.UUID;

/**
 * Writes a chunk of the close's claim lines and reasons with two COPY statements (PostgreSQL's bulk load: a hundred
 * thousand patients make about a million rows), in the caller's transaction.
 */
final class ClaimRowsCopy {
    private ClaimRowsCopy() {
    }

    static void write(Connection c, UUID practiceId, YearMonth month, Collection<MonthOutcome> outcomes) throws SQLException {
        String monthText = month.atDay(1).toString();
        StringBuilder lines = new StringBuilder();
        StringBuilder reasons = new StringBuilder();
        for (MonthOutcome o : outcomes) {
            for (ClaimLine l : o.lines()) {
                row(lines, UUID.randomUUID(), practiceId, monthText, l.patientId(), l.code().program().wireName(), l.code().cpt(), l.units(),
                        l.dateOfService(), l.periodStart(), l.periodEnd(), "{" + String.join(",", l.diagnoses()) + "}", l.billingPractitionerId(),
                        l.billingNpi(), l.placeOfService(), l.charge() == null ? null : l.charge().toPlainString(), l.minutesCounted(), l.dataDays(), l.justification());
            }
            for (NotBilled n : o.notBilled()) {
                row(reasons, practiceId, monthText, n.patientId(), n.code().cpt(), n.periodEnd(), n.reason());
            }
        }
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        try {
            if (!lines.isEmpty()) {
                copy.copyIn("COPY billing.claim_line (id, practice_id, month, patient_id, program, code, units, date_of_service, period_start, "
                        + "period_end, diagnoses, billing_practitioner_id, billing_npi, place_of_service, charge, minutes_counted, data_days, "
                        + "justification) FROM STDIN", new StringReader(lines.toString()));
            }
            if (!reasons.isEmpty()) {
                copy.copyIn("COPY billing.code_not_billed (practice_id, month, patient_id, code, period_end, reason) FROM STDIN",
                        new StringReader(reasons.toString()));
            }
        } catch (IOException e) {
            throw new SQLException("COPY of claim rows failed", e);
        }
    }

    /** One row of COPY's text format: tab-separated, \N for null, backslash escapes. Diagnosis codes need no array quoting (letters, digits, dot). */
    private static void row(StringBuilder out, Object... values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append('\t');
            }
            Object v = values[i];
            if (v == null) {
                out.append("\\N");
                continue;
            }
            String s = v.toString();
            for (int k = 0; k < s.length(); k++) {
                char ch = s.charAt(k);
                switch (ch) {
                    case '\\' -> out.append("\\\\");
                    case '\t' -> out.append("\\t");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    default -> out.append(ch);
                }
            }
        }
        out.append('\n');
    }
}
