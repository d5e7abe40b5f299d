package health.careloop.billing.claims;

import java.util.List;
import java.util.UUID;

/**
 * Where the patient stood in a program on one day (from clinical's ProgramStatus): ready means consented, enrolled
 * and eligible; the billing practitioner and NPI of that day's enrolment; the ICD-10-CM codes that qualify the patient
 * (the diagnoses that support the program's lines); and, when not ready, why.
 */
public record DayCoverage(boolean ready, UUID practitionerId, String npi, List<String> diagnoses, String reason) {
    public DayCoverage {
        diagnoses = List.copyOf(diagnoses);
    }

    public static DayCoverage notReady(String reason) {
        return new DayCoverage(false, null, null, List.of(), reason);
    }
}
