package health.careloop.billing.claims;

import health.careloop.billing.encounters.InpatientStay;
import health.careloop.billing.encounters.Visit;
import health.careloop.clinical.conditions.Condition;
import health.careloop.clinical.conditions.Eligibility;
import health.careloop.clinical.conditions.ProgramEligibility;
import health.careloop.clinical.consent.ConsentRecord;
import health.careloop.clinical.consent.Enrolment;
import health.careloop.clinical.consent.Program;
import health.careloop.clinical.consent.ProgramStatus;
import health.careloop.clinical.rules.MonitoringPeriod;

import health.careloop.clinical.careplan.CarePlanOnRecord;
import health.careloop.clinical.complexity.ComplexityRecord;
import health.careloop.clinical.complexity.ComplexityRecords;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Builds a {@link PatientMonth} from one patient's records, however they were read: one patient at a time
 * ({@link PatientMonthLoader}) or a chunk of a practice at a time ({@link PracticeMonthLoader}). Both loaders go through
 * here, so the two paths can only differ in what they read, never in how they interpret it. Pure.
 */
final class PatientMonthAssembly {
    /**
     * A care plan version as the rules need it: the local day it was established, what changed and whether its author
     * marked it a substantial revision (null: not said).
     */
    record CarePlanChange(LocalDate establishedOn, int version, List<String> changedSections, Boolean substantialRevision) {
    }

    /**
     * One patient's records for the span the month's rules look at. {@code npis} and {@code staffNames} may hold more
     * staff than the patient's (a chunk's); the month keeps the names of its own physicians/NPPs only.
     */
    record Records(UUID patientId, LocalDate monitoringStart, Set<LocalDate> dataDays, List<LoggedTime> time, List<Condition> conditions,
                   List<ConsentRecord> consents, List<Enrolment> enrolments, Map<UUID, String> npis, List<CarePlanChange> carePlan,
                   boolean setupBilledBefore, boolean rpmManagementBilledLastMonth, List<Visit> visits, List<InpatientStay> stays,
                   boolean assessmentBilledBefore, List<ComplexityRecord> complexity, Map<UUID, String> staffNames) {

        /** The same records with last month's treatment management as given. */
        Records withManagementLastMonth(boolean billed) {
            return new Records(patientId, monitoringStart, dataDays, time, conditions, consents, enrolments, npis, carePlan, setupBilledBefore, billed,
                    visits, stays, assessmentBilledBefore, complexity, staffNames);
        }
    }

    /** The staff a patient-month's reasons may name: physicians/NPPs with time in it and the billing practitioners of its enrolments. */
    static Set<UUID> namedStaff(List<LoggedTime> time, List<Enrolment> enrolments) {
        Set<UUID> ids = new HashSet<>();
        time.stream().filter(LoggedTime::byProvider).forEach(t -> ids.add(t.staffId()));
        enrolments.forEach(e -> ids.add(e.billingPractitionerId()));
        return ids;
    }

    private PatientMonthAssembly() {
    }

    /** The first day the month's rules look at: the month's first day or the start of an earlier P30 that ends in it. */
    static LocalDate firstDay(LocalDate monitoringStart, YearMonth month, LocalDate asOf) {
        LocalDate from = month.atDay(1);
        for (MonitoringPeriod p : MonthRules.periodsEndingIn(monitoringStart, month, asOf)) {
            if (p.start().isBefore(from)) {
                from = p.start();
            }
        }
        return from;
    }

    /** The last day the month's rules look at: the month's last day, or {@code asOf} before it. */
    static LocalDate lastDay(YearMonth month, LocalDate asOf) {
        return asOf.isBefore(month.atEndOfMonth()) ? asOf : month.atEndOfMonth();
    }

    /** How the day-by-day coverage is worked out; both give the same map (SetBasedCloseTest compares them). */
    enum CoverageMethod {
        /** Every day evaluated on its own: the reference. */
        DAILY,
        /** Once per stretch of days on which no record starts or stops applying, reused across it where the answer cannot name the day. */
        BY_STRETCH
    }

    static PatientMonth assemble(ZoneId zone, YearMonth month, LocalDate asOf, Records r, CoverageMethod method) {
        LocalDate from = firstDay(r.monitoringStart(), month, asOf);
        LocalDate to = lastDay(month, asOf);
        Map<Program, Map<LocalDate, DayCoverage>> coverage = new EnumMap<>(Program.class);
        NavigableSet<LocalDate> changes = method == CoverageMethod.BY_STRETCH ? changeDays(r) : null;
        for (Program program : Program.values()) {
            if (r.consents().stream().noneMatch(c -> c.program() == program) && r.enrolments().stream().noneMatch(e -> e.program() == program)) {
                // Never in the program (most patients for PCM and APCM): no day is covered, and PatientMonth says so for
                // any day asked; a map of "no consent" days for every patient cost memory and time at 100,000 patients.
                coverage.put(program, Map.of());
                continue;
            }
            coverage.put(program, method == CoverageMethod.DAILY ? daily(r, program, from, to) : byStretch(r, program, from, to, changes));
        }
        Set<LocalDate> substantial = new HashSet<>();
        LocalDate carePlanSince = null;
        for (CarePlanChange v : r.carePlan()) {
            LocalDate day = v.establishedOn();
            if (carePlanSince == null || day.isBefore(carePlanSince)) {
                carePlanSince = day;
            }
            if (CarePlanOnRecord.establishesOrSubstantiallyRevises(v.version(), v.substantialRevision(), v.changedSections())) {
                substantial.add(day);
            }
        }
        Set<LocalDate> dataDays = new HashSet<>();
        for (LocalDate d : r.dataDays()) {
            if (!d.isBefore(from) && !d.isAfter(to)) {
                dataDays.add(d);
            }
        }
        Instant monthStart = month.atDay(1).atStartOfDay(zone).toInstant();
        Instant monthEnd = month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
        EncounterFacts encounters = new EncounterFacts(
                r.visits().stream().filter(v -> !v.date().isAfter(to)).toList(),
                r.stays().stream().filter(st -> st.admittedAt().isBefore(monthEnd) && st.until().isAfter(monthStart)).toList(),
                enrolledSince(r.enrolments(), Program.CCM, to), r.assessmentBilledBefore(), enrolledSince(r.enrolments(), Program.APCM, to),
                ProgramEligibility.ccm(r.conditions(), to).qualifyingCodes().size());
        Map<UUID, String> names = new HashMap<>();
        for (UUID id : namedStaff(r.time(), r.enrolments())) {
            String name = r.staffNames().get(id);
            if (name != null) {
                names.put(id, name);
            }
        }
        return new PatientMonth(r.patientId(), month, zone, r.monitoringStart(), dataDays, r.time(), coverage, substantial, carePlanSince,
                r.setupBilledBefore(), r.rpmManagementBilledLastMonth(), asOf, encounters, ComplexityRecords.levelIn(r.complexity(), month), names);
    }

    /**
     * First day of the program's enrolment in force on {@code day} (or the last one begun by then), followed back through
     * enrolments that begin the day after the previous one ends; null when none has begun.
     */
    static LocalDate enrolledSince(List<Enrolment> enrolments, Program program, LocalDate day) {
        List<Enrolment> ofProgram = enrolments.stream().filter(e -> e.program() == program && !e.startDate().isAfter(day))
                .sorted(java.util.Comparator.comparing(Enrolment::startDate)).toList();
        if (ofProgram.isEmpty()) {
            return null;
        }
        LocalDate since = ofProgram.get(ofProgram.size() - 1).startDate();
        for (int i = ofProgram.size() - 2; i >= 0; i--) {
            LocalDate end = ofProgram.get(i).endDate();
            if (end == null || !end.plusDays(1).isBefore(since)) {
                since = ofProgram.get(i).startDate();
            } else {
                break;
            }
        }
        return since;
    }

    private static Map<LocalDate, DayCoverage> daily(Records r, Program program, LocalDate from, LocalDate to) {
        Map<LocalDate, DayCoverage> days = new HashMap<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            days.put(d, coverage(r, program, d));
        }
        return days;
    }

    /**
     * The month close's path: evaluating consent, enrolment and eligibility for every day of every patient was most of
     * the close's time (JFR, 10,000 patients). Between two change days every date comparison in ProgramStatus,
     * ConsentRules, ProgramEligibility and Enrolment comes out the same, so the answer only differs where it names the
     * day itself; a stretch reuses its first day's answer when that is ready (no reason) or its reason does not name the day.
     */
    private static Map<LocalDate, DayCoverage> byStretch(Records r, Program program, LocalDate from, LocalDate to, NavigableSet<LocalDate> changes) {
        Map<LocalDate, DayCoverage> days = new HashMap<>();
        LocalDate d = from;
        while (!d.isAfter(to)) {
            LocalDate next = changes.higher(d);
            LocalDate last = next == null || next.isAfter(to) ? to : next.minusDays(1);
            DayCoverage first = coverage(r, program, d);
            boolean reusable = first.ready() || !first.reason().contains(d.toString());
            days.put(d, first);
            for (LocalDate day = d.plusDays(1); !day.isAfter(last); day = day.plusDays(1)) {
                days.put(day, reusable ? first : coverage(r, program, day));
            }
            d = last.plusDays(1);
        }
        return days;
    }

    /** Days on which some record starts or stops applying (the first day it does or the first day it no longer does). */
    private static NavigableSet<LocalDate> changeDays(Records r) {
        NavigableSet<LocalDate> days = new TreeSet<>();
        for (Condition c : r.conditions()) {
            addIfPresent(days, c.onset());
            addIfPresent(days, c.endedOn());
        }
        for (ConsentRecord c : r.consents()) {
            days.add(c.obtainedOn());
            c.coversThrough().ifPresent(last -> days.add(last.plusDays(1)));
        }
        for (Enrolment e : r.enrolments()) {
            days.add(e.startDate());
            if (e.endDate() != null) {
                days.add(e.endDate().plusDays(1));
            }
        }
        return days;
    }

    private static void addIfPresent(NavigableSet<LocalDate> days, LocalDate day) {
        if (day != null) {
            days.add(day);
        }
    }

    private static DayCoverage coverage(Records r, Program program, LocalDate day) {
        Optional<Enrolment> enrolment = r.enrolments().stream().filter(e -> e.program() == program && e.activeOn(day)).findFirst();
        String npi = enrolment.map(e -> r.npis().get(e.billingPractitionerId())).orElse(null);
        ProgramStatus.Snapshot s = ProgramStatus.evaluate(r.patientId(), program, day, r.conditions(), r.consents(), r.enrolments(), npi);
        if (!s.consented()) {
            return DayCoverage.notReady(s.consentReason());
        }
        if (!s.enrolled()) {
            return DayCoverage.notReady(s.enrolmentReason());
        }
        if (!s.eligible()) {
            return DayCoverage.notReady(s.eligibilityReason());
        }
        Eligibility eligibility = ProgramEligibility.of(program, r.conditions(), day);
        return new DayCoverage(true, s.billingPractitionerId(), s.billingPractitionerNpi(), eligibility.qualifyingCodes(), null);
    }
}
