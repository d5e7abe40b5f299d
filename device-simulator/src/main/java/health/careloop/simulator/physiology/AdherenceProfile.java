package health.careloop.simulator.physiology;

/**
 * How faithfully a patient measures.
 *
 * @param dayProbability chance that a REGULAR or LAPSING patient measures on a given day
 * @param lapseStartDay  first day of the lapse (LAPSING only), counted from the epoch
 * @param lapseDays      length of the lapse (LAPSING only)
 */
public record AdherenceProfile(Pattern pattern, double dayProbability, int lapseStartDay, int lapseDays) {

    public enum Pattern {
        /** Measures nearly every day. */
        REGULAR,
        /** Measures on only 10-15 days of each 30-day period: below or at the edge of RPM billing's 16 days. */
        SPARSE,
        /** Measures regularly, then stops for several days (travel, a broken device, a hospital stay). */
        LAPSING
    }

    /** CMS: 99454 needs 16 data days in 30; 99445 covers 2-15. SPARSE patients land in 10-15 so both paths get data. */
    public static final int SPARSE_MIN_DAYS = 10;
    public static final int SPARSE_MAX_DAYS = 15;
    public static final int PERIOD_DAYS = 30;

    public boolean inLapse(int day) {
        return pattern == Pattern.LAPSING && day >= lapseStartDay && day < lapseStartDay + lapseDays;
    }
}
