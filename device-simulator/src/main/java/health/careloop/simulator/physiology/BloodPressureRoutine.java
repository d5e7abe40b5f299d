package health.careloop.simulator.physiology;

import health.careloop.simulator.devices.Reading;
import health.careloop.simulator.devices.SimulatedDevice;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Morning and evening cuff readings, as home-BP guidelines ask: pressure is higher in the morning (the morning
 * surge), varies from day to day, and drifts slowly with treatment.
 */
final class BloodPressureRoutine implements DeviceRoutine {
    // Outside a scripted crisis the systolic stays under the crisis threshold, so every crisis alert is one we planned.
    static final int ROUTINE_MAX_SYSTOLIC = 178;
    static final int ROUTINE_MAX_DIASTOLIC = 115;

    @Override
    public List<Reading> readings(SimulatedDevice device, MeasuringDay day) {
        Baselines b = day.patient().baselines();
        boolean crisis = day.in(ClinicalEvent.Kind.HYPERTENSIVE_CRISIS);
        double systolicToday = b.systolic() + b.systolicTrendPerDay() * day.day() + day.gaussian(4);
        double diastolicToday = b.diastolic() + (systolicToday - b.systolic()) * 0.5 + day.gaussian(2);
        List<Reading> readings = new ArrayList<>(2);
        readings.add(reading(device, day, day.around(7, 0, 40), systolicToday + 5, diastolicToday + 3, crisis, 2));
        if (crisis || day.chance(0.6)) {
            readings.add(reading(device, day, day.around(20, 0, 60), systolicToday - 2, diastolicToday - 1, crisis, 0));
        }
        return readings;
    }

    private static Reading reading(SimulatedDevice device, MeasuringDay day, OffsetDateTime at,
                                   double systolicMean, double diastolicMean, boolean crisis, double pulseShift) {
        Baselines b = day.patient().baselines();
        double systolic = systolicMean + day.gaussian(6);
        double diastolic = diastolicMean + day.gaussian(4);
        double pulse = b.pulse() + pulseShift + day.gaussian(5);
        int sys;
        int dia;
        if (crisis) {
            sys = DeviceRoutine.clamp(Math.max(systolic + 50, day.uniform(186, 205)), 186, 230);
            dia = DeviceRoutine.clamp(Math.max(diastolic + 22, day.uniform(104, 124)), 95, 128);
            pulse += 8;
        } else {
            sys = DeviceRoutine.clamp(systolic, 90, ROUTINE_MAX_SYSTOLIC);
            dia = DeviceRoutine.clamp(diastolic, 50, Math.min(ROUTINE_MAX_DIASTOLIC, sys - 20));
        }
        return new Reading.BloodPressure(device.deviceId(), at, sys, dia, DeviceRoutine.clamp(pulse, 45, 130));
    }
}
