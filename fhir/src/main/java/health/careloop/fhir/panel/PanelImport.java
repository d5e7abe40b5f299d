package health.careloop.fhir.panel;

import health.careloop.common.auth.Principal;
import health.careloop.common.auth.StaffAccounts;
import health.careloop.common.auth.StaffMember;
import health.careloop.common.directory.Directory;
import health.careloop.common.http.ApiException;
import health.careloop.fhir.panel.ImportReport.Action;
import health.careloop.fhir.panel.PanelItem.Key;
import health.careloop.fhir.r4.CodeSystems;
import health.careloop.ingest.devices.DeviceRegistry;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Imports a practice's panel (records read from a FHIR Bundle or a CSV file) through the owning tiers' code, or, in a
 * dry run, says what it would do. Idempotent: a source record found in the crosswalk with the same content is unchanged;
 * with other content it is an update (recorded in fhir.import_event with its author); a record CareLoop cannot take is
 * refused in words and the others go on. Imported history keeps its dates (a care plan established in September is
 * established in September). Blocking; run in the caller's practice scope.
 * <p>
 * Patients go in chunks of {@value #CHUNK_PATIENTS} with all their records: a chunk is decided in a few batch reads
 * ({@link ChunkPlanner}), then written in one transaction with a batch per kind of record ({@link ChunkWriter}). If the
 * database refuses the chunk (say, a patient with the same MRN made through the API meanwhile), it is written again one
 * patient at a time, and a patient that still fails record by record, so one bad record costs only itself (and, for a
 * patient, its records).
 */
public final class PanelImport {
    /** The source system of a reference to a patient already in CareLoop (Patient/<id>). */
    public static final String CARELOOP_ID = "careloop-patient-id";
    /** How many patients (with their records) are decided and written together. */
    static final int CHUNK_PATIENTS = 250;
    /** The order of the report (and of the work): refusals of the reader, practitioners, then the patients' records by kind. */
    private static final List<Class<?>> KINDS = List.of(PanelItem.Refused.class, PanelItem.PractitionerRecord.class, PanelItem.PatientRecord.class,
            PanelItem.ConditionRecord.class, PanelItem.ConsentRecord.class, PanelItem.CarePlanRecord.class, PanelItem.EncounterRecord.class,
            PanelItem.DeviceRecord.class);

    private final DataSource dataSource;
    private final Directory directory;
    private final StaffAccounts staff;
    private final DeviceRegistry devices;
    private final Clock clock;

    public PanelImport(DataSource dataSource) {
        this.dataSource = dataSource;
        this.directory = new Directory(dataSource);
        this.staff = new StaffAccounts(dataSource);
        this.devices = new DeviceRegistry(dataSource);
        this.clock = Clock.systemUTC();
    }

    public ImportReport run(UUID practiceId, Principal principal, List<PanelItem> items, boolean dryRun) throws Exception {
        ZoneId zone = directory.practice(practiceId).orElseThrow(() -> ApiException.notFound("No practice " + practiceId + ".")).timeZone();
        ImportReport.Line[] lines = new ImportReport.Line[items.size()];
        try (AutoCloseable lock = Crosswalk.lockPractice(dataSource, practiceId)) {
            Map<Key, UUID> practitioners = new HashMap<>();
            for (StaffMember member : staff.list(practiceId)) {
                if (member.active() && member.role().isProvider() && member.npi() != null) {
                    practitioners.put(new Key("Practitioner", CodeSystems.NPI, member.npi()), member.id());
                }
            }
            ChunkPlanner planner = new ChunkPlanner(practiceId, principal, dryRun, zone, clock, devices, practitioners);
            Map<Key, List<ChunkPlanner.Indexed>> byPatient = new LinkedHashMap<>();
            for (int i = 0; i < items.size(); i++) {
                PanelItem item = items.get(i);
                if (item instanceof PanelItem.Refused r) {
                    lines[i] = new ImportReport.Line(r.label(), Action.REFUSED, r.reason(), null);
                } else if (item instanceof PanelItem.PractitionerRecord p) {
                    lines[i] = practitioners.containsKey(p.key())
                            ? new ImportReport.Line(p.label(), Action.UNCHANGED, "matches the practice's staff member with NPI " + p.npi(), null)
                            : new ImportReport.Line(p.label(), Action.REFUSED, "no active physician or NPP with NPI " + p.npi() + " in this practice: "
                            + "create " + p.name() + "'s staff account first", null);
                } else {
                    PanelItem.Record r = (PanelItem.Record) item;
                    byPatient.computeIfAbsent(r.patient(), k -> new ArrayList<>()).add(new ChunkPlanner.Indexed(i, r));
                }
            }
            List<List<ChunkPlanner.Indexed>> groups = new ArrayList<>(byPatient.values());
            for (int from = 0; from < groups.size(); from += CHUNK_PATIENTS) {
                List<ChunkPlanner.Indexed> chunk = new ArrayList<>();
                for (List<ChunkPlanner.Indexed> group : groups.subList(from, Math.min(groups.size(), from + CHUNK_PATIENTS))) {
                    // A patient before its records, its conditions before the care plans that address them.
                    group.sort(Comparator.comparingInt((ChunkPlanner.Indexed i) -> kind(i.record())).thenComparingInt(ChunkPlanner.Indexed::index));
                    chunk.addAll(group);
                }
                for (Decision d : chunk(planner, practiceId, principal, dryRun, chunk)) {
                    lines[d.index()] = new ImportReport.Line(d.record().label(), d.action(), d.words(),
                            dryRun && d.newPatient() ? null : d.patientId());
                }
            }
        }
        ImportReport report = new ImportReport(dryRun);
        for (Class<?> kind : KINDS) {
            for (int i = 0; i < items.size(); i++) {
                if (kind.isInstance(items.get(i))) {
                    report.add(lines[i]);
                }
            }
        }
        return report;
    }

    private static int kind(PanelItem item) {
        for (int k = 0; k < KINDS.size(); k++) {
            if (KINDS.get(k).isInstance(item)) {
                return k;
            }
        }
        throw new IllegalArgumentException(item.getClass().getName());
    }

    /** Decides a chunk and, unless a dry run, writes it in one transaction (falling back as the class says), then its devices. */
    private List<Decision> chunk(ChunkPlanner planner, UUID practice, Principal principal, boolean dryRun, List<ChunkPlanner.Indexed> chunk)
            throws SQLException {
        List<Decision> decisions;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            decisions = planner.plan(c, chunk);
            if (dryRun) {
                c.rollback();
                return decisions;
            }
            try {
                List<Decision> done = ChunkWriter.write(c, practice, principal, decisions);
                c.commit();
                return devices(planner, principal, practice, done);
            } catch (SQLException | ApiException e) {
                c.rollback();
                if (!RecordProblems.isAboutARecord(e)) {
                    throw e;
                }
            }
        }
        List<Decision> done = new ArrayList<>();
        Map<Key, List<Decision>> byPatient = new LinkedHashMap<>();
        decisions.forEach(d -> byPatient.computeIfAbsent(d.record().patient(), k -> new ArrayList<>()).add(d));
        for (List<Decision> group : byPatient.values()) {
            try {
                done.addAll(inTransaction(practice, principal, group));
            } catch (SQLException | ApiException e) {
                if (!RecordProblems.isAboutARecord(e)) {
                    throw e;
                }
                done.addAll(oneByOne(planner, practice, principal, group));
            }
        }
        return devices(planner, principal, practice, done);
    }

    /**
     * A patient's records one transaction each (conditions before the care plans that address them: the chunk is in
     * KINDS order); when the patient itself fails, its records are refused with it, and a care plan addressing a
     * condition the database refused is refused too rather than written with a problem that names no condition.
     */
    private List<Decision> oneByOne(ChunkPlanner planner, UUID practice, Principal principal, List<Decision> group) throws SQLException {
        List<Decision> done = new ArrayList<>();
        Map<UUID, String> refusedConditions = new HashMap<>();
        for (Decision d : group) {
            Key patient = d.record().patient();
            if (d.write() != null && planner.isRefused(patient) && !(d.record() instanceof PanelItem.PatientRecord)) {
                done.add(d.refused("its patient (" + patient.value() + ") was refused: " + planner.refusal(patient)));
                continue;
            }
            if (d.write() instanceof Decision.NewCarePlan plan) {
                var gone = plan.plan().plan().problems().stream().filter(p -> refusedConditions.containsKey(p.conditionId())).findFirst();
                if (gone.isPresent()) {
                    done.add(d.refused("it addresses " + refusedConditions.get(gone.get().conditionId()) + ", which was refused"));
                    continue;
                }
            }
            try {
                done.addAll(inTransaction(practice, principal, List.of(d)));
            } catch (SQLException | ApiException e) {
                if (!RecordProblems.isAboutARecord(e)) {
                    throw e;
                }
                String why = RecordProblems.words(e);
                done.add(d.refused(why));
                if (d.record() instanceof PanelItem.PatientRecord) {
                    planner.patientRefused(patient, why);
                }
                if (d.write() instanceof Decision.NewCondition condition) {
                    refusedConditions.put(condition.condition().id(), d.record().key().value());
                }
            }
        }
        return done;
    }

    private List<Decision> inTransaction(UUID practice, Principal principal, List<Decision> decisions) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Decision> done = ChunkWriter.write(c, practice, principal, decisions);
                c.commit();
                return done;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Devices after their chunk committed: the registry writes each in its own transaction, then its crosswalk entry. */
    private List<Decision> devices(ChunkPlanner planner, Principal principal, UUID practice, List<Decision> done) throws SQLException {
        List<Decision> result = new ArrayList<>(done.size());
        for (Decision d : done) {
            if (!(d.write() instanceof Decision.NewDevice device) || d.action() == Action.REFUSED) {
                result.add(d);
                continue;
            }
            if (planner.isRefused(d.record().patient())) {
                result.add(d.refused("its patient (" + d.record().patient().value() + ") was refused"));
                continue;
            }
            try {
                devices.register(device.deviceId(), practice, device.kind(), device.model());
                devices.assign(device.deviceId(), d.patientId(), device.assignedFrom(), null);
                try (Connection c = dataSource.getConnection()) {
                    Crosswalk.recordAll(c, practice, principal.actor(), List.of(new Crosswalk.Written(d.record().key(),
                            new Crosswalk.Entry(d.targetId(), d.patientId(), d.hash()), d.action().name().toLowerCase(), d.words())));
                }
                result.add(d);
            } catch (ApiException e) {
                result.add(d.refused(e.getMessage()));
            }
        }
        return result;
    }
}
