package health.careloop.billing.claims;

import health.careloop.clinical.consent.Program;
import health.careloop.clinical.rules.MonitoringPeriod;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * Remote physiologic monitoring (billing-rules.md section 1): device supply and set-up (99453, 99454, 99445) and
 * 99091 on the P30, treatment management (99457, 99458, 99470) on the calendar month.
 */
final class RpmRules {
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

    private final BillingSettings settings;

    RpmRules(BillingSettings settings) {
        this.settings = settings;
    }

    /** Treatment management first (99091 depends on it), then each P30 that ends in the month. */
    void evaluate(PatientMonth m, RuleOutcome out) {
        boolean managementBilled = management(m, out);
        for (MonitoringPeriod p30 : MonthRules.periodsEndingIn(m.monitoringStart(), m.month(), m.asOf())) {
            device(m, p30, out);
            physicianInterpretation(m, p30, managementBilled, out);
        }
    }

    /** Whether 99457/99458/99470 would be billed for the month. */
    boolean managementBilled(PatientMonth m) {
        return management(m, new RuleOutcome(m.patientId()));
    }

    // ---------------------------------------------------------------- RPM device supply and set-up (P30)

    private void device(PatientMonth m, MonitoringPeriod p30, RuleOutcome out) {
        boolean firstPeriod = p30.start().equals(m.monitoringStart());
        CoveredSpan span = CoveredSpan.of(m, Program.RPM, p30.start(), p30.end());
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
        // Days with readings outside RPM coverage (before consent, after revocation) are never counted: say so, with why.
        List<LocalDate> uncovered = m.dataDays().stream().filter(d -> !d.isBefore(p30.start()) && !d.isAfter(p30.end()) && !span.covered.test(d))
                .sorted().toList();
        String notCounted = "";
        if (!uncovered.isEmpty()) {
            notCounted = " (" + uncovered.size() + " more day" + (uncovered.size() == 1 ? "" : "s") + " with readings not counted: "
                    + m.coverage(Program.RPM, uncovered.get(0)).reason() + ")";
        }
        BillingCode device = null;
        if (days >= DAYS_99454) {
            // CMS: 99454 needs 16-30 data days in the P30 [S10][S12]; never with 99445 in the same P30 [S2][S3][S6].
            device = BillingCode.RPM_DEVICE_16;
            out.line(m, BillingCode.RPM_DEVICE_16, 1, span, p30.start(), p30.end(), Program.RPM, null, days, settings,
                    "99454: " + days + " data days in " + period + notCounted + " (16-30 needed).");
            out.no(BillingCode.RPM_DEVICE_2, p30.end(), "99445: " + days + " data days in " + period + notCounted + "; 99454 billed instead (never both in one P30).");
        } else if (days >= DAYS_99445) {
            // CMS CY2026 PFS: 99445 needs 2-15 data days [S2][S3][S6].
            device = BillingCode.RPM_DEVICE_2;
            out.line(m, BillingCode.RPM_DEVICE_2, 1, span, p30.start(), p30.end(), Program.RPM, null, days, settings,
                    "99445: " + days + " data days in " + period + notCounted + " (2-15 needed).");
            out.no(BillingCode.RPM_DEVICE_16, p30.end(), "99454: " + days + " data days in the period ending " + p30.end() + notCounted + "; 99445 billed instead.");
        } else {
            // billing-rules.md 1.3: 0-1 data days, no device code.
            String reason = days + " data day" + (days == 1 ? "" : "s") + " in the period ending " + p30.end() + notCounted;
            out.no(BillingCode.RPM_DEVICE_16, p30.end(), "99454: " + reason + "; 16 needed.");
            out.no(BillingCode.RPM_DEVICE_2, p30.end(), "99445: " + reason + "; 2 needed.");
        }
        if (!firstPeriod) {
            return; // billing-rules.md 1.1 [S30][S8]: 99453 once per episode, not again for added or replaced devices.
        }
        DayCoverage atStart = m.coverage(Program.RPM, m.monitoringStart());
        if (!atStart.ready()) {
            // Set-up and education belong to an episode begun under RPM consent and enrolment; monitoring that began
            // before them is not that service (issue 18: 99453 was billed for an episode begun 19 days before consent).
            out.no(BillingCode.RPM_SETUP, p30.end(), "99453: the monitoring episode began " + m.monitoringStart() + ", before RPM was covered ("
                    + atStart.reason() + "); set-up is billed only for an episode that begins under consent and enrolment.");
            return;
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
                    "99453: set-up and education for the monitoring episode that began " + m.monitoringStart() + "; first period has " + days + " data days ("
                            + BillingSetting.SETUP_RULE.named(settings) + ").");
        } else {
            out.no(BillingCode.RPM_SETUP, p30.end(), "99453: the first period (ending " + p30.end() + ") has " + days + " data days; "
                    + switch (settings.setupRule()) {
                        case FIRST_PERIOD_QUALIFIES -> "set-up is billed only when the first period qualifies for 99445 or 99454 (2 days or more).";
                        case SIXTEEN_DAYS -> "set-up needs 16.";
                        case TWO_DAYS -> "set-up needs 2.";
                    } + " (" + BillingSetting.SETUP_RULE.named(settings) + ")");
        }
    }

    // ---------------------------------------------------------------- 99091 (P30, physician/QHP time)

    private void physicianInterpretation(PatientMonth m, MonitoringPeriod p30, boolean managementBilledThisMonth, RuleOutcome out) {
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
        CoveredSpan span = CoveredSpan.of(m, Program.RPM, p30.start(), p30.end());
        if (span.failure != null) {
            out.no(code, p30.end(), "99091: " + span.failure);
            return;
        }
        LocalDate from = p30.start();
        if (m.rpmManagementBilledLastMonth() && from.isBefore(m.month().atDay(1))) {
            from = m.month().atDay(1); // last month's minutes went to its 99457/99470; never count them twice
        }
        // billing-rules.md 1.1 [S16], 2.1 "Whose time counts" [S60]: 99091 is the physician/QHP's own work, billed under the
        // enrolled billing practitioner's NPI, so only that practitioner's own minutes count; another physician's are named.
        UUID practitioner = span.atService.practitionerId();
        int minutes = MinuteCount.minutes(PractitionerTime.own(provider, practitioner), from, span.dateOfService, m.zone(), span.covered);
        String others = PractitionerTime.notCounted(m, provider, practitioner, "99091", from, span.dateOfService, span.covered);
        String who = PractitionerTime.practitioner(m, practitioner);
        if (minutes >= MIN_99091) {
            out.line(m, code, 1, span, p30.start(), p30.end(), Program.RPM, minutes, null, settings,
                    "99091: " + minutes + " minutes of data interpretation personally by " + who + " in the period " + p30.start() + " to " + p30.end()
                            + " (30 needed)" + (others.isEmpty() ? "" : "; " + others) + ".");
        } else {
            out.no(code, p30.end(), "99091: " + minutes + " of 30 minutes personally by " + who + " in the period ending " + p30.end()
                    + (others.isEmpty() ? "" : "; " + others + " (99091 is billed under the enrolled billing practitioner's NPI: only their own minutes count)") + ".");
        }
    }

    // ---------------------------------------------------------------- RPM treatment management (calendar month)

    private boolean management(PatientMonth m, RuleOutcome out) {
        LocalDate first = m.month().atDay(1);
        LocalDate last = m.month().atEndOfMonth();
        List<LoggedTime> rpm = m.time().stream().filter(t -> t.program() == Program.RPM).toList();
        if (rpm.isEmpty() && !CoveredSpan.anyReady(m, Program.RPM, first, last)) {
            return false; // not in RPM this month: nothing considered
        }
        CoveredSpan span = CoveredSpan.of(m, Program.RPM, first, last);
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
                + (settings.messagingIsInteractive() ? " (messaging allowed" : "; messaging does not count (")
                + BillingSetting.MESSAGING_IS_INTERACTIVE.named(settings) + ").";
        String mins = minutes + " of ";
        String together = MinuteCount.concurrentNote(rpm, first, span.dateOfService, m.zone(), span.covered);
        if (minutes >= MIN_99457 && talked) {
            // 99457: >= 20 minutes + interactive communication; 99458 each further full 20 minutes, add-on to 99457 only.
            int earned = (minutes - MIN_99457) / STEP_99458; // full increments only (billing-rules.md 7.5)
            int units = Math.min(earned, settings.max99458Units());
            // One minute figure per line: 99457 stands for the minutes its add-on does not (issue 18), and says that figure first.
            int baseMinutes = minutes - units * STEP_99458;
            out.line(m, BillingCode.RPM_MANAGEMENT_20, 1, span, first, last, Program.RPM, baseMinutes, null, settings,
                    "99457: " + (units > 0 ? baseMinutes + " of the " + minutes : Integer.toString(minutes)) + " minutes of RPM treatment management in "
                            + m.month() + " with interactive communication" + (units > 0 ? " (" + units * STEP_99458 + " on 99458)" : "") + together + ".");
            out.no(BillingCode.RPM_MANAGEMENT_10, last, "99470: " + minutes + " minutes; 99457 billed instead (never both).");
            if (units > 0) {
                out.line(m, BillingCode.RPM_MANAGEMENT_ADDON, units, span, first, last, Program.RPM, units * STEP_99458, null, settings,
                        "99458: " + minutes + " minutes = " + units + " further full 20-minute unit" + (units == 1 ? "" : "s")
                                + (earned > units ? " (capped at " + settings.max99458Units() + " by the " + BillingSetting.MAX_99458_UNITS.named(settings) + "; "
                                + (earned - units) + " more not billed)" : "") + ".");
            } else if (earned > 0) {
                out.no(BillingCode.RPM_MANAGEMENT_ADDON, last, "99458: unit cap is " + settings.max99458Units() + " (" + BillingSetting.MAX_99458_UNITS.named(settings) + ").");
            } else {
                out.no(BillingCode.RPM_MANAGEMENT_ADDON, last, "99458: " + mins + "40 minutes.");
            }
            return true;
        }
        out.no(BillingCode.RPM_MANAGEMENT_ADDON, last, "99458: add-on to 99457 only, which is not billed for " + m.month() + ".");
        if (minutes >= MIN_99470 && talked) {
            // CMS CY2026 PFS: 99470 covers 10-19 minutes with interactive communication; never with 99457.
            out.line(m, BillingCode.RPM_MANAGEMENT_10, 1, span, first, last, Program.RPM, minutes, null, settings,
                    "99470: " + minutes + " minutes of RPM treatment management in " + m.month() + " with interactive communication (10-19)" + together + ".");
            out.no(BillingCode.RPM_MANAGEMENT_20, last, "99457: " + mins + "20 minutes" + together + "; 99470 billed instead.");
            return true;
        }
        if (!talked && minutes >= MIN_99470) {
            out.no(BillingCode.RPM_MANAGEMENT_20, last, "99457: " + minutes + " minutes but " + noTalk);
            out.no(BillingCode.RPM_MANAGEMENT_10, last, "99470: " + minutes + " minutes but " + noTalk);
        } else {
            out.no(BillingCode.RPM_MANAGEMENT_20, last, "99457: " + mins + "20 minutes" + together + (talked ? "." : "; and " + noTalk));
            out.no(BillingCode.RPM_MANAGEMENT_10, last, "99470: " + mins + "10 minutes" + together + (talked ? "." : "; and " + noTalk));
        }
        return false;
    }
}
