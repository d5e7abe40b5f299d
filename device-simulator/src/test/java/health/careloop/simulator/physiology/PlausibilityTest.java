package health.careloop.simulator.physiology;

import health.careloop.simulator.devices.Reading;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PlausibilityTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 42, 7777, 2026, -5})
    void everyReadingIsWithinTheServersPlausibilityRangesAndTheWindow(long seed) {
        Panels month = Panels.month(seed, 80);
        List<Reading> readings = month.readings();

        assertThat(readings).hasSizeGreaterThan(3000);
        for (Reading r : readings) {
            Instant at = r.measuredAt().toInstant();
            assertThat(at).isBetween(month.from(), month.to().minusNanos(1));
            // The device keeps the patient's local offset, which changes with daylight saving time.
            assertThat(r.measuredAt().getOffset()).isEqualTo(Panels.CHICAGO.getRules().getOffset(at));
            assertPlausible(r);
        }
    }

    static void assertPlausible(Reading r) {
        if (r instanceof Reading.BloodPressure bp) {
            assertThat(bp.systolic()).as("systolic %s", bp).isBetween(50, 300);
            assertThat(bp.diastolic()).as("diastolic %s", bp).isBetween(20, 200).isLessThan(bp.systolic());
            assertThat(bp.pulse()).isBetween(20, 300);
        } else if (r instanceof Reading.BloodGlucose g) {
            assertThat(g.glucoseMgDl()).as("glucose %s", g).isBetween(10.0, 1000.0);
            assertThat(g.unit()).isIn("mg/dL", "mmol/L");
        } else if (r instanceof Reading.BodyWeight w) {
            assertThat(w.weightKg()).as("weight %s", w).isBetween(1.0, 500.0);
            assertThat(w.unit()).isIn("kg", "lb");
        } else if (r instanceof Reading.OxygenSaturation o) {
            assertThat(o.spo2()).as("spo2 %s", o).isBetween(50, 100);
            assertThat(o.pulse()).isBetween(20, 300);
        }
    }
}
