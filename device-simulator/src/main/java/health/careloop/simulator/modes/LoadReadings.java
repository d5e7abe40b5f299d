package health.careloop.simulator.modes;

import health.careloop.simulator.devices.Reading;
import health.careloop.simulator.devices.SimulatedDevice;

import java.time.OffsetDateTime;
import java.util.SplittableRandom;

/** Cheap, valid readings for load runs; realism matters less here than a steady stream of distinct identities. */
public final class LoadReadings {
    private LoadReadings() {
    }

    public static Reading reading(SimulatedDevice device, OffsetDateTime at, SplittableRandom random) {
        return switch (device.kind()) {
            case BLOOD_PRESSURE_CUFF -> {
                int systolic = 110 + random.nextInt(40);
                yield new Reading.BloodPressure(device.deviceId(), at, systolic, systolic - 40 - random.nextInt(15), 60 + random.nextInt(30));
            }
            case GLUCOMETER -> new Reading.BloodGlucose(device.deviceId(), at, 90 + random.nextInt(80),
                    Reading.BloodGlucose.MG_DL, Reading.MealContext.RANDOM);
            case SCALE -> new Reading.BodyWeight(device.deviceId(), at, 60 + random.nextInt(400) / 10.0, Reading.BodyWeight.KG);
            case PULSE_OXIMETER -> new Reading.OxygenSaturation(device.deviceId(), at, 93 + random.nextInt(7), 60 + random.nextInt(30));
        };
    }
}
