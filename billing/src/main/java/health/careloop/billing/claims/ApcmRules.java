package health.careloop.billing.claims;

import health.careloop.clinical.consent.Program;

import java.time.LocalDate;
import java.util.List;

/** Advanced primary care management (billing-rules.md 2.3, 2.4) on the calendar month, and what it bundles. */
final class ApcmRules {
    private final BillingSettings settings;

    ApcmRules(BillingSettings settings) {
        this.settings = settings;
    }

    /**
     * Advanced primary care management (billing-rules.md 2.3 [S26][S27]): monthly, not time-based, by the practitioner
     * responsible for all of the patient's primary care (the APCM enrolment says who). Needs consent and enrolment, one
     * practitioner in the month, and an initiating visit for new patients (as CCM's: at most a year before APCM began).
     * Level by chronic conditions as CCM counts them: G0556 for at most one, G0557 for two or more; G0558 needs the
     * patient to be a Qualified Medicare Beneficiary, which CareLoop does not record, so it is never billed and G0557 is
     * (the lower charge; *verify* before relying on it). Dated the month's last covered day. Returns the code billed.
     */
    BillingCode evaluate(PatientMonth m, RuleOutcome out) {
        LocalDate first = m.month().atDay(1);
        LocalDate last = m.month().atEndOfMonth();
        if (!CoveredSpan.anyReady(m, Program.APCM, first, last)) {
            return null; // not in APCM this month (no time is logged for it, so coverage alone says whether it is considered)
        }
        List<BillingCode> all = List.of(BillingCode.APCM_LEVEL_1, BillingCode.APCM_LEVEL_2, BillingCode.APCM_LEVEL_3);
        CoveredSpan span = CoveredSpan.of(m, Program.APCM, first, last);
        String failure = span.failure;
        if (failure == null) {
            LocalDate since = m.encounters().apcmSince() == null ? first : m.encounters().apcmSince();
            LocalDate earliest = since.minusYears(CcmRules.INITIATING_VISIT_YEARS);
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
    void bundle(PatientMonth m, BillingCode apcm, RuleOutcome out) {
        LocalDate last = m.month().atEndOfMonth();
        for (Program program : List.of(Program.CCM, Program.PCM)) {
            boolean considered = m.time().stream().anyMatch(t -> t.program() == program) || CoveredSpan.anyReady(m, program, m.month().atDay(1), last);
            if (!considered) {
                continue;
            }
            // Once per program, under its main code (issue 18: the same reason was repeated on every code); G0506 too when a
            // visit of the month carries the assessment, since a biller looks for it with that visit.
            List<BillingCode> codes = program == Program.PCM ? List.of(BillingCode.PCM_STAFF_30)
                    : m.encounters().visits().stream().anyMatch(v -> v.ccmAssessment() && java.time.YearMonth.from(v.date()).equals(m.month()))
                    ? List.of(BillingCode.CCM_STAFF_20, BillingCode.CCM_INITIATING_ASSESSMENT) : List.of(BillingCode.CCM_STAFF_20);
            for (BillingCode c : codes) {
                out.no(c, last, c.cpt() + ": APCM (" + apcm.cpt() + ") is billed for " + m.month() + " and bundles " + program.name()
                        + "; not billed separately.");
            }
        }
    }
}
