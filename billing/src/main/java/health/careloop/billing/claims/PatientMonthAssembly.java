package health.careloop.billing.claims;

import health.careloop.clinical.conditions.Condition;
import health.careloop.clinical.conditions.Eligibility;
import health.careloop.clinical.conditions.ProgramEligibility;
import health.careloop.clinical.consent.ConsentRecord;
import health.careloop.clinical.consent.Enrolment;
import health.careloop.clinical.consent.Program;
import health.careloop.clinical.consent.ProgramStatus;
import health.careloop.clinical.rules.MonitoringPeriod;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Builds a {@link PatientMonth} from one patient's records, however they were read: one patient at a time
 * ({@link PatientMonthLoader}) or a chunk of a practice at a time ({@link PracticeMonthLoader}). Both loaders go through
 * here, so the two paths can only differ in what they read, never in how they interpret it. Pure.
 */
final class PatientMonthAssembly {
    /** Care plan sections whose change is a substantial revision for complex CCM (billing-rules.md 2.1 [S17][S32]). */
    static final Set<String> SUBSTANTIAL_SECTIONS = Set.of("problems", "goals", "interventions", "medications");

    /** A care plan version as the rules need it: when it was written and what changed. */
    record CarePlanChange(Instant createdAt, int version, List<String> changedSections) {
    }

    /** One patient's records for the span the month's rules look at. */
    record Records(UUID patientId, LocalDate monitoringStart, Set<LocalDate> dataDays, List<LoggedTime> time, List<Condition> conditions,
                   List<ConsentRecord> consents, List<Enrolment> enrolments, Map<UUID, String> npis, List<CarePlanChange> carePlan,
                   boolean setupBilledBefore, boolean rpmManagementBilledLastMonth) {
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

    static PatientMonth assemble(ZoneId zone, YearMonth month, LocalDate asOf, Records r) {
        LocalDate from = firstDay(r.monitoringStart(), month, asOf);
        LocalDate to = lastDay(month, asOf);
        Map<Program, Map<LocalDate, DayCoverage>> coverage = new EnumMap<>(Program.class);
        for (Program program : Program.values()) {
            Map<LocalDate, DayCoverage> days = new HashMap<>();
            for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
                days.put(d, coverage(r, program, d));
            }
            coverage.put(program, days);
        }
        Set<LocalDate> substantial = new HashSet<>();
        LocalDate carePlanSince = null;
        for (CarePlanChange v : r.carePlan()) {
            LocalDate day = v.createdAt().atZone(zone).toLocalDate();
            if (carePlanSince == null || day.isBefore(carePlanSince)) {
                carePlanSince = day;
            }
            if (v.version() == 1 || v.changedSections().stream().anyMatch(SUBSTANTIAL_SECTIONS::contains)) {
                substantial.add(day);
            }
        }
        Set<LocalDate> dataDays = new HashSet<>();
        for (LocalDate d : r.dataDays()) {
            if (!d.isBefore(from) && !d.isAfter(to)) {
                dataDays.add(d);
            }
        }
        return new PatientMonth(r.patientId(), month, zone, r.monitoringStart(), dataDays, r.time(), coverage, substantial, carePlanSince,
                r.setupBilledBefore(), r.rpmManagementBilledLastMonth(), asOf);
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
        Eligibility eligibility = program == Program.CCM ? ProgramEligibility.ccm(r.conditions(), day) : ProgramEligibility.rpm(r.conditions(), day);
        return new DayCoverage(true, s.billingPractitionerId(), s.billingPractitionerNpi(), eligibility.qualifyingCodes(), null);
    }
}
