package health.careloop.billing.claims;

import health.careloop.billing.encounters.Visit;
import health.careloop.clinical.consent.Program;
import health.careloop.clinical.rules.MonitoringPeriod;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The rule engine: one patient-month of facts in, claim lines and reasons out. Pure (no database, no clock), so every
 * rule of billing-rules.md sections 1-3 is table-tested in MonthRulesTest.
 *
 * <p>Windows (billing-rules.md 7.1): 99453/99454/99445/99091 run on the P30 and a P30 is billed in the calendar month
 * of its last day, with that day as the date of service (2.5 default; vendor practice [S53]). The time codes run on the
 * calendar month with its last day as the date of service (2.5 default: the last day of the period, never before the
 * threshold). When coverage (consent, enrolment, eligibility) ends inside a period, the period is counted up to and
 * billed on its last covered day.
 */
public final class MonthRules {
    /** billing-rules.md 1.1 [S10][S12]: 99454 needs 16-30 data days in the P30. */
    static final int DAYS_99454 = 16;
    /** billing-rules.md 1.1 [S2][S3][S6]: 99445 (CY2026) needs 2-15 data days. */
    static final int DAYS_99445 = 2;
    /** billing-rules.md 1.1: 99457 first 20 minutes; 99458 each further full 20 (at 40, 60). */
    static final int MIN_99457 = 20;
    static final int STEP_99458 = 20;
    /** billing-rules.md 1.1 [S2][S3][S6]: 99470 (CY2026) covers 10-19 minutes. */
    static final int MIN_99470 = 10;
    /** billing-rules.md 1.1 [S16]: 99091 needs >= 30 minutes of physician/QHP time in the 30 days. */
    static final int MIN_99091 = 30;
    /** billing-rules.md 2.1 [S17][S18]: 99490 first 20 minutes; 99439 each further 20 [S24][S32]. */
    static final int MIN_99490 = 20;
    static final int STEP_99439 = 20;
    /** billing-rules.md 2.1 [S18]: 99491 first 30 minutes by the physician/QHP personally; 99437 each further 30 [S15]. */
    static final int MIN_99491 = 30;
    static final int STEP_99437 = 30;
    /** billing-rules.md 2.1 [S17][S32]: 99487 first 60 minutes; 99489 each further 30 (at 90, 120 ...) [S30]. */
    static final int MIN_99487 = 60;
    static final int STEP_99489 = 30;
    /** billing-rules.md 2.2 [S18][S20]: CCM needs an initiating visit for patients not seen within a year. */
    static final int INITIATING_VISIT_YEARS = 1;
    /** billing-rules.md 2.3 [S19][S28]: 99424/99426 first 30 minutes; 99425/99427 each further 30. */
    static final int MIN_PCM = 30;
    static final int STEP_PCM = 30;
    /** billing-rules.md 2.3 [S28]: PCM needs a new initiating visit after 12 months. */
    static final int PCM_VISIT_YEARS = 1;
    /** 837P HI holds at most 12 diagnosis codes (billing-rules.md section 4 [S37][S38]). */
    static final int MAX_DIAGNOSES = 12;

    private final BillingSettings settings;

    public MonthRules(BillingSettings settings) {
        this.settings = settings;
    }

    public BillingSettings settings() {
        return settings;
    }

    public MonthOutcome evaluate(PatientMonth m) {
        Outcome out = new Outcome(m.patientId());
        boolean managementBilled = rpmManagement(m, out);
        for (MonitoringPeriod p30 : periodsEndingIn(m.monitoringStart(), m.month(), m.asOf())) {
            rpmDevice(m, p30, out);
            rpmPhysicianInterpretation(m, p30, managementBilled, out);
        }
        BillingCode apcm = apcm(m, out);
        if (apcm != null) {
            bundledIntoApcm(m, apcm, out);
        } else {
            ccm(m, out);
            pcm(m, out);
        }
        return new MonthOutcome(out.lines, out.notBilled);
    }

    /** Minutes of a program in the month so far, counted as the rules count them (covered days, overlaps once, floored). */
    public static int minutesInMonth(PatientMonth m, Program program, boolean providerOnly) {
        LocalDate first = m.month().atDay(1);
        LocalDate last = min(m.month().atEndOfMonth(), m.asOf());
        List<LoggedTime> time = m.time().stream().filter(t -> t.program() == program && (!providerOnly || t.byProvider())).toList();
        return MinuteCount.minutes(time, first, last, m.zone(), d -> m.coverage(program, d).ready());
    }

    /** Whether 99457/99458/99470 would be billed for the month (for the next month's 99091, which may not count these minutes again). */
    public boolean rpmManagementBilled(PatientMonth m) {
        return rpmManagement(m, new Outcome(m.patientId()));
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

    // ---------------------------------------------------------------- RPM device supply and set-up (P30)

    private void rpmDevice(PatientMonth m, MonitoringPeriod p30, Outcome out) {
        boolean firstPeriod = p30.start().equals(m.monitoringStart());
        Span span = span(m, Program.RPM, p30.start(), p30.end());
        String period = "the period " + p30.start() + " to " + p30.end();
        if (span.failure != null) {
            out.no(BillingCode.RPM_DEVICE_16, p30.end(), "99454: " + span.failure);
            out.no(BillingCode.RPM_DEVICE_2, p30.end(), "99445: " + span.failure);
            if (firstPeriod) {
                out.no(BillingCode.RPM_SETUP, p30.end(), "99453: " + span.failure);
            }
            return;
        }
        // billing-rules.md 1.3 [S53]: a data day is a local day with >= 1 reading from any device; days combine across devices.
        int days = (int) m.dataDays().stream().filter(d -> !d.isBefore(p30.start()) && !d.isAfter(span.dateOfService) && span.covered.test(d)).count();
        BillingCode device = null;
        if (days >= DAYS_99454) {
            // CMS: 99454 needs 16-30 data days in the P30 [S10][S12]; never with 99445 in the same P30 [S2][S3][S6].
            device = BillingCode.RPM_DEVICE_16;
            out.line(m, BillingCode.RPM_DEVICE_16, 1, span, p30.start(), p30.end(), Program.RPM, null, days, settings,
                    "99454: " + days + " data days in " + period + " (16-30 needed).");
            out.no(BillingCode.RPM_DEVICE_2, p30.end(), "99445: " + days + " data days in " + period + "; 99454 billed instead (never both in one P30).");
        } else if (days >= DAYS_99445) {
            // CMS CY2026 PFS: 99445 needs 2-15 data days [S2][S3][S6].
            device = BillingCode.RPM_DEVICE_2;
            out.line(m, BillingCode.RPM_DEVICE_2, 1, span, p30.start(), p30.end(), Program.RPM, null, days, settings,
                    "99445: " + days + " data days in " + period + " (2-15 needed).");
            out.no(BillingCode.RPM_DEVICE_16, p30.end(), "99454: " + days + " data days in the period ending " + p30.end() + "; 99445 billed instead.");
        } else {
            // billing-rules.md 1.3: 0-1 data days, no device code.
            String reason = days + " data day" + (days == 1 ? "" : "s") + " in the period ending " + p30.end();
            out.no(BillingCode.RPM_DEVICE_16, p30.end(), "99454: " + reason + "; 16 needed.");
            out.no(BillingCode.RPM_DEVICE_2, p30.end(), "99445: " + reason + "; 2 needed.");
        }
        if (!firstPeriod) {
            return; // billing-rules.md 1.1 [S30][S8]: 99453 once per episode, not again for added or replaced devices.
        }
        if (m.setupBilledBefore()) {
            out.no(BillingCode.RPM_SETUP, p30.end(), "99453: already billed for this monitoring episode (once per episode).");
            return;
        }
        // billing-rules.md 1.1, DISPUTED: which threshold 99453 needs in 2026 (settings.setupRule()).
        boolean setup = switch (settings.setupRule()) {
            case FIRST_PERIOD_QUALIFIES -> device != null;
            case SIXTEEN_DAYS -> days >= DAYS_99454;   // through 2025 [S13][S10]
            case TWO_DAYS -> days >= DAYS_99445;       // one vendor's 2026 reading [S54]
        };
        if (setup) {
            out.line(m, BillingCode.RPM_SETUP, 1, span, p30.start(), p30.end(), Program.RPM, null, days, settings,
                    "99453: set-up and education for the monitoring episode that began " + m.monitoringStart() + "; first period has " + days + " data days.");
        } else {
            out.no(BillingCode.RPM_SETUP, p30.end(), "99453: the first period (ending " + p30.end() + ") has " + days + " data days; "
                    + switch (settings.setupRule()) {
                        case FIRST_PERIOD_QUALIFIES -> "set-up is billed only when the first period qualifies for 99445 or 99454 (2 days or more).";
                        case SIXTEEN_DAYS -> "set-up needs 16.";
                        case TWO_DAYS -> "set-up needs 2.";
                    });
        }
    }

    // ---------------------------------------------------------------- 99091 (P30, physician/QHP time)

    private void rpmPhysicianInterpretation(PatientMonth m, MonitoringPeriod p30, boolean managementBilledThisMonth, Outcome out) {
        BillingCode code = BillingCode.RPM_PHYSICIAN_INTERPRETATION;
        List<LoggedTime> provider = m.time().stream().filter(t -> t.program() == Program.RPM && t.byProvider()).toList();
        if (provider.isEmpty()) {
            return; // not considered: no physician/QHP RPM time in the period
        }
        if (managementBilledThisMonth) {
            // billing-rules.md 1.1 / 2.4 [S16][S12]: 99091 never with 99457/99458; the whole treatment-management family is
            // exclusive here so that no physician minute counts for both.
            out.no(code, p30.end(), "99091: not with 99457/99458/99470, billed for " + m.month() + ".");
            return;
        }
        Span span = span(m, Program.RPM, p30.start(), p30.end());
        if (span.failure != null) {
            out.no(code, p30.end(), "99091: " + span.failure);
            return;
        }
        LocalDate from = p30.start();
        if (m.rpmManagementBilledLastMonth() && from.isBefore(m.month().atDay(1))) {
            from = m.month().atDay(1); // last month's minutes went to its 99457/99470; never count them twice
        }
        int minutes = MinuteCount.minutes(provider, from, span.dateOfService, m.zone(), span.covered);
        if (minutes >= MIN_99091) {
            out.line(m, code, 1, span, p30.start(), p30.end(), Program.RPM, MIN_99091, null, settings,
                    "99091: " + minutes + " minutes of physician/QHP data interpretation in the period " + p30.start() + " to " + p30.end() + " (30 needed).");
        } else {
            out.no(code, p30.end(), "99091: " + minutes + " of 30 minutes of physician/QHP time in the period ending " + p30.end() + ".");
        }
    }

    // ---------------------------------------------------------------- RPM treatment management (calendar month)

    private boolean rpmManagement(PatientMonth m, Outcome out) {
        LocalDate first = m.month().atDay(1);
        LocalDate last = m.month().atEndOfMonth();
        List<LoggedTime> rpm = m.time().stream().filter(t -> t.program() == Program.RPM).toList();
        if (rpm.isEmpty() && !anyReady(m, Program.RPM, first, last)) {
            return false; // not in RPM this month: nothing considered
        }
        Span span = span(m, Program.RPM, first, last);
        if (span.failure != null) {
            for (BillingCode c : List.of(BillingCode.RPM_MANAGEMENT_20, BillingCode.RPM_MANAGEMENT_10, BillingCode.RPM_MANAGEMENT_ADDON)) {
                out.no(c, last, c.cpt() + ": " + span.failure);
            }
            return false;
        }
        int minutes = MinuteCount.minutes(rpm, first, span.dateOfService, m.zone(), span.covered);
        // billing-rules.md 1.4 [S8][S9]: >= 1 real-time interactive communication in the month; messaging only with the DISPUTED flag.
        List<LoggedTime> interactive = rpm.stream().filter(t -> t.mode() != null && t.mode().countsAsInteractive(settings.messagingIsInteractive())).toList();
        boolean talked = MinuteCount.anyStartsOn(interactive, first, span.dateOfService, m.zone(), span.covered);
        String noTalk = "no real-time interactive communication (phone or video call with the patient or caregiver) logged in " + m.month()
                + (settings.messagingIsInteractive() ? " (messaging allowed)" : "; messaging does not count") + ".";
        String mins = minutes + " of ";
        if (minutes >= MIN_99457 && talked) {
            // 99457: >= 20 minutes + interactive communication; 99458 each further full 20 minutes, add-on to 99457 only.
            out.line(m, BillingCode.RPM_MANAGEMENT_20, 1, span, first, last, Program.RPM, MIN_99457, null, settings,
                    "99457: " + minutes + " minutes of RPM treatment management in " + m.month() + " with interactive communication.");
            out.no(BillingCode.RPM_MANAGEMENT_10, last, "99470: " + minutes + " minutes; 99457 billed instead (never both).");
            int earned = (minutes - MIN_99457) / STEP_99458; // full increments only (billing-rules.md 7.5)
            int units = Math.min(earned, settings.max99458Units());
            if (units > 0) {
                out.line(m, BillingCode.RPM_MANAGEMENT_ADDON, units, span, first, last, Program.RPM, units * STEP_99458, null, settings,
                        "99458: " + minutes + " minutes = " + units + " further full 20-minute unit" + (units == 1 ? "" : "s")
                                + (earned > units ? " (capped at " + settings.max99458Units() + "; " + (earned - units) + " more not billed)" : "") + ".");
            } else if (earned > 0) {
                out.no(BillingCode.RPM_MANAGEMENT_ADDON, last, "99458: unit cap is " + settings.max99458Units() + ".");
            } else {
                out.no(BillingCode.RPM_MANAGEMENT_ADDON, last, "99458: " + mins + "40 minutes.");
            }
            return true;
        }
        out.no(BillingCode.RPM_MANAGEMENT_ADDON, last, "99458: add-on to 99457 only, which is not billed for " + m.month() + ".");
        if (minutes >= MIN_99470 && talked) {
            // CMS CY2026 PFS: 99470 covers 10-19 minutes with interactive communication; never with 99457.
            out.line(m, BillingCode.RPM_MANAGEMENT_10, 1, span, first, last, Program.RPM, MIN_99470, null, settings,
                    "99470: " + minutes + " minutes of RPM treatment management in " + m.month() + " with interactive communication (10-19).");
            out.no(BillingCode.RPM_MANAGEMENT_20, last, "99457: " + mins + "20 minutes; 99470 billed instead.");
            return true;
        }
        if (!talked && minutes >= MIN_99470) {
            out.no(BillingCode.RPM_MANAGEMENT_20, last, "99457: " + minutes + " minutes but " + noTalk);
            out.no(BillingCode.RPM_MANAGEMENT_10, last, "99470: " + minutes + " minutes but " + noTalk);
        } else {
            out.no(BillingCode.RPM_MANAGEMENT_20, last, "99457: " + mins + "20 minutes" + (talked ? "." : "; and " + noTalk));
            out.no(BillingCode.RPM_MANAGEMENT_10, last, "99470: " + mins + "10 minutes" + (talked ? "." : "; and " + noTalk));
        }
        return false;
    }

    // ---------------------------------------------------------------- CCM (calendar month)

    private record Track(String name, BillingCode base, BillingCode addon, int minutes, int addonUnits, int earnedAddonUnits, int cap,
                         int baseMinutes, int stepMinutes, String basis, BigDecimal charge) {
    }

    private void ccm(PatientMonth m, Outcome out) {
        LocalDate first = m.month().atDay(1);
        LocalDate last = m.month().atEndOfMonth();
        List<LoggedTime> ccm = m.time().stream().filter(t -> t.program() == Program.CCM).toList();
        if (ccm.isEmpty() && !anyReady(m, Program.CCM, first, last)) {
            return; // not in CCM this month
        }
        List<BillingCode> all = List.of(BillingCode.CCM_STAFF_20, BillingCode.CCM_STAFF_ADDON, BillingCode.CCM_PHYSICIAN_30,
                BillingCode.CCM_PHYSICIAN_ADDON, BillingCode.CCM_COMPLEX_60, BillingCode.CCM_COMPLEX_ADDON);
        Span span = span(m, Program.CCM, first, last);
        String failure = span.failure;
        if (failure == null && (m.carePlanSince() == null || m.carePlanSince().isAfter(span.dateOfService))) {
            // billing-rules.md 2.2 [S17][S52], 7.8: a care plan for each CCM month.
            failure = "no care plan on record by " + span.dateOfService + "; CCM needs one.";
        }
        Visit initiating = null;
        if (failure == null) {
            // billing-rules.md 2.2 [S18][S20], 7.8: CCM begins with an initiating visit (E/M of any level, AWV or IPPE) for new
            // patients and those not seen within a year: a visit on or before the date of service, at most a year before CCM began.
            LocalDate since = m.encounters().ccmSince() == null ? first : m.encounters().ccmSince();
            LocalDate earliest = since.minusYears(INITIATING_VISIT_YEARS);
            initiating = m.encounters().visits().stream().filter(v -> !v.date().isBefore(earliest) && !v.date().isAfter(span.dateOfService))
                    .findFirst().orElse(null);
            if (initiating == null) {
                failure = "no initiating visit on record: CCM (since " + since + ") needs an E/M visit, annual wellness visit or IPPE between "
                        + earliest + " and " + span.dateOfService + "; record the visit.";
            }
        }
        List<BillingCode> withAssessment = new ArrayList<>(all);
        boolean assessmentConsidered = m.encounters().visits().stream()
                .anyMatch(v -> v.ccmAssessment() && YearMonth.from(v.date()).equals(m.month()) && !v.date().isAfter(last));
        if (assessmentConsidered) {
            withAssessment.add(BillingCode.CCM_INITIATING_ASSESSMENT);
        }
        if (failure != null) {
            for (BillingCode c : withAssessment) {
                out.no(c, last, c.cpt() + ": " + failure);
            }
            return;
        }
        if (assessmentConsidered) {
            initiatingAssessment(m, span, first, last, out);
        }
        // billing-rules.md 2.1 [S22]: no CCM time while the patient is a hospital or SNF inpatient; time outside the stay counts.
        List<LoggedTime> outsideStays = InpatientTime.outside(ccm, m.encounters().stays());
        int duringStays = MinuteCount.minutes(ccm, first, span.dateOfService, m.zone(), span.covered)
                - MinuteCount.minutes(outsideStays, first, span.dateOfService, m.zone(), span.covered);
        String stayNote = duringStays > 0 ? " (" + duringStays + " minutes during an inpatient stay not counted)" : "";
        ccm = outsideStays;
        // Minutes never carry over into another month [S22]; the billing practitioner's own time may count as staff time [S20].
        int total = MinuteCount.minutes(ccm, first, span.dateOfService, m.zone(), span.covered);
        int physician = MinuteCount.minutes(ccm.stream().filter(LoggedTime::byProvider).toList(), first, span.dateOfService, m.zone(), span.covered);
        boolean carePlanChange = m.substantialCarePlanChanges().stream().anyMatch(d -> !d.isBefore(first) && !d.isAfter(span.dateOfService));

        List<Track> tracks = new ArrayList<>();
        String complexMissing = null;
        if (!carePlanChange) {
            complexMissing = "99487: the care plan was not established or substantially revised in " + m.month() + " (complex CCM needs it).";
        } else if (total < MIN_99487) {
            complexMissing = "99487: " + total + " of 60 minutes" + stayNote + ".";
        } else {
            // 99487: >= 60 minutes + care plan established/substantially revised; 99489 each further full 30 (no CMS cap found [S30]).
            tracks.add(track("complex CCM", BillingCode.CCM_COMPLEX_60, BillingCode.CCM_COMPLEX_ADDON, total, MIN_99487, STEP_99489,
                    settings.max99489Units() <= 0 ? Integer.MAX_VALUE : settings.max99489Units(), total + " minutes of care management, care plan established or substantially revised"));
        }
        if (physician >= MIN_99491) {
            // 99491: >= 30 minutes personally by the physician/QHP; 99437 each further full 30 [S15] (cap *verify*).
            tracks.add(track("physician CCM", BillingCode.CCM_PHYSICIAN_30, BillingCode.CCM_PHYSICIAN_ADDON, physician, MIN_99491, STEP_99437,
                    settings.max99437Units(), physician + " minutes personally by the physician/QHP"));
        }
        if (total >= MIN_99490) {
            // 99490: >= 20 minutes; 99439 each further full 20, at most 2 [S24][S32].
            tracks.add(track("standard CCM", BillingCode.CCM_STAFF_20, BillingCode.CCM_STAFF_ADDON, total, MIN_99490, STEP_99439,
                    settings.max99439Units(), total + " minutes of clinical staff time"));
        }
        // billing-rules.md 2.4 [S24][S32][S15]: one CCM track per month (99490/99439, 99487/99489 and 99491/99437 exclude
        // one another). The track that describes the service is billed, not the one that pays most: complex when its
        // requirements hold, else the physician's own when they logged 30 minutes, else standard (tracks are listed so).
        Track chosen = tracks.isEmpty() ? null : tracks.get(0);
        for (Track t : tracks) {
            if (t == chosen) {
                out.line(m, t.base, 1, span, first, last, Program.CCM, t.baseMinutes, null, settings,
                        t.base.cpt() + ": " + t.basis + " in " + m.month() + stayNote + ".");
                if (t.addonUnits > 0) {
                    out.line(m, t.addon, t.addonUnits, span, first, last, Program.CCM, t.addonUnits * t.stepMinutes, null, settings,
                            t.addon.cpt() + ": " + t.addonUnits + " further full " + t.stepMinutes + "-minute unit" + (t.addonUnits == 1 ? "" : "s")
                                    + (t.earnedAddonUnits > t.addonUnits ? " (capped at " + t.cap + "; " + (t.earnedAddonUnits - t.addonUnits) + " more not billed)" : "") + ".");
                } else {
                    out.no(t.addon, last, t.addon.cpt() + ": " + t.minutes + " of " + (t.baseMinutes + t.stepMinutes) + " minutes.");
                }
            } else {
                String why = ": qualifies (" + t.basis + ") but " + chosen.name + " (" + chosen.base.cpt() + ") is billed; one CCM track per month.";
                out.no(t.base, last, t.base.cpt() + why);
                out.no(t.addon, last, t.addon.cpt() + ": add-on to " + t.base.cpt() + ", which is not billed.");
            }
        }
        Set<BillingCode> considered = tracks.stream().flatMap(t -> java.util.stream.Stream.of(t.base, t.addon)).collect(Collectors.toSet());
        if (!considered.contains(BillingCode.CCM_COMPLEX_60)) {
            out.no(BillingCode.CCM_COMPLEX_60, last, complexMissing);
            out.no(BillingCode.CCM_COMPLEX_ADDON, last, "99489: add-on to 99487, which is not billed.");
        }
        if (!considered.contains(BillingCode.CCM_STAFF_20)) {
            out.no(BillingCode.CCM_STAFF_20, last, "99490: " + total + " of 20 minutes" + stayNote + ".");
            out.no(BillingCode.CCM_STAFF_ADDON, last, "99439: add-on to 99490, which is not billed.");
        }
        if (!considered.contains(BillingCode.CCM_PHYSICIAN_30)) {
            out.no(BillingCode.CCM_PHYSICIAN_30, last, "99491: " + physician + " of 30 minutes personally by the physician/QHP" + stayNote + ".");
            out.no(BillingCode.CCM_PHYSICIAN_ADDON, last, "99437: add-on to 99491, which is not billed.");
        }
    }

    /**
     * G0506 (billing-rules.md 2.1 [S18]): add-on to the initiating visit for the comprehensive assessment and care planning,
     * billed once, dated the visit, by the practitioner who saw the patient (the visit itself is billed from the EHR).
     */
    private void initiatingAssessment(PatientMonth m, Span span, LocalDate first, LocalDate last, Outcome out) {
        BillingCode code = BillingCode.CCM_INITIATING_ASSESSMENT;
        if (m.encounters().assessmentBilledBefore()) {
            out.no(code, last, "G0506: already billed with an earlier initiating visit (once per patient).");
            return;
        }
        Visit visit = m.encounters().visits().stream()
                .filter(v -> v.ccmAssessment() && !v.date().isBefore(first) && !v.date().isAfter(span.dateOfService)).findFirst().orElse(null);
        if (visit == null) {
            out.no(code, last, "G0506: the assessment visit is after the last day of CCM coverage (" + span.dateOfService + ").");
            return;
        }
        if (!visit.practitionerId().equals(span.atService.practitionerId())) {
            out.no(code, last, "G0506: the " + visit.kind().words() + " of " + visit.date() + " was by another practitioner than the CCM billing "
                    + "practitioner; the add-on goes with the initiating visit of the practitioner who bills CCM.");
            return;
        }
        out.lines.add(new ClaimLine(m.patientId(), code, 1, visit.date(), first, last, diagnoses(span), span.atService.practitionerId(),
                span.atService.npi(), settings.placeOfService(), settings.fees().charge(code, 1), null, null,
                "G0506: comprehensive assessment and care planning at the initiating " + visit.kind().words() + " of " + visit.date()
                        + " (add-on to that visit, billed once)."));
    }

    private static List<String> diagnoses(Span span) {
        List<String> dx = span.atService.diagnoses();
        return dx.size() > MAX_DIAGNOSES ? dx.subList(0, MAX_DIAGNOSES) : dx;
    }

    private Track track(String name, BillingCode base, BillingCode addon, int minutes, int baseMinutes, int step, int cap, String basis) {
        int earned = (minutes - baseMinutes) / step; // full increments only (billing-rules.md 7.5)
        int units = Math.min(earned, cap);
        BigDecimal charge = settings.fees().charge(base, 1).add(units > 0 ? settings.fees().charge(addon, units) : BigDecimal.ZERO);
        return new Track(name, base, addon, minutes, units, earned, cap, baseMinutes, step, basis, charge);
    }

    // ---------------------------------------------------------------- APCM (calendar month)

    /**
     * Advanced primary care management (billing-rules.md 2.3 [S26][S27]): monthly, not time-based, by the practitioner
     * responsible for all of the patient's primary care (the APCM enrolment says who). Needs consent and enrolment, one
     * practitioner in the month, and an initiating visit for new patients (as CCM's: at most a year before APCM began).
     * Level by chronic conditions as CCM counts them: G0556 for at most one, G0557 for two or more; G0558 needs the
     * patient to be a Qualified Medicare Beneficiary, which CareLoop does not record, so it is never billed and G0557 is
     * (the lower charge; *verify* before relying on it). Dated the month's last covered day. Returns the code billed.
     */
    private BillingCode apcm(PatientMonth m, Outcome out) {
        LocalDate first = m.month().atDay(1);
        LocalDate last = m.month().atEndOfMonth();
        if (!anyReady(m, Program.APCM, first, last)) {
            return null; // not in APCM this month (no time is logged for it, so coverage alone says whether it is considered)
        }
        List<BillingCode> all = List.of(BillingCode.APCM_LEVEL_1, BillingCode.APCM_LEVEL_2, BillingCode.APCM_LEVEL_3);
        Span span = span(m, Program.APCM, first, last);
        String failure = span.failure;
        if (failure == null) {
            LocalDate since = m.encounters().apcmSince() == null ? first : m.encounters().apcmSince();
            LocalDate earliest = since.minusYears(INITIATING_VISIT_YEARS);
            boolean initiated = m.encounters().visits().stream().anyMatch(v -> !v.date().isBefore(earliest) && !v.date().isAfter(span.dateOfService));
            if (!initiated) {
                failure = "no initiating visit on record: APCM (since " + since + ") needs an E/M visit, annual wellness visit or IPPE between "
                        + earliest + " and " + span.dateOfService + " for a patient not seen within a year; record the visit.";
            }
        }
        if (failure != null) {
            for (BillingCode c : all) {
                out.no(c, last, c.cpt() + ": " + failure);
            }
            return null;
        }
        int chronic = m.encounters().chronicConditions();
        BillingCode code = chronic >= 2 ? BillingCode.APCM_LEVEL_2 : BillingCode.APCM_LEVEL_1;
        out.line(m, code, 1, span, first, last, Program.APCM, null, null, settings, code.cpt() + ": advanced primary care management for "
                + m.month() + " (monthly, not time-based) with " + chronic + " chronic condition" + (chronic == 1 ? "" : "s") + ".");
        if (code == BillingCode.APCM_LEVEL_2) {
            out.no(BillingCode.APCM_LEVEL_1, last, "G0556: " + chronic + " chronic conditions; G0557 billed instead.");
        } else {
            out.no(BillingCode.APCM_LEVEL_2, last, "G0557: " + chronic + " chronic condition" + (chronic == 1 ? "" : "s") + "; it needs 2.");
        }
        out.no(BillingCode.APCM_LEVEL_3, last, chronic >= 2
                ? "G0558: needs the patient's Qualified Medicare Beneficiary status, which CareLoop does not record; G0557 billed instead."
                : "G0558: " + chronic + " chronic condition" + (chronic == 1 ? "" : "s") + "; it needs 2 and QMB status.");
        return code;
    }

    /** billing-rules.md 2.4 [S26][S6]: APCM bundles CCM and PCM (and TCM); in its month they are not billed, each with the reason. */
    private void bundledIntoApcm(PatientMonth m, BillingCode apcm, Outcome out) {
        LocalDate last = m.month().atEndOfMonth();
        for (Program program : List.of(Program.CCM, Program.PCM)) {
            boolean considered = m.time().stream().anyMatch(t -> t.program() == program) || anyReady(m, program, m.month().atDay(1), last);
            if (!considered) {
                continue;
            }
            for (BillingCode c : BillingCode.values()) {
                if (c.program() == program) {
                    out.no(c, last, c.cpt() + ": APCM (" + apcm.cpt() + ") is billed for " + m.month() + " and bundles " + program.name()
                            + "; not billed separately.");
                }
            }
        }
    }

    // ---------------------------------------------------------------- PCM (calendar month)

    /**
     * Principal care management (billing-rules.md 2.3 [S19][S28]): one high-risk condition (coverage's eligibility), a
     * disease-specific care plan, a visit in the last 12 months, and never with CCM billed by the same practitioner in the
     * month (2.4 [S28]); CCM, evaluated first, keeps the month then. The physician's own track (99424/99425) when they
     * logged 30 minutes, else clinical staff's (99426/99427, all PCM time): one track a month, as for CCM. No unit cap
     * for the add-ons is given by the rule book (*verify* the MUE). Time during inpatient stays does not count, as for CCM.
     */
    private void pcm(PatientMonth m, Outcome out) {
        LocalDate first = m.month().atDay(1);
        LocalDate last = m.month().atEndOfMonth();
        List<LoggedTime> pcm = m.time().stream().filter(t -> t.program() == Program.PCM).toList();
        if (pcm.isEmpty() && !anyReady(m, Program.PCM, first, last)) {
            return; // not in PCM this month
        }
        List<BillingCode> all = List.of(BillingCode.PCM_PHYSICIAN_30, BillingCode.PCM_PHYSICIAN_ADDON, BillingCode.PCM_STAFF_30,
                BillingCode.PCM_STAFF_ADDON);
        Span span = span(m, Program.PCM, first, last);
        String failure = span.failure;
        if (failure == null && (m.carePlanSince() == null || m.carePlanSince().isAfter(span.dateOfService))) {
            // The rule book asks for a disease-specific plan; CareLoop's plan lists its problems, and any plan on record is taken.
            failure = "no care plan on record by " + span.dateOfService + "; PCM needs a disease-specific care plan.";
        }
        if (failure == null) {
            LocalDate earliest = span.dateOfService.minusYears(PCM_VISIT_YEARS);
            boolean seen = m.encounters().visits().stream().anyMatch(v -> !v.date().isBefore(earliest) && !v.date().isAfter(span.dateOfService));
            if (!seen) {
                failure = "no visit (E/M, annual wellness visit or IPPE) between " + earliest + " and " + span.dateOfService
                        + "; PCM needs a new initiating visit after 12 months.";
            }
        }
        if (failure == null) {
            UUID practitioner = span.atService.practitionerId();
            ClaimLine ccm = out.lines.stream().filter(l -> l.code().program() == Program.CCM && l.code() != BillingCode.CCM_INITIATING_ASSESSMENT
                            && l.billingPractitionerId().equals(practitioner))
                    .findFirst().orElse(null);
            if (ccm != null) {
                failure = "CCM (" + ccm.code().cpt() + ") is billed for " + m.month() + " by the same practitioner; CCM and PCM are never billed "
                        + "together by one practitioner.";
            }
        }
        if (failure != null) {
            for (BillingCode c : all) {
                out.no(c, last, c.cpt() + ": " + failure);
            }
            return;
        }
        List<LoggedTime> outsideStays = InpatientTime.outside(pcm, m.encounters().stays());
        int duringStays = MinuteCount.minutes(pcm, first, span.dateOfService, m.zone(), span.covered)
                - MinuteCount.minutes(outsideStays, first, span.dateOfService, m.zone(), span.covered);
        String stayNote = duringStays > 0 ? " (" + duringStays + " minutes during an inpatient stay not counted)" : "";
        int total = MinuteCount.minutes(outsideStays, first, span.dateOfService, m.zone(), span.covered);
        int physician = MinuteCount.minutes(outsideStays.stream().filter(LoggedTime::byProvider).toList(), first, span.dateOfService, m.zone(),
                span.covered);
        if (physician >= MIN_PCM) {
            pcmTrack(m, out, span, first, last, BillingCode.PCM_PHYSICIAN_30, BillingCode.PCM_PHYSICIAN_ADDON, physician,
                    physician + " minutes of principal care management personally by the physician/QHP" + stayNote);
            String why = total >= MIN_PCM ? "qualifies (" + total + " minutes) but the physician's 99424 is billed; one PCM track per month."
                    : total + " of 30 minutes" + stayNote + ".";
            out.no(BillingCode.PCM_STAFF_30, last, "99426: " + why);
            out.no(BillingCode.PCM_STAFF_ADDON, last, "99427: add-on to 99426, which is not billed.");
        } else if (total >= MIN_PCM) {
            pcmTrack(m, out, span, first, last, BillingCode.PCM_STAFF_30, BillingCode.PCM_STAFF_ADDON, total,
                    total + " minutes of principal care management" + stayNote);
            out.no(BillingCode.PCM_PHYSICIAN_30, last, "99424: " + physician + " of 30 minutes personally by the physician/QHP.");
            out.no(BillingCode.PCM_PHYSICIAN_ADDON, last, "99425: add-on to 99424, which is not billed.");
        } else {
            out.no(BillingCode.PCM_STAFF_30, last, "99426: " + total + " of 30 minutes" + stayNote + ".");
            out.no(BillingCode.PCM_STAFF_ADDON, last, "99427: add-on to 99426, which is not billed.");
            out.no(BillingCode.PCM_PHYSICIAN_30, last, "99424: " + physician + " of 30 minutes personally by the physician/QHP.");
            out.no(BillingCode.PCM_PHYSICIAN_ADDON, last, "99425: add-on to 99424, which is not billed.");
        }
    }

    private void pcmTrack(PatientMonth m, Outcome out, Span span, LocalDate first, LocalDate last, BillingCode base, BillingCode addon,
                          int minutes, String basis) {
        out.line(m, base, 1, span, first, last, Program.PCM, MIN_PCM, null, settings, base.cpt() + ": " + basis + " in " + m.month() + ".");
        int units = (minutes - MIN_PCM) / STEP_PCM; // full increments only (billing-rules.md 7.5)
        if (units > 0) {
            out.line(m, addon, units, span, first, last, Program.PCM, units * STEP_PCM, null, settings,
                    addon.cpt() + ": " + units + " further full 30-minute unit" + (units == 1 ? "" : "s") + ".");
        } else {
            out.no(addon, last, addon.cpt() + ": " + minutes + " of 60 minutes.");
        }
    }

    // ---------------------------------------------------------------- gates shared by all codes

    /**
     * The covered part of a period: its date of service (the period's last day, or the last covered day when coverage
     * ended inside it, and never after asOf), the days that count, and the one billing practitioner; or why nothing can
     * be billed for it.
     */
    private static final class Span {
        LocalDate dateOfService;
        Predicate<LocalDate> covered;
        DayCoverage atService;
        String failure;
    }

    private Span span(PatientMonth m, Program program, LocalDate from, LocalDate to) {
        Span s = new Span();
        LocalDate end = min(to, m.asOf());
        LocalDate lastReady = null;
        Set<UUID> practitioners = new LinkedHashSet<>();
        List<String> changes = new ArrayList<>();
        UUID previous = null;
        for (LocalDate d = from; !d.isAfter(end); d = d.plusDays(1)) {
            DayCoverage c = m.coverage(program, d);
            if (c.ready()) {
                lastReady = d;
                if (practitioners.add(c.practitionerId()) && previous != null) {
                    changes.add(d.toString());
                }
                previous = c.practitionerId();
            }
        }
        if (lastReady == null) {
            s.failure = "not billable for " + from + " to " + to + ": " + m.coverage(program, end).reason();
            return s;
        }
        if (practitioners.size() > 1) {
            // billing-rules.md 1.2 [S10][S12][S13]: one practitioner per P30 (RPM); 2.2 [S18]/7.7: one per month (CCM).
            s.failure = practitioners.size() + " billing practitioners between " + from + " and " + to + " (changed on " + String.join(", ", changes)
                    + "); only one may bill the period.";
            return s;
        }
        s.dateOfService = lastReady;
        s.atService = m.coverage(program, lastReady);
        s.covered = d -> m.coverage(program, d).ready();
        if (s.atService.npi() == null) {
            s.failure = "the billing practitioner has no NPI on file.";
        } else if (s.atService.diagnoses().isEmpty()) {
            s.failure = "no qualifying ICD-10-CM diagnosis on " + lastReady + ".";
        }
        return s;
    }

    private static boolean anyReady(PatientMonth m, Program program, LocalDate from, LocalDate to) {
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            if (m.coverage(program, d).ready()) {
                return true;
            }
        }
        return false;
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }

    private static final class Outcome {
        final UUID patientId;
        final List<ClaimLine> lines = new ArrayList<>();
        final List<NotBilled> notBilled = new ArrayList<>();

        Outcome(UUID patientId) {
            this.patientId = patientId;
        }

        void no(BillingCode code, LocalDate periodEnd, String reason) {
            notBilled.add(new NotBilled(patientId, code, periodEnd, reason));
        }

        void line(PatientMonth m, BillingCode code, int units, Span span, LocalDate periodStart, LocalDate periodEnd, Program program,
                  Integer minutes, Integer dataDays, BillingSettings settings, String justification) {
            List<String> dx = span.atService.diagnoses();
            lines.add(new ClaimLine(patientId, code, units, span.dateOfService, periodStart, periodEnd,
                    dx.size() > MAX_DIAGNOSES ? dx.subList(0, MAX_DIAGNOSES) : dx, span.atService.practitionerId(), span.atService.npi(),
                    settings.placeOfService(), settings.fees().charge(code, units), minutes, dataDays, justification));
        }
    }
}
