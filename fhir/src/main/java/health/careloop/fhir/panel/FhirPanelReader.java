package health.careloop.fhir.panel;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import health.careloop.clinical.conditions.ExpectedDuration;
import health.careloop.clinical.conditions.Icd10;
import health.careloop.clinical.consent.Program;
import health.careloop.clinical.patients.Address;
import health.careloop.clinical.patients.Mbi;
import health.careloop.clinical.patients.Sex;
import health.careloop.billing.encounters.VisitKind;
import health.careloop.common.auth.Npi;
import health.careloop.common.http.ApiException;
import health.careloop.fhir.panel.PanelItem.Key;
import health.careloop.fhir.r4.CodeSystems;
import health.careloop.fhir.r4.Dates;
import health.careloop.fhir.r4.Fhir;
import health.careloop.ingest.devices.DeviceKind;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A practice's panel from a FHIR R4 Bundle (collection or transaction), parsed by HAPI: Patient (MRN, MBI as
 * {@code http://hl7.org/fhir/sid/us-mbi}), Practitioner (NPI), Condition (ICD-10-CM, clinical status, onset,
 * abatement), Consent, CarePlan (with its Goals and activities), Encounter (initiating visits) and Device. A Bundle that
 * is no FHIR R4 JSON Bundle is refused whole (400 naming where); a resource CareLoop cannot take is a {@link
 * PanelItem.Refused} naming it and why, and the rest is imported.
 */
public final class FhirPanelReader {
    /** CareLoop's extensions on Condition: the expected duration and significant risk that CCM eligibility needs. */
    public static final String EXPECTED_DURATION = CodeSystems.CARELOOP + "/StructureDefinition/expected-duration";
    public static final String SIGNIFICANT_RISK = CodeSystems.CARELOOP + "/StructureDefinition/significant-risk";
    static final Set<String> TYPES = Set.of("Patient", "Practitioner", "Condition", "Consent", "CarePlan", "Encounter", "Device", "Goal");

    private final Map<String, Key> keysByReference = new HashMap<>();
    private final Map<String, Resource> resourcesByReference = new HashMap<>();

    private FhirPanelReader() {
    }

    public static List<PanelItem> read(String json) {
        Bundle bundle;
        try {
            IParser parser = Fhir.context().newJsonParser().setParserErrorHandler(new NamingParseErrors());
            bundle = parser.parseResource(Bundle.class, json);
        } catch (DataFormatException e) {
            // Only a file that fails is parsed again entry by entry, so that the refusal names the entry (parsing a panel
            // of 10,000 patients twice doubled the import's CPU).
            checkEachResource(json);
            throw new ApiException(400, "invalid_bundle", "The file is not a FHIR R4 JSON Bundle CareLoop can read: " + e.getMessage());
        }
        if (bundle.getType() != Bundle.BundleType.COLLECTION && bundle.getType() != Bundle.BundleType.TRANSACTION) {
            throw new ApiException(400, "invalid_bundle", "The Bundle's type must be collection or transaction, not "
                    + (bundle.getType() == null ? "missing" : bundle.getType().toCode()) + ".");
        }
        return new FhirPanelReader().items(bundle);
    }

    /** Parses each entry's resource on its own first, so that a refusal names the entry and resource it is about. */
    private static void checkEachResource(String json) {
        io.vertx.core.json.JsonObject root;
        try {
            root = new io.vertx.core.json.JsonObject(json);
        } catch (RuntimeException e) {
            throw new ApiException(400, "invalid_bundle", "The file is not JSON: send a FHIR R4 Bundle (application/fhir+json).");
        }
        if (!"Bundle".equals(root.getValue("resourceType"))) {
            throw new ApiException(400, "invalid_bundle", "The file's resourceType must be Bundle, not " + root.getValue("resourceType") + ".");
        }
        Object entries = root.getValue("entry");
        if (!(entries instanceof io.vertx.core.json.JsonArray list)) {
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            Object entry = list.getValue(i);
            Object resource = entry instanceof io.vertx.core.json.JsonObject e ? e.getValue("resource") : null;
            if (!(resource instanceof io.vertx.core.json.JsonObject r)) {
                continue;
            }
            String name = "entry " + (i + 1) + " (" + r.getValue("resourceType") + (r.getValue("id") == null ? "" : "/" + r.getValue("id")) + ")";
            try {
                Fhir.context().newJsonParser().setParserErrorHandler(new NamingParseErrors()).parseResource(r.encode());
            } catch (DataFormatException e) {
                throw new ApiException(400, "invalid_bundle", "The Bundle's " + name + " is not a FHIR R4 resource CareLoop can read: " + e.getMessage());
            }
        }
    }

    private List<PanelItem> items(Bundle bundle) {
        List<Bundle.BundleEntryComponent> entries = bundle.getEntry();
        Map<Resource, String> labels = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            Resource r = entries.get(i).getResource();
            if (r == null) {
                continue;
            }
            String id = r.getIdElement().getIdPart();
            labels.put(r, r.fhirType() + (id == null ? "" : "/" + id) + " (entry " + (i + 1) + ")");
            register(entries.get(i).getFullUrl(), r);
            if (id != null) {
                register(r.fhirType() + "/" + id, r);
            }
        }
        List<PanelItem> items = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Resource r = entries.get(i).getResource();
            if (r == null) {
                items.add(new PanelItem.Refused("entry " + (i + 1), "the entry holds no resource"));
                continue;
            }
            String label = labels.get(r);
            try {
                PanelItem item = switch (r.fhirType()) {
                    case "Patient" -> patient(label, (Patient) r);
                    case "Practitioner" -> practitioner(label, (Practitioner) r);
                    case "Condition" -> condition(label, (Condition) r);
                    case "Consent" -> consent(label, (Consent) r);
                    case "CarePlan" -> FhirCarePlans.read(label, (org.hl7.fhir.r4.model.CarePlan) r, this);
                    case "Encounter" -> encounter(label, (Encounter) r);
                    case "Device" -> device(label, (Device) r);
                    case "Goal" -> null; // read with the CarePlan that names it
                    default -> new PanelItem.Refused(label, "CareLoop does not import " + r.fhirType() + " resources (it imports "
                            + String.join(", ", TYPES) + ")");
                };
                if (item != null) {
                    items.add(item);
                }
            } catch (Refusal refusal) {
                items.add(new PanelItem.Refused(label, refusal.getMessage()));
            }
        }
        return items;
    }

    /** Why one resource cannot be imported; caught per resource. */
    static final class Refusal extends RuntimeException {
        Refusal(String reason) {
            super(reason, null, false, false);
        }
    }

    private void register(String reference, Resource r) {
        if (reference == null || reference.isBlank()) {
            return;
        }
        resourcesByReference.put(reference, r);
        try {
            Key key = keyOf(r);
            if (key != null) {
                keysByReference.put(reference, key);
            }
        } catch (Refusal ignored) {
            // the resource itself is reported as refused
        }
    }

    Key keyOf(Resource r) {
        return switch (r.fhirType()) {
            case "Patient" -> patientKey((Patient) r);
            case "Practitioner" -> new Key("Practitioner", CodeSystems.NPI, npi((Practitioner) r));
            case "Condition" -> recordKey("Condition", ((Condition) r).getIdentifier(), r);
            case "Consent" -> recordKey("Consent", ((Consent) r).getIdentifier(), r);
            case "CarePlan" -> recordKey("CarePlan", ((org.hl7.fhir.r4.model.CarePlan) r).getIdentifier(), r);
            case "Encounter" -> recordKey("Encounter", ((Encounter) r).getIdentifier(), r);
            case "Device" -> new Key("Device", CodeSystems.DEVICE_ID, deviceId((Device) r));
            default -> null;
        };
    }

    /** A resource named by a reference: within the Bundle, or (a patient) already in CareLoop as Patient/<id>. */
    Key reference(Reference reference, String what, String type) {
        if (reference == null || !reference.hasReference()) {
            throw new Refusal("it names no " + what);
        }
        String ref = reference.getReference();
        Key key = keysByReference.get(ref);
        if (key == null) {
            int slash = ref.lastIndexOf(type + "/");
            if (slash >= 0) {
                key = keysByReference.get(ref.substring(slash));
            }
        }
        if (key != null && key.type().equals(type)) {
            return key;
        }
        if (type.equals("Patient") && ref.startsWith("Patient/") && ref.length() == 44) {
            return new Key("Patient", PanelImport.CARELOOP_ID, ref.substring(8));
        }
        throw new Refusal("its " + what + " (" + ref + ") is not a " + type + " in this Bundle that CareLoop can import");
    }

    Resource resource(Reference reference) {
        return reference == null || !reference.hasReference() ? null : resourcesByReference.get(reference.getReference());
    }

    private PanelItem patient(String label, Patient p) {
        Key key = patientKey(p);
        String mbi = null;
        for (Identifier id : p.getIdentifier()) {
            if (CodeSystems.MBI.equals(id.getSystem())) {
                mbi = Mbi.normalise(id.getValue() == null ? "" : id.getValue());
                Optional<String> problem = Mbi.problem(mbi);
                if (problem.isPresent()) {
                    throw new Refusal("bad identifier: the MBI " + problem.get());
                }
            }
        }
        if (!p.hasName() || !p.getNameFirstRep().hasFamily() || !p.getNameFirstRep().hasGiven()) {
            throw new Refusal("it has no family and given name");
        }
        if (!p.hasBirthDate()) {
            throw new Refusal("missing date: it has no birthDate");
        }
        Sex sex = switch (p.getGender() == null ? org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.UNKNOWN : p.getGender()) {
            case FEMALE -> Sex.FEMALE;
            case MALE -> Sex.MALE;
            case OTHER -> Sex.OTHER;
            default -> Sex.UNKNOWN;
        };
        String phone = p.getTelecom().stream().filter(t -> t.getSystem() == org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem.PHONE)
                .map(t -> t.getValue()).findFirst().orElse(null);
        Address address = null;
        if (p.hasAddress() && p.getAddressFirstRep().hasLine()) {
            var a = p.getAddressFirstRep();
            String zip = a.getPostalCode() == null ? null : a.getPostalCode().replace("-", "");
            address = new Address(a.getLine().get(0).getValue(), a.getLine().size() > 1 ? a.getLine().get(1).getValue() : null, a.getCity(),
                    a.getState(), zip);
        }
        return new PanelItem.PatientRecord(label, key, key.value(), mbi, p.getNameFirstRep().getGivenAsSingleString(),
                p.getNameFirstRep().getFamily(), LocalDate.parse(p.getBirthDateElement().getValueAsString().substring(0, 10)), sex, phone, address);
    }

    private static Key patientKey(Patient p) {
        for (Identifier id : p.getIdentifier()) {
            boolean mr = id.getType().getCoding().stream().anyMatch(c -> "MR".equals(c.getCode()));
            if (mr && id.hasValue()) {
                return new Key("Patient", id.hasSystem() ? id.getSystem() : "MR", id.getValue().trim());
            }
        }
        for (Identifier id : p.getIdentifier()) {
            if (id.hasValue() && !CodeSystems.MBI.equals(id.getSystem()) && !"http://hl7.org/fhir/sid/us-ssn".equals(id.getSystem())) {
                return new Key("Patient", id.hasSystem() ? id.getSystem() : "MR", id.getValue().trim());
            }
        }
        throw new Refusal("bad identifier: it has no medical record number (an identifier of type MR)");
    }

    private PanelItem practitioner(String label, Practitioner p) {
        String npi = npi(p);
        String name = p.hasName() ? p.getNameFirstRep().getNameAsSingleString() : npi;
        return new PanelItem.PractitionerRecord(label, new Key("Practitioner", CodeSystems.NPI, npi), npi, name);
    }

    private static String npi(Practitioner p) {
        for (Identifier id : p.getIdentifier()) {
            if (CodeSystems.NPI.equals(id.getSystem())) {
                if (!Npi.isValid(id.getValue())) {
                    throw new Refusal("bad identifier: NPI " + id.getValue() + " fails its check digit");
                }
                return id.getValue();
            }
        }
        throw new Refusal("bad identifier: it has no NPI (system " + CodeSystems.NPI + ")");
    }

    private static Key recordKey(String type, List<Identifier> identifiers, Resource r) {
        for (Identifier id : identifiers) {
            if (id.hasValue()) {
                return new Key(type, id.hasSystem() ? id.getSystem() : "identifier", id.getValue());
            }
        }
        if (r.getIdElement().hasIdPart()) {
            return new Key(type, "resource-id", type + "/" + r.getIdElement().getIdPart());
        }
        throw new Refusal("bad identifier: it has neither an identifier nor an id");
    }

    private PanelItem condition(String label, Condition c) {
        Key key = keyOf(c);
        Key patient = reference(c.getSubject(), "subject", "Patient");
        Coding icd = c.getCode().getCoding().stream().filter(x -> CodeSystems.ICD10_CM.equals(x.getSystem())).findFirst()
                .orElseThrow(() -> new Refusal("unknown code: it has no ICD-10-CM code (system " + CodeSystems.ICD10_CM + ")"));
        String code = Icd10.normalise(icd.getCode() == null ? "" : icd.getCode());
        Icd10.problem(code).ifPresent(p -> {
            throw new Refusal("unknown code: " + p);
        });
        String status = c.getClinicalStatus().getCoding().stream().map(Coding::getCode).findFirst().orElse("active");
        LocalDate onset = c.hasOnsetDateTimeType() ? day(c.getOnsetDateTimeType(), "onsetDateTime") : null;
        LocalDate abatement = c.hasAbatementDateTimeType() ? day(c.getAbatementDateTimeType(), "abatementDateTime") : null;
        if (Set.of("inactive", "resolved", "remission").contains(status) && abatement == null) {
            throw new Refusal("missing date: its clinical status is " + status + " but it has no abatementDateTime");
        }
        ExpectedDuration duration = Optional.ofNullable(c.getExtensionByUrl(EXPECTED_DURATION))
                .map(e -> e.getValue().primitiveValue()).map(v -> ExpectedDuration.fromWire(v)
                        .orElseThrow(() -> new Refusal("unknown code: expected duration " + v))).orElse(ExpectedDuration.AT_LEAST_12_MONTHS);
        boolean risk = Optional.ofNullable(c.getExtensionByUrl(SIGNIFICANT_RISK)).map(e -> "true".equals(e.getValue().primitiveValue())).orElse(false);
        String description = c.getCode().hasText() ? c.getCode().getText() : icd.hasDisplay() ? icd.getDisplay() : code;
        return new PanelItem.ConditionRecord(label, key, patient, code, description, onset, abatement, duration, risk);
    }

    private PanelItem consent(String label, Consent c) {
        Key key = keyOf(c);
        Key patient = reference(c.getPatient(), "patient", "Patient");
        Program program = null;
        for (CodeableConcept concept : c.getProvision().getCode()) {
            for (Coding coding : concept.getCoding()) {
                program = Program.fromWire(coding.getCode() == null ? "" : coding.getCode()).orElse(program);
            }
            if (program == null && concept.hasText()) {
                program = Program.fromWire(concept.getText().trim()).orElse(null);
            }
        }
        if (program == null) {
            throw new Refusal("unknown code: its provision.code names no program CareLoop knows (rpm, ccm, pcm, apcm; system " + CodeSystems.PROGRAM + ")");
        }
        if (!c.hasDateTime()) {
            throw new Refusal("missing date: it has no dateTime (the day consent was obtained)");
        }
        LocalDate obtained = day(c.getDateTimeElement(), "dateTime");
        boolean accepted = c.getStatus() != Consent.ConsentState.REJECTED && c.getProvision().getType() != Consent.ConsentProvisionType.DENY;
        LocalDate revoked = null;
        if (c.getStatus() == Consent.ConsentState.INACTIVE) {
            if (!c.getProvision().getPeriod().hasEnd()) {
                throw new Refusal("missing date: it is inactive (revoked) but its provision.period has no end");
            }
            revoked = day(c.getProvision().getPeriod().getEndElement(), "provision.period.end");
        }
        Key practitioner = c.getPerformer().stream().filter(r -> r.hasReference() && r.getReference().contains("Practitioner"))
                .findFirst().map(r -> reference(r, "performer", "Practitioner")).orElse(null);
        String method = c.hasSourceAttachment() || c.hasSourceReference() ? "written" : "verbal";
        return new PanelItem.ConsentRecord(label, key, patient, program, method, obtained, accepted, revoked, practitioner);
    }

    private PanelItem encounter(String label, Encounter e) {
        Key key = keyOf(e);
        Key patient = reference(e.getSubject(), "subject", "Patient");
        if (!e.getPeriod().hasStart()) {
            throw new Refusal("missing date: it has no period.start");
        }
        String words = (e.getTypeFirstRep().getText() + " " + e.getTypeFirstRep().getCodingFirstRep().getDisplay()).toLowerCase();
        VisitKind kind = words.contains("wellness") ? VisitKind.AWV : words.contains("preventive") ? VisitKind.IPPE : VisitKind.EM;
        Key practitioner = e.getParticipant().stream().filter(p -> p.hasIndividual()).findFirst()
                .map(p -> reference(p.getIndividual(), "participant", "Practitioner"))
                .orElseThrow(() -> new Refusal("it names no participant Practitioner (the billing practitioner of the initiating visit)"));
        boolean ccm = e.getReasonCode().stream().anyMatch(r -> (r.getText() + r.getCodingFirstRep().getDisplay()).toLowerCase().contains("care management"));
        return new PanelItem.EncounterRecord(label, key, patient, kind, day(e.getPeriod().getStartElement(), "period.start"), practitioner, ccm);
    }

    private PanelItem device(String label, Device d) {
        String deviceId = deviceId(d);
        Key patient = reference(d.getPatient(), "patient", "Patient");
        DeviceKind kind = null;
        for (Coding c : d.getType().getCoding()) {
            kind = switch (c.getCode() == null ? "" : c.getCode()) {
                case "70665002" -> DeviceKind.BLOOD_PRESSURE_CUFF;
                case "337414009" -> DeviceKind.GLUCOMETER;
                case "19892000" -> DeviceKind.SCALE;
                case "448703006" -> DeviceKind.PULSE_OXIMETER;
                default -> kind;
            };
        }
        if (kind == null && d.getType().hasText()) {
            kind = DeviceKind.fromWire(d.getType().getText().trim()).orElse(null);
        }
        if (kind == null) {
            throw new Refusal("unknown code: its type is no device kind CareLoop takes (blood pressure cuff, glucometer, scale, pulse oximeter)");
        }
        return new PanelItem.DeviceRecord(label, new Key("Device", CodeSystems.DEVICE_ID, deviceId), patient, deviceId, kind,
                d.hasModelNumber() ? d.getModelNumber() : null, Instant.now());
    }

    private static String deviceId(Device d) {
        String id = d.getIdentifier().stream().filter(Identifier::hasValue).map(Identifier::getValue).findFirst()
                .orElseThrow(() -> new Refusal("bad identifier: it has no identifier (the device id it publishes under)"));
        if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new Refusal("bad identifier: device id '" + id + "' must be 1-64 of letters, digits, '.', '_' and '-'");
        }
        return id;
    }

    static LocalDate day(BaseDateTimeType value, String element) {
        LocalDate day = value == null || value.isEmpty() ? null : Dates.localDate(value);
        if (day == null) {
            throw new Refusal("missing date: " + element + " is not a full date");
        }
        return day;
    }
}
