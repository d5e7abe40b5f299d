package health.careloop.bench.jmh;

import health.careloop.billing.claims.BillingCode;
import health.careloop.billing.claims.DayCoverage;
import health.careloop.billing.claims.EncounterFacts;
import health.careloop.billing.claims.LoggedTime;
import health.careloop.billing.claims.MonthOutcome;
import health.careloop.billing.claims.MonthRules;
import health.careloop.billing.claims.PatientMonth;
import health.careloop.billing.encounters.Visit;
import health.careloop.billing.encounters.VisitKind;
import health.careloop.billing.ledger.InteractionMode;
import health.careloop.clinical.consent.Program;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One patient's November 2026 as the month close hands it to {@link MonthRules}, for the typical cases of a practice.
 * Shaped like {@code PatientMonthAssembly}'s output: day-by-day coverage from the first P30 day (or the month start) to
 * the month end, one {@link DayCoverage} shared by the days of a stretch, and no day map for a program the patient was
 * never in. Public only because JMH's generated code names {@link Case}, the benchmark's parameter.
 */
public final class TypicalPatientMonths {
    static final YearMonth MONTH = YearMonth.of(2026, 11);
    static final ZoneId ZONE = ZoneId.of("America/Chicago");
    /** P30s from this day run 2026-11-01..2026-11-30: one period billed in November, not the episode's first. */
    static final LocalDate MONITORING_START = LocalDate.of(2026, 6, 4);
    private static final UUID PATIENT = UUID.fromString("00000000-0000-0000-0000-0000000000aa");
    private static final UUID PRACTICE = UUID.fromString("00000000-0000-0000-0000-0000000000bb");
    private static final UUID PHYSICIAN = UUID.fromString("00000000-0000-0000-0000-000000000001");
    /** Whose minutes the typical month logs: a nurse (clinical staff). */
    private static final UUID NURSE = UUID.fromString("00000000-0000-0000-0000-0000000000a1");
    private static final DayCoverage READY = new DayCoverage(true, PHYSICIAN, "1234567893", List.of("I10", "E11.9", "I50.22"), null);

    /** The cases, each with the codes the rules must bill for it (checked once before measuring). */
    public enum Case {
        /** RPM only: 18 data days, 22 minutes with one call: 99454 + 99457. */
        RPM_16_DAYS_20_MIN(Set.of(BillingCode.RPM_DEVICE_16, BillingCode.RPM_MANAGEMENT_20)),
        /** RPM only: 24 data days, 42 minutes over three entries: 99454 + 99457 + 99458. */
        RPM_16_DAYS_40_MIN(Set.of(BillingCode.RPM_DEVICE_16, BillingCode.RPM_MANAGEMENT_20, BillingCode.RPM_MANAGEMENT_ADDON)),
        /** RPM as the first case plus 26 minutes of CCM: 99454 + 99457 + 99490. */
        RPM_AND_CCM(Set.of(BillingCode.RPM_DEVICE_16, BillingCode.RPM_MANAGEMENT_20, BillingCode.CCM_STAFF_20)),
        /** PCM only, 35 minutes by clinical staff: 99426. */
        PCM(Set.of(BillingCode.PCM_STAFF_30)),
        /** Enrolled in RPM but 1 data day and 6 minutes without a call: nothing billed, every code with its reason. */
        NOTHING_BILLABLE(Set.of());

        final Set<BillingCode> billed;

        Case(Set<BillingCode> billed) {
            this.billed = billed;
        }
    }

    private TypicalPatientMonths() {
    }

    static PatientMonth of(Case c) {
        Set<LocalDate> dataDays = new HashSet<>();
        List<LoggedTime> time = new ArrayList<>();
        Map<Program, Map<LocalDate, DayCoverage>> coverage = new EnumMap<>(Program.class);
        for (Program p : Program.values()) {
            coverage.put(p, Map.of());
        }
        switch (c) {
            case RPM_16_DAYS_20_MIN -> rpm(coverage, dataDays, time, 18, new int[] {12}, new int[] {10});
            case RPM_16_DAYS_40_MIN -> rpm(coverage, dataDays, time, 24, new int[] {15, 12}, new int[] {15});
            case RPM_AND_CCM -> {
                rpm(coverage, dataDays, time, 18, new int[] {12}, new int[] {10});
                coverage.put(Program.CCM, covered(MONTH.atDay(1)));
                time.add(entry(Program.CCM, 5, 11, 12, null));
                time.add(entry(Program.CCM, 12, 14, 8, InteractionMode.PHONE));
                time.add(entry(Program.CCM, 19, 9, 6, null));
            }
            case PCM -> {
                coverage.put(Program.PCM, covered(MONTH.atDay(1)));
                time.add(entry(Program.PCM, 4, 10, 20, InteractionMode.PHONE));
                time.add(entry(Program.PCM, 18, 15, 15, null));
            }
            case NOTHING_BILLABLE -> rpm(coverage, dataDays, time, 1, new int[0], new int[] {6});
        }
        boolean inCareManagement = c == Case.RPM_AND_CCM || c == Case.PCM;
        List<Visit> visits = List.of(new Visit(UUID.randomUUID(), PRACTICE, PATIENT, VisitKind.EM, LocalDate.of(2026, 1, 15), PHYSICIAN, false,
                "bench", Instant.EPOCH));
        EncounterFacts encounters = new EncounterFacts(visits, List.of(), inCareManagement ? LocalDate.of(2026, 1, 15) : null, false, null, 3);
        return new PatientMonth(PATIENT, MONTH, ZONE, MONITORING_START, dataDays, time, coverage, Set.of(), LocalDate.of(2025, 3, 2), true,
                true, MONTH.atEndOfMonth(), encounters);
    }

    /**
     * The reference: a deep copy of the month's facts, every data day, time entry and day of coverage put into a new
     * mutable collection and then through the record's constructor, which copies them again into immutable ones. That
     * is touching each input item a few times and deciding nothing. (The constructor alone would be no reference:
     * {@code List.copyOf} and its kin return an already immutable collection as it is.)
     */
    static PatientMonth copy(PatientMonth m) {
        Map<Program, Map<LocalDate, DayCoverage>> coverage = new EnumMap<>(Program.class);
        m.coverage().forEach((program, days) -> coverage.put(program, new HashMap<>(days)));
        return new PatientMonth(m.patientId(), m.month(), m.zone(), m.monitoringStart(), new HashSet<>(m.dataDays()), new ArrayList<>(m.time()),
                coverage, new HashSet<>(m.substantialCarePlanChanges()), m.carePlanSince(), m.setupBilledBefore(),
                m.rpmManagementBilledLastMonth(), m.asOf(), new EncounterFacts(new ArrayList<>(m.encounters().visits()),
                new ArrayList<>(m.encounters().stays()), m.encounters().ccmSince(), m.encounters().assessmentBilledBefore(),
                m.encounters().apcmSince(), m.encounters().chronicConditions()));
    }

    /** Fails when the rules do not bill what the case is meant to show, so a changed rule cannot silently change the case. */
    static void check(Case c, MonthOutcome outcome) {
        Set<BillingCode> billed = new HashSet<>();
        outcome.lines().forEach(l -> billed.add(l.code()));
        if (!billed.equals(c.billed)) {
            throw new IllegalStateException(c + " was meant to bill " + c.billed + " but the rules billed " + billed + "; reasons: " + outcome.notBilled());
        }
    }

    /** RPM covered all month, {@code days} data days spread over it, calls and non-interactive reviews of the given minutes. */
    private static void rpm(Map<Program, Map<LocalDate, DayCoverage>> coverage, Set<LocalDate> dataDays, List<LoggedTime> time, int days,
                            int[] callMinutes, int[] reviewMinutes) {
        coverage.put(Program.RPM, covered(MONTH.atDay(1)));
        for (int i = 0; i < days; i++) {
            dataDays.add(MONTH.atDay(1 + (i * 29) / Math.max(1, days - 1)));
        }
        int day = 3;
        for (int minutes : callMinutes) {
            time.add(entry(Program.RPM, day, 10, minutes, InteractionMode.PHONE));
            day += 7;
        }
        for (int minutes : reviewMinutes) {
            time.add(entry(Program.RPM, day, 16, minutes, null));
            day += 7;
        }
    }

    private static Map<LocalDate, DayCoverage> covered(LocalDate from) {
        Map<LocalDate, DayCoverage> days = new HashMap<>();
        for (LocalDate d = from; !d.isAfter(MONTH.atEndOfMonth()); d = d.plusDays(1)) {
            days.put(d, READY);
        }
        return days;
    }

    private static LoggedTime entry(Program program, int dayOfMonth, int hour, int minutes, InteractionMode mode) {
        Instant start = MONTH.atDay(dayOfMonth).atTime(LocalTime.of(hour, 0)).atZone(ZONE).toInstant();
        return new LoggedTime(start, start.plusSeconds(minutes * 60L), program, NURSE, false, mode);
    }
}
