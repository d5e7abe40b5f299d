package health.careloop.simulator.registration;

import health.careloop.simulator.devices.SimulatedDevice;
import health.careloop.simulator.physiology.SimulatedPatient;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Registers a simulated panel through the public API so that a fresh CareLoop plus the simulator is a working
 * demo. Safe to run again: existing patients, devices and assignments are reused.
 */
public final class DemoRegistration {
    private final CareLoopApi api;

    public DemoRegistration(CareLoopApi api) {
        this.api = api;
    }

    /**
     * @param practiceId an existing practice, or null to create one named {@code practiceName}
     * @param validFrom  start of every device assignment; before the first reading that will be sent
     */
    public Summary register(String practiceId, String practiceName, String timeZone, List<SimulatedPatient> patients,
                            Instant validFrom) throws IOException, InterruptedException {
        String practice = practiceId != null ? practiceId : api.createPractice(practiceName, timeZone);
        int patientsCreated = 0;
        int devicesCreated = 0;
        int assignmentsCreated = 0;
        int devices = 0;
        for (SimulatedPatient patient : patients) {
            CareLoopApi.Created created = api.ensurePatient(practice, patient.externalRef());
            patientsCreated += created.created() ? 1 : 0;
            for (SimulatedDevice device : patient.devices()) {
                devices++;
                if (api.registerDevice(device.deviceId(), practice, device.kind().apiName(), device.kind().model())) {
                    devicesCreated++;
                }
                if (api.assignDevice(device.deviceId(), created.id(), validFrom)) {
                    assignmentsCreated++;
                }
            }
        }
        return new Summary(practice, patients.size(), patientsCreated, devices, devicesCreated, assignmentsCreated);
    }

    public record Summary(String practiceId, int patients, int patientsCreated, int devices, int devicesCreated,
                          int assignmentsCreated) {
        public String describe() {
            return String.format("practice %s: %d patients (%d new), %d devices (%d new, %d newly assigned)",
                    practiceId, patients, patientsCreated, devices, devicesCreated, assignmentsCreated);
        }
    }
}
