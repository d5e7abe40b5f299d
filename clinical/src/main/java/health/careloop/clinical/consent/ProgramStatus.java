package health.careloop.clinical.consent;

import health.careloop.clinical.conditions.Condition;
import health.careloop.clinical.conditions.Conditions;
import health.careloop.clinical.conditions.Eligibility;
import health.careloop.clinical.conditions.ProgramEligibility;
import health.careloop.common.auth.StaffAccounts;
import health.careloop.common.auth.StaffMember;

import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where a patient stands in a program on a day: consented, enrolled (with which billing practitioner) and eligible,
 * each with its reason. The billing tier asks this before it emits a line (DESIGN.md invariant 4). Blocking JDBC.
 */
public final class ProgramStatus {
    private final Conditions conditions;
    private final Consents consents;
    private final Enrolments enrolments;
    private final StaffAccounts staff;

    public ProgramStatus(Conditions conditions, Consents consents, Enrolments enrolments, StaffAccounts staff) {
        this.conditions = conditions;
        this.consents = consents;
        this.enrolments = enrolments;
        this.staff = staff;
    }

    /**
     * @param billingPractitionerId of the enrolment on the day, when enrolled
     * @param billingPractitionerNpi that practitioner's NPI (the claim's rendering/billing NPI)
     */
    public record Snapshot(UUID patientId, Program program, LocalDate date,
                           boolean consented, UUID consentId, String consentReason,
                           boolean enrolled, UUID enrolmentId, UUID billingPractitionerId, String billingPractitionerNpi, String enrolmentReason,
                           boolean eligible, String eligibilityReason) {

        /** All three hold: the program's services on this day may be billed as far as the patient's record goes. */
        public boolean ready() {
            return consented && enrolled && eligible;
        }
    }

    public Snapshot on(UUID patientId, Program program, LocalDate date) throws SQLException {
        List<Condition> conditionList = conditions.of(patientId);
        List<ConsentRecord> consentList = consents.of(patientId);
        List<Enrolment> enrolmentList = enrolments.of(patientId);
        Optional<Enrolment> enrolment = enrolmentList.stream().filter(e -> e.program() == program && e.activeOn(date)).findFirst();
        String npi = null;
        if (enrolment.isPresent()) {
            npi = staff.find(enrolment.get().billingPractitionerId()).map(StaffMember::npi).orElse(null);
        }
        return evaluate(patientId, program, date, conditionList, consentList, enrolmentList, npi);
    }

    /** The same answer from records already loaded; pure. */
    public static Snapshot evaluate(UUID patientId, Program program, LocalDate date, List<Condition> conditionList,
                                    List<ConsentRecord> consentList, List<Enrolment> enrolmentList, String practitionerNpi) {
        Optional<Enrolment> enrolment = enrolmentList.stream().filter(e -> e.program() == program && e.activeOn(date)).findFirst();
        UUID practitioner = enrolment.map(Enrolment::billingPractitionerId).orElse(null);
        ConsentRules.Check consent = ConsentRules.covering(program, date, practitioner, consentList, enrolmentList);
        Eligibility eligibility = ProgramEligibility.of(program, conditionList, date);
        String enrolmentReason = enrolment.map(e -> "Enrolled in " + program.name() + " since " + e.startDate()
                        + (e.endDate() == null ? "" : " through " + e.endDate()) + " with billing practitioner " + e.billingPractitionerId() + ".")
                .orElse("Not enrolled in " + program.name() + " on " + date + ".");
        return new Snapshot(patientId, program, date, consent.consented(), consent.consent().map(ConsentRecord::id).orElse(null), consent.reason(),
                enrolment.isPresent(), enrolment.map(Enrolment::id).orElse(null), practitioner, enrolment.isPresent() ? practitionerNpi : null,
                enrolmentReason, eligibility.eligible(), eligibility.reason());
    }
}
