package health.careloop.common.audit;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit download: formula-leading cells defused, RFC 4180 quoting, patients of a list in one cell. */
class AuditCsvTest {
    @Test
    void formulaLeadingCellsAreDefused() {
        for (String formula : List.of("=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx")) {
            assertThat(AuditCsv.cell(formula)).as(formula).matches("(?s)\"?'.*");
        }
        assertThat(AuditCsv.cell("=1+1")).isEqualTo("'=1+1");
        assertThat(AuditCsv.cell("limit=5")).isEqualTo("limit=5");
        assertThat(AuditCsv.cell("a,b")).isEqualTo("\"a,b\"");
        assertThat(AuditCsv.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(AuditCsv.cell(null)).isEmpty();
    }

    @Test
    void oneLinePerEventWithTheListsPatientsInOneCell() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        AuditEvent e = new AuditEvent(Instant.parse("2026-03-02T10:00:00Z"), "staff:1", null, "GET", "/api/v1/patients", "=cmd|' /C calc'!A0",
                200, null, null, List.of(a, b), "127.0.0.1");
        String csv = AuditCsv.write(List.of(new AuditLog.Stored(7, e)));
        assertThat(csv).startsWith(AuditCsv.HEADER + "\r\n");
        assertThat(csv.split("\r\n")[1]).isEqualTo("7,2026-03-02T10:00:00Z,staff:1,,GET,/api/v1/patients,'=cmd|' /C calc'!A0,200,,," + a + " " + b
                + ",127.0.0.1");
    }
}
