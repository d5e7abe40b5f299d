package health.careloop.billing.claims;

import health.careloop.billing.datadays.DataDays;
import health.careloop.billing.encounters.InpatientStays;
import health.careloop.billing.encounters.Visits;
import health.careloop.billing.ledger.TimeEntry;
import health.careloop.billing.ledger.TimeLedger;
import health.careloop.clinical.careplan.CarePlanVersion;
import health.careloop.clinical.complexity.ComplexityRecord;
import health.careloop.clinical.complexity.ComplexityRecords;
import health.careloop.clinical.careplan.CarePlans;
import health.careloop.clinical.conditions.Conditions;
import health.careloop.clinical.consent.Consents;
import health.careloop.clinical.consent.Enrolment;
import health.careloop.clinical.consent.Enrolments;
import health.careloop.common.auth.StaffAccounts;
import health.careloop.common.auth.StaffMember;
import health.careloop.common.auth.StaffRole;
import health.careloop.common.directory.Directory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Loads one {@link PatientMonth} from its owners: clinical (conditions, consent, enrolment, care plans), ingest (data days),
 * the ledger; a dozen queries per patient. The month close and readiness read a whole practice with
 * {@link PracticeMonthLoader} instead; this path stays as the reference the batched one is tested against.
 */
public final class PatientMonthLoader {
    private final DataSource dataSource;
    private final Conditions conditions;
    private final Consents consents;
    private final Enrolments enrolments;
    private final CarePlans carePlans;
    private final StaffAccounts staff;
    private final DataDays dataDays;
    private final TimeLedger ledger;
    private final MonthRules rules;
    private final Visits visits;
    private final InpatientStays stays;

    public PatientMonthLoader(DataSource dataSource, Conditions conditions, Consents consents, Enrolments enrolments, CarePlans carePlans,
                              StaffAccounts staff, DataDays dataDays, TimeLedger ledger, MonthRules rules, Visits visits, InpatientStays stays) {
        this.visits = visits;
        this.stays = stays;
        this.dataSource = dataSource;
        this.conditions = conditions;
        this.consents = consents;
        this.enrolments = enrolments;
        this.carePlans = carePlans;
        this.staff = staff;
        this.dataDays = dataDays;
        this.ledger = ledger;
        this.rules = rules;
    }

    /** This loader with the rules of one practice's month (last month's treatment management is judged with them). */
    public PatientMonthLoader withRules(MonthRules monthRules) {
        return new PatientMonthLoader(dataSource, conditions, consents, enrolments, carePlans, staff, dataDays, ledger, monthRules, visits, stays);
    }

    public PatientMonth load(UUID patientId, ZoneId zone, YearMonth month, LocalDate asOf, LocalDate monitoringStart) throws SQLException {
        return load(patientId, zone, month, asOf, monitoringStart, true);
    }

    private PatientMonth load(UUID patientId, ZoneId zone, YearMonth month, LocalDate asOf, LocalDate monitoringStart, boolean withPrevious)
            throws SQLException {
        LocalDate from = PatientMonthAssembly.firstDay(monitoringStart, month, asOf);
        LocalDate to = PatientMonthAssembly.lastDay(month, asOf);
        Instant fromInstant = from.atStartOfDay(zone).toInstant();
        Instant toInstant = to.plusDays(1).atStartOfDay(zone).toInstant();

        List<LoggedTime> time = new java.util.ArrayList<>();
        for (TimeEntry e : ledger.effective(patientId, fromInstant, toInstant)) {
            StaffRole role = StaffRole.fromWire(e.staffRole()).orElseThrow();
            time.add(new LoggedTime(e.startedAt(), e.endedAt(), e.program(), e.staffId(), role.isProvider(), e.interactionMode()));
        }
        List<Enrolment> enrolmentList = enrolments.of(patientId);
        Map<UUID, String> npis = new HashMap<>();
        for (Enrolment e : enrolmentList) {
            npis.computeIfAbsent(e.billingPractitionerId(), id -> member(id).map(StaffMember::npi).orElse(null));
        }
        Map<UUID, String> names = new HashMap<>();
        for (UUID id : PatientMonthAssembly.namedStaff(time, enrolmentList)) {
            member(id).ifPresent(s -> names.put(id, s.displayName()));
        }
        List<PatientMonthAssembly.CarePlanChange> carePlan = new java.util.ArrayList<>();
        for (CarePlanVersion v : carePlans.versions(patientId)) {
            carePlan.add(new PatientMonthAssembly.CarePlanChange(v.establishedOn(), v.version(), v.changedSections(), v.substantialRevision()));
        }
        boolean lastMonthManagement = false;
        if (withPrevious) {
            YearMonth previous = month.minusMonths(1);
            Optional<Set<String>> closed = closedCodes(patientId, previous);
            if (closed.isPresent()) {
                lastMonthManagement = closed.get().contains("99457") || closed.get().contains("99470");
            } else {
                lastMonthManagement = rules.rpmManagementBilled(load(patientId, zone, previous, previous.atEndOfMonth(), monitoringStart, false));
            }
        }
        return PatientMonthAssembly.assemble(zone, month, asOf, new PatientMonthAssembly.Records(patientId, monitoringStart,
                dataDays.between(patientId, from, to), time, conditions.of(patientId), consents.of(patientId), enrolmentList, npis, carePlan,
                billedBefore(patientId, month, "99453"), lastMonthManagement, visits.of(patientId), stays.of(patientId),
                billedBefore(patientId, month, "G0506"), complexity(patientId), names), PatientMonthAssembly.CoverageMethod.DAILY);
    }

    private List<ComplexityRecord> complexity(UUID patientId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return ComplexityRecords.ofPatients(c, List.of(patientId)).getOrDefault(patientId, List.of());
        }
    }

    private Optional<StaffMember> member(UUID staffId) {
        try {
            return staff.find(staffId);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A once-only code (99453 per episode, G0506) already on a claim line of an earlier month. */
    private boolean billedBefore(UUID patientId, YearMonth month, String code) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM billing.claim_line WHERE patient_id = ? AND code = ? AND month < ?")) {
            ps.setObject(1, patientId);
            ps.setString(2, code);
            ps.setDate(3, Date.valueOf(month.atDay(1)));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The codes on the patient's claim lines of a closed month; empty when the month is not closed. */
    private Optional<Set<String>> closedCodes(UUID patientId, YearMonth month) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Optional<UUID> practiceId = Directory.practiceOfPatient(c, patientId);
            if (practiceId.isEmpty()) {
                return Optional.empty();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT l.code FROM billing.month_close mc
                    LEFT JOIN billing.claim_line l ON l.practice_id = mc.practice_id AND l.month = mc.month AND l.patient_id = ?
                    WHERE mc.practice_id = ? AND mc.month = ?""")) {
                ps.setObject(1, patientId);
                ps.setObject(2, practiceId.get());
                ps.setDate(3, Date.valueOf(month.atDay(1)));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    Set<String> codes = new HashSet<>();
                    do {
                        if (rs.getString(1) != null) {
                            codes.add(rs.getString(1));
                        }
                    } while (rs.next());
                    return Optional.of(codes);
                }
            }
        }
    }
}
