package health.careloop.common.audit;

import health.careloop.common.csv.CsvCell;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The audit download (RFC 4180, header row): one line per event, the patients a list or file named joined by spaces.
 * Cells come from {@link CsvCell}, so a query string a caller sent starting with {@code =} is text, not a formula.
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
            out.append(CsvCell.row(List.of(CsvCell.number(s.id()), CsvCell.text(e.at().toString()), CsvCell.text(e.actor()), id(e.staffId()),
                    CsvCell.text(e.action()), CsvCell.text(e.resource()), CsvCell.text(e.query()), CsvCell.number(e.outcome()), id(e.practiceId()),
                    id(e.patientId()), CsvCell.text(patients), CsvCell.text(e.clientAddress()))));
        }
        return out.toString();
    }

    private static String id(UUID value) {
        return value == null ? "" : value.toString();
    }
}
