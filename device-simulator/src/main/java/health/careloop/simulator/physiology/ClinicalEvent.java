package health.careloop.simulator.physiology;

/**
 * A scripted episode that CareLoop's clinical rules must alert on.
 *
 * @param startDay first day of the episode, counted from the patient's epoch (day 0)
 * @param days     how many days it lasts
 */
public record ClinicalEvent(Kind kind, int startDay, int days) {

    public enum Kind {
        /** SBP > 180 or DBP > 120. */
        HYPERTENSIVE_CRISIS,
        /** Glucose below 70 mg/dL, some below 54 (level 2). */
        HYPOGLYCAEMIA,
        /** Heart-failure fluid retention: a gain of 1 kg or more a day over several days. */
        FLUID_GAIN,
        /** SpO2 below 90%. */
        DESATURATION
    }

    public boolean covers(int day) {
        return day >= startDay && day < startDay + days;
    }
}
