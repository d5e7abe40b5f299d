package health.careloop.simulator.physiology;

import health.careloop.simulator.devices.Reading;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/** A 30-day month of a seeded panel, aligned with the patients' epoch. */
record Panels(List<SimulatedPatient> patients, Instant from, Instant to) {
    static final ZoneId CHICAGO = ZoneId.of("America/Chicago");
    // Spans the end of daylight saving time (2026-11-01), so offsets change inside the month.
    static final LocalDate EPOCH = LocalDate.of(2026, 10, 20);

    static Panels month(long seed, int patients) {
        List<SimulatedPatient> panel = new PatientFactory(seed, CHICAGO, EPOCH, 30, "sim").create(patients);
        return new Panels(panel, EPOCH.atStartOfDay(CHICAGO).toInstant(), EPOCH.plusDays(30).atStartOfDay(CHICAGO).toInstant());
    }

    List<Reading> readings(SimulatedPatient patient) {
        return ReadingSchedule.readings(patient, from, to);
    }

    List<Reading> readings() {
        return ReadingSchedule.readings(patients, from, to);
    }
}
