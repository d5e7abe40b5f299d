package health.careloop.simulator.physiology;

import health.careloop.simulator.devices.DeviceKind;
import health.careloop.simulator.devices.SimulatedDevice;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A simulated patient: everything needed to generate their readings for any window, deterministically.
 *
 * @param index       position in the panel, part of every random stream's seed
 * @param externalRef the practice's reference for the patient, e.g. SIM-000001
 * @param epoch       day 0 of trends, adherence periods and scripted events
 * @param seed        the run's seed
 */
public record SimulatedPatient(
        int index,
        String externalRef,
        Set<Condition> conditions,
        List<SimulatedDevice> devices,
        Baselines baselines,
        AdherenceProfile adherence,
        List<ClinicalEvent> events,
        ZoneId zone,
        LocalDate epoch,
        long seed) {

    public SimulatedPatient {
        conditions = Set.copyOf(conditions);
        devices = List.copyOf(devices);
        events = List.copyOf(events);
    }

    public Optional<SimulatedDevice> device(DeviceKind kind) {
        return devices.stream().filter(d -> d.kind() == kind).findFirst();
    }

    public Optional<ClinicalEvent> eventOn(ClinicalEvent.Kind kind, int day) {
        return events.stream().filter(e -> e.kind() == kind && e.covers(day)).findFirst();
    }

    public boolean hasEvent(ClinicalEvent.Kind kind) {
        return events.stream().anyMatch(e -> e.kind() == kind);
    }
}
