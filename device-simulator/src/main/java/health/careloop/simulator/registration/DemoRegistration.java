package health.careloop.simulator.registration;

import health.careloop.simulator.devices.SimulatedDevice;
import health.careloop.simulator.physiology.SimulatedPatient;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Registers a simulated panel through the public API so that a fresh CareLoop plus the simulator is a working
 * demo: each new patient also gets demographics, diagnoses, consent and enrolment with the practice's billing
 * practitioner ({@link DemoRecord}), so staff can log time and the billing pages show what is billable. Safe to run
 * again: the practice of the same name and time zone, existing patients (left as they are), devices and assignments
 * are reused.
 */
public final class DemoRegistration {
    /** Concurrent patients: the API is I/O-bound and each patient takes up to a dozen calls. */
    private static final int PARALLEL = 8;

    private final CareLoopApi api;
    private final boolean withRecords;

    public DemoRegistration(CareLoopApi api) {
        this(api, true);
    }

    /** @param withRecords false registers patients and devices only (load tests: no demographics, consent, ...) */
    public DemoRegistration(CareLoopApi api, boolean withRecords) {
        this.api = api;
        this.withRecords = withRecords;
    }

    /**
     * @param practiceId an existing practice, or null for the practice named {@code practiceName} (created if there
     *                   is none; reused if there is one with the same time zone)
     * @param validFrom  start of every device assignment; before the first reading that will be sent. Its day in
     *                   {@code timeZone} is the monitoring start: consent and enrolment date from then
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
        String practitioner = withRecords ? api.billingPractitioner(practice).orElse(null) : null;
        LocalDate monitoringStart = validFrom.atZone(ZoneId.of(timeZone)).toLocalDate();
        String practiceFinal = practice;
        List<PatientResult> results = inParallel(patients, p -> registerOne(practiceFinal, p, validFrom, monitoringStart, practitioner));

        int patientsCreated = 0;
        int devices = 0;
        int devicesCreated = 0;
        int assignmentsCreated = 0;
        int profilesRefused = 0;
        String firstRefusal = null;
        int enrolledRpm = 0;
        int enrolledCcm = 0;
        for (PatientResult r : results) {
            patientsCreated += r.created ? 1 : 0;
            devices += r.devices;
            devicesCreated += r.devicesCreated;
            assignmentsCreated += r.assignmentsCreated;
            if (r.record != null) {
                if (r.record.profileRefused() != null) {
                    profilesRefused++;
                    firstRefusal = firstRefusal == null ? r.record.profileRefused() : firstRefusal;
                }
                enrolledRpm += r.record.programs().contains("rpm") ? 1 : 0;
                enrolledCcm += r.record.programs().contains("ccm") ? 1 : 0;
            }
        }
        List<String> warnings = new ArrayList<>();
        if (withRecords && practitioner == null && patientsCreated > 0) {
            warnings.add("no consent or enrolment for the " + patientsCreated + " new patients: practice " + practice
                    + " has no active physician or NPP with an NPI, and billing needs one as the billing practitioner"
                    + " (create one with POST /api/v1/staff; scripts/demo-staff.sh does)");
        }
        if (profilesRefused > 0) {
            warnings.add(profilesRefused + " new patients have no demographics: the API refused them (first: "
                    + firstRefusal + ")");
        }
        return new Summary(practice, practiceCreated, patients.size(), patientsCreated, devices, devicesCreated,
                assignmentsCreated, practitioner, enrolledRpm, enrolledCcm, profilesRefused, warnings);
    }

    private PatientResult registerOne(String practice, SimulatedPatient patient, Instant validFrom,
                                      LocalDate monitoringStart, String practitioner) throws IOException, InterruptedException {
        CareLoopApi.Created created = api.ensurePatient(practice, patient.externalRef());
        int devicesCreated = 0;
        int assignmentsCreated = 0;
        for (SimulatedDevice device : patient.devices()) {
            boolean registered = api.registerDevice(device.deviceId(), practice, device.kind().apiName(), device.kind().model());
            devicesCreated += registered ? 1 : 0;
            // A device that existed may already be with this patient since earlier (the backfill before a live run).
            boolean alreadyHere = !registered && api.assignedFrom(device.deviceId(), created.id(), validFrom);
            if (!alreadyHere && api.assignDevice(device.deviceId(), created.id(), validFrom)) {
                assignmentsCreated++;
            }
        }
        // Only a patient created now: an existing one is left as it is, so a re-run changes nothing.
        DemoRecord.Outcome record = withRecords && created.created()
                ? new DemoRecord(api).write(created.id(), patient, monitoringStart, practitioner)
                : null;
        return new PatientResult(created.created(), patient.devices().size(), devicesCreated, assignmentsCreated, record);
    }

    private record PatientResult(boolean created, int devices, int devicesCreated, int assignmentsCreated,
                                 DemoRecord.Outcome record) {
    }

    private interface PatientTask {
        PatientResult run(SimulatedPatient patient) throws IOException, InterruptedException;
    }

    /** Runs the task for every patient, {@link #PARALLEL} at a time; the first failure is thrown as it was. */
    private static List<PatientResult> inParallel(List<SimulatedPatient> patients, PatientTask task)
            throws IOException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, Math.max(1, patients.size())));
        try {
            List<Future<PatientResult>> futures = new ArrayList<>();
            for (SimulatedPatient patient : patients) {
                futures.add(pool.submit(() -> task.run(patient)));
            }
            List<PatientResult> results = new ArrayList<>();
            for (Future<PatientResult> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    pool.shutdownNow();
                    Throwable cause = e.getCause();
                    if (cause instanceof IOException io) {
                        throw io;
                    }
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    if (cause instanceof InterruptedException ie) {
                        throw ie;
                    }
                    throw new IllegalStateException(cause);
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
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

    /**
     * @param practiceCreated     false when the practice existed (given by id or found by name)
     * @param billingPractitioner the staff id new patients were enrolled with, or null
     * @param warnings            one line each for what a person should know (no practitioner, refused profiles)
     */
    public record Summary(String practiceId, boolean practiceCreated, int patients, int patientsCreated, int devices,
                          int devicesCreated, int assignmentsCreated, String billingPractitioner, int enrolledRpm,
                          int enrolledCcm, int profilesRefused, List<String> warnings) {
        public Summary {
            warnings = List.copyOf(warnings);
        }

        public String describe() {
            String base = String.format("practice %s (%s): %d patients (%d new), %d devices (%d new, %d newly assigned)",
                    practiceId, practiceCreated ? "new" : "existing", patients, patientsCreated, devices,
                    devicesCreated, assignmentsCreated);
            if (billingPractitioner == null || patientsCreated == 0) {
                return base;
            }
            return base + String.format("; new patients enrolled in RPM: %d, also in CCM: %d (billing practitioner %s)",
                    enrolledRpm, enrolledCcm, billingPractitioner);
        }
    }
}
