package health.careloop.fhir.panel;

import health.careloop.billing.encounters.Visits;
import health.careloop.clinical.careplan.CarePlan;
import health.careloop.clinical.careplan.CarePlans;
import health.careloop.clinical.conditions.Condition;
import health.careloop.clinical.conditions.Conditions;
import health.careloop.clinical.consent.ConsentElement;
import health.careloop.clinical.consent.Consents;
import health.careloop.clinical.patients.Address;
import health.careloop.clinical.patients.PatientProfile;
import health.careloop.clinical.patients.PatientProfiles;
import health.careloop.common.auth.Principal;
import health.careloop.common.auth.StaffAccounts;
import health.careloop.common.auth.StaffMember;
import health.careloop.common.directory.Directory;
import health.careloop.common.directory.Patient;
import health.careloop.common.http.ApiException;
import health.careloop.fhir.panel.ImportReport.Action;
import health.careloop.fhir.panel.PanelItem.Key;
import health.careloop.ingest.devices.DeviceRegistry;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Imports a practice's panel (records read from a FHIR Bundle or a CSV file) through the owning tiers' code, or, in a
 * dry run, says what it would do. Idempotent: a source record found in the crosswalk with the same content is unchanged;
 * with other content it is an update (recorded in fhir.import_event with its author); a record CareLoop cannot take is
 * refused in words and the others go on. Imported history keeps its dates (a care plan established in September is
 * established in September). Blocking; run in the caller's practice scope.
 */
public final class PanelImport {
    /** The source system of a reference to a patient already in CareLoop (Patient/<id>). */
    public static final String CARELOOP_ID = "careloop-patient-id";
    /** Stands for a patient a dry run would create. */
    static final UUID NEW_PATIENT = new UUID(0, 0);
    private static final String NOTE = "Imported from the practice's EHR";

    private final DataSource dataSource;
    private final Directory directory;
    private final PatientProfiles profiles;
    private final Conditions conditions;
    private final Consents consents;
    private final StaffAccounts staff;
    private final Visits visits;
    private final DeviceRegistry devices;
    private final Crosswalk crosswalk;

    public PanelImport(DataSource dataSource) {
        this.dataSource = dataSource;
        this.directory = new Directory(dataSource);
        this.profiles = new PatientProfiles(dataSource);
        this.conditions = new Conditions(dataSource);
        this.consents = new Consents(dataSource);
        this.staff = new StaffAccounts(dataSource);
        this.visits = new Visits(dataSource, staff, Clock.systemUTC());
        this.devices = new DeviceRegistry(dataSource);
        this.crosswalk = new Crosswalk(dataSource);
    }

    /** One run: the practice, who runs it, and what it has resolved so far. */
    private final class Run {
        final UUID practice;
        final Principal principal;
        final boolean dryRun;
        final ImportReport report;
        final ZoneId zone;
        final Map<Key, UUID> patients = new HashMap<>();
        final Map<Key, String> refusedPatients = new HashMap<>();
        final Map<Key, UUID> practitioners = new HashMap<>();
        final Map<Key, UUID> conditionIds = new HashMap<>();

        Run(UUID practice, Principal principal, boolean dryRun, ZoneId zone) {
            this.practice = practice;
            this.principal = principal;
            this.dryRun = dryRun;
            this.report = new ImportReport(dryRun);
            this.zone = zone;
        }
    }

    public ImportReport run(UUID practiceId, Principal principal, List<PanelItem> items, boolean dryRun) throws Exception {
        ZoneId zone = directory.practice(practiceId).orElseThrow(() -> ApiException.notFound("No practice " + practiceId + ".")).timeZone();
        Run run = new Run(practiceId, principal, dryRun, zone);
        try (AutoCloseable lock = Crosswalk.lockPractice(dataSource, practiceId)) {
            for (StaffMember member : staff.list(practiceId)) {
                if (member.active() && member.role().isProvider() && member.npi() != null) {
                    run.practitioners.put(new Key("Practitioner", health.careloop.fhir.r4.CodeSystems.NPI, member.npi()), member.id());
                }
            }
            for (Class<?> kind : List.of(PanelItem.Refused.class, PanelItem.PractitionerRecord.class, PanelItem.PatientRecord.class,
                    PanelItem.ConditionRecord.class, PanelItem.ConsentRecord.class, PanelItem.CarePlanRecord.class, PanelItem.EncounterRecord.class,
                    PanelItem.DeviceRecord.class)) {
                for (PanelItem item : items) {
                    if (kind.isInstance(item)) {
                        one(run, item);
                    }
                }
            }
        }
        return run.report;
    }

    private void one(Run run, PanelItem item) throws SQLException {
        if (item instanceof PanelItem.Refused r) {
            run.report.add(r.label(), Action.REFUSED, r.reason(), null);
            return;
        }
        PanelItem.Record record = (PanelItem.Record) item;
        UUID patient = null;
        try {
            if (record instanceof PanelItem.PractitionerRecord p) {
                practitioner(run, p);
                return;
            }
            if (record instanceof PanelItem.PatientRecord p) {
                patient(run, p);
                return;
            }
            patient = patientOf(run, record.patient());
            String hash = hash(record);
            Optional<Crosswalk.Entry> known = patient.equals(NEW_PATIENT) ? Optional.empty() : crosswalk.find(run.practice, record.key());
            if (known.isPresent() && known.get().contentHash().equals(hash)) {
                run.report.add(record.label(), Action.UNCHANGED, "already imported as it is", patient);
                return;
            }
            RecordWriter writer = new RecordWriter(run, patient, hash, known.orElse(null));
            if (record instanceof PanelItem.ConditionRecord c) {
                writer.condition(c);
            } else if (record instanceof PanelItem.ConsentRecord c) {
                writer.consent(c);
            } else if (record instanceof PanelItem.CarePlanRecord c) {
                writer.carePlan(c);
            } else if (record instanceof PanelItem.EncounterRecord e) {
                writer.encounter(e);
            } else if (record instanceof PanelItem.DeviceRecord d) {
                writer.device(d);
            }
        } catch (ApiException refused) {
            if (record instanceof PanelItem.PatientRecord) {
                run.refusedPatients.put(record.key(), refused.getMessage());
            }
            run.report.add(record.label(), Action.REFUSED, refused.getMessage(), patient == null || patient.equals(NEW_PATIENT) ? null : patient);
        }
    }

    private void practitioner(Run run, PanelItem.PractitionerRecord p) {
        if (!run.practitioners.containsKey(p.key())) {
            throw new ApiException(422, "unknown_practitioner", "no active physician or NPP with NPI " + p.npi() + " in this practice: create "
                    + p.name() + "'s staff account first");
        }
        run.report.add(p.label(), Action.UNCHANGED, "matches the practice's staff member with NPI " + p.npi(), null);
    }

    private void patient(Run run, PanelItem.PatientRecord p) throws SQLException {
        checkAddress(p.address());
        String hash = hash(p);
        Optional<Crosswalk.Entry> known = crosswalk.find(run.practice, p.key());
        Optional<Patient> existing = known.map(k -> UUID.fromString(k.targetId())).flatMap(this::patientById)
                .or(() -> lookUp(run.practice, p.mrn()));
        if (known.isPresent() && known.get().contentHash().equals(hash)) {
            run.patients.put(p.key(), known.get().patientId());
            run.report.add(p.label(), Action.UNCHANGED, "already imported as it is", known.get().patientId());
            return;
        }
        if (run.dryRun) {
            UUID id = existing.map(Patient::id).orElse(NEW_PATIENT);
            run.patients.put(p.key(), id);
            run.report.add(p.label(), existing.isPresent() ? Action.UPDATED : Action.CREATED, existing.isPresent()
                    ? "patient " + p.mrn() + " (" + p.familyName() + ", " + p.givenName() + ") gets the demographics of the file"
                    : "new patient " + p.mrn() + " (" + p.familyName() + ", " + p.givenName() + ")", existing.isPresent() ? id : null);
            return;
        }
        Patient patient = existing.isPresent() ? existing.get() : directory.createPatient(run.practice, p.mrn());
        profiles.save(new PatientProfile(patient.id(), run.practice, p.givenName(), p.familyName(), p.birthDate(), p.sex(), p.mbi(), p.address(),
                p.phone(), run.principal.actor(), Instant.now()));
        Action action = existing.isPresent() ? Action.UPDATED : Action.CREATED;
        String words = (existing.isPresent() ? "patient " : "new patient ") + p.mrn() + " (" + p.familyName() + ", " + p.givenName() + ")"
                + (existing.isPresent() ? ": demographics replaced by the file's" : "");
        crosswalk.record(run.practice, p.key(), new Crosswalk.Entry(patient.id().toString(), patient.id(), hash), action.name().toLowerCase(),
                run.principal.actor(), words);
        run.patients.put(p.key(), patient.id());
        run.report.add(p.label(), action, words, patient.id());
    }

    private Optional<Patient> patientById(UUID id) {
        try {
            return directory.patient(id);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Optional<Patient> lookUp(UUID practice, String mrn) {
        try {
            return directory.patientByExternalRef(practice, mrn);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final Pattern ZIP = Pattern.compile("[0-9]{5}([0-9]{4})?");

    private static void checkAddress(Address a) {
        if (a == null) {
            return;
        }
        if (a.city() == null || a.state() == null || !Address.STATES.contains(a.state()) || a.zip() == null || !ZIP.matcher(a.zip()).matches()) {
            throw new ApiException(422, "invalid_address", "its address needs a city, a US state code and a 5- or 9-digit ZIP");
        }
    }

    /** The CareLoop patient a record belongs to: one of this import, one imported before, or Patient/<id> of this practice. */
    private UUID patientOf(Run run, Key key) throws SQLException {
        UUID id = run.patients.get(key);
        if (id != null) {
            return id;
        }
        if (run.refusedPatients.containsKey(key)) {
            throw new ApiException(422, "patient_refused", "its patient (" + key.value() + ") was refused: " + run.refusedPatients.get(key));
        }
        if (CARELOOP_ID.equals(key.system())) {
            UUID candidate;
            try {
                candidate = UUID.fromString(key.value());
            } catch (IllegalArgumentException e) {
                candidate = null;
            }
            Optional<Patient> patient = candidate == null ? Optional.empty() : directory.patient(candidate);
            if (patient.isEmpty() || !patient.get().practiceId().equals(run.practice)) {
                throw new ApiException(422, "other_practice", "its patient Patient/" + key.value() + " is not a patient of this practice");
            }
            return patient.get().id();
        }
        Optional<Crosswalk.Entry> earlier = crosswalk.find(run.practice, key);
        if (earlier.isPresent()) {
            return earlier.get().patientId();
        }
        throw new ApiException(422, "unknown_patient", "its patient (" + key.value() + ") is neither in the file nor imported before");
    }

    static String hash(PanelItem.Record record) {
        String content = record.toString().replaceFirst("label=" + Pattern.quote(record.label()) + ", ", "");
        if (record instanceof PanelItem.DeviceRecord d) {
            content = content.replace("assignedFrom=" + d.assignedFrom(), "");
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes one record of a patient through its owner (or, in a dry run, says what it would write). */
    private final class RecordWriter {
        private final Run run;
        private final UUID patient;
        private final String hash;
        private final Crosswalk.Entry known;

        RecordWriter(Run run, UUID patient, String hash, Crosswalk.Entry known) {
            this.run = run;
            this.patient = patient;
            this.hash = hash;
            this.known = known;
        }

        private void done(PanelItem.Record r, Action action, String targetId, String words) throws SQLException {
            if (!run.dryRun) {
                crosswalk.record(run.practice, r.key(), new Crosswalk.Entry(targetId, patient, hash), action.name().toLowerCase(),
                        run.principal.actor(), words);
            }
            run.report.add(r.label(), action, words, patient);
        }

        private ApiException changed(String what) {
            return new ApiException(422, "changed_record", "it was imported before and has changed (" + what + "), which CareLoop does not "
                    + "rewrite: correct it in CareLoop, or import the new version under a new identifier");
        }

        void condition(PanelItem.ConditionRecord c) throws SQLException {
            String words = c.icd10() + " " + c.description() + (c.onset() == null ? "" : " since " + c.onset())
                    + (c.abatement() == null ? "" : ", ended " + c.abatement());
            if (known != null) {
                Condition existing = conditions.find(patient, UUID.fromString(known.targetId()))
                        .orElseThrow(() -> changed("its CareLoop record is gone"));
                if (!existing.icd10().equals(c.icd10()) || !java.util.Objects.equals(existing.onset(), c.onset()) || c.abatement() == null
                        || existing.endedOn() != null) {
                    throw changed("code, onset or end");
                }
                if (!run.dryRun) {
                    conditions.end(patient, existing.id(), c.abatement());
                }
                done(c, Action.UPDATED, known.targetId(), "condition " + words);
                return;
            }
            String id = "new";
            if (!run.dryRun) {
                Condition added = conditions.add(run.practice, patient, c.icd10(), c.description(), c.onset(), c.expectedDuration(), c.significantRisk(),
                        run.principal.actor());
                if (c.abatement() != null) {
                    conditions.end(patient, added.id(), c.abatement());
                }
                id = added.id().toString();
                run.conditionIds.put(c.key(), added.id());
            }
            done(c, Action.CREATED, id, "condition " + words);
        }

        void consent(PanelItem.ConsentRecord c) throws SQLException {
            String words = c.program().wireName().toUpperCase() + " consent " + (c.accepted() ? "obtained" : "refused") + " on " + c.obtainedOn()
                    + (c.revokedOn() == null ? "" : ", revoked on " + c.revokedOn());
            if (known != null) {
                var existing = consents.find(patient, UUID.fromString(known.targetId())).orElseThrow(() -> changed("its CareLoop record is gone"));
                if (c.revokedOn() == null || existing.revokedOn() != null || !existing.obtainedOn().equals(c.obtainedOn())) {
                    throw changed("program, date or acceptance");
                }
                if (!run.dryRun) {
                    consents.revoke(patient, existing.id(), c.revokedOn(), run.principal.actor());
                }
                done(c, Action.UPDATED, known.targetId(), words);
                return;
            }
            UUID by = c.practitioner() == null ? null : run.practitioners.get(c.practitioner());
            if (by == null) {
                by = run.principal.staffId();
            }
            if (by == null) {
                throw new ApiException(422, "unknown_practitioner", "it names no Practitioner of the practice who obtained it (performer)");
            }
            String id = "new";
            if (!run.dryRun) {
                // The EHR's record documents the consent; what the patient was told is the program's required disclosures.
                var told = c.accepted() ? c.program().requiredElements() : EnumSet.noneOf(ConsentElement.class);
                var recorded = consents.record(run.practice, patient, c.program(), c.method(), c.obtainedOn(), by, told, c.accepted(), NOTE,
                        run.principal.actor());
                if (c.revokedOn() != null) {
                    consents.revoke(patient, recorded.id(), c.revokedOn(), run.principal.actor());
                }
                id = recorded.id().toString();
            }
            done(c, Action.CREATED, id, words);
        }

        void carePlan(PanelItem.CarePlanRecord c) throws SQLException {
            List<CarePlan.Problem> problems = new ArrayList<>();
            for (Key condition : c.conditions()) {
                UUID id = run.conditionIds.get(condition);
                if (id == null && !run.dryRun) {
                    id = crosswalk.find(run.practice, condition).map(e -> UUID.fromString(e.targetId()))
                            .orElseThrow(() -> new ApiException(422, "unknown_condition", "it addresses " + condition.value()
                                    + ", which was not imported"));
                }
                if (id != null) {
                    Condition found = conditions.find(patient, id).orElseThrow(() -> new ApiException(422, "unknown_condition",
                            "it addresses " + condition.value() + ", which is not this patient's"));
                    problems.add(new CarePlan.Problem(found.id(), found.icd10(), found.description()));
                }
            }
            CarePlan given = c.plan();
            CarePlan plan = new CarePlan(problems, given.expectedOutcome(), given.prognosis(), given.goals(), given.symptomManagement(),
                    given.interventions(), given.medications(), given.communityResources(), given.coordinatingProviders(), given.reviewDate());
            String words = "care plan established on " + c.establishedOn() + " with " + plan.goals().size() + " goal(s)";
            Action action = known == null ? Action.CREATED : Action.UPDATED;
            String id = known == null ? "new" : known.targetId();
            if (!run.dryRun) {
                CarePlans.Author author = new CarePlans.Author(run.principal.actor(), run.principal.staffId(), run.principal.displayName());
                List<CarePlans.Result> results;
                try (Connection conn = dataSource.getConnection()) {
                    results = CarePlans.appendImported(conn, List.of(new CarePlans.Imported(run.practice, patient, plan, NOTE, c.establishedOn())), author);
                }
                CarePlans.Result result = results.get(0);
                if (result.refusal() != null) {
                    throw new ApiException(422, "care_plan_refused", result.refusal());
                }
                id = result.written().id().toString();
                words += " (version " + result.written().version() + ")";
            }
            done(c, action, id, words);
        }

        void encounter(PanelItem.EncounterRecord e) throws SQLException {
            if (known != null) {
                throw changed("kind, date or practitioner");
            }
            UUID practitioner = run.practitioners.get(e.practitioner());
            if (practitioner == null) {
                throw new ApiException(422, "unknown_practitioner", "its practitioner (NPI " + e.practitioner().value() + ") is no physician or NPP "
                        + "of this practice");
            }
            String words = e.kind().words() + " on " + e.date() + (e.ccmAssessment() ? " with a CCM assessment" : "");
            String id = "new";
            if (!run.dryRun) {
                id = visits.record(run.practice, patient, run.zone, e.kind(), e.date(), practitioner, e.ccmAssessment(), run.principal.actor())
                        .id().toString();
            }
            done(e, Action.CREATED, id, words);
        }

        void device(PanelItem.DeviceRecord d) throws SQLException {
            if (known != null) {
                throw changed("kind, model or patient");
            }
            Optional<health.careloop.ingest.devices.DeviceRecord> existing = devices.find(d.deviceId());
            if (existing.isPresent()) {
                throw new ApiException(422, "device_registered", "device " + d.deviceId() + " is already registered in CareLoop");
            }
            String words = d.kind().wireName().replace('_', ' ') + " " + d.deviceId() + " given to the patient";
            if (!run.dryRun) {
                devices.register(d.deviceId(), run.practice, d.kind(), d.model());
                devices.assign(d.deviceId(), patient, d.assignedFrom(), null);
            }
            done(d, Action.CREATED, d.deviceId(), words);
        }
    }
}
