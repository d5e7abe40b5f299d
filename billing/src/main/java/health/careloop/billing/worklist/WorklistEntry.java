package health.careloop.billing.worklist;

import health.careloop.billing.claims.DayCoverage;
import health.careloop.billing.claims.LoggedTime;
import health.careloop.billing.claims.MonthRules;
import health.careloop.billing.claims.PatientMonth;
import health.careloop.billing.datadays.DataDays;
import health.careloop.clinical.consent.Program;
import health.careloop.clinical.rules.MonitoringPeriod;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * One enrolled patient's month so far as a care coordinator works it: minutes per program and the next threshold,
 * RPM data days in the current 30-day period, the last interactive contact, and why to call today (if so). Pure: built
 * from the same facts the month close judges ({@link PatientMonth}), so the two never disagree about minutes or days.
 *
 * @param urgency days until something on the call-today list is lost (smaller first); {@link Integer#MAX_VALUE} when none
 */
public record WorklistEntry(UUID patientId, String name, List<ProgramProgress> programs, DataDayProgress dataDays, Instant lastContact,
                            int daysLeftInMonth, List<String> callToday, int urgency) {
    /** Within this many days of the month's end, a program short of its next threshold makes the list. */
    static final int MONTH_END_DAYS = 10;
    /** Minutes one call can add: a program further than this from its threshold is not a "today" task. */
    static final int ONE_CALL_MINUTES = 20;
    /** Spare days in the period below which the patient is reminded to measure. */
    static final int DATA_DAY_SLACK = 3;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MMMM d", Locale.US);

    /** Minutes this month of one enrolled program; {@code counting} is false (with the reason) when its time would not count today. */
    public record ProgramProgress(Program program, int minutes, NextThreshold next, boolean counting, String reason) {
    }

    /** RPM data days in the 30-day period that contains today. */
    public record DataDayProgress(int days, NextThreshold next, LocalDate periodStart, LocalDate periodEnd, int daysLeftInPeriod) {
    }

    /** "Who to call today" first, the most urgent first, then by name. */
    public static final Comparator<WorklistEntry> WHO_TO_CALL_TODAY = Comparator
            .comparing((WorklistEntry e) -> e.callToday().isEmpty())
            .thenComparingInt(WorklistEntry::urgency)
            .thenComparing(e -> e.name() == null ? "" : e.name().toLowerCase(Locale.ROOT));

    /**
     * @param enrolled the programs the patient is enrolled in this month (time-based ones are listed)
     * @param facts    the month's facts up to today, or null when the close has none for the patient
     */
    public static WorklistEntry of(UUID patientId, String name, Set<Program> enrolled, PatientMonth facts, LocalDate today) {
        int daysLeft = (int) ChronoUnit.DAYS.between(today, today.withDayOfMonth(today.lengthOfMonth())) + 1;
        List<ProgramProgress> programs = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        int urgency = Integer.MAX_VALUE;
        Instant lastContact = facts == null ? null : facts.time().stream().filter(t -> t.mode() != null).map(LoggedTime::end)
                .max(Comparator.naturalOrder()).orElse(null);
        for (Program program : List.of(Program.RPM, Program.CCM, Program.PCM)) {
            if (!enrolled.contains(program)) {
                continue;
            }
            int minutes = facts == null ? 0 : MonthRules.minutesInMonth(facts, program, false);
            DayCoverage coverage = facts == null ? DayCoverage.notReady("Nothing on record for this month yet.") : facts.coverage(program, today);
            NextThreshold next = NextThreshold.minutes(program, minutes).orElse(null);
            programs.add(new ProgramProgress(program, minutes, next, coverage.ready(), coverage.ready() ? null : coverage.reason()));
            if (!coverage.ready()) {
                continue;
            }
            if (next != null && daysLeft <= MONTH_END_DAYS && next.target() - minutes <= ONE_CALL_MINUTES) {
                reasons.add(program.name() + ": " + minutes + " of " + next.target() + " minutes for " + next.code() + "; "
                        + (next.target() - minutes) + " more by " + DAY.format(today.withDayOfMonth(today.lengthOfMonth())) + " ("
                        + days(daysLeft) + " left).");
                urgency = Math.min(urgency, daysLeft);
            }
            // billing-rules.md 1.4: RPM treatment management needs an interactive communication in the month.
            if (program == Program.RPM && (lastContact == null || !inMonth(lastContact, facts))) {
                reasons.add("RPM: no call or video with the patient yet this month; 99457 and 99470 need one.");
                urgency = Math.min(urgency, daysLeft);
            }
        }
        DataDayProgress dataDays = null;
        if (enrolled.contains(Program.RPM) && facts != null && facts.monitoringStart() != null && !today.isBefore(facts.monitoringStart())) {
            MonitoringPeriod period = MonitoringPeriod.containing(facts.monitoringStart(), today);
            int days = DataDays.inPeriod(facts.dataDays(), period, today);
            NextThreshold next = NextThreshold.dataDays(days).orElse(null);
            int leftInPeriod = period.daysLeftFrom(today);
            dataDays = new DataDayProgress(days, next, period.start(), period.end(), leftInPeriod);
            if (next != null) {
                int needed = next.target() - days;
                int slack = leftInPeriod - needed;
                if (slack >= 0 && slack <= DATA_DAY_SLACK) {
                    reasons.add("RPM: " + days + " of " + next.target() + " days with readings for " + next.code() + "; " + needed + " more needed in the "
                            + days(leftInPeriod) + " left of the 30-day period (to " + DAY.format(period.end()) + "): remind the patient to measure.");
                    urgency = Math.min(urgency, slack);
                }
            }
        }
        return new WorklistEntry(patientId, name, List.copyOf(programs), dataDays, lastContact, daysLeft, List.copyOf(reasons), urgency);
    }

    private static boolean inMonth(Instant at, PatientMonth facts) {
        return java.time.YearMonth.from(at.atZone(facts.zone())).equals(facts.month());
    }

    private static String days(int n) {
        return n == 1 ? "1 day" : n + " days";
    }
}
