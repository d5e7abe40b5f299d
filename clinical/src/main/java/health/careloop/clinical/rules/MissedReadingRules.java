package health.careloop.clinical.rules;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Rules about readings that did not come, run on a schedule rather than per reading. Pure: the caller supplies the
 * patient's data days (ingest.reading_day, local dates of the practice) and today's local date.
 */
public final class MissedReadingRules {
    public static final String NO_DATA = "no_data";
    public static final String DATA_DAYS_AT_RISK = "data_days_at_risk";

    private MissedReadingRules() {
    }

    /**
     * No reading for N whole days (today, still in progress, does not count). The episode is the gap, named by its
     * last data day (or the monitoring start), so a resolved alert comes back only after new data and a new gap.
     */
    public static Optional<Finding> noData(LocalDate firstMonitoringDay, Optional<LocalDate> lastDataDay, LocalDate today, Thresholds t) {
        LocalDate since = lastDataDay.orElse(firstMonitoringDay.minusDays(1));
        long wholeDaysWithout = ChronoUnit.DAYS.between(since, today) - 1;
        int limit = t.intValue(ThresholdKey.NO_DATA_DAYS);
        if (wholeDaysWithout < limit) {
            return Optional.empty();
        }
        String message = lastDataDay.map(d -> "No readings for " + wholeDaysWithout + " days (last on " + d + ")")
                .orElse("No readings since monitoring began on " + firstMonitoringDay);
        return Optional.of(new Finding(NO_DATA, Severity.LOW, message, null, List.of(), "since:" + since));
    }

    /**
     * At risk of missing 16 data days in this P30: the days left (today included when it has no data yet) minus the
     * data days still needed fall below the slack. Once 16 is out of reach the message says so.
     */
    public static Optional<Finding> dataDaysAtRisk(LocalDate firstMonitoringDay, Set<LocalDate> dataDays, LocalDate today, Thresholds t) {
        MonitoringPeriod period = MonitoringPeriod.containing(firstMonitoringDay, today);
        if (period == null) {
            return Optional.empty();
        }
        long have = dataDays.stream().filter(d -> !d.isBefore(period.start()) && !d.isAfter(period.end())).count();
        long needed = MonitoringPeriod.DATA_DAYS_FOR_99454 - have;
        if (needed <= 0) {
            return Optional.empty();
        }
        int left = period.daysLeftFrom(today) - (dataDays.contains(today) ? 1 : 0);
        if (left - needed >= t.intValue(ThresholdKey.DATA_DAYS_SLACK)) {
            return Optional.empty();
        }
        String message = left < needed
                ? have + " data days in the period " + period.start() + " to " + period.end() + "; 16 can no longer be reached"
                : have + " data days in the period " + period.start() + " to " + period.end() + "; " + needed
                        + " more needed in the " + left + " days left";
        return Optional.of(new Finding(DATA_DAYS_AT_RISK, Severity.LOW, message, null, List.of(), "p30:" + period.start()));
    }
}
