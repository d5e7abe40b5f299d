package health.careloop.simulator.physiology;

import health.careloop.simulator.devices.Reading;
import health.careloop.simulator.devices.SimulatedDevice;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Fingertip oximeter spot checks, morning and sometimes evening. COPD patients live a few points lower; a scripted
 * desaturation episode (an exacerbation) brings SpO2 to 83-89% with a faster pulse.
 */
final class OximetryRoutine implements DeviceRoutine {
    @Override
    public List<Reading> readings(SimulatedDevice device, MeasuringDay day) {
        boolean desaturated = day.in(ClinicalEvent.Kind.DESATURATION);
        List<Reading> readings = new ArrayList<>(3);
        readings.add(reading(device, day, day.around(8, 15, 45), desaturated));
        if (desaturated) {
            readings.add(reading(device, day, day.around(14, 0, 60), true));
        }
        if (desaturated || day.chance(0.4)) {
            readings.add(reading(device, day, day.around(20, 30, 60), desaturated));
        }
        return readings;
    }

    private static Reading reading(SimulatedDevice device, MeasuringDay day, OffsetDateTime at, boolean desaturated) {
        Baselines b = day.patient().baselines();
        // Outside an episode SpO2 stays at 90% or above so desaturation alerts are the scripted ones.
        int floor = day.patient().conditions().contains(Condition.COPD) ? 90 : 93;
        int spo2 = desaturated ? day.random().nextInt(83, 90) : DeviceRoutine.clamp(b.spo2() + day.gaussian(0.9), floor, 100);
        int pulse = DeviceRoutine.clamp(b.pulse() + (desaturated ? 15 : 0) + day.gaussian(6), 45, 140);
        return new Reading.OxygenSaturation(device.deviceId(), at, spo2, pulse);
    }
}
