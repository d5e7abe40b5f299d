package health.careloop.billing.claims;

import health.careloop.common.csv.CsvCell;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Claim lines as a biller's worklist (issue 18): one row per line with what a biller keys or checks against the
 * payer's portal (patient name, birth date, MBI, date of service, code, units, modifiers, diagnoses, rendering and
 * billing NPI, place of service, charge, claim status), then the engine's own columns. CRLF line ends, a header row,
 * cells made by common's {@link CsvCell} (RFC 4180 quoting; text that starts like a spreadsheet formula, such as an
 * external reference "=1+1" or a name, is neutralised). units, charge, minutes_counted and data_days are numbers. Pure;
 * the file is PHI, so the API audits its download naming the patients.
 */
public final class ClaimCsv {
    static final List<String> HEADER = List.of("patient_name", "birth_date", "mbi", "external_ref", "date_of_service", "code", "units", "modifiers",
            "diagnoses", "rendering_npi", "billing_npi", "place_of_service", "charge", "claim_status", "period_start", "period_end", "minutes_counted",
            "data_days", "justification", "patient_id", "billing_practitioner_id");

    /** What the worklist shows of a patient; any part may be missing (not recorded yet). */
    public record Patient(String externalRef, String familyName, String givenName, LocalDate birthDate, String mbi) {
        String name() {
            if (familyName == null && givenName == null) {
                return null;
            }
            return (familyName == null ? "" : familyName) + (givenName == null ? "" : ", " + givenName);
        }
    }

    private ClaimCsv() {
    }

    /**
     * @param patients        the patient of each line (never null; parts may be)
     * @param organisationNpi the billing provider's NPI (the practice's billing profile), or null before it is set
     * @param status          each line's claim status in words ("ready", "no fee", "accepted", "rejected: …")
     */
    public static String write(List<ClaimLine> lines, Function<UUID, Patient> patients, String organisationNpi, Function<ClaimLine, String> status) {
        StringBuilder out = new StringBuilder();
        out.append(CsvCell.row(HEADER.stream().map(CsvCell::text).toList()));
        for (ClaimLine l : lines) {
            Patient p = patients.apply(l.patientId());
            List<String> cells = new ArrayList<>(HEADER.size());
            cells.add(CsvCell.text(p.name()));
            cells.add(CsvCell.text(p.birthDate() == null ? null : p.birthDate().toString()));
            cells.add(CsvCell.text(p.mbi()));
            cells.add(CsvCell.text(p.externalRef()));
            cells.add(CsvCell.text(l.dateOfService().toString()));
            cells.add(CsvCell.text(l.code().cpt()));
            cells.add(CsvCell.number(l.units()));
            cells.add(CsvCell.text("")); // no modifier: RPM and CCM are not telehealth (no 95), billing-rules.md 4
            cells.add(CsvCell.text(String.join(" ", l.diagnoses())));
            cells.add(CsvCell.text(l.billingNpi()));
            cells.add(CsvCell.text(organisationNpi == null ? l.billingNpi() : organisationNpi));
            cells.add(CsvCell.text(l.placeOfService()));
            cells.add(CsvCell.number(l.charge()));
            cells.add(CsvCell.text(status.apply(l)));
            cells.add(CsvCell.text(l.periodStart().toString()));
            cells.add(CsvCell.text(l.periodEnd().toString()));
            cells.add(CsvCell.number(l.minutesCounted()));
            cells.add(CsvCell.number(l.dataDays()));
            cells.add(CsvCell.text(l.justification()));
            cells.add(CsvCell.text(l.patientId().toString()));
            cells.add(CsvCell.text(l.billingPractitionerId().toString()));
            out.append(CsvCell.row(cells));
        }
        return out.toString();
    }
}
