package health.careloop.simulator.physiology;

import health.careloop.simulator.devices.DeviceKind;
import health.careloop.simulator.devices.Reading;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HomeDataPatternsTest {
    private final Panels month = Panels.month(42, 200);
    private final List<Reading> readings = month.readings();

    @Test
    void morningPressureIsHigherThanEveningPressure() {
        double morning = averageSystolic(true);
        double evening = averageSystolic(false);
        assertThat(morning - evening).isBetween(3.0, 12.0);
    }

    @Test
    void afterMealGlucoseIsHigherThanFasting() {
        double fasting = averageGlucose(Reading.MealContext.FASTING);
        double afterMeal = averageGlucose(Reading.MealContext.AFTER_MEAL);
        assertThat(fasting).isBetween(110.0, 170.0);
        assertThat(afterMeal - fasting).isBetween(30.0, 80.0);
    }

    @Test
    void patientsHaveTheirOwnBaselines() {
        // Per-patient means spread far wider than the measurement noise would on its own.
        List<Double> means = month.patients().stream()
                .filter(p -> p.device(DeviceKind.BLOOD_PRESSURE_CUFF).isPresent())
                .map(p -> month.readings(p).stream().filter(r -> r instanceof Reading.BloodPressure)
                        .mapToInt(r -> ((Reading.BloodPressure) r).systolic()).average().orElse(Double.NaN))
                .filter(m -> !m.isNaN())
                .collect(Collectors.toList());
        double max = means.stream().mapToDouble(d -> d).max().orElseThrow();
        double min = means.stream().mapToDouble(d -> d).min().orElseThrow();
        assertThat(max - min).isGreaterThan(25);
    }

    @Test
    void conditionsFollowARealisticMixAndBringTheirDevices() {
        List<SimulatedPatient> patients = Panels.month(9, 2000).patients();
        double noCondition = 1;
        for (Condition c : Condition.values()) {
            noCondition *= 1 - c.prevalence();
        }
        for (Condition c : Condition.values()) {
            double share = patients.stream().filter(p -> p.conditions().contains(c)).count() / 2000.0;
            // Independent draws, kept only when at least one condition came up.
            assertThat(share).as("share of %s", c).isCloseTo(c.prevalence() / (1 - noCondition), within(0.04));
        }
        assertThat(patients.stream().filter(p -> p.conditions().size() > 1).count()).as("comorbid").isGreaterThan(600);
        for (SimulatedPatient p : patients) {
            assertThat(p.conditions()).isNotEmpty();
            p.conditions().forEach(c -> c.devices().forEach(kind -> assertThat(p.device(kind)).isPresent()));
        }
    }

    private double averageSystolic(boolean morning) {
        return readings.stream()
                .filter(r -> r instanceof Reading.BloodPressure)
                .filter(r -> (r.measuredAt().getHour() < 12) == morning)
                .mapToInt(r -> ((Reading.BloodPressure) r).systolic())
                .average().orElseThrow();
    }

    private double averageGlucose(Reading.MealContext context) {
        return readings.stream()
                .filter(r -> r instanceof Reading.BloodGlucose g && g.mealContext() == context)
                .mapToDouble(r -> ((Reading.BloodGlucose) r).glucoseMgDl())
                .average().orElseThrow();
    }
}
