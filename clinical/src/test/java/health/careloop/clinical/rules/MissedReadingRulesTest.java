package health.careloop.clinical.rules;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The scheduled rules and the P30 arithmetic they rest on. */
class MissedReadingRulesTest {
    private static final Thresholds T = Thresholds.defaults();
    private static final LocalDate START = LocalDate.of(2026, 1, 5);

    @Test
    void p30PeriodsFollowEachOtherFromTheFirstMonitoringDay() {
        assertThat(MonitoringPeriod.containing(START, START)).isEqualTo(new MonitoringPeriod(START, LocalDate.of(2026, 2, 3)));
        assertThat(MonitoringPeriod.containing(START, LocalDate.of(2026, 2, 3)).start()).isEqualTo(START);
        assertThat(MonitoringPeriod.containing(START, LocalDate.of(2026, 2, 4))).isEqualTo(
                new MonitoringPeriod(LocalDate.of(2026, 2, 4), LocalDate.of(2026, 3, 5)));
        assertThat(MonitoringPeriod.containing(START, START.minusDays(1))).isNull();
        assertThat(MonitoringPeriod.containing(START, START).daysLeftFrom(START)).isEqualTo(30);
    }

    @Test
    void noDataAfterNWholeDaysWithoutAReading() {
        LocalDate last = LocalDate.of(2026, 1, 10);
        // Last reading on the 10th: 11th, 12th, 13th without data → on the 14th, 3 whole days.
        assertThat(MissedReadingRules.noData(START, Optional.of(last), LocalDate.of(2026, 1, 13), T)).isEmpty();
        var finding = MissedReadingRules.noData(START, Optional.of(last), LocalDate.of(2026, 1, 14), T).orElseThrow();
        assertThat(finding.ruleId()).isEqualTo("no_data");
        assertThat(finding.severity()).isEqualTo(Severity.LOW);
        assertThat(finding.trigger()).isNull();
        assertThat(finding.episodeKey()).isEqualTo("since:2026-01-10");
        // Never any reading: counted from the first monitoring day.
        assertThat(MissedReadingRules.noData(START, Optional.empty(), START.plusDays(2), T)).isEmpty();
        assertThat(MissedReadingRules.noData(START, Optional.empty(), START.plusDays(3), T)).isPresent();
    }

    @Test
    void atRiskWhenTheDataDaysStillNeededLeaveTooLittleSlack() {
        Set<LocalDate> days = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            days.add(START.plusDays(i));
        }
        // Day 10 of the period (index 9 had data): 10 days, 6 needed, 20 days left → fine.
        assertThat(MissedReadingRules.dataDaysAtRisk(START, days, START.plusDays(10), T)).isEmpty();
        // Day 24 (index 23): still 10 days, 6 needed, 7 left → 1 to spare < 3 → at risk.
        var risk = MissedReadingRules.dataDaysAtRisk(START, days, START.plusDays(23), T).orElseThrow();
        assertThat(risk.ruleId()).isEqualTo("data_days_at_risk");
        assertThat(risk.episodeKey()).isEqualTo("p30:" + START);
        assertThat(risk.message()).contains("6 more needed");
        // Day 27: 6 needed, 3 left → can no longer be reached.
        assertThat(MissedReadingRules.dataDaysAtRisk(START, days, START.plusDays(27), T).orElseThrow().message()).contains("no longer");
        // 16 days already: never at risk.
        for (int i = 10; i < 16; i++) {
            days.add(START.plusDays(i));
        }
        assertThat(MissedReadingRules.dataDaysAtRisk(START, days, START.plusDays(29), T)).isEmpty();
        // The next P30 starts from zero and is its own episode.
        var next = MissedReadingRules.dataDaysAtRisk(START, days, START.plusDays(30 + 20), T).orElseThrow();
        assertThat(next.episodeKey()).isEqualTo("p30:" + START.plusDays(30));
    }
}
