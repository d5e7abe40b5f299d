package health.careloop.fhir.panel;

import health.careloop.billing.encounters.Visit;
import health.careloop.billing.encounters.Visits;
import health.careloop.clinical.careplan.CarePlan;
import health.careloop.clinical.careplan.CarePlanVersion;
import health.careloop.clinical.careplan.CarePlans;
import health.careloop.clinical.conditions.Condition;
import health.careloop.clinical.conditions.Conditions;
import health.careloop.clinical.consent.ConsentElement;
import health.careloop.clinical.consent.ConsentRecord;
import health.careloop.clinical.consent.Consents;
import health.careloop.clinical.patients.Address;
import health.careloop.clinical.patients.PatientProfile;
import health.careloop.common.auth.Principal;
import health.careloop.common.directory.Directory;
import health.careloop.common.directory.Patient;
import health.careloop.common.http.ApiException;
import health.careloop.fhir.panel.ImportReport.Action;
import health.careloop.fhir.panel.PanelItem.Key;
import health.careloop.ingest.devices.DeviceRegistry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Decides, for one chunk of patients with their records, what the import does with each record (created, updated,
 * unchanged or refused, in words), reading what CareLoop already holds for the whole chunk in a few queries. Writes
 * nothing: a dry run stops here, an import hands the decisions to {@link ChunkWriter}. One planner per import run; it
 * remembers what earlier chunks decided (the file's patients, their conditions, the identities seen).
 */
final class ChunkPlanner {
    static final String NOTE = "Imported from the practice's EHR";
    private static final Pattern ZIP = Pattern.compile("[0-9]{5}([0-9]{4})?");

    /** A record of the file with its position. */
    record Indexed(int index, PanelItem.Record record) {
    }

    /** A condition this run creates, for the care plans that address it. */
    private record PlannedCondition(UUID patientId, CarePlan.Problem problem) {
    }

    private final UUID practice;
    private final Principal principal;
    private final boolean dryRun;
    private final ZoneId zone;
    private final Clock clock;
    private final DeviceRegistry devices;
    private final Map<Key, UUID> practitioners;
    private final Map<Key, UUID> patients = new HashMap<>();
    private final Set<UUID> newPatients = new HashSet<>();
    private final Map<Key, String> refusedPatients = new HashMap<>();
    private final Map<Key, PlannedCondition> conditions = new HashMap<>();
    private final Set<Key> refusedConditions = new HashSet<>();
    private final Map<Key, String> seen = new HashMap<>();

    ChunkPlanner(UUID practice, Principal principal, boolean dryRun, ZoneId zone, Clock clock, DeviceRegistry devices, Map<Key, UUID> practitioners) {
        this.practice = practice;
        this.principal = principal;
        this.dryRun = dryRun;
        this.zone = zone;
        this.clock = clock;
        this.devices = devices;
        this.practitioners = practitioners;
    }

    /** A patient whose write failed after all (see PanelImport's fallback): its other records are refused with it. */
    void patientRefused(Key patient, String why) {
        patients.remove(patient);
        refusedPatients.put(patient, why);
    }

    boolean isRefused(Key patient) {
        return refusedPatients.containsKey(patient);
    }

    String refusal(Key patient) {
        return refusedPatients.get(patient);
    }

    /** What CareLoop holds for a chunk, read in a few queries on the chunk's connection. */
    private static final class Held {
        Map<Key, Crosswalk.Entry> known;
        Map<String, Patient> byMrn;
        Map<UUID, Patient> byId;
        Map<UUID, List<Condition>> conditions;
        Map<UUID, List<ConsentRecord>> consents;
        final Map<UUID, CarePlanVersion> currentPlan = new HashMap<>();
    }

    List<Decision> plan(Connection c, List<Indexed> records) throws SQLException {
        Held held = read(c, records);
        List<Decision> decisions = new ArrayList<>();
        for (Indexed r : records) {
            decisions.add(decide(held, r));
        }
        return decisions;
    }

    private Held read(Connection c, List<Indexed> records) throws SQLException {
        Set<Key> keys = new HashSet<>();
        Set<String> mrns = new HashSet<>();
        Set<UUID> ids = new HashSet<>();
        for (Indexed i : records) {
            PanelItem.Record r = i.record();
            keys.add(r.key());
            keys.add(r.patient());
            if (r instanceof PanelItem.PatientRecord p) {
                mrns.add(p.mrn());
            }
            if (r instanceof PanelItem.CarePlanRecord p) {
                keys.addAll(p.conditions());
            }
            if (PanelImport.CARELOOP_ID.equals(r.patient().system())) {
                uuid(r.patient().value()).ifPresent(ids::add);
            }
        }
        Held held = new Held();
        held.known = Crosswalk.findAll(c, practice, keys);
        held.byMrn = Directory.patientsByExternalRef(c, practice, mrns);
        held.known.forEach((k, e) -> {
            if (e.patientId() != null) {
                ids.add(e.patientId());
            }
        });
        held.byId = Directory.patients(c, ids);
        Set<UUID> existing = new HashSet<>();
        held.byId.values().stream().filter(p -> p.practiceId().equals(practice)).forEach(p -> existing.add(p.id()));
        held.byMrn.values().forEach(p -> existing.add(p.id()));
        held.conditions = Conditions.ofPatients(c, existing);
        held.consents = Consents.ofPatients(c, existing);
        CarePlans.ofPatients(c, existing).forEach((patient, versions) -> held.currentPlan.put(patient, versions.get(0)));
        return held;
    }

    private Decision decide(Held held, Indexed indexed) throws SQLException {
        PanelItem.Record record = indexed.record();
        UUID patient = null;
        try {
            String earlier = seen.putIfAbsent(record.key(), record.label());
            if (earlier != null) {
                throw new ApiException(422, "duplicate_record", "the file holds this record twice (" + record.key() + " is also " + earlier + ")");
            }
            if (record instanceof PanelItem.PatientRecord p) {
                return patient(held, indexed.index(), p);
            }
            patient = patientOf(held, record.patient());
            boolean isNew = newPatients.contains(patient);
            String hash = hash(record);
            Crosswalk.Entry known = isNew ? null : held.known.get(record.key());
            if (known != null && known.contentHash().equals(hash)) {
                return new Decision(indexed.index(), record, Action.UNCHANGED, "already imported as it is", patient, false, known.targetId(), hash, null);
            }
            Decision.Write write;
            Action action = known == null ? Action.CREATED : Action.UPDATED;
            String target = known == null ? null : known.targetId();
            String words;
            if (record instanceof PanelItem.ConditionRecord c) {
                words = "condition " + c.icd10() + " " + c.description() + (c.onset() == null ? "" : " since " + c.onset())
                        + (c.abatement() == null ? "" : ", ended " + c.abatement());
                write = condition(held, patient, known, c);
                target = write instanceof Decision.NewCondition n ? n.condition().id().toString() : target;
            } else if (record instanceof PanelItem.ConsentRecord c) {
                words = c.program().wireName().toUpperCase() + " consent " + (c.accepted() ? "obtained" : "refused") + " on " + c.obtainedOn()
                        + (c.revokedOn() == null ? "" : ", revoked on " + c.revokedOn());
                write = consent(held, patient, known, c);
                target = write instanceof Decision.NewConsent n ? n.consent().id().toString() : target;
            } else if (record instanceof PanelItem.CarePlanRecord c) {
                Decision.NewCarePlan plan = carePlan(held, patient, c);
                words = "care plan established on " + c.establishedOn() + " with " + plan.plan().plan().goals().size() + " goal(s)";
                write = plan;
            } else if (record instanceof PanelItem.EncounterRecord e) {
                words = e.kind().words() + " on " + e.date() + (e.ccmAssessment() ? " with a CCM assessment" : "");
                Visit visit = visit(known, patient, e);
                write = new Decision.NewVisit(visit);
                target = visit.id().toString();
            } else {
                PanelItem.DeviceRecord d = (PanelItem.DeviceRecord) record;
                words = d.kind().wireName().replace('_', ' ') + " " + d.deviceId() + " given to the patient";
                write = device(known, d);
                target = d.deviceId();
            }
            return new Decision(indexed.index(), record, action, words, patient, isNew, target, hash, write);
        } catch (ApiException refused) {
            if (record instanceof PanelItem.PatientRecord && !patients.containsKey(record.key())) {
                refusedPatients.put(record.key(), refused.getMessage());
            }
            if (record instanceof PanelItem.ConditionRecord && !conditions.containsKey(record.key())) {
                refusedConditions.add(record.key());
            }
            return Decision.refused(indexed.index(), record, refused.getMessage(), patient, patient != null && newPatients.contains(patient));
        }
    }

    private Decision patient(Held held, int index, PanelItem.PatientRecord p) {
        checkAddress(p.address());
        String hash = hash(p);
        Crosswalk.Entry known = held.known.get(p.key());
        Optional<Patient> existing = Optional.ofNullable(known == null ? null : held.byId.get(UUID.fromString(known.targetId())))
                .or(() -> Optional.ofNullable(held.byMrn.get(p.mrn())));
        if (known != null && known.contentHash().equals(hash)) {
            patients.put(p.key(), known.patientId());
            return new Decision(index, p, Action.UNCHANGED, "already imported as it is", known.patientId(), false, known.targetId(), hash, null);
        }
        UUID id = existing.map(Patient::id).orElseGet(UUID::randomUUID);
        if (existing.isEmpty()) {
            newPatients.add(id);
        }
        patients.put(p.key(), id);
        String name = p.mrn() + " (" + p.familyName() + ", " + p.givenName() + ")";
        String words = existing.isEmpty() ? "new patient " + name
                : dryRun ? "patient " + name + " gets the demographics of the file" : "patient " + name + ": demographics replaced by the file's";
        PatientProfile profile = new PatientProfile(id, practice, p.givenName(), p.familyName(), p.birthDate(), p.sex(), p.mbi(), p.address(), p.phone(),
                principal.actor(), null);
        return new Decision(index, p, existing.isPresent() ? Action.UPDATED : Action.CREATED, words, id, existing.isEmpty(), id.toString(), hash,
                new Decision.PatientWrite(existing.isPresent() ? null : new Patient(id, practice, p.mrn()), profile));
    }

    private static void checkAddress(Address a) {
        if (a == null) {
            return;
        }
        if (a.city() == null || a.state() == null || !Address.STATES.contains(a.state()) || a.zip() == null || !ZIP.matcher(a.zip()).matches()) {
            throw new ApiException(422, "invalid_address", "its address needs a city, a US state code and a 5- or 9-digit ZIP");
        }
    }

    /** The CareLoop patient a record belongs to: one of this import, one imported before, or Patient/<id> of this practice. */
    private UUID patientOf(Held held, Key key) {
        UUID id = patients.get(key);
        if (id != null) {
            return id;
        }
        if (refusedPatients.containsKey(key)) {
            throw new ApiException(422, "patient_refused", "its patient (" + key.value() + ") was refused: " + refusedPatients.get(key));
        }
        if (PanelImport.CARELOOP_ID.equals(key.system())) {
            Patient patient = uuid(key.value()).map(held.byId::get).orElse(null);
            if (patient == null || !patient.practiceId().equals(practice)) {
                throw new ApiException(422, "other_practice", "its patient Patient/" + key.value() + " is not a patient of this practice");
            }
            return patient.id();
        }
        Crosswalk.Entry earlier = held.known.get(key);
        if (earlier != null && earlier.patientId() != null) {
            return earlier.patientId();
        }
        throw new ApiException(422, "unknown_patient", "its patient (" + key.value() + ") is neither in the file nor imported before");
    }

    private static ApiException changed(String what) {
        return new ApiException(422, "changed_record", "it was imported before and has changed (" + what + "), which CareLoop does not "
                + "rewrite: correct it in CareLoop, or import the new version under a new identifier");
    }

    private Decision.Write condition(Held held, UUID patient, Crosswalk.Entry known, PanelItem.ConditionRecord c) {
        if (known != null) {
            Condition existing = find(held.conditions, patient, known.targetId(), Condition::id).orElseThrow(() -> changed("its CareLoop record is gone"));
            if (!existing.icd10().equals(c.icd10()) || !Objects.equals(existing.onset(), c.onset()) || c.abatement() == null || existing.endedOn() != null) {
                throw changed("code, onset or end");
            }
            checkEnd(existing.onset(), c.abatement());
            return new Decision.EndCondition(new Condition(existing.id(), existing.practiceId(), patient, existing.icd10(), existing.description(),
                    existing.onset(), existing.expectedDuration(), existing.significantRisk(), c.abatement(), existing.recordedBy(), existing.recordedAt()));
        }
        if (c.abatement() != null) {
            checkEnd(c.onset(), c.abatement());
        }
        // What clinical.condition holds (clinical V10), said in words instead of the database's refusal.
        if (c.description().length() > MAX_CONDITION_DESCRIPTION) {
            throw new ApiException(422, "invalid_description", "its description has " + c.description().length() + " characters; CareLoop keeps at most "
                    + MAX_CONDITION_DESCRIPTION);
        }
        UUID id = UUID.randomUUID();
        conditions.put(c.key(), new PlannedCondition(patient, new CarePlan.Problem(id, c.icd10(), c.description())));
        return new Decision.NewCondition(new Condition(id, practice, patient, c.icd10(), c.description(), c.onset(), c.expectedDuration(),
                c.significantRisk(), c.abatement(), principal.actor(), null));
    }

    private static final int MAX_CONDITION_DESCRIPTION = 300;

    private static void checkEnd(java.time.LocalDate onset, java.time.LocalDate abatement) {
        if (onset != null && abatement.isBefore(onset)) {
            throw new ApiException(422, "invalid_dates", "its abatement (" + abatement + ") is before its onset (" + onset + ")");
        }
    }

    private Decision.Write consent(Held held, UUID patient, Crosswalk.Entry known, PanelItem.ConsentRecord c) {
        if (known != null) {
            ConsentRecord existing = find(held.consents, patient, known.targetId(), ConsentRecord::id).orElseThrow(() -> changed("its CareLoop record is gone"));
            if (c.revokedOn() == null || existing.revokedOn() != null || !existing.obtainedOn().equals(c.obtainedOn())) {
                throw changed("program, date or acceptance");
            }
            checkRevocation(existing.obtainedOn(), c.revokedOn());
            return new Decision.RevokeConsent(new ConsentRecord(existing.id(), existing.practiceId(), patient, existing.program(), existing.method(),
                    existing.obtainedOn(), existing.obtainedBy(), existing.told(), existing.accepted(), existing.note(), existing.recordedBy(),
                    existing.recordedAt(), c.revokedOn(), principal.actor()));
        }
        UUID by = c.practitioner() == null ? null : practitioners.get(c.practitioner());
        if (by == null) {
            by = principal.staffId();
        }
        if (by == null) {
            throw new ApiException(422, "unknown_practitioner", "it names no Practitioner of the practice who obtained it (performer)");
        }
        if (c.revokedOn() != null) {
            checkRevocation(c.obtainedOn(), c.revokedOn());
        }
        // The EHR's record documents the consent; what the patient was told is the program's required disclosures.
        var told = c.accepted() ? c.program().requiredElements() : EnumSet.noneOf(ConsentElement.class);
        return new Decision.NewConsent(new ConsentRecord(UUID.randomUUID(), practice, patient, c.program(), c.method(), c.obtainedOn(), by, told,
                c.accepted(), NOTE, principal.actor(), null, c.revokedOn(), c.revokedOn() == null ? null : principal.actor()));
    }

    private static void checkRevocation(java.time.LocalDate obtained, java.time.LocalDate revoked) {
        if (revoked.isBefore(obtained)) {
            throw new ApiException(422, "invalid_dates", "it was revoked (" + revoked + ") before it was obtained (" + obtained + ")");
        }
    }

    private Decision.NewCarePlan carePlan(Held held, UUID patient, PanelItem.CarePlanRecord c) {
        List<CarePlan.Problem> problems = new ArrayList<>();
        for (Key condition : c.conditions()) {
            PlannedCondition planned = conditions.get(condition);
            if (planned != null) {
                if (!planned.patientId().equals(patient)) {
                    throw new ApiException(422, "unknown_condition", "it addresses " + condition.value() + ", which is not this patient's");
                }
                problems.add(planned.problem());
                continue;
            }
            Crosswalk.Entry entry = held.known.get(condition);
            if (entry == null && refusedConditions.contains(condition)) {
                throw new ApiException(422, "unknown_condition", "it addresses " + condition.value() + ", which is refused in this file");
            }
            if (entry == null) {
                throw new ApiException(422, "unknown_condition", "it addresses " + condition.value() + ", which was not imported");
            }
            Condition found = find(held.conditions, patient, entry.targetId(), Condition::id).orElseThrow(() -> new ApiException(422,
                    "unknown_condition", "it addresses " + condition.value() + ", which is not this patient's"));
            problems.add(new CarePlan.Problem(found.id(), found.icd10(), found.description()));
        }
        CarePlan given = c.plan();
        CarePlan plan = new CarePlan(problems, given.expectedOutcome(), given.prognosis(), given.goals(), given.symptomManagement(),
                given.interventions(), given.medications(), given.communityResources(), given.coordinatingProviders(), given.reviewDate());
        CarePlans.Imported imported = new CarePlans.Imported(practice, patient, plan, NOTE, c.establishedOn());
        CarePlanVersion before = held.currentPlan.get(patient);
        CarePlans.importRefusal(before, imported).ifPresent(why -> {
            throw new ApiException(422, "care_plan_refused", why);
        });
        // The next plan of the same patient in this chunk follows this one.
        held.currentPlan.put(patient, new CarePlanVersion(null, practice, patient, before == null ? 1 : before.version() + 1, plan, NOTE, List.of(),
                principal.actor(), principal.staffId(), principal.displayName(), null, c.establishedOn(), null));
        return new Decision.NewCarePlan(imported);
    }

    private Visit visit(Crosswalk.Entry known, UUID patient, PanelItem.EncounterRecord e) {
        if (known != null) {
            throw changed("kind, date or practitioner");
        }
        UUID practitioner = practitioners.get(e.practitioner());
        if (practitioner == null) {
            throw new ApiException(422, "unknown_practitioner", "its practitioner (NPI " + e.practitioner().value() + ") is no physician or NPP "
                    + "of this practice");
        }
        if (Visits.inTheFuture(e.date(), zone, clock)) {
            throw new ApiException(422, "future_visit", "its day (" + e.date() + ") is in the future; a visit is recorded once it has taken place");
        }
        return new Visit(UUID.randomUUID(), practice, patient, e.kind(), e.date(), practitioner, e.ccmAssessment(), principal.actor(), null);
    }

    private Decision.Write device(Crosswalk.Entry known, PanelItem.DeviceRecord d) throws SQLException {
        if (known != null) {
            throw changed("kind, model or patient");
        }
        if (devices.find(d.deviceId()).isPresent()) {
            throw new ApiException(422, "device_registered", "device " + d.deviceId() + " is already registered in CareLoop");
        }
        return new Decision.NewDevice(d.deviceId(), d.kind(), d.model(), d.assignedFrom());
    }

    private static <T> Optional<T> find(Map<UUID, List<T>> byPatient, UUID patient, String id, java.util.function.Function<T, UUID> idOf) {
        return byPatient.getOrDefault(patient, List.of()).stream().filter(t -> idOf.apply(t).toString().equals(id)).findFirst();
    }

    private static Optional<UUID> uuid(String text) {
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static String hash(PanelItem.Record record) {
        // The content without the label, which says where the record is in the file, not what it is.
        String content = record.toString();
        String label = "label=" + record.label() + ", ";
        int at = content.indexOf(label);
        if (at >= 0) {
            content = content.substring(0, at) + content.substring(at + label.length());
        }
        if (record instanceof PanelItem.DeviceRecord d) {
            content = content.replace("assignedFrom=" + d.assignedFrom(), "");
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
