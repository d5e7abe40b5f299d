package health.careloop.clinical.patients;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** A patient's demographics (clinical.patient_profile), keyed by the core patient identity. */
public record PatientProfile(UUID patientId, UUID practiceId, String givenName, String familyName, LocalDate birthDate, Sex sex,
                             String mbi, Address address, String phone, String updatedBy, Instant updatedAt) {
}
