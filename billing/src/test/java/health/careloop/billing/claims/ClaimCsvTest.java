package health.careloop.billing.claims;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 4180 quoting of the CSV export. */
class ClaimCsvTest {
    @Test
    void fieldsWithCommasQuotesAndLineBreaksAreQuoted() {
        assertThat(ClaimCsv.field("plain")).isEqualTo("plain");
        assertThat(ClaimCsv.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(ClaimCsv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(ClaimCsv.field("two\r\nlines")).isEqualTo("\"two\r\nlines\"");
    }

    @Test
    void oneRowPerLineWithCrlf() {
        UUID patient = UUID.randomUUID();
        ClaimLine line = new ClaimLine(patient, BillingCode.RPM_DEVICE_2, 1, LocalDate.of(2026, 11, 29), LocalDate.of(2026, 10, 31),
                LocalDate.of(2026, 11, 29), List.of("I10", "E11.9"), UUID.randomUUID(), "1234567893", "11", new BigDecimal("47.43"), null, 15,
                "99445: 15 data days, in the period");
        String csv = ClaimCsv.write(List.of(line), id -> "MRN,1");
        String[] rows = csv.split("\r\n");
        assertThat(rows).hasSize(2);
        assertThat(rows[1]).startsWith(patient + ",\"MRN,1\",99445,1,2026-11-29,2026-10-31,2026-11-29,I10 E11.9,1234567893,")
                .endsWith(",11,47.43,,15,\"99445: 15 data days, in the period\"");
    }
}
