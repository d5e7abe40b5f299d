package health.careloop.simulator.physiology;

import health.careloop.simulator.devices.Reading;
import health.careloop.simulator.devices.ReadingJson;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class DeterminismTest {

    @Test
    void sameSeedGivesTheSamePayloads() {
        assertThat(payloads(Panels.month(42, 50).readings())).isEqualTo(payloads(Panels.month(42, 50).readings()));
    }

    @Test
    void anotherSeedGivesOtherData() {
        assertThat(payloads(Panels.month(43, 50).readings())).isNotEqualTo(payloads(Panels.month(42, 50).readings()));
    }

    @Test
    void aSmallerPanelIsThePrefixOfALargerOne() {
        Panels small = Panels.month(42, 20);
        Panels large = Panels.month(42, 60);
        assertThat(large.patients().subList(0, 20)).isEqualTo(small.patients());
    }

    @Test
    void generatingInPiecesGivesTheSameReadingsAsGeneratingWhole() {
        Panels month = Panels.month(42, 30);
        List<Reading> pieces = new ArrayList<>();
        // Seven-hour pieces cut through days, as a live run's windows do.
        for (Instant t = month.from(); t.isBefore(month.to()); t = t.plus(Duration.ofHours(7))) {
            Instant end = t.plus(Duration.ofHours(7)).isAfter(month.to()) ? month.to() : t.plus(Duration.ofHours(7));
            pieces.addAll(ReadingSchedule.readings(month.patients(), t, end));
        }
        assertThat(payloads(pieces)).isEqualTo(payloads(month.readings()));
    }

    private static List<String> payloads(List<Reading> readings) {
        return readings.stream().map(r -> new String(ReadingJson.payload(r))).collect(Collectors.toList());
    }
}
