package health.careloop.common.audit;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The audit download (RFC 4180, header row): one line per event, the patients a list or file named joined by spaces.
 * Any cell a spreadsheet would read as a formula is neutralised: a query string is whatever a caller sent.
 */
final class AuditCsv {
    static final String HEADER = "id,at,actor,staff_id,action,resource,query,outcome,practice_id,patient_id,patient_ids,client_address";

    private AuditCsv() {
    }

    static String write(List<AuditLog.Stored> events) {
        StringBuilder out = new StringBuilder(HEADER).append("\r\n");
        for (AuditLog.Stored s : events) {
            AuditEvent e = s.event();
            String patients = e.patientIds() == null ? "" : e.patientIds().stream().map(UUID::toString).collect(Collectors.joining(" "));
            out.append(String.join(",", List.of(Long.toString(s.id()), cell(e.at().toString()), cell(e.actor()), cell(e.staffId()),
                    cell(e.action()), cell(e.resource()), cell(e.query()), Integer.toString(e.outcome()), cell(e.practiceId()),
                    cell(e.patientId()), cell(patients), cell(e.clientAddress())))).append("\r\n");
        }
        return out.toString();
    }

    private static String cell(UUID value) {
        return value == null ? "" : value.toString();
    }

    /**
     * One quoted-if-needed cell, a leading = + - @ tab or carriage return defused with an apostrophe (OWASP "CSV
     * injection"). To be replaced by the shared common CSV cell helper once it is on this branch.
     */
    static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String text = "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }
}
