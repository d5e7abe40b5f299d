package health.careloop.common.audit;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit download: one line per event, a formula-leading query defused, a list's patients in one cell. */
class AuditCsvTest {
    @Test
    void oneLinePerEventWithFormulasDefusedAndTheListsPatientsInOneCell() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        AuditEvent formula = new AuditEvent(Instant.parse("2026-03-02T10:00:00Z"), "staff:1", null, "GET", "/api/v1/patients",
                "=cmd|' /C calc'!A0", 200, null, null, List.of(a, b), "127.0.0.1");
        AuditEvent quoted = new AuditEvent(Instant.parse("2026-03-02T10:00:01Z"), "anonymous", null, "GET", "/api/v1/tasks", "a=1,2", 401,
                null, null, null, null);
        String csv = AuditCsv.write(List.of(new AuditLog.Stored(7, formula), new AuditLog.Stored(8, quoted)));
        String[] lines = csv.split("\r\n");
        assertThat(lines[0]).isEqualTo(AuditCsv.HEADER);
        assertThat(lines[1]).isEqualTo("7,2026-03-02T10:00:00Z,staff:1,,GET,/api/v1/patients,'=cmd|' /C calc'!A0,200,,," + a + " " + b
                + ",127.0.0.1");
        assertThat(lines[2]).isEqualTo("8,2026-03-02T10:00:01Z,anonymous,,GET,/api/v1/tasks,\"a=1,2\",401,,,,");
        assertThat(csv).endsWith("\r\n");
    }
}
