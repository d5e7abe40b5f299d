package health.careloop.billing.claims;

import health.careloop.billing.encounters.InpatientStay;
import health.careloop.billing.encounters.InpatientStays;
import health.careloop.billing.encounters.Visit;
import health.careloop.billing.encounters.Visits;
import health.careloop.billing.ledger.InteractionMode;
import health.careloop.clinical.careplan.CarePlanRevision;
import health.careloop.clinical.complexity.ComplexityRecord;
import health.careloop.clinical.complexity.ComplexityRecords;
import health.careloop.clinical.careplan.CarePlans;
import health.careloop.clinical.conditions.Condition;
import health.careloop.clinical.conditions.Conditions;
import health.careloop.clinical.consent.ConsentRecord;
import health.careloop.clinical.consent.Consents;
import health.careloop.clinical.consent.Enrolment;
import health.careloop.clinical.consent.Enrolments;
import health.careloop.clinical.consent.Program;
import health.careloop.common.auth.StaffAccounts;
import health.careloop.common.auth.StaffRole;
import health.careloop.common.directory.Directory;
import health.careloop.ingest.devices.DeviceRegistry;
import health.careloop.ingest.storage.ReadingQueries;

import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Loads the patient-months of a whole practice set-based: patients in chunks (by id), and for each chunk one query per
 * kind of record (conditions, consents, enrolments, practitioners' NPIs and names, care plan versions, data days, ledger time
 * with whose it is, earlier set-up lines, last month's lines), so a close costs a dozen queries per chunk instead of per patient. Memory
 * is bounded by the chunk. Other tiers' records come from their owners' batch reads on this connection (common's
 * {@link Directory} and {@link StaffAccounts}, clinical's {@link Conditions}, {@link Consents}, {@link Enrolments} and
 * {@link CarePlans}, ingest's {@link DeviceRegistry} and {@link ReadingQueries}): this class's SQL names only billing's
 * tables. The records go through the same {@link PatientMonthAssembly} as {@link PatientMonthLoader},
 * the per-patient reference path (PracticeMonthLoaderTest compares the two). Blocking JDBC.
 */
public final class PracticeMonthLoader {
    public static final int DEFAULT_CHUNK = 5_000;

    /** Receives each chunk of patient-months in patient id order. */
    @FunctionalInterface
    public interface ChunkHandler {
        void accept(List<PatientMonth> chunk) throws SQLException;
    }

    private final MonthRules rules;
    private final int chunkSize;

    /** This loader with the rules of one practice's month (last month's treatment management is judged with them). */
    public PracticeMonthLoader withRules(MonthRules monthRules) {
        return new PracticeMonthLoader(monthRules, chunkSize);
    }

    public PracticeMonthLoader(MonthRules rules, int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize < 1");
        }
        this.rules = rules;
        this.chunkSize = chunkSize;
    }

    /** Every patient of the practice, in chunks of at most {@code chunkSize}, on the caller's connection (and transaction). */
    public void forEachChunk(Connection c, UUID practiceId, ZoneId zone, YearMonth month, LocalDate asOf, ChunkHandler handler) throws SQLException {
        UUID after = null;
        while (true) {
            List<UUID> ids = patients(c, practiceId, after);
            if (ids.isEmpty()) {
                return;
            }
            handler.accept(load(c, practiceId, ids, zone, month, asOf, true));
            if (ids.size() < chunkSize) {
                return;
            }
            after = ids.get(ids.size() - 1);
        }
    }

    private List<UUID> patients(Connection c, UUID practiceId, UUID after) throws SQLException {
        return Directory.patientIds(c, practiceId, after, chunkSize);
    }

    List<PatientMonth> load(Connection c, UUID practiceId, List<UUID> ids, ZoneId zone, YearMonth month, LocalDate asOf, boolean withPrevious)
            throws SQLException {
        Map<UUID, LocalDate> starts = monitoringStarts(c, ids, zone);
        // Widest span any patient of the chunk needs: a P30 ending in the month starts at most 29 days before it.
        LocalDate spanFrom = month.atDay(1).minusDays(30);
        LocalDate spanTo = PatientMonthAssembly.lastDay(month, asOf);
        Map<UUID, List<Condition>> conditions = Conditions.ofPatients(c, ids);
        Map<UUID, List<ConsentRecord>> consents = Consents.ofPatients(c, ids);
        Map<UUID, List<Enrolment>> enrolments = Enrolments.ofPatients(c, ids);
        Map<UUID, String> npis = npis(c, enrolments);
        Map<UUID, List<PatientMonthAssembly.CarePlanChange>> carePlans = carePlans(c, ids);
        Map<UUID, Set<LocalDate>> dataDays = ReadingQueries.dataDaysOfPatients(c, ids, spanFrom, spanTo);
        Map<UUID, List<LoggedTime>> time = time(c, ids, spanFrom.atStartOfDay(zone).toInstant(), spanTo.plusDays(1).atStartOfDay(zone).toInstant());
        Set<UUID> setupBilled = billedBefore(c, ids, month, "99453");
        Set<UUID> assessmentBilled = billedBefore(c, ids, month, "G0506");
        Map<UUID, List<Visit>> visits = Visits.ofPatients(c, ids);
        Map<UUID, List<InpatientStay>> stays = InpatientStays.ofPatients(c, ids);
        Map<UUID, List<ComplexityRecord>> complexity = ComplexityRecords.ofPatients(c, ids);
        Map<UUID, String> staffNames = staffNames(c, time, enrolments);

        List<PatientMonthAssembly.Records> records = new ArrayList<>(ids.size());
        List<UUID> needLastMonth = new ArrayList<>();
        for (UUID id : ids) {
            LocalDate start = starts.get(id);
            LocalDate from = PatientMonthAssembly.firstDay(start, month, asOf);
            LocalDate to = PatientMonthAssembly.lastDay(month, asOf);
            Instant fromInstant = from.atStartOfDay(zone).toInstant();
            Instant toInstant = to.plusDays(1).atStartOfDay(zone).toInstant();
            List<LoggedTime> logged = new ArrayList<>();
            for (LoggedTime t : time.getOrDefault(id, List.of())) {
                if (t.end().isAfter(fromInstant) && t.start().isBefore(toInstant)) {
                    logged.add(t);
                }
            }
            // Last month's treatment management matters only to 99091, which needs physician/QHP RPM time: only those
            // patients pay for reading it (the per-patient path reads it for everyone; the outcome is the same).
            if (withPrevious && logged.stream().anyMatch(t -> t.program() == Program.RPM && t.byProvider())) {
                needLastMonth.add(id);
            }
            records.add(new PatientMonthAssembly.Records(id, start, dataDays.getOrDefault(id, Set.of()), logged, conditions.getOrDefault(id, List.of()),
                    consents.getOrDefault(id, List.of()), enrolments.getOrDefault(id, List.of()), npis, carePlans.getOrDefault(id, List.of()),
                    setupBilled.contains(id), false, visits.getOrDefault(id, List.of()), stays.getOrDefault(id, List.of()),
                    assessmentBilled.contains(id), complexity.getOrDefault(id, List.of()), staffNames));
        }
        Set<UUID> managedLastMonth = needLastMonth.isEmpty() ? Set.of() : managedLastMonth(c, practiceId, needLastMonth, zone, month);
        // Assembly is pure: on every core, in the chunk's order.
        return records.parallelStream().map(r -> {
            if (managedLastMonth.contains(r.patientId())) {
                r = r.withManagementLastMonth(true);
            }
            return PatientMonthAssembly.assemble(zone, month, asOf, r, PatientMonthAssembly.CoverageMethod.BY_STRETCH);
        }).toList();
    }

    /** Patients whose previous month billed (closed) or would bill (open) 99457/99470. */
    private Set<UUID> managedLastMonth(Connection c, UUID practiceId, List<UUID> ids, ZoneId zone, YearMonth month) throws SQLException {
        YearMonth previous = month.minusMonths(1);
        boolean closed;
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM billing.month_close WHERE practice_id = ? AND month = ?")) {
            ps.setObject(1, practiceId);
            ps.setDate(2, Date.valueOf(previous.atDay(1)));
            try (ResultSet rs = ps.executeQuery()) {
                closed = rs.next();
            }
        }
        Set<UUID> result = new HashSet<>();
        if (closed) {
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT patient_id FROM billing.claim_line WHERE practice_id = ? AND month = ? "
                    + "AND patient_id = ANY (?) AND code IN ('99457', '99470')")) {
                ps.setObject(1, practiceId);
                ps.setDate(2, Date.valueOf(previous.atDay(1)));
                ps.setArray(3, uuids(c, ids));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        result.add(rs.getObject(1, UUID.class));
                    }
                }
            }
            return result;
        }
        for (PatientMonth m : load(c, practiceId, ids, zone, previous, previous.atEndOfMonth(), false)) {
            if (rules.rpmManagementBilled(m)) {
                result.add(m.patientId());
            }
        }
        return result;
    }

    /**
     * First monitoring day: local date (practice zone) of the first device assignment, returned devices included. The
     * zone is the practice's: an assignment's practice is its patient's (DeviceRegistry.assign refuses any other).
     */
    private static Map<UUID, LocalDate> monitoringStarts(Connection c, List<UUID> ids, ZoneId zone) throws SQLException {
        Map<UUID, LocalDate> result = new HashMap<>();
        DeviceRegistry.firstAssignments(c, ids).forEach((id, first) -> result.put(id, first.atZone(zone).toLocalDate()));
        return result;
    }

    private static Map<UUID, String> npis(Connection c, Map<UUID, List<Enrolment>> enrolments) throws SQLException {
        Set<UUID> practitioners = new HashSet<>();
        enrolments.values().forEach(list -> list.forEach(e -> practitioners.add(e.billingPractitionerId())));
        return StaffAccounts.npis(c, practitioners);
    }

    /** Display names of the chunk's physicians/NPPs with time and of its billing practitioners, for the reasons (one query). */
    private static Map<UUID, String> staffNames(Connection c, Map<UUID, List<LoggedTime>> time, Map<UUID, List<Enrolment>> enrolments)
            throws SQLException {
        Set<UUID> ids = new HashSet<>();
        time.values().forEach(list -> list.stream().filter(LoggedTime::byProvider).forEach(t -> ids.add(t.staffId())));
        enrolments.values().forEach(list -> list.forEach(e -> ids.add(e.billingPractitionerId())));
        return StaffAccounts.displayNames(c, ids);
    }

    private static Map<UUID, List<PatientMonthAssembly.CarePlanChange>> carePlans(Connection c, List<UUID> ids) throws SQLException {
        Map<UUID, List<PatientMonthAssembly.CarePlanChange>> result = new HashMap<>();
        CarePlans.revisionsOfPatients(c, ids).forEach((id, revisions) -> {
            List<PatientMonthAssembly.CarePlanChange> changes = new ArrayList<>(revisions.size());
            for (CarePlanRevision r : revisions) {
                changes.add(new PatientMonthAssembly.CarePlanChange(r.establishedOn(), r.version(), r.changedSections(), r.substantialRevision()));
            }
            result.put(id, changes);
        });
        return result;
    }

    /** Effective, finished ledger rows overlapping [from, to), as {@code TimeLedger.effective} reads them one patient at a time. */
    private static Map<UUID, List<LoggedTime>> time(Connection c, List<UUID> ids, Instant from, Instant to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT patient_id, started_at, ended_at, program, staff_role, interaction_mode, staff_id "
                + "FROM billing.time_entry WHERE patient_id = ANY (?) AND superseded_by_entry IS NULL AND ended_at IS NOT NULL "
                + "AND ended_at > ? AND started_at < ? ORDER BY patient_id, started_at")) {
            ps.setArray(1, uuids(c, ids));
            ps.setTimestamp(2, Timestamp.from(from));
            ps.setTimestamp(3, Timestamp.from(to));
            Map<UUID, List<LoggedTime>> result = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String mode = rs.getString(6);
                    LoggedTime t = new LoggedTime(rs.getTimestamp(2).toInstant(), rs.getTimestamp(3).toInstant(),
                            Program.fromWire(rs.getString(4)).orElseThrow(), rs.getObject(7, UUID.class),
                            StaffRole.fromWire(rs.getString(5)).orElseThrow().isProvider(),
                            mode == null ? null : InteractionMode.fromWire(mode).orElseThrow());
                    result.computeIfAbsent(rs.getObject(1, UUID.class), id -> new ArrayList<>()).add(t);
                }
            }
            return result;
        }
    }

    /** Patients with a once-only code (99453 per episode, G0506) on a claim line of an earlier month. */
    private static Set<UUID> billedBefore(Connection c, List<UUID> ids, YearMonth month, String code) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT patient_id FROM billing.claim_line WHERE patient_id = ANY (?) "
                + "AND code = ? AND month < ?")) {
            ps.setArray(1, uuids(c, ids));
            ps.setString(2, code);
            ps.setDate(3, Date.valueOf(month.atDay(1)));
            Set<UUID> result = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(rs.getObject(1, UUID.class));
                }
            }
            return result;
        }
    }

    private static Array uuids(Connection c, java.util.Collection<UUID> ids) throws SQLException {
        return c.createArrayOf("uuid", ids.toArray());
    }
}
