package health.careloop.common.csv;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 4180 quoting and OWASP's CSV-injection rule: text that a spreadsheet would run as a formula starts with a quote. */
class CsvCellTest {
    @Test
    void plainTextIsLeftAloneAndRfc4180QuotingApplies() {
        assertThat(CsvCell.text("plain")).isEqualTo("plain");
        assertThat(CsvCell.text("a,b")).isEqualTo("\"a,b\"");
        assertThat(CsvCell.text("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(CsvCell.text("two\r\nlines")).isEqualTo("\"two\r\nlines\"");
        assertThat(CsvCell.text(null)).isEmpty();
        assertThat(CsvCell.text("")).isEmpty();
        assertThat(CsvCell.text("O'Brien")).isEqualTo("O'Brien");
        assertThat(CsvCell.text("a=b")).as("only a leading = is a formula").isEqualTo("a=b");
    }

    @Test
    void everyFormulaLeadingCellIsPrefixedWithAQuote() {
        assertThat(CsvCell.text("=1+1")).isEqualTo("'=1+1");
        assertThat(CsvCell.text("+1")).isEqualTo("'+1");
        assertThat(CsvCell.text("-1")).isEqualTo("'-1");
        assertThat(CsvCell.text("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(CsvCell.text("\t=1+1")).isEqualTo("'\t=1+1");
        assertThat(CsvCell.text("\r=1+1")).isEqualTo("\"'\r=1+1\"");
        assertThat(CsvCell.text("=HYPERLINK(\"http://x.example\",\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x.example\"\",\"\"x\"\")\"");
    }

    @Test
    void numbersAreNeverPrefixedSoANegativeNumberStaysANumber() {
        assertThat(CsvCell.number(new BigDecimal("-12.50"))).isEqualTo("-12.50");
        assertThat(CsvCell.number(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(CsvCell.number(-3)).isEqualTo("-3");
        assertThat(CsvCell.number(null)).isEmpty();
    }

    @Test
    void aRowIsCommaSeparatedAndEndsInCrlf() {
        assertThat(CsvCell.row(List.of(CsvCell.text("=x"), CsvCell.number(2)))).isEqualTo("'=x,2\r\n");
    }
}
