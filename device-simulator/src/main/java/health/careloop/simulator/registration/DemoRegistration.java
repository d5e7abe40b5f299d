package health.careloop.simulator.registration;

import health.careloop.simulator.devices.SimulatedDevice;
import health.careloop.simulator.physiology.SimulatedPatient;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Registers a simulated panel through the public API so that a fresh CareLoop plus the simulator is a working
 * demo. Safe to run again: the practice of the same name and time zone, existing patients, devices and assignments
 * are reused.
 */
public final class DemoRegistration {
    private final CareLoopApi api;

    public DemoRegistration(CareLoopApi api) {
        this.api = api;
    }

    /**
     * @param practiceId an existing practice, or null for the practice named {@code practiceName} (created if there
     *                   is none; reused if there is one with the same time zone)
     * @param validFrom  start of every device assignment; before the first reading that will be sent
     * @throws IllegalStateException if {@code practiceName} exists only with another time zone: the simulated
     *                               patients' local days would not be the practice's
     */
    public Summary register(String practiceId, String practiceName, String timeZone, List<SimulatedPatient> patients,
                            Instant validFrom) throws IOException, InterruptedException {
        boolean practiceCreated = false;
        String practice = practiceId;
        if (practice == null) {
            practice = existingPractice(practiceName, timeZone);
            if (practice == null) {
                practice = api.createPractice(practiceName, timeZone);
                practiceCreated = true;
            }
        }
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
        return new Summary(practice, practiceCreated, patients.size(), patientsCreated, devices, devicesCreated,
                assignmentsCreated);
    }

    /** The id of the practice named {@code name} in {@code timeZone}, or null if there is none of that name. */
    private String existingPractice(String name, String timeZone) throws IOException, InterruptedException {
        List<CareLoopApi.Practice> named = api.findPractices(name);
        // Several of the same name and zone (from runs before this lookup existed): the first in the API's order.
        for (CareLoopApi.Practice p : named) {
            if (p.timeZone().equals(timeZone)) {
                return p.id();
            }
        }
        if (!named.isEmpty()) {
            CareLoopApi.Practice other = named.get(0);
            throw new IllegalStateException("practice '" + name + "' exists (" + other.id() + ") with time zone "
                    + other.timeZone() + ", not " + timeZone + ": pass --practice-id " + other.id()
                    + " with --time-zone " + other.timeZone() + ", or another --practice-name");
        }
        return null;
    }

    /** @param practiceCreated false when the practice existed (given by id or found by name) */
    public record Summary(String practiceId, boolean practiceCreated, int patients, int patientsCreated, int devices,
                          int devicesCreated, int assignmentsCreated) {
        public String describe() {
            return String.format("practice %s (%s): %d patients (%d new), %d devices (%d new, %d newly assigned)",
                    practiceId, practiceCreated ? "new" : "existing", patients, patientsCreated, devices,
                    devicesCreated, assignmentsCreated);
        }
    }
}
