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
        String csv = ClaimCsv.write(List.of(line(new BigDecimal("47.43"), "99445: 15 data days, in the period")),
                id -> new ClaimCsv.Patient("MRN,1", "Núñez", "José", LocalDate.of(1948, 5, 17), "1EG4TE5MK73"), "1987654328", l -> "ready");
        String[] rows = csv.split("\r\n");
        assertThat(rows).hasSize(2);
        assertThat(rows[0]).isEqualTo(String.join(",", ClaimCsv.HEADER));
        assertThat(rows[1]).startsWith("\"Núñez, José\",1948-05-17,1EG4TE5MK73,\"MRN,1\",2026-11-29,99445,1,,I10 E11.9,1234567893,1987654328,11,47.43,ready,"
                + "2026-10-31,2026-11-29,,15,\"99445: 15 data days, in the period\"," + PATIENT + ",");
    }

    @Test
    void anExternalReferenceThatStartsLikeAFormulaIsExportedAsText() {
        for (String formula : List.of("=1+1", "+1", "-1", "@SUM(A1)", "\t=1+1", "\r=1+1", "=HYPERLINK(\"http://x.example\",\"click\")")) {
            String csv = ClaimCsv.write(List.of(line(new BigDecimal("47.43"), "ok")), id -> new ClaimCsv.Patient("MRN", formula, "Ann", null, null), null,
                    l -> "ready");
            String cell = csv.split("\r\n", -1)[1];
            // "Family, Given" holds a comma, so the cell is always quoted; inside, the formula is neutralised.
            assertThat(cell).as("patient name %s", formula).startsWith("\"'");
        }
        String csv = ClaimCsv.write(List.of(line(new BigDecimal("47.43"), "ok")), id -> new ClaimCsv.Patient("=1+1", null, null, null, null), null,
                l -> "ready");
        assertThat(csv).contains("," + "'=1+1" + ",").doesNotContain(",=1+1");
    }

    @Test
    void aNegativeChargeStaysANumber() {
        String csv = ClaimCsv.write(List.of(line(new BigDecimal("-12.50"), "adjustment")), id -> new ClaimCsv.Patient("MRN-1", null, null, null, null),
                null, l -> "ready");
        assertThat(csv.split("\r\n")[1]).contains(",11,-12.50,ready,");
    }
}
