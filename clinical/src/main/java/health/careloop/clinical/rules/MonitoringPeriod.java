package health.careloop.clinical.rules;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * A P30: 30 days from the first monitoring day, then from the day after the previous P30 (billing-rules.md, "P30";
 * never the calendar month, never stretched [S6][S15][S53]).
 *
 * <p>The first monitoring day is, for now, the local date of the patient's earliest device assignment (a device must be
 * assigned before a reading is accepted, so it is never after the first reading). When enrolment records arrive with
 * the patients/programs part of issue 4, the enrolment start should replace it.
 */
public record MonitoringPeriod(LocalDate start, LocalDate end) {
    public static final int DAYS = 30;
    /** RPM device supply 99454 needs 16-30 data days in the P30 (billing-rules.md 1.1) [S10][S12]. */
    public static final int DATA_DAYS_FOR_99454 = 16;

    /** The P30 containing {@code day}, for monitoring that began on {@code firstDay}; null before it began. */
    public static MonitoringPeriod containing(LocalDate firstDay, LocalDate day) {
        if (day.isBefore(firstDay)) {
            return null;
        }
        long index = ChronoUnit.DAYS.between(firstDay, day) / DAYS;
        LocalDate start = firstDay.plusDays(index * DAYS);
        return new MonitoringPeriod(start, start.plusDays(DAYS - 1));
    }

    /** Days from {@code day} to the end, both included. */
    public int daysLeftFrom(LocalDate day) {
        return (int) ChronoUnit.DAYS.between(day, end) + 1;
    }
}
