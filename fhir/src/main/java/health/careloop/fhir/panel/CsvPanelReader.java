package health.careloop.fhir.panel;

import health.careloop.billing.encounters.VisitKind;
import health.careloop.clinical.careplan.CarePlan;
import health.careloop.clinical.conditions.ExpectedDuration;
import health.careloop.clinical.conditions.Icd10;
import health.careloop.clinical.consent.Program;
import health.careloop.clinical.patients.Address;
import health.careloop.clinical.patients.Mbi;
import health.careloop.clinical.patients.Sex;
import health.careloop.common.auth.Npi;
import health.careloop.common.http.ApiException;
import health.careloop.fhir.panel.PanelItem.Key;
import health.careloop.fhir.r4.CodeSystems;
import health.careloop.ingest.devices.DeviceKind;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The panel from a CSV file, for practices without a FHIR API (layout in docs/DESIGN.md, "FHIR and CSV panel import"):
 * a header row, then one record a row, its kind in the column {@code record} ({@code patient}, {@code practitioner},
 * {@code condition}, {@code consent}, {@code care_plan}, {@code visit}, {@code device}); a patient's rows name it by
 * {@code mrn}. Identity: a patient by MRN, a practitioner by NPI, a condition by MRN and ICD-10-CM code, a consent by
 * MRN, program and date, a care plan by MRN and its established day, a visit by MRN and date, a device by its id.
 */
public final class CsvPanelReader {
    public static final List<String> COLUMNS = List.of("record", "mrn", "mbi", "given_name", "family_name", "birth_date", "sex", "phone",
            "address_line1", "address_line2", "city", "state", "zip", "npi", "name", "icd10", "description", "onset", "abatement",
            "expected_duration", "significant_risk", "program", "method", "date", "accepted", "revoked_on", "established_on",
            "expected_outcome", "goal", "goal_target", "goal_date", "intervention", "review_date", "visit_kind", "ccm_assessment", "device_id",
            "device_kind", "model");
    private static final String SOURCE = "csv";

    private CsvPanelReader() {
    }

    public static List<PanelItem> read(String text) {
        CSVParser parser;
        try {
            parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true).setTrim(true).get()
                    .parse(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new ApiException(400, "invalid_csv", "The file is not CSV with a header row: " + e.getMessage());
        }
        List<String> header = parser.getHeaderNames();
        if (!header.contains("record") || !header.contains("mrn") && !header.contains("npi")) {
            throw new ApiException(400, "invalid_csv", "The header row must name the columns 'record' and 'mrn' (layout: " + String.join(",", COLUMNS) + ").");
        }
        List<String> unknown = header.stream().filter(h -> !COLUMNS.contains(h)).toList();
        if (!unknown.isEmpty()) {
            throw new ApiException(400, "invalid_csv", "Unknown column(s) " + String.join(", ", unknown) + "; the layout has " + String.join(",", COLUMNS) + ".");
        }
        List<PanelItem> items = new ArrayList<>();
        try {
            for (CSVRecord row : parser) {
                String label = "line " + (row.getRecordNumber() + 1);
                try {
                    items.add(item(label, new Row(row)));
                } catch (FhirPanelReader.Refusal refusal) {
                    items.add(new PanelItem.Refused(label, refusal.getMessage()));
                }
            }
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            throw new ApiException(400, "invalid_csv", "The file is not valid CSV: " + e.getMessage());
        }
        return items;
    }

    private record Row(CSVRecord row) {
        Optional<String> optional(String column) {
            if (!row.isMapped(column) || !row.isSet(column)) {
                return Optional.empty();
            }
            String v = row.get(column);
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
        }

        String required(String column, String what) {
            return optional(column).orElseThrow(() -> new FhirPanelReader.Refusal(what + ": the column " + column + " is empty"));
        }

        LocalDate date(String column, boolean required) {
            Optional<String> v = optional(column);
            if (v.isEmpty()) {
                if (required) {
                    throw new FhirPanelReader.Refusal("missing date: the column " + column + " is empty");
                }
                return null;
            }
            try {
                return LocalDate.parse(v.get());
            } catch (DateTimeParseException e) {
                throw new FhirPanelReader.Refusal("missing date: " + column + " '" + v.get() + "' is not a date (YYYY-MM-DD)");
            }
        }

        Key patient() {
            return new Key("Patient", SOURCE + ":mrn", required("mrn", "bad identifier"));
        }
    }

    private static PanelItem item(String label, Row r) {
        String kind = r.required("record", "unknown record").toLowerCase();
        return switch (kind) {
            case "patient" -> patient(label, r);
            case "practitioner" -> {
                String npi = r.required("npi", "bad identifier");
                if (!Npi.isValid(npi)) {
                    throw new FhirPanelReader.Refusal("bad identifier: NPI " + npi + " fails its check digit");
                }
                yield new PanelItem.PractitionerRecord(label, new Key("Practitioner", CodeSystems.NPI, npi), npi, r.optional("name").orElse(npi));
            }
            case "condition" -> {
                String icd = Icd10.normalise(r.required("icd10", "unknown code"));
                Icd10.problem(icd).ifPresent(p -> {
                    throw new FhirPanelReader.Refusal("unknown code: " + p);
                });
                ExpectedDuration duration = r.optional("expected_duration").map(v -> ExpectedDuration.fromWire(v)
                        .orElseThrow(() -> new FhirPanelReader.Refusal("unknown code: expected_duration " + v))).orElse(ExpectedDuration.AT_LEAST_12_MONTHS);
                Key patient = r.patient();
                yield new PanelItem.ConditionRecord(label, new Key("Condition", SOURCE, patient.value() + "|" + icd), patient, icd,
                        r.optional("description").orElse(icd), r.date("onset", false), r.date("abatement", false), duration,
                        r.optional("significant_risk").map(Boolean::parseBoolean).orElse(false));
            }
            case "consent" -> {
                Program program = Program.fromWire(r.required("program", "unknown code"))
                        .orElseThrow(() -> new FhirPanelReader.Refusal("unknown code: program must be rpm, ccm, pcm or apcm"));
                LocalDate date = r.date("date", true);
                Key patient = r.patient();
                String method = r.optional("method").orElse("written");
                if (!Set.of("written", "verbal").contains(method)) {
                    throw new FhirPanelReader.Refusal("unknown code: method must be written or verbal");
                }
                yield new PanelItem.ConsentRecord(label, new Key("Consent", SOURCE, patient.value() + "|" + program.wireName() + "|" + date), patient,
                        program, method, date, !"false".equalsIgnoreCase(r.optional("accepted").orElse("true")), r.date("revoked_on", false),
                        r.optional("npi").map(n -> new Key("Practitioner", CodeSystems.NPI, n)).orElse(null));
            }
            case "care_plan" -> {
                LocalDate established = r.date("established_on", true);
                Key patient = r.patient();
                CarePlan plan = new CarePlan(List.of(), r.optional("expected_outcome").orElse(null), null,
                        List.of(new CarePlan.Goal(r.required("goal", "no goal"), r.required("goal_target", "no measurable goal"), r.date("goal_date", true))),
                        null, r.optional("intervention").map(i -> List.of(new CarePlan.Intervention(i, null))).orElse(List.of()), List.of(), List.of(),
                        List.of(), Optional.ofNullable(r.date("review_date", false)).orElse(established.plusYears(1)));
                List<Key> conditions = r.optional("icd10").map(c -> List.of(new Key("Condition", SOURCE, patient.value() + "|" + Icd10.normalise(c))))
                        .orElse(List.of());
                yield new PanelItem.CarePlanRecord(label, new Key("CarePlan", SOURCE, patient.value() + "|" + established), patient, established, plan,
                        conditions);
            }
            case "visit" -> {
                LocalDate date = r.date("date", true);
                Key patient = r.patient();
                VisitKind visitKind = VisitKind.fromWire(r.optional("visit_kind").orElse("em"))
                        .orElseThrow(() -> new FhirPanelReader.Refusal("unknown code: visit_kind must be em, awv or ippe"));
                yield new PanelItem.EncounterRecord(label, new Key("Encounter", SOURCE, patient.value() + "|" + date), patient, visitKind, date,
                        new Key("Practitioner", CodeSystems.NPI, r.required("npi", "no practitioner")),
                        r.optional("ccm_assessment").map(Boolean::parseBoolean).orElse(false));
            }
            case "device" -> {
                String id = r.required("device_id", "bad identifier");
                if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
                    throw new FhirPanelReader.Refusal("bad identifier: device id '" + id + "' must be 1-64 of letters, digits, '.', '_' and '-'");
                }
                DeviceKind deviceKind = DeviceKind.fromWire(r.required("device_kind", "unknown code"))
                        .orElseThrow(() -> new FhirPanelReader.Refusal("unknown code: device_kind must be blood_pressure_cuff, glucometer, scale or pulse_oximeter"));
                yield new PanelItem.DeviceRecord(label, new Key("Device", CodeSystems.DEVICE_ID, id), r.patient(), id, deviceKind,
                        r.optional("model").orElse(null), Instant.now());
            }
            default -> throw new FhirPanelReader.Refusal("unknown record '" + kind + "' (patient, practitioner, condition, consent, care_plan, visit, device)");
        };
    }

    private static PanelItem patient(String label, Row r) {
        Key key = r.patient();
        String mbi = r.optional("mbi").map(Mbi::normalise).orElse(null);
        if (mbi != null) {
            Mbi.problem(mbi).ifPresent(p -> {
                throw new FhirPanelReader.Refusal("bad identifier: the MBI " + p);
            });
        }
        Sex sex = Sex.fromWire(r.optional("sex").orElse("unknown").toLowerCase())
                .orElseThrow(() -> new FhirPanelReader.Refusal("unknown code: sex must be female, male, other or unknown"));
        Address address = r.optional("address_line1").map(line -> new Address(line, r.optional("address_line2").orElse(null),
                r.optional("city").orElse(null), r.optional("state").orElse(null), r.optional("zip").map(z -> z.replace("-", "")).orElse(null))).orElse(null);
        return new PanelItem.PatientRecord(label, key, key.value(), mbi, r.required("given_name", "no name"), r.required("family_name", "no name"),
                r.date("birth_date", true), sex, r.optional("phone").orElse(null), address);
    }
}
