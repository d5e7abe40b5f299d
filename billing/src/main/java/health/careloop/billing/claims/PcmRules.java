package health.careloop.billing.claims;

import health.careloop.clinical.careplan.CarePlanOnRecord;
import health.careloop.clinical.consent.Program;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** Principal care management (billing-rules.md 2.3, 2.4) on the calendar month, after CCM. */
final class PcmRules {
    /** billing-rules.md 2.3 [S19][S28]: 99424/99426 first 30 minutes; 99425/99427 each further 30. */
    static final int MIN_PCM = 30;
    static final int STEP_PCM = 30;
    /** billing-rules.md 2.3 [S28]: PCM needs a new initiating visit after 12 months. */
    static final int PCM_VISIT_YEARS = 1;

    private final BillingSettings settings;

    PcmRules(BillingSettings settings) {
        this.settings = settings;
    }

    /**
     * Principal care management (billing-rules.md 2.3 [S19][S28]): one high-risk condition (coverage's eligibility), a
     * disease-specific care plan, a visit in the last 12 months, and never with CCM billed by the same practitioner in the
     * month (2.4 [S28]); CCM, evaluated first, keeps the month then. The physician's own track (99424/99425) when they
     * logged 30 minutes, else clinical staff's (99426/99427, all PCM time): one track a month, as for CCM. No unit cap
     * for the add-ons is given by the rule book (*verify* the MUE). Time during inpatient stays does not count, as for CCM.
     */
    void evaluate(PatientMonth m, RuleOutcome out) {
        LocalDate first = m.month().atDay(1);
        LocalDate last = m.month().atEndOfMonth();
        List<LoggedTime> pcm = m.time().stream().filter(t -> t.program() == Program.PCM).toList();
        if (pcm.isEmpty() && !CoveredSpan.anyReady(m, Program.PCM, first, last)) {
            return; // not in PCM this month
        }
        List<BillingCode> all = List.of(BillingCode.PCM_PHYSICIAN_30, BillingCode.PCM_PHYSICIAN_ADDON, BillingCode.PCM_STAFF_30,
                BillingCode.PCM_STAFF_ADDON);
        CoveredSpan span = CoveredSpan.of(m, Program.PCM, first, last);
        String failure = span.failure;
        if (failure == null) {
            // The rule book asks for a disease-specific plan; CareLoop's plan lists its problems, and any plan on record is taken.
            CarePlanOnRecord.Answer plan = CarePlanOnRecord.by(m.carePlanSince(), span.dateOfService);
            if (!plan.onRecord()) {
                failure = plan.reason() + "; PCM needs a disease-specific care plan.";
            }
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

    private void pcmTrack(PatientMonth m, RuleOutcome out, CoveredSpan span, LocalDate first, LocalDate last, BillingCode base, BillingCode addon,
                          int minutes, String basis) {
        int units = (minutes - MIN_PCM) / STEP_PCM; // full increments only (billing-rules.md 7.5)
        // One minute figure per line (issue 18): the base code stands for the minutes its add-on does not, said first.
        int baseCount = minutes - units * STEP_PCM;
        out.line(m, base, 1, span, first, last, Program.PCM, baseCount, null, settings, base.cpt() + ": " + (units > 0 ? baseCount + " of the " : "")
                + basis + " in " + m.month() + (units > 0 ? " (" + units * STEP_PCM + " on " + addon.cpt() + ")" : "") + ".");
        if (units > 0) {
            out.line(m, addon, units, span, first, last, Program.PCM, units * STEP_PCM, null, settings,
                    addon.cpt() + ": " + units + " further full 30-minute unit" + (units == 1 ? "" : "s") + ".");
        } else {
            out.no(addon, last, addon.cpt() + ": " + minutes + " of 60 minutes.");
        }
    }
}
