package health.careloop.simulator.physiology;

import health.careloop.simulator.devices.DeviceKind;
import health.careloop.simulator.devices.Reading;
import health.careloop.simulator.devices.SimulatedDevice;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The readings patients take in a time window: a pure function of the patients and the window, no I/O.
 * Generating a window in pieces gives the same readings as generating it whole.
 */
public final class ReadingSchedule {
    private static final long DEVICE_DAY_STREAM = 30;
    /** Time order, then device id: the order devices would send in. */
    public static final Comparator<Reading> CHRONOLOGICAL =
            Comparator.comparing((Reading r) -> r.measuredAt().toInstant()).thenComparing(Reading::deviceId);

    private static final Map<DeviceKind, DeviceRoutine> ROUTINES = new EnumMap<>(Map.of(
            DeviceKind.BLOOD_PRESSURE_CUFF, new BloodPressureRoutine(),
            DeviceKind.GLUCOMETER, new GlucoseRoutine(),
            DeviceKind.SCALE, new WeightRoutine(),
            DeviceKind.PULSE_OXIMETER, new OximetryRoutine()));

    private ReadingSchedule() {
    }

    /** Readings measured in [from, to), in time order. */
    public static List<Reading> readings(SimulatedPatient patient, Instant from, Instant to) {
        List<Reading> readings = new ArrayList<>();
        ZoneId zone = patient.zone();
        LocalDate last = to.atZone(zone).toLocalDate();
        for (LocalDate date = from.atZone(zone).toLocalDate(); !date.isAfter(last); date = date.plusDays(1)) {
            int day = (int) ChronoUnit.DAYS.between(patient.epoch(), date);
            if (!AdherenceCalendar.measuresOn(patient, day)) {
                continue;
            }
            for (SimulatedDevice device : patient.devices()) {
                MeasuringDay measuringDay = new MeasuringDay(patient, date, day,
                        DerivedSeed.random(patient.seed(), DEVICE_DAY_STREAM, patient.index(), day, device.kind().ordinal()));
                for (Reading r : ROUTINES.get(device.kind()).readings(device, measuringDay)) {
                    Instant at = r.measuredAt().toInstant();
                    if (!at.isBefore(from) && at.isBefore(to)) {
                        readings.add(r);
                    }
                }
            }
        }
        readings.sort(CHRONOLOGICAL);
        return readings;
    }

    /** Readings of a whole panel measured in [from, to), in time order. */
    public static List<Reading> readings(List<SimulatedPatient> patients, Instant from, Instant to) {
        List<Reading> readings = new ArrayList<>();
        patients.forEach(p -> readings.addAll(readings(p, from, to)));
        readings.sort(CHRONOLOGICAL);
        return readings;
    }
}
