package health.careloop.billing.claims;

import health.careloop.clinical.consent.Program;
import health.careloop.clinical.rules.MonitoringPeriod;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rule engine: one patient-month of facts in, claim lines and reasons out. Pure (no database, no clock), so every
 * rule of billing-rules.md sections 1-3 is table-tested in MonthRulesTest.
 *
 * <p>Windows (billing-rules.md 7.1): 99453/99454/99445/99091 run on the P30 and a P30 is billed in the calendar month
 * of its last day, with that day as the date of service (2.5 default; vendor practice [S53]). The time codes run on the
 * calendar month with its last day as the date of service (2.5 default: the last day of the period, never before the
 * threshold). When coverage (consent, enrolment, eligibility) ends inside a period, the period is counted up to and
 * billed on its last covered day.
 *
 * <p>One class per program holds its rules ({@link RpmRules}, {@link CcmRules}, {@link PcmRules}, {@link ApcmRules});
 * they share the coverage gate ({@link CoveredSpan}), minute counting ({@link MinuteCount}, {@link InpatientTime}) and
 * the outcome they add to ({@link RuleOutcome}). This class orders them and is the one entry point.
 */
public final class MonthRules {
    private final BillingSettings settings;
    private final RpmRules rpm;
    private final CcmRules ccm;
    private final PcmRules pcm;
    private final ApcmRules apcm;

    public MonthRules(BillingSettings settings) {
        this.settings = settings;
        this.rpm = new RpmRules(settings);
        this.ccm = new CcmRules(settings);
        this.pcm = new PcmRules(settings);
        this.apcm = new ApcmRules(settings);
    }

    public BillingSettings settings() {
        return settings;
    }

    /**
     * RPM, then APCM; in an APCM month CCM and PCM are bundled into it, otherwise CCM and then PCM (which yields to a CCM
     * line of the same practitioner). Lines and reasons come out in this order.
     */
    public MonthOutcome evaluate(PatientMonth m) {
        RuleOutcome out = new RuleOutcome(m.patientId());
        rpm.evaluate(m, out);
        BillingCode apcmCode = apcm.evaluate(m, out);
        if (apcmCode != null) {
            apcm.bundle(m, apcmCode, out);
        } else {
            ccm.evaluate(m, out);
            pcm.evaluate(m, out);
        }
        everyProgramAccountedFor(m, out);
        return out.toMonthOutcome();
    }

    /** The code a program's "nothing billed" reason is filed under when none of its codes was considered. */
    private static final Map<Program, BillingCode> MAIN_CODE = new java.util.EnumMap<>(Map.of(Program.RPM, BillingCode.RPM_MANAGEMENT_20,
            Program.CCM, BillingCode.CCM_STAFF_20, Program.PCM, BillingCode.PCM_STAFF_30, Program.APCM, BillingCode.APCM_LEVEL_2));

    /**
     * Every program the patient has a consent or an enrolment in appears in the month, billed or with a reason: a
     * patient refused at enrolment (no consent, one chronic condition) or never covered in the month would otherwise
     * vanish from the close. The reason is the program's coverage on the month's last day considered.
     */
    private static void everyProgramAccountedFor(PatientMonth m, RuleOutcome out) {
        LocalDate last = CoveredSpan.min(m.month().atEndOfMonth(), m.asOf());
        for (Map.Entry<Program, BillingCode> e : MAIN_CODE.entrySet()) {
            Program program = e.getKey();
            Map<LocalDate, DayCoverage> days = m.coverage().get(program);
            if (days == null || days.isEmpty()) {
                continue; // never consented nor enrolled in this program
            }
            boolean considered = out.lines.stream().anyMatch(l -> l.code().program() == program)
                    || out.notBilled.stream().anyMatch(n -> n.code().program() == program);
            if (considered) {
                continue;
            }
            DayCoverage atEnd = m.coverage(program, last);
            String why = atEnd.ready() ? "covered on " + last + " but nothing to bill in " + m.month() + " (no minutes, data days or visit that count)."
                    : atEnd.reason();
            out.no(e.getValue(), m.month().atEndOfMonth(), e.getValue().cpt() + ": " + program.name() + " not billed in " + m.month() + ": " + why);
        }
    }

    /**
     * Minutes of a program in the month so far, counted as the rules count them (covered days, overlaps once, floored);
     * with {@code practitionerOnly}, only the minutes the program's billing practitioner (the enrolment of the last
     * covered day so far) logged personally, which is what 99091, 99491 and 99424 count (billing-rules.md 2.1).
     */
    public static int minutesInMonth(PatientMonth m, Program program, boolean practitionerOnly) {
        LocalDate first = m.month().atDay(1);
        LocalDate last = CoveredSpan.min(m.month().atEndOfMonth(), m.asOf());
        java.util.UUID practitioner = null;
        if (practitionerOnly) {
            for (LocalDate d = last; !d.isBefore(first) && practitioner == null; d = d.minusDays(1)) {
                DayCoverage c = m.coverage(program, d);
                practitioner = c.ready() ? c.practitionerId() : null;
            }
            if (practitioner == null) {
                return 0;
            }
        }
        java.util.UUID own = practitioner;
        List<LoggedTime> time = m.time().stream().filter(t -> t.program() == program && (own == null || t.personallyBy(own))).toList();
        return MinuteCount.minutes(time, first, last, m.zone(), d -> m.coverage(program, d).ready());
    }

    /** Whether 99457/99458/99470 would be billed for the month (for the next month's 99091, which may not count these minutes again). */
    public boolean rpmManagementBilled(PatientMonth m) {
        return rpm.managementBilled(m);
    }

    /**
     * The P30s billed in {@code month}: those whose last day falls in it (never stretched, billing-rules.md 1.3 [S6]), and
     * which have begun by {@code asOf}.
     */
    public static List<MonitoringPeriod> periodsEndingIn(LocalDate monitoringStart, YearMonth month, LocalDate asOf) {
        List<MonitoringPeriod> result = new ArrayList<>();
        if (monitoringStart == null) {
            return result;
        }
        LocalDate first = month.atDay(1);
        LocalDate last = month.atEndOfMonth();
        MonitoringPeriod p = MonitoringPeriod.containing(monitoringStart, first.isBefore(monitoringStart) ? monitoringStart : first);
        while (p != null && !p.start().isAfter(last) && !p.start().isAfter(asOf)) {
            if (!p.end().isBefore(first) && !p.end().isAfter(last)) {
                result.add(p);
            }
            p = MonitoringPeriod.containing(monitoringStart, p.end().plusDays(1));
        }
        return result;
    }
}
