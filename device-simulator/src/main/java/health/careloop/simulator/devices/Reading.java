package health.careloop.simulator.devices;

import java.time.OffsetDateTime;

/**
 * One measurement as a device reports it, in the device's own unit and the patient's local offset.
 * Identity on the server is (deviceId, type, measuredAt).
 */
public sealed interface Reading
        permits Reading.BloodPressure, Reading.BloodGlucose, Reading.BodyWeight, Reading.OxygenSaturation {

    String deviceId();

    OffsetDateTime measuredAt();

    /** The payload's "type". */
    String type();

    Reading withMeasuredAt(OffsetDateTime measuredAt);

    /** A device-side id: stable for a device and a measured time, so a re-send carries the same id. */
    default String readingId() {
        return deviceId() + "-" + measuredAt().toEpochSecond();
    }

    record BloodPressure(String deviceId, OffsetDateTime measuredAt, int systolic, int diastolic, int pulse)
            implements Reading {
        public String type() {
            return "blood_pressure";
        }

        public BloodPressure withMeasuredAt(OffsetDateTime t) {
            return new BloodPressure(deviceId, t, systolic, diastolic, pulse);
        }
    }

    /** @param glucose in {@code unit}: whole mg/dL or mmol/L with one decimal */
    record BloodGlucose(String deviceId, OffsetDateTime measuredAt, double glucose, String unit, MealContext mealContext)
            implements Reading {
        public static final String MG_DL = "mg/dL";
        public static final String MMOL_L = "mmol/L";
        // Molar mass of glucose: 1 mmol/L = 18.016 mg/dL.
        public static final double MG_DL_PER_MMOL_L = 18.016;

        public String type() {
            return "blood_glucose";
        }

        public BloodGlucose withMeasuredAt(OffsetDateTime t) {
            return new BloodGlucose(deviceId, t, glucose, unit, mealContext);
        }

        public double glucoseMgDl() {
            return MMOL_L.equals(unit) ? glucose * MG_DL_PER_MMOL_L : glucose;
        }
    }

    /** @param weight in {@code unit}, one decimal */
    record BodyWeight(String deviceId, OffsetDateTime measuredAt, double weight, String unit) implements Reading {
        public static final String KG = "kg";
        public static final String LB = "lb";
        public static final double LB_PER_KG = 2.20462;

        public String type() {
            return "body_weight";
        }

        public BodyWeight withMeasuredAt(OffsetDateTime t) {
            return new BodyWeight(deviceId, t, weight, unit);
        }

        public double weightKg() {
            return LB.equals(unit) ? weight / LB_PER_KG : weight;
        }
    }

    record OxygenSaturation(String deviceId, OffsetDateTime measuredAt, int spo2, int pulse) implements Reading {
        public String type() {
            return "oxygen_saturation";
        }

        public OxygenSaturation withMeasuredAt(OffsetDateTime t) {
            return new OxygenSaturation(deviceId, t, spo2, pulse);
        }
    }

    enum MealContext {
        FASTING("fasting"), BEFORE_MEAL("before_meal"), AFTER_MEAL("after_meal"), BEDTIME("bedtime"), RANDOM("random");

        private final String wireName;

        MealContext(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }
}
