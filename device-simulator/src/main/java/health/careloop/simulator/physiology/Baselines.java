package health.careloop.simulator.physiology;

/**
 * A patient's own typical values, around which daily readings vary. Trends are per day since the epoch.
 */
public record Baselines(
        double systolic,
        double diastolic,
        double pulse,
        double systolicTrendPerDay,
        double fastingGlucoseMgDl,
        double mealRiseMgDl,
        double weightKg,
        double weightTrendKgPerDay,
        double spo2) {
}
