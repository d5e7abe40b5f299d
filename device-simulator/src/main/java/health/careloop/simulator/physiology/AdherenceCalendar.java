package health.careloop.simulator.physiology;

import java.util.SplittableRandom;

/** Decides on which days a patient measures at all. */
public final class AdherenceCalendar {
    private static final long ATTENDANCE_STREAM = 10;
    private static final long SPARSE_STREAM = 11;

    private AdherenceCalendar() {
    }

    public static boolean measuresOn(SimulatedPatient patient, int day) {
        AdherenceProfile adherence = patient.adherence();
        return switch (adherence.pattern()) {
            // A patient in the middle of a scripted episode measures: that is how the episode reaches CareLoop.
            case REGULAR -> patient.events().stream().anyMatch(e -> e.covers(day)) || attends(patient, day);
            case LAPSING -> !adherence.inLapse(day) && attends(patient, day);
            case SPARSE -> sparseDayChosen(patient, day);
        };
    }

    private static boolean attends(SimulatedPatient patient, int day) {
        SplittableRandom random = DerivedSeed.random(patient.seed(), ATTENDANCE_STREAM, patient.index(), day);
        return random.nextDouble() < patient.adherence().dayProbability();
    }

    /** Each 30-day period from the epoch gets its own 10-15 measuring days, drawn without replacement. */
    private static boolean sparseDayChosen(SimulatedPatient patient, int day) {
        int period = Math.floorDiv(day, AdherenceProfile.PERIOD_DAYS);
        int dayInPeriod = Math.floorMod(day, AdherenceProfile.PERIOD_DAYS);
        SplittableRandom random = DerivedSeed.random(patient.seed(), SPARSE_STREAM, patient.index(), period);
        int count = AdherenceProfile.SPARSE_MIN_DAYS
                + random.nextInt(AdherenceProfile.SPARSE_MAX_DAYS - AdherenceProfile.SPARSE_MIN_DAYS + 1);
        int[] days = new int[AdherenceProfile.PERIOD_DAYS];
        for (int i = 0; i < days.length; i++) {
            days[i] = i;
        }
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(days.length - i);
            int swap = days[i];
            days[i] = days[j];
            days[j] = swap;
            if (days[i] == dayInPeriod) {
                return true;
            }
        }
        return false;
    }
}
