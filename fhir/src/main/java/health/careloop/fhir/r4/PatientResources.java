package health.careloop.fhir.r4;

import health.careloop.clinical.patients.PatientProfile;
import health.careloop.clinical.patients.Sex;
import health.careloop.common.directory.Patient;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Identifier;

/**
 * A patient as a FHIR Patient: the practice's MRN (identifier type MR, in the practice's own system) and the Medicare
 * Beneficiary Identifier (system us-mbi, type MC), and the demographics when they were recorded.
 */
public final class PatientResources {
    private PatientResources() {
    }

    public static org.hl7.fhir.r4.model.Patient of(Patient patient, PatientProfile profile) {
        org.hl7.fhir.r4.model.Patient p = new org.hl7.fhir.r4.model.Patient();
        p.setId(patient.id().toString());
        p.setActive(true);
        p.addIdentifier(new Identifier().setUse(Identifier.IdentifierUse.USUAL)
                .setType(identifierType("MR", "Medical record number"))
                .setSystem(CodeSystems.mrnSystem(patient.practiceId())).setValue(patient.externalRef()));
        if (profile == null) {
            return p;
        }
        if (profile.mbi() != null) {
            p.addIdentifier(new Identifier().setType(identifierType("MC", "Patient's Medicare number"))
                    .setSystem(CodeSystems.MBI).setValue(profile.mbi()));
        }
        p.addName().setFamily(profile.familyName()).addGiven(profile.givenName());
        if (profile.birthDate() != null) {
            p.setBirthDateElement(Dates.date(profile.birthDate()));
        }
        p.setGender(gender(profile.sex()));
        if (profile.phone() != null) {
            p.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue(profile.phone());
        }
        if (profile.address() != null) {
            health.careloop.clinical.patients.Address a = profile.address();
            Address address = p.addAddress().setUse(Address.AddressUse.HOME).setCity(a.city()).setState(a.state()).setPostalCode(a.zip())
                    .setCountry("US");
            address.addLine(a.line1());
            if (a.line2() != null && !a.line2().isBlank()) {
                address.addLine(a.line2());
            }
        }
        return p;
    }

    static CodeableConcept identifierType(String code, String display) {
        return new CodeableConcept(new Coding(CodeSystems.IDENTIFIER_TYPE, code, display));
    }

    public static AdministrativeGender gender(Sex sex) {
        if (sex == null) {
            return AdministrativeGender.UNKNOWN;
        }
        return switch (sex) {
            case FEMALE -> AdministrativeGender.FEMALE;
            case MALE -> AdministrativeGender.MALE;
            case OTHER -> AdministrativeGender.OTHER;
            case UNKNOWN -> AdministrativeGender.UNKNOWN;
        };
    }
}
