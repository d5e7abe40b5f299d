package health.careloop.billing.claims;

import health.careloop.clinical.consent.Program;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** What the program rules decide for one patient-month, in the order they decide it: lines billed and codes not billed. */
final class RuleOutcome {
    /** 837P HI holds at most 12 diagnosis codes (billing-rules.md section 4 [S37][S38]). */
    static final int MAX_DIAGNOSES = 12;

    final UUID patientId;
    final List<ClaimLine> lines = new ArrayList<>();
    final List<NotBilled> notBilled = new ArrayList<>();

    RuleOutcome(UUID patientId) {
        this.patientId = patientId;
    }

    void no(BillingCode code, LocalDate periodEnd, String reason) {
        notBilled.add(new NotBilled(patientId, code, periodEnd, reason));
    }

    void line(PatientMonth m, BillingCode code, int units, CoveredSpan span, LocalDate periodStart, LocalDate periodEnd, Program program,
              Integer minutes, Integer dataDays, BillingSettings settings, String justification) {
        lines.add(new ClaimLine(patientId, code, units, span.dateOfService, periodStart, periodEnd, diagnoses(span),
                span.atService.practitionerId(), span.atService.npi(), settings.placeOfService(), settings.fees().charge(code, units, span.dateOfService), minutes,
                dataDays, justification));
    }

    /** The diagnoses of the span's date of service, as many as the claim can carry. */
    static List<String> diagnoses(CoveredSpan span) {
        List<String> dx = span.atService.diagnoses();
        return dx.size() > MAX_DIAGNOSES ? dx.subList(0, MAX_DIAGNOSES) : dx;
    }

    MonthOutcome toMonthOutcome() {
        return new MonthOutcome(lines, notBilled);
    }
}
