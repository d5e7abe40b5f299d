package health.careloop.simulator.physiology;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.SplittableRandom;

/**
 * One device's day of one patient: the day number since the epoch, its own random stream, and local clock times.
 */
public record MeasuringDay(SimulatedPatient patient, LocalDate date, int day, SplittableRandom random) {

    /**
     * A local time around {@code hour:minute}, uniformly within ±{@code jitterMinutes}, with seconds, in the
     * patient's zone and offset of that day.
     */
    public OffsetDateTime around(int hour, int minute, int jitterMinutes) {
        int minutes = hour * 60 + minute + random.nextInt(-jitterMinutes, jitterMinutes + 1);
        minutes = Math.max(0, Math.min(24 * 60 - 1, minutes));
        LocalTime time = LocalTime.of(minutes / 60, minutes % 60, random.nextInt(60));
        // ZonedDateTime moves a time in a spring-forward gap past the gap, as a device's clock would show it.
        return ZonedDateTime.of(date, time, patient.zone()).toOffsetDateTime();
    }

    public boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    public double gaussian(double sd) {
        return sd * random.nextGaussian();
    }

    /** Gaussian noise cut at ±{@code limit}: measurement noise has no long tails worth simulating. */
    public double boundedGaussian(double sd, double limit) {
        return Math.max(-limit, Math.min(limit, gaussian(sd)));
    }

    public double uniform(double min, double max) {
        return min + random.nextDouble() * (max - min);
    }

    public boolean in(ClinicalEvent.Kind kind) {
        return patient.eventOn(kind, day).isPresent();
    }
}
