package health.careloop.billing.claims;

import health.careloop.billing.encounters.Visit;
import health.careloop.clinical.careplan.CarePlanOnRecord;
import health.careloop.clinical.consent.Program;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Chronic care management (billing-rules.md 2.1, 2.2, 2.4) on the calendar month: the standard (99490/99439),
 * physician (99491/99437) and complex (99487/99489) tracks, one a month, and the initiating visit's G0506.
 */
final class CcmRules {
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

    private final BillingSettings settings;

    CcmRules(BillingSettings settings) {
        this.settings = settings;
    }

    private record Track(String name, BillingCode base, BillingCode addon, int minutes, int addonUnits, int earnedAddonUnits, int cap,
                         int baseMinutes, int stepMinutes, String basis) {
    }

    void evaluate(PatientMonth m, RuleOutcome out) {
        LocalDate first = m.month().atDay(1);
        LocalDate last = m.month().atEndOfMonth();
        List<LoggedTime> ccm = m.time().stream().filter(t -> t.program() == Program.CCM).toList();
        if (ccm.isEmpty() && !CoveredSpan.anyReady(m, Program.CCM, first, last)) {
            return; // not in CCM this month
        }
        CoveredSpan span = CoveredSpan.of(m, Program.CCM, first, last);
        String failure = span.failure;
        if (failure == null) {
            // billing-rules.md 2.2 [S17][S52], 7.8: a care plan for each CCM month, on record by the date of service (the
            // chart's readiness asks the same CarePlanOnRecord, so the two never disagree).
            CarePlanOnRecord.Answer plan = CarePlanOnRecord.by(m.carePlanSince(), span.dateOfService);
            if (!plan.onRecord()) {
                failure = plan.reason() + "; CCM needs one.";
            }
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
        boolean assessmentConsidered = m.encounters().visits().stream()
                .anyMatch(v -> v.ccmAssessment() && YearMonth.from(v.date()).equals(m.month()) && !v.date().isAfter(last));
        if (failure != null) {
            // The blocking reason once (issue 18: it was repeated on every CCM code), under 99490, CCM's main code; it stops
            // every CCM code of the month.
            out.no(BillingCode.CCM_STAFF_20, last, "99490: " + failure);
            if (assessmentConsidered) {
                // G0506 belongs to a visit of the month and is looked for there: it says why too.
                out.no(BillingCode.CCM_INITIATING_ASSESSMENT, last, "G0506: " + failure);
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
        // Minutes of two people at once count once; the note says so wherever the stay note goes (issue 18).
        String stayNote = (duringStays > 0 ? " (" + duringStays + " minutes during an inpatient stay not counted)" : "")
                + MinuteCount.concurrentNote(outsideStays, first, span.dateOfService, m.zone(), span.covered);
        ccm = outsideStays;
        // Minutes never carry over into another month [S22]; the billing practitioner's own time may count as staff time [S20].
        int total = MinuteCount.minutes(ccm, first, span.dateOfService, m.zone(), span.covered);
        // billing-rules.md 2.1 "Whose time counts" [S18][S60]: 99491/99437 count only the enrolled billing practitioner's own
        // minutes; another physician's or NPP's count as clinical staff time (in total), never as the practitioner's.
        UUID practitioner = span.atService.practitionerId();
        List<LoggedTime> own = PractitionerTime.own(ccm, practitioner);
        int physician = MinuteCount.minutes(own, first, span.dateOfService, m.zone(), span.covered);
        String practitionerWords = PractitionerTime.practitioner(m, practitioner);
        String othersAsStaff = PractitionerTime.countedAsStaff(m, ccm, practitioner, first, span.dateOfService, span.covered);
        String othersNot99491 = PractitionerTime.notCounted(m, ccm, practitioner, "99491", first, span.dateOfService, span.covered);
        boolean carePlanChange = m.substantialCarePlanChanges().stream().anyMatch(d -> !d.isBefore(first) && !d.isAfter(span.dateOfService));

        List<Track> tracks = new ArrayList<>();
        // billing-rules.md 2.1 [S17][S32]: complex CCM needs all three: 60 minutes, moderate or high complexity medical decision
        // making (a provider's record for the month, never inferred from minutes or a plan change) and the care plan
        // established or substantially revised in the month. The reason names each one missing.
        List<String> complexNeeds = new ArrayList<>();
        if (total < MIN_99487) {
            complexNeeds.add(total + " of 60 minutes" + stayNote);
        }
        if (m.complexDecisionMaking() == null) {
            complexNeeds.add("no provider recorded moderate or high complexity medical decision making for " + m.month() + " (complex CCM needs it)");
        }
        if (!carePlanChange) {
            complexNeeds.add("the care plan was not established or substantially revised in " + m.month() + " (complex CCM needs it)");
        }
        if (complexNeeds.isEmpty()) {
            // 99487: >= 60 minutes + MDM + care plan established/substantially revised; 99489 each further full 30 (no CMS cap found [S30]).
            tracks.add(track("complex CCM", BillingCode.CCM_COMPLEX_60, BillingCode.CCM_COMPLEX_ADDON, total, MIN_99487, STEP_99489,
                    settings.max99489Units() <= 0 ? Integer.MAX_VALUE : settings.max99489Units(), total + " minutes of care management, "
                            + m.complexDecisionMaking() + " complexity medical decision making, care plan established or substantially revised"
                            + othersAsStaff));
        }
        if (physician >= MIN_99491) {
            // 99491: >= 30 minutes personally by the billing physician/QHP; 99437 each further full 30 [S15] (cap *verify*).
            tracks.add(track("physician CCM", BillingCode.CCM_PHYSICIAN_30, BillingCode.CCM_PHYSICIAN_ADDON, physician, MIN_99491, STEP_99437,
                    settings.max99437Units(), physician + " minutes personally by " + practitionerWords
                            + (othersNot99491.isEmpty() ? "" : " (" + othersNot99491 + ")")));
        }
        if (total >= MIN_99490) {
            // 99490: >= 20 minutes; 99439 each further full 20, at most 2 [S24][S32].
            tracks.add(track("standard CCM", BillingCode.CCM_STAFF_20, BillingCode.CCM_STAFF_ADDON, total, MIN_99490, STEP_99439,
                    settings.max99439Units(), total + " minutes of clinical staff time" + othersAsStaff));
        }
        // billing-rules.md 2.4 [S24][S32][S15]: one CCM track per month (99490/99439, 99487/99489 and 99491/99437 exclude
        // one another). The track that describes the service is billed, not the one that pays most: complex when its
        // requirements hold, else the physician's own when they logged 30 minutes, else standard (tracks are listed so).
        Track chosen = tracks.isEmpty() ? null : tracks.get(0);
        if (chosen != null) {
            // One minute figure per line (issue 18): the base code stands for the minutes its add-on does not, said first.
            int baseCount = chosen.minutes - chosen.addonUnits * chosen.stepMinutes;
            out.line(m, chosen.base, 1, span, first, last, Program.CCM, baseCount, null, settings,
                    chosen.base.cpt() + ": " + (chosen.addonUnits > 0 ? baseCount + " of the " : "") + chosen.basis + " in " + m.month() + stayNote
                            + (chosen.addonUnits > 0 ? " (" + chosen.addonUnits * chosen.stepMinutes + " on " + chosen.addon.cpt() + ")" : "") + ".");
            if (chosen.addonUnits > 0) {
                out.line(m, chosen.addon, chosen.addonUnits, span, first, last, Program.CCM, chosen.addonUnits * chosen.stepMinutes, null, settings,
                        chosen.addon.cpt() + ": " + chosen.addonUnits + " further full " + chosen.stepMinutes + "-minute unit"
                                + (chosen.addonUnits == 1 ? "" : "s") + (chosen.earnedAddonUnits > chosen.addonUnits ? " (capped at " + chosen.cap
                                + capSetting(chosen.addon) + "; " + (chosen.earnedAddonUnits - chosen.addonUnits) + " more not billed)" : "") + ".");
            } else {
                out.no(chosen.addon, last, chosen.addon.cpt() + ": " + chosen.minutes + " of " + (chosen.baseMinutes + chosen.stepMinutes) + " minutes.");
            }
        }
        // Reasons only for the codes that could apply (issue 18): an add-on whose base is not billed gets none, and the
        // physician's own track is named only when a physician or NPP logged CCM time. Minutes billed on the chosen track
        // are never described again as qualifying another (issue 18: the physician's minutes were also "staff time").
        String chosenWords = chosen == null ? null : chosen.name + " (" + chosen.base.cpt() + ")";
        if (chosen == null || chosen.base != BillingCode.CCM_COMPLEX_60) {
            out.no(BillingCode.CCM_COMPLEX_60, last, "99487: " + String.join("; ", complexNeeds) + ".");
        }
        if (chosen == null) {
            out.no(BillingCode.CCM_STAFF_20, last, "99490: " + total + " of 20 minutes" + stayNote + othersAsStaff + ".");
        } else if (chosen.base == BillingCode.CCM_COMPLEX_60) {
            out.no(BillingCode.CCM_STAFF_20, last, "99490: the month's " + total + " minutes are billed as " + chosenWords + "; one CCM track per month.");
        } else if (chosen.base == BillingCode.CCM_PHYSICIAN_30) {
            int rest = (int) ((MinuteCount.seconds(ccm, first, span.dateOfService, m.zone(), span.covered)
                    - MinuteCount.seconds(own, first, span.dateOfService, m.zone(), span.covered)) / 60);
            out.no(BillingCode.CCM_STAFF_20, last, "99490: the " + physician + " minutes personally by " + practitionerWords + " are billed on 99491"
                    + " and one CCM track is billed per month" + (rest > 0 ? "; the other " + rest + " minute" + (rest == 1 ? "" : "s")
                    + " of clinical staff time " + (rest == 1 ? "is" : "are") + " not billed" : "") + ".");
        }
        boolean providerTime = ccm.stream().anyMatch(LoggedTime::byProvider);
        if (chosen != null && chosen.base == BillingCode.CCM_COMPLEX_60 && physician >= MIN_99491) {
            out.no(BillingCode.CCM_PHYSICIAN_30, last, "99491: the " + physician + " minutes personally by " + practitionerWords + " are part of "
                    + chosenWords + "; one CCM track per month.");
        } else if ((chosen == null || chosen.base != BillingCode.CCM_PHYSICIAN_30) && providerTime) {
            out.no(BillingCode.CCM_PHYSICIAN_30, last, "99491: " + physician + " of 30 minutes personally by " + practitionerWords
                    + (othersNot99491.isEmpty() ? "" : "; " + othersNot99491) + "; they count as clinical staff time toward "
                    + (chosen == null ? "99490" : chosen.base.cpt()) + " instead (billing-rules.md 2.1).");
        }
    }

    /**
     * G0506 (billing-rules.md 2.1 [S18]): add-on to the initiating visit for the comprehensive assessment and care planning,
     * billed once, dated the visit, by the practitioner who saw the patient (the visit itself is billed from the EHR).
     */
    private void initiatingAssessment(PatientMonth m, CoveredSpan span, LocalDate first, LocalDate last, RuleOutcome out) {
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
        out.lines.add(new ClaimLine(m.patientId(), code, 1, visit.date(), first, last, RuleOutcome.diagnoses(span), span.atService.practitionerId(),
                span.atService.npi(), settings.placeOfService(), settings.fees().charge(code, 1, visit.date()), null, null,
                "G0506: comprehensive assessment and care planning at the initiating " + visit.kind().words() + " of " + visit.date()
                        + " (add-on to that visit, billed once)."));
    }

    /** The practice setting behind an add-on's cap, in words (99439's cap of 2 is not disputed and is no setting). */
    private String capSetting(BillingCode addon) {
        return switch (addon) {
            case CCM_PHYSICIAN_ADDON -> " by the " + BillingSetting.MAX_99437_UNITS.named(settings);
            case CCM_COMPLEX_ADDON -> " by the " + BillingSetting.MAX_99489_UNITS.named(settings);
            default -> "";
        };
    }

    private Track track(String name, BillingCode base, BillingCode addon, int minutes, int baseMinutes, int step, int cap, String basis) {
        int earned = (minutes - baseMinutes) / step; // full increments only (billing-rules.md 7.5)
        int units = Math.min(earned, cap);
        return new Track(name, base, addon, minutes, units, earned, cap, baseMinutes, step, basis);
    }
}
