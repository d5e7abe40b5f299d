package health.careloop.billing.worklist;

import health.careloop.clinical.consent.Program;

import java.util.List;
import java.util.Optional;

/**
 * The next step a patient's month can reach: minutes of a time-based program, or RPM data days in the 30-day period.
 * Each step is the code it unlocks, from billing-rules.md; the close decides what is billed, this only says what to aim for.
 */
public record NextThreshold(int target, String code) {
    // billing-rules.md 1.1: 99470 from 10 minutes, 99457 from 20, 99458 for each further 20 (CY2026).
    private static final List<NextThreshold> RPM_MINUTES = List.of(new NextThreshold(10, "99470"), new NextThreshold(20, "99457"),
            new NextThreshold(40, "99458"), new NextThreshold(60, "99458 ×2"));
    // 2.1: 99490 from 20 minutes of clinical staff time, 99439 for each further 20 (at most 2); 99487 needs 60 and complexity.
    private static final List<NextThreshold> CCM_MINUTES = List.of(new NextThreshold(20, "99490"), new NextThreshold(40, "99439"),
            new NextThreshold(60, "99439 ×2 or 99487"));
    // 2.3: PCM 30 minutes (99426/99424), each further 30 (99427/99425).
    private static final List<NextThreshold> PCM_MINUTES = List.of(new NextThreshold(30, "99426"), new NextThreshold(60, "99427"));
    // 1.1: device supply 99445 with 2-15 data days in the P30, 99454 with 16-30.
    private static final List<NextThreshold> DATA_DAYS = List.of(new NextThreshold(2, "99445"), new NextThreshold(16, "99454"));

    /** The first step above {@code minutes} for the program; empty when every step is reached (or the program has none). */
    public static Optional<NextThreshold> minutes(Program program, int minutes) {
        List<NextThreshold> steps = switch (program) {
            case RPM -> RPM_MINUTES;
            case CCM -> CCM_MINUTES;
            case PCM -> PCM_MINUTES;
            default -> List.of();
        };
        return next(steps, minutes);
    }

    /** The first data-day step above {@code days} in the current 30-day period. */
    public static Optional<NextThreshold> dataDays(int days) {
        return next(DATA_DAYS, days);
    }

    private static Optional<NextThreshold> next(List<NextThreshold> steps, int value) {
        return steps.stream().filter(s -> s.target > value).findFirst();
    }
}
