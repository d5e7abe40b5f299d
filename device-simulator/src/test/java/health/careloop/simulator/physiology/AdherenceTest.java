package health.careloop.simulator.physiology;

import health.careloop.simulator.devices.Reading;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class AdherenceTest {

    @ParameterizedTest
    @ValueSource(longs = {42, 3, 123456})
    void sparsePatientsHave10To15DataDaysInA30DayPeriod(long seed) {
        Panels month = Panels.month(seed, 200);
        List<SimulatedPatient> sparse = withPattern(month, AdherenceProfile.Pattern.SPARSE);
        assertThat(sparse).hasSizeGreaterThan(10);
        Set<Integer> counts = new TreeSet<>();
        for (SimulatedPatient p : sparse) {
            int days = dataDays(month.readings(p)).size();
            assertThat(days).as(p.externalRef()).isBetween(10, 15);
            counts.add(days);
        }
        assertThat(counts).as("data-day counts vary across patients").hasSizeGreaterThan(2);
    }

    @ParameterizedTest
    @ValueSource(longs = {42, 3, 123456})
    void lapsingPatientsStopMeasuringForAtLeastFiveDays(long seed) {
        Panels month = Panels.month(seed, 200);
        List<SimulatedPatient> lapsing = withPattern(month, AdherenceProfile.Pattern.LAPSING);
        assertThat(lapsing).isNotEmpty();
        for (SimulatedPatient p : lapsing) {
            assertThat(longestGapDays(dataDays(month.readings(p)), month)).as(p.externalRef()).isGreaterThanOrEqualTo(5);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {42, 3, 123456})
    void regularPatientsMeasureOnMostDays(long seed) {
        Panels month = Panels.month(seed, 200);
        for (SimulatedPatient p : withPattern(month, AdherenceProfile.Pattern.REGULAR)) {
            assertThat(dataDays(month.readings(p)).size()).as(p.externalRef()).isGreaterThanOrEqualTo(20);
        }
    }

    private static List<SimulatedPatient> withPattern(Panels month, AdherenceProfile.Pattern pattern) {
        return month.patients().stream().filter(p -> p.adherence().pattern() == pattern).collect(Collectors.toList());
    }

    /** A data day is a day in the patient's zone with at least one reading, as billing counts them. */
    static Set<LocalDate> dataDays(List<Reading> readings) {
        return readings.stream().map(r -> r.measuredAt().atZoneSameInstant(Panels.CHICAGO).toLocalDate())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static int longestGapDays(Set<LocalDate> days, Panels month) {
        int longest = 0;
        int gap = 0;
        for (LocalDate d = Panels.EPOCH; d.isBefore(Panels.EPOCH.plusDays(30)); d = d.plusDays(1)) {
            gap = days.contains(d) ? 0 : gap + 1;
            longest = Math.max(longest, gap);
        }
        return longest;
    }
}
