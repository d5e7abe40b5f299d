package health.careloop.billing.claims;

import health.careloop.ingest.entered.EnteredReadings;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * billing-rules.md 1.3: a data day is a day with a reading a device transmitted; a reading entered by staff (phoned in,
 * taken in the clinic) never is one. Where that matters, i.e. a device code (99454, 99445) not billed for a period in
 * which staff entered readings, its reason says so, so nobody counts those days by hand and wonders why the close
 * disagrees. The rules stay a pure function of the facts; this adds the sentence after them, from ingest's batch read.
 */
final class EnteredReadingNotes {
    private static final Set<BillingCode> DEVICE_CODES = Set.of(BillingCode.RPM_DEVICE_16, BillingCode.RPM_DEVICE_2);

    private EnteredReadingNotes() {
    }

    /** The outcomes of {@code months} (same order), their device-code reasons completed where staff entered readings. */
    static List<MonthOutcome> annotate(Connection c, List<PatientMonth> months, List<MonthOutcome> outcomes) throws SQLException {
        Set<UUID> monitored = months.stream().filter(m -> m.monitoringStart() != null).map(PatientMonth::patientId).collect(Collectors.toSet());
        if (monitored.isEmpty()) {
            return outcomes;
        }
        LocalDate from = months.stream().map(m -> m.month().atDay(1).minusDays(MonitoringPeriodDays.DAYS)).min(LocalDate::compareTo).orElseThrow();
        LocalDate to = months.stream().map(m -> m.month().atEndOfMonth()).max(LocalDate::compareTo).orElseThrow();
        Map<UUID, Map<LocalDate, Integer>> entered = EnteredReadings.countsByDay(c, monitored, from, to);
        if (entered.isEmpty()) {
            return outcomes;
        }
        List<MonthOutcome> result = new ArrayList<>(outcomes.size());
        for (int i = 0; i < months.size(); i++) {
            Map<LocalDate, Integer> days = entered.get(months.get(i).patientId());
            result.add(days == null ? outcomes.get(i) : annotate(outcomes.get(i), days));
        }
        return result;
    }

    private static MonthOutcome annotate(MonthOutcome outcome, Map<LocalDate, Integer> enteredPerDay) {
        List<NotBilled> notBilled = new ArrayList<>(outcome.notBilled().size());
        for (NotBilled n : outcome.notBilled()) {
            if (!DEVICE_CODES.contains(n.code()) || n.periodEnd() == null) {
                notBilled.add(n);
                continue;
            }
            LocalDate start = n.periodEnd().minusDays(MonitoringPeriodDays.DAYS - 1);
            int count = enteredPerDay.entrySet().stream().filter(e -> !e.getKey().isBefore(start) && !e.getKey().isAfter(n.periodEnd()))
                    .mapToInt(Map.Entry::getValue).sum();
            notBilled.add(count == 0 ? n : new NotBilled(n.patientId(), n.code(), n.periodEnd(), n.reason() + " " + sentence(count)));
        }
        return new MonthOutcome(outcome.lines(), notBilled);
    }

    /** "3 readings entered by staff in this period do not count as data days (CMS counts only device-transmitted data)." */
    static String sentence(int count) {
        return count + (count == 1 ? " reading entered by staff in this period does" : " readings entered by staff in this period do")
                + " not count as data days (CMS counts only device-transmitted data).";
    }

    /** The P30's length, from the clinical tier's definition. */
    private static final class MonitoringPeriodDays {
        static final int DAYS = health.careloop.clinical.rules.MonitoringPeriod.DAYS;
    }
}
