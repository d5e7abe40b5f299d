package health.careloop.fhir.r4;

import health.careloop.clinical.consent.ConsentElement;
import health.careloop.clinical.consent.ConsentRecord;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

import java.util.stream.Collectors;

/**
 * A program consent (or refusal) as a FHIR Consent: scope treatment, category "patient consent" (LOINC 59284-0), the
 * program as the provision's code, permit or deny, and the period it covers (through the end of the month of a CCM
 * revocation, billing-rules.md 2.2). What the patient was told is the policy rule's text.
 */
public final class ConsentResources {
    public static final String LOINC_PATIENT_CONSENT = "59284-0";

    private ConsentResources() {
    }

    public static Consent of(ConsentRecord c) {
        Consent r = new Consent();
        r.setId(c.id().toString());
        r.setStatus(!c.accepted() ? Consent.ConsentState.REJECTED
                : c.revokedOn() != null ? Consent.ConsentState.INACTIVE : Consent.ConsentState.ACTIVE);
        r.setScope(new CodeableConcept(new Coding(CodeSystems.CONSENT_SCOPE, "treatment", "Treatment")));
        r.addCategory(new CodeableConcept(new Coding(CodeSystems.LOINC, LOINC_PATIENT_CONSENT, "Patient Consent")));
        r.setPatient(new Reference("Patient/" + c.patientId()));
        r.setDateTimeElement(Dates.day(c.obtainedOn()));
        if (c.obtainedBy() != null) {
            r.addPerformer(new Reference().setDisplay("staff " + c.obtainedBy()));
        }
        String told = c.told().stream().map(ConsentElement::told).collect(Collectors.joining("; "));
        r.setPolicyRule(new CodeableConcept(new Coding(CodeSystems.ACT_CODE, c.accepted() ? "OPTIN" : "OPTOUT", c.accepted() ? "opt-in" : "opt-out"))
                .setText(c.method() + " consent; told " + (told.isEmpty() ? "nothing recorded" : told)));
        var provision = r.getProvision();
        provision.setType(c.accepted() ? Consent.ConsentProvisionType.PERMIT : Consent.ConsentProvisionType.DENY);
        Period period = new Period().setStartElement(Dates.day(c.obtainedOn()));
        c.coversThrough().ifPresent(last -> period.setEndElement(new DateTimeType(last.toString())));
        provision.setPeriod(period);
        provision.addCode(new CodeableConcept(new Coding(CodeSystems.PROGRAM, c.program().wireName(), c.program().name())));
        return r;
    }
}
