package health.careloop.simulator.physiology;

import health.careloop.simulator.devices.Reading;
import health.careloop.simulator.devices.SimulatedDevice;

import java.util.List;

/**
 * A morning weigh-in after voiding, as heart-failure plans ask. Day-to-day scatter is a few hundred grams; a
 * scripted fluid-gain episode adds 1.35-1.8 kg a day, then diuretics take it off again over a few days.
 */
final class WeightRoutine implements DeviceRoutine {
    private static final long FLUID_RATE_STREAM = 20;
    private static final double DIURESIS_KG_PER_DAY = 1.6;

    @Override
    public List<Reading> readings(SimulatedDevice device, MeasuringDay day) {
        Baselines b = day.patient().baselines();
        // Near an episode the scatter is held small, so the episode's daily gains stay at 1 kg or more.
        double noise = nearFluidGain(day) ? day.boundedGaussian(0.05, 0.1) : day.boundedGaussian(0.3, 0.7);
        double kg = b.weightKg() + b.weightTrendKgPerDay() * day.day() + retainedFluidKg(day) + noise;
        double weight = Reading.BodyWeight.LB.equals(device.unit()) ? kg * Reading.BodyWeight.LB_PER_KG : kg;
        String unit = device.unit() == null ? Reading.BodyWeight.KG : device.unit();
        return List.of(new Reading.BodyWeight(device.deviceId(), day.around(6, 40, 35), DeviceRoutine.oneDecimal(weight), unit));
    }

    private static double retainedFluidKg(MeasuringDay day) {
        double fluid = 0;
        for (ClinicalEvent e : day.patient().events()) {
            if (e.kind() != ClinicalEvent.Kind.FLUID_GAIN || day.day() < e.startDay()) {
                continue;
            }
            double rate = 1.35 + 0.45 * DerivedSeed.random(day.patient().seed(), FLUID_RATE_STREAM, day.patient().index()).nextDouble();
            int end = e.startDay() + e.days();
            fluid += day.day() < end
                    ? rate * (day.day() - e.startDay() + 1)
                    : Math.max(0, rate * e.days() - DIURESIS_KG_PER_DAY * (day.day() - end + 1));
        }
        return fluid;
    }

    private static boolean nearFluidGain(MeasuringDay day) {
        return day.patient().events().stream()
                .anyMatch(e -> e.kind() == ClinicalEvent.Kind.FLUID_GAIN
                        && day.day() >= e.startDay() - 1 && day.day() < e.startDay() + e.days());
    }
}
