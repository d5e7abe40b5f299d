package health.careloop.simulator.physiology;

import health.careloop.simulator.devices.Reading;
import health.careloop.simulator.devices.Reading.MealContext;
import health.careloop.simulator.devices.SimulatedDevice;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Fingerstick checks of a person with type 2 diabetes: fasting every measuring day, sometimes before lunch,
 * two hours after dinner or at bedtime. After-meal values sit above fasting by the patient's meal rise.
 */
final class GlucoseRoutine implements DeviceRoutine {
    // Routine values stay at or above 72 mg/dL so every hypoglycaemia alert comes from a scripted episode.
    static final int ROUTINE_MIN_MG_DL = 72;
    static final int ROUTINE_MAX_MG_DL = 420;

    @Override
    public List<Reading> readings(SimulatedDevice device, MeasuringDay day) {
        Baselines b = day.patient().baselines();
        double today = b.fastingGlucoseMgDl() + day.gaussian(10);
        List<Reading> readings = new ArrayList<>(4);
        readings.add(routine(device, day.around(6, 45, 30), today + day.gaussian(9), MealContext.FASTING));
        if (day.chance(0.15)) {
            readings.add(routine(device, day.around(11, 50, 20), today * 0.95 + day.gaussian(10), MealContext.BEFORE_MEAL));
        }
        if (day.chance(0.35)) {
            readings.add(routine(device, day.around(19, 45, 40), today + b.mealRiseMgDl() + day.gaussian(15), MealContext.AFTER_MEAL));
        }
        if (day.chance(0.15)) {
            readings.add(routine(device, day.around(22, 15, 30), today + b.mealRiseMgDl() / 2 + day.gaussian(12), MealContext.BEDTIME));
        }
        if (day.in(ClinicalEvent.Kind.HYPOGLYCAEMIA)) {
            // A mid-afternoon low (skipped lunch, sulfonylurea), then the recheck 15 minutes after fast carbohydrate.
            OffsetDateTime low = day.around(15, 30, 60);
            readings.add(reading(device, low, day.uniform(41, 67), MealContext.RANDOM));
            readings.add(reading(device, low.plusMinutes(15), day.uniform(82, 108), MealContext.RANDOM));
        }
        readings.sort(Comparator.comparing(Reading::measuredAt));
        return readings;
    }

    private static Reading routine(SimulatedDevice device, OffsetDateTime at, double mgDl, MealContext context) {
        return reading(device, at, Math.max(ROUTINE_MIN_MG_DL, Math.min(ROUTINE_MAX_MG_DL, mgDl)), context);
    }

    private static Reading reading(SimulatedDevice device, OffsetDateTime at, double mgDl, MealContext context) {
        if (Reading.BloodGlucose.MMOL_L.equals(device.unit())) {
            double mmol = Math.floor(mgDl / Reading.BloodGlucose.MG_DL_PER_MMOL_L * 10) / 10.0;
            return new Reading.BloodGlucose(device.deviceId(), at, mmol, Reading.BloodGlucose.MMOL_L, context);
        }
        return new Reading.BloodGlucose(device.deviceId(), at, Math.round(mgDl), Reading.BloodGlucose.MG_DL, context);
    }
}
