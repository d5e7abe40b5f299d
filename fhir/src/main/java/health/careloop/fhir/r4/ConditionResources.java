package health.careloop.fhir.r4;

import health.careloop.clinical.conditions.Condition;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Reference;

import java.util.Date;

/**
 * A problem-list diagnosis as a FHIR Condition: ICD-10-CM code, clinical status (active, or resolved from the day it
 * ended: abatement), onset, and when it was recorded.
 */
public final class ConditionResources {
    private ConditionResources() {
    }

    public static org.hl7.fhir.r4.model.Condition of(Condition c) {
        org.hl7.fhir.r4.model.Condition r = new org.hl7.fhir.r4.model.Condition();
        r.setId(c.id().toString());
        boolean ended = c.endedOn() != null;
        r.setClinicalStatus(new CodeableConcept(new Coding(CodeSystems.CONDITION_CLINICAL, ended ? "resolved" : "active",
                ended ? "Resolved" : "Active")));
        r.setVerificationStatus(new CodeableConcept(new Coding(CodeSystems.CONDITION_VERIFICATION, "confirmed", "Confirmed")));
        r.addCategory(new CodeableConcept(new Coding(CodeSystems.CONDITION_CATEGORY, "problem-list-item", "Problem List Item")));
        r.setCode(new CodeableConcept(new Coding(CodeSystems.ICD10_CM, c.icd10(), c.description())).setText(c.description()));
        r.setSubject(new Reference("Patient/" + c.patientId()));
        if (c.onset() != null) {
            r.setOnset(Dates.day(c.onset()));
        }
        if (ended) {
            r.setAbatement(Dates.day(c.endedOn()));
        }
        r.setRecordedDateElement(new DateTimeType(Date.from(c.recordedAt())));
        return r;
    }
}
