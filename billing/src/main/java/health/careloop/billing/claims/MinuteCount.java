package health.careloop.billing.claims;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Minutes of the ledger as the rules count them. Pure.
 * <ul>
 *   <li>Overlapping intervals of one program for one patient count once (billing-rules.md 2.4: no minute counted twice).</li>
 *   <li>Only time on days the patient was covered counts (consent, enrolment, eligibility that day).</li>
 *   <li>Seconds are summed and then floored to whole minutes: time is never rounded up (billing-rules.md 7.5).</li>
 * </ul>
 */
final class MinuteCount {
    private MinuteCount() {
    }

    /** Whole minutes in the union of {@code intervals} clipped to the days {@code from..to} (in {@code zone}) that pass {@code covered}. */
    static int minutes(Collection<LoggedTime> intervals, LocalDate from, LocalDate to, ZoneId zone, Predicate<LocalDate> covered) {
        return (int) (seconds(intervals, from, to, zone, covered) / 60);
    }

    /**
     * Words for minutes logged by two or more people at the same time, which the union counts once (issue 18: they
     * were counted once without saying so); empty when nobody's time overlapped.
     */
    static String concurrentNote(Collection<LoggedTime> intervals, LocalDate from, LocalDate to, ZoneId zone, Predicate<LocalDate> covered) {
        long each = 0;
        for (LoggedTime t : intervals) {
            each += seconds(List.of(t), from, to, zone, covered);
        }
        long twice = (each - seconds(intervals, from, to, zone, covered)) / 60;
        return twice > 0 ? " (" + twice + " minute" + (twice == 1 ? "" : "s") + " logged by two people at the same time counted once)" : "";
    }

    static long seconds(Collection<LoggedTime> intervals, LocalDate from, LocalDate to, ZoneId zone, Predicate<LocalDate> covered) {
        List<Instant[]> allowed = coveredRanges(from, to, zone, covered);
        List<Instant[]> clipped = new ArrayList<>();
        for (LoggedTime t : intervals) {
            for (Instant[] range : allowed) {
                Instant s = t.start().isAfter(range[0]) ? t.start() : range[0];
                Instant e = t.end().isBefore(range[1]) ? t.end() : range[1];
                if (e.isAfter(s)) {
                    clipped.add(new Instant[]{s, e});
                }
            }
        }
        clipped.sort(Comparator.comparing((Instant[] i) -> i[0]).thenComparing(i -> i[1]));
        long total = 0;
        Instant curStart = null;
        Instant curEnd = null;
        for (Instant[] i : clipped) {
            if (curEnd == null || i[0].isAfter(curEnd)) {
                if (curEnd != null) {
                    total += curEnd.getEpochSecond() - curStart.getEpochSecond();
                }
                curStart = i[0];
                curEnd = i[1];
            } else if (i[1].isAfter(curEnd)) {
                curEnd = i[1];
            }
        }
        if (curEnd != null) {
            total += curEnd.getEpochSecond() - curStart.getEpochSecond();
        }
        return total;
    }

    /** True when some interval starts on a covered day in from..to (the interaction happened while the patient was covered). */
    static boolean anyStartsOn(Collection<LoggedTime> intervals, LocalDate from, LocalDate to, ZoneId zone, Predicate<LocalDate> covered) {
        for (LoggedTime t : intervals) {
            LocalDate day = t.start().atZone(zone).toLocalDate();
            if (!day.isBefore(from) && !day.isAfter(to) && covered.test(day)) {
                return true;
            }
        }
        return false;
    }

    /** Local days as instant ranges [start of day, start of next day), adjacent covered days merged. */
    private static List<Instant[]> coveredRanges(LocalDate from, LocalDate to, ZoneId zone, Predicate<LocalDate> covered) {
        List<Instant[]> ranges = new ArrayList<>();
        Instant[] open = null;
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            if (covered.test(d)) {
                Instant s = d.atStartOfDay(zone).toInstant();
                Instant e = d.plusDays(1).atStartOfDay(zone).toInstant();
                if (open != null && open[1].equals(s)) {
                    open[1] = e;
                } else {
                    open = new Instant[]{s, e};
                    ranges.add(open);
                }
            } else {
                open = null;
            }
        }
        return ranges;
    }
}
