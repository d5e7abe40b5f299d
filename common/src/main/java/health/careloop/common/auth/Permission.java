package health.careloop.common.auth;

import java.util.EnumSet;
import java.util.Set;

/** What a role may do. One table, so a reviewer can see every grant at once. */
public enum Permission {
    /** See patients, readings, alerts, care plans. */
    READ_CLINICAL(EnumSet.of(StaffRole.RN, StaffRole.LPN, StaffRole.MA, StaffRole.CARE_COORDINATOR, StaffRole.PHYSICIAN,
            StaffRole.NPP, StaffRole.BILLING, StaffRole.ADMIN)),
    /** Demographics, conditions, consent, enrolment, devices. */
    EDIT_PATIENTS(EnumSet.of(StaffRole.RN, StaffRole.LPN, StaffRole.MA, StaffRole.CARE_COORDINATOR, StaffRole.PHYSICIAN,
            StaffRole.NPP, StaffRole.ADMIN)),
    /** Claim, acknowledge, resolve and escalate alerts and tasks; log and correct one's own time. */
    WORK_QUEUE(EnumSet.of(StaffRole.RN, StaffRole.LPN, StaffRole.MA, StaffRole.CARE_COORDINATOR, StaffRole.PHYSICIAN, StaffRole.NPP)),
    /**
     * Enter or correct time in a colleague's name: transcribing paper logs, which care coordinators and practice
     * administrators do. Everyone else logs and corrects only their own time (a minute claimed is a claim to Medicare).
     */
    ENTER_TIME_FOR_OTHERS(EnumSet.of(StaffRole.CARE_COORDINATOR, StaffRole.ADMIN)),
    /**
     * Enter a reading by hand (a value the patient phones in, a clinic measurement): clinical staff and providers, who
     * take such values. Recorded with who entered it; never a data day (CMS counts device-transmitted data only).
     */
    ENTER_READINGS(EnumSet.of(StaffRole.RN, StaffRole.LPN, StaffRole.MA, StaffRole.CARE_COORDINATOR, StaffRole.PHYSICIAN, StaffRole.NPP)),
    /** Alert thresholds and care plans are clinical decisions: providers only. */
    CHANGE_THRESHOLDS_AND_CARE_PLANS(EnumSet.of(StaffRole.PHYSICIAN, StaffRole.NPP)),
    /** Billing readiness, month close, claim exports. */
    BILLING(EnumSet.of(StaffRole.BILLING, StaffRole.ADMIN)),
    /** Staff accounts. */
    MANAGE_STAFF(EnumSet.of(StaffRole.ADMIN)),
    /** Import the practice's panel from its EHR (FHIR Bundle or CSV): creates and updates many patients' records at once. */
    IMPORT_PANEL(EnumSet.of(StaffRole.ADMIN)),
    /** The practice's audit trail: who saw or changed which patient's record (HIPAA 164.308(a)(1)(ii)(D) review). */
    READ_AUDIT(EnumSet.of(StaffRole.ADMIN));

    private final Set<StaffRole> roles;

    Permission(Set<StaffRole> roles) {
        this.roles = roles;
    }

    /** Things only a person does: the API token (not a person) never works the queue, enters anyone's time or a reading. */
    public boolean personOnly() {
        return this == WORK_QUEUE || this == ENTER_TIME_FOR_OTHERS || this == ENTER_READINGS;
    }

    public boolean grantedTo(StaffRole role) {
        return roles.contains(role);
    }
}
