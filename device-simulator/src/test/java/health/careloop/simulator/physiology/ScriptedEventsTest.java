package health.careloop.simulator.physiology;

import health.careloop.simulator.devices.Reading;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class ScriptedEventsTest {

    @ParameterizedTest
    @ValueSource(longs = {42, 1, 31337})
    void everyKindOfEventIsScriptedInAPanelOf200(long seed) {
        Panels month = Panels.month(seed, 200);
        for (ClinicalEvent.Kind kind : ClinicalEvent.Kind.values()) {
            assertThat(month.patients().stream().filter(p -> p.hasEvent(kind))).as("%s", kind).isNotEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {42, 1, 31337})
    void crisisPatientsReachSystolicAbove180AndNobodyElseDoes(long seed) {
        Panels month = Panels.month(seed, 200);
        for (SimulatedPatient p : month.patients()) {
            boolean crossed = month.readings(p).stream()
                    .anyMatch(r -> r instanceof Reading.BloodPressure bp && (bp.systolic() > 180 || bp.diastolic() > 120));
            assertThat(crossed).as("%s crisis", p.externalRef()).isEqualTo(p.hasEvent(ClinicalEvent.Kind.HYPERTENSIVE_CRISIS));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {42, 1, 31337})
    void hypoglycaemiaPatientsGoBelow70AndNobodyElseDoes(long seed) {
        Panels month = Panels.month(seed, 200);
        for (SimulatedPatient p : month.patients()) {
            boolean low = month.readings(p).stream()
                    .anyMatch(r -> r instanceof Reading.BloodGlucose g && g.glucoseMgDl() < 70);
            assertThat(low).as("%s hypo", p.externalRef()).isEqualTo(p.hasEvent(ClinicalEvent.Kind.HYPOGLYCAEMIA));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {42, 1, 31337})
    void someHypoglycaemiaIsLevelTwoBelow54(long seed) {
        Panels month = Panels.month(seed, 1000);
        assertThat(month.readings().stream()
                .filter(r -> r instanceof Reading.BloodGlucose g && g.glucoseMgDl() < 54)).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(longs = {42, 1, 31337})
    void desaturationPatientsGoBelow90AndNobodyElseDoes(long seed) {
        Panels month = Panels.month(seed, 200);
        for (SimulatedPatient p : month.patients()) {
            boolean low = month.readings(p).stream()
                    .anyMatch(r -> r instanceof Reading.OxygenSaturation o && o.spo2() < 90);
            assertThat(low).as("%s desaturation", p.externalRef()).isEqualTo(p.hasEvent(ClinicalEvent.Kind.DESATURATION));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {42, 1, 31337})
    void fluidGainPatientsGainAtLeastOneKgADayForThreeDaysAndNobodyElseDoes(long seed) {
        Panels month = Panels.month(seed, 200);
        for (SimulatedPatient p : month.patients()) {
            int longestRun = longestRunOfDailyGainsOfOneKg(month.readings(p));
            if (p.hasEvent(ClinicalEvent.Kind.FLUID_GAIN)) {
                assertThat(longestRun).as("%s gain run", p.externalRef()).isGreaterThanOrEqualTo(3);
            } else {
                assertThat(longestRun).as("%s gain run", p.externalRef()).isLessThan(2);
            }
        }
    }

    /** Consecutive calendar days on which the morning weight rose by 1 kg or more over the day before. */
    static int longestRunOfDailyGainsOfOneKg(List<Reading> readings) {
        Map<LocalDate, Double> weightByDay = new TreeMap<>();
        readings.stream().filter(r -> r instanceof Reading.BodyWeight)
                .forEach(r -> weightByDay.put(r.measuredAt().toLocalDate(), ((Reading.BodyWeight) r).weightKg()));
        int run = 0;
        int longest = 0;
        for (Map.Entry<LocalDate, Double> e : weightByDay.entrySet()) {
            Double yesterday = weightByDay.get(e.getKey().minusDays(1));
            run = yesterday != null && e.getValue() - yesterday >= 1.0 ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }
}
