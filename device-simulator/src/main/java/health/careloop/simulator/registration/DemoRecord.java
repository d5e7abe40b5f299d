package health.careloop.simulator.registration;

import health.careloop.simulator.physiology.SimulatedPatient;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * What a newly registered demo patient needs before care staff may log time and a practice may bill: demographics,
 * diagnoses, consent and enrolment, written through the public API as a practice's staff would.
 */
final class DemoRecord {
    /** CCM needs two or more chronic conditions (billing-rules.md 2.2); every simulated condition is one. */
    private static final int CCM_MIN_CONDITIONS = 2;

    private final CareLoopApi api;

    DemoRecord(CareLoopApi api) {
        this.api = api;
    }

    /**
     * @param monitoringStart the day the devices were assigned: consent is obtained and enrolment starts that day
     * @param practitioner    the billing practitioner, or null: then no consent or enrolment (both need a provider)
     */
    Outcome write(String patientId, SimulatedPatient patient, LocalDate monitoringStart, String practitioner)
            throws IOException, InterruptedException {
        String profileRefused = null;
        try {
            api.saveProfile(patientId, new SyntheticDemographics(patient.seed()).of(patient.index(), monitoringStart));
        } catch (ApiException e) {
            // e.g. 409 duplicate_mbi: another patient of the practice (another seed's panel) has this MBI. The rest of
            // the record does not depend on the profile; the 837P will name the patient as incomplete.
            profileRefused = e.withoutDetails();
        }
        for (Diagnoses.Diagnosis diagnosis : Diagnoses.of(patient.conditions())) {
            api.addChronicCondition(patientId, diagnosis);
        }
        List<String> programs = new ArrayList<>();
        if (practitioner != null) {
            programs.add("rpm");
            if (patient.conditions().size() >= CCM_MIN_CONDITIONS) {
                programs.add("ccm");
            }
            for (String program : programs) {
                api.recordConsent(patientId, program, monitoringStart, practitioner);
                api.enrol(patientId, program, monitoringStart, practitioner);
            }
        }
        return new Outcome(profileRefused, programs);
    }

    /** @param profileRefused why the API refused the demographics (no patient data), or null when saved */
    record Outcome(String profileRefused, List<String> programs) {
    }
}
