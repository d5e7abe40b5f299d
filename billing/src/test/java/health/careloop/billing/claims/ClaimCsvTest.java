package health.careloop.billing.claims;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 4180 quoting of the CSV export, and cells a spreadsheet would run as formulas neutralised (CsvCell). */
class ClaimCsvTest {
    private static final UUID PATIENT = UUID.fromString("6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab");

    private static ClaimLine line(BigDecimal charge, String justification) {
        return new ClaimLine(PATIENT, BillingCode.RPM_DEVICE_2, 1, LocalDate.of(2026, 11, 29), LocalDate.of(2026, 10, 31),
                LocalDate.of(2026, 11, 29), List.of("I10", "E11.9"), UUID.randomUUID(), "1234567893", "11", charge, null, 15, justification);
    }

    @Test
    void oneRowPerLineWithCrlfAndQuotedFields() {
        String csv = ClaimCsv.write(List.of(line(new BigDecimal("47.43"), "99445: 15 data days, in the period")), id -> "MRN,1");
        String[] rows = csv.split("\r\n");
        assertThat(rows).hasSize(2);
        assertThat(rows[0]).isEqualTo(String.join(",", ClaimCsv.HEADER));
        assertThat(rows[1]).startsWith(PATIENT + ",\"MRN,1\",99445,1,2026-11-29,2026-10-31,2026-11-29,I10 E11.9,1234567893,")
                .endsWith(",11,47.43,,15,\"99445: 15 data days, in the period\"");
    }

    @Test
    void anExternalReferenceThatStartsLikeAFormulaIsExportedAsText() {
        for (String formula : List.of("=1+1", "+1", "-1", "@SUM(A1)", "\t=1+1", "\r=1+1", "=HYPERLINK(\"http://x.example\",\"click\")")) {
            String csv = ClaimCsv.write(List.of(line(new BigDecimal("47.43"), "ok")), id -> formula);
            String cell = csv.split("\r\n", -1)[1].substring(PATIENT.toString().length() + 1);
            assertThat(cell).as("external_ref %s", formula).startsWith(formula.contains("\"") || formula.contains("\r") ? "\"'" : "'");
        }
        String csv = ClaimCsv.write(List.of(line(new BigDecimal("47.43"), "ok")), id -> "=1+1");
        assertThat(csv).contains("," + "'=1+1" + ",").doesNotContain(",=1+1");
    }

    @Test
    void aNegativeChargeStaysANumber() {
        String csv = ClaimCsv.write(List.of(line(new BigDecimal("-12.50"), "adjustment")), id -> "MRN-1");
        assertThat(csv.split("\r\n")[1]).contains(",11,-12.50,,15,adjustment");
    }
}
