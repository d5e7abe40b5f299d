package health.careloop.billing.claims;

import health.careloop.common.csv.CsvCell;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Claim lines as CSV, one row per line: CRLF line ends, a header row, cells made by common's {@link CsvCell} (RFC 4180
 * quoting; text that starts like a spreadsheet formula, such as an external reference "=1+1", is neutralised). units,
 * charge, minutes_counted and data_days are numeric cells, written as numbers. Pure.
 */
public final class ClaimCsv {
    static final List<String> HEADER = List.of("patient_id", "external_ref", "code", "units", "date_of_service", "period_start", "period_end",
            "diagnoses", "billing_npi", "billing_practitioner_id", "place_of_service", "charge", "minutes_counted", "data_days", "justification");

    private ClaimCsv() {
    }

    public static String write(List<ClaimLine> lines, Function<UUID, String> externalRef) {
        StringBuilder out = new StringBuilder();
        out.append(CsvCell.row(HEADER.stream().map(CsvCell::text).toList()));
        for (ClaimLine l : lines) {
            List<String> cells = new ArrayList<>(HEADER.size());
            cells.add(CsvCell.text(l.patientId().toString()));
            cells.add(CsvCell.text(externalRef.apply(l.patientId())));
            cells.add(CsvCell.text(l.code().cpt()));
            cells.add(CsvCell.number(l.units()));
            cells.add(CsvCell.text(l.dateOfService().toString()));
            cells.add(CsvCell.text(l.periodStart().toString()));
            cells.add(CsvCell.text(l.periodEnd().toString()));
            cells.add(CsvCell.text(String.join(" ", l.diagnoses())));
            cells.add(CsvCell.text(l.billingNpi()));
            cells.add(CsvCell.text(l.billingPractitionerId().toString()));
            cells.add(CsvCell.text(l.placeOfService()));
            cells.add(CsvCell.number(l.charge()));
            cells.add(CsvCell.number(l.minutesCounted()));
            cells.add(CsvCell.number(l.dataDays()));
            cells.add(CsvCell.text(l.justification()));
            out.append(CsvCell.row(cells));
        }
        return out.toString();
    }
}
