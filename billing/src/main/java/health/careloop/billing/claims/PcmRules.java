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
            // The blocking reason once (issue 18), under 99426, PCM's main code; it stops every PCM code of the month.
            out.no(BillingCode.PCM_STAFF_30, last, "99426: " + failure);
            return;
        }
        List<LoggedTime> outsideStays = InpatientTime.outside(pcm, m.encounters().stays());
        int duringStays = MinuteCount.minutes(pcm, first, span.dateOfService, m.zone(), span.covered)
                - MinuteCount.minutes(outsideStays, first, span.dateOfService, m.zone(), span.covered);
        String stayNote = duringStays > 0 ? " (" + duringStays + " minutes during an inpatient stay not counted)" : "";
        int total = MinuteCount.minutes(outsideStays, first, span.dateOfService, m.zone(), span.covered);
        // billing-rules.md 2.1 "Whose time counts", 2.3 [S19][S60]: 99424/99425 count only the enrolled billing practitioner's
        // own minutes; another physician's or NPP's count as clinical staff time toward 99426/99427.
        UUID practitioner = span.atService.practitionerId();
        List<LoggedTime> own = PractitionerTime.own(outsideStays, practitioner);
        int physician = MinuteCount.minutes(own, first, span.dateOfService, m.zone(), span.covered);
        String practitionerWords = PractitionerTime.practitioner(m, practitioner);
        String othersAsStaff = PractitionerTime.countedAsStaff(m, outsideStays, practitioner, first, span.dateOfService, span.covered);
        String othersNot99424 = PractitionerTime.notCounted(m, outsideStays, practitioner, "99424", first, span.dateOfService, span.covered);
        boolean providerTime = outsideStays.stream().anyMatch(LoggedTime::byProvider);
        if (physician >= MIN_PCM) {
            pcmTrack(m, out, span, first, last, BillingCode.PCM_PHYSICIAN_30, BillingCode.PCM_PHYSICIAN_ADDON, physician,
                    physician + " minutes of principal care management personally by " + practitionerWords + stayNote
                            + (othersNot99424.isEmpty() ? "" : " (" + othersNot99424 + ")"));
            // The practitioner's minutes are on 99424: never described again as staff time (issue 18).
            int rest = (int) ((MinuteCount.seconds(outsideStays, first, span.dateOfService, m.zone(), span.covered)
                    - MinuteCount.seconds(own, first, span.dateOfService, m.zone(), span.covered)) / 60);
            out.no(BillingCode.PCM_STAFF_30, last, "99426: the " + physician + " minutes personally by " + practitionerWords + " are billed on 99424"
                    + " and one PCM track is billed per month" + (rest > 0 ? "; the other " + rest + " minute" + (rest == 1 ? "" : "s")
                    + " of clinical staff time " + (rest == 1 ? "is" : "are") + " not billed" : "") + ".");
            return;
        }
        if (total >= MIN_PCM) {
            pcmTrack(m, out, span, first, last, BillingCode.PCM_STAFF_30, BillingCode.PCM_STAFF_ADDON, total,
                    total + " minutes of principal care management" + stayNote + othersAsStaff);
        } else {
            out.no(BillingCode.PCM_STAFF_30, last, "99426: " + total + " of 30 minutes" + stayNote + othersAsStaff + ".");
        }
        if (providerTime) {
            // Reasons only for codes that could apply (issue 18): the physician's own track when a physician or NPP logged PCM time.
            out.no(BillingCode.PCM_PHYSICIAN_30, last, "99424: " + physician + " of 30 minutes personally by " + practitionerWords
                    + (othersNot99424.isEmpty() ? "" : "; " + othersNot99424) + "; they count as clinical staff time toward 99426 instead "
                    + "(billing-rules.md 2.1).");
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
