package health.careloop.simulator.physiology;

import health.careloop.simulator.devices.DeviceKind;
import health.careloop.simulator.devices.Reading;
import health.careloop.simulator.devices.SimulatedDevice;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Builds a panel of patients from a seed. The same seed, epoch and span always give the same panel, and the first
 * {@code n} patients of a larger panel are the panel of {@code n}.
 */
public final class PatientFactory {
    private static final long PATIENT_STREAM = 1;
    private static final long EVENT_STREAM = 2;

    // Share of eligible patients (regular measurers with the condition) who get each scripted event. The first
    // eligible patient always gets it, so any panel with an eligible patient shows every alert.
    private static final Map<ClinicalEvent.Kind, Double> EVENT_SHARE = Map.of(
            ClinicalEvent.Kind.HYPERTENSIVE_CRISIS, 0.10,
            ClinicalEvent.Kind.HYPOGLYCAEMIA, 0.15,
            ClinicalEvent.Kind.FLUID_GAIN, 0.35,
            ClinicalEvent.Kind.DESATURATION, 0.30);

    private final long seed;
    private final ZoneId zone;
    private final LocalDate epoch;
    private final int spanDays;
    private final String idPrefix;

    /**
     * @param epoch    day 0: the first day of the simulated period
     * @param spanDays length of the simulated period; scripted events are placed inside it
     * @param idPrefix prefix of device ids ("sim" gives sim-bp-000001) and, upper-cased, of patient refs (SIM-000001)
     */
    public PatientFactory(long seed, ZoneId zone, LocalDate epoch, int spanDays, String idPrefix) {
        if (spanDays < 1) {
            throw new IllegalArgumentException("spanDays must be positive");
        }
        this.seed = seed;
        this.zone = zone;
        this.epoch = epoch;
        this.spanDays = spanDays;
        this.idPrefix = idPrefix;
    }

    public List<SimulatedPatient> create(int count) {
        List<SimulatedPatient> patients = new ArrayList<>(count);
        Map<ClinicalEvent.Kind, Boolean> given = new EnumMap<>(ClinicalEvent.Kind.class);
        for (int i = 0; i < count; i++) {
            SplittableRandom random = DerivedSeed.random(seed, PATIENT_STREAM, i);
            Set<Condition> conditions = conditions(random);
            List<SimulatedDevice> devices = devices(i, conditions, random);
            Baselines baselines = baselines(conditions, random);
            AdherenceProfile adherence = adherence(random);
            List<ClinicalEvent> events = adherence.pattern() == AdherenceProfile.Pattern.REGULAR
                    ? events(i, conditions, given)
                    : List.of();
            String ref = idPrefix.toUpperCase(Locale.ROOT) + String.format(Locale.ROOT, "-%06d", i + 1);
            patients.add(new SimulatedPatient(i, ref, conditions, devices, baselines, adherence, events, zone, epoch, seed));
        }
        return patients;
    }

    private static Set<Condition> conditions(SplittableRandom random) {
        // Only the chronically ill are enrolled: a draw with no condition is drawn again.
        Set<Condition> conditions = EnumSet.noneOf(Condition.class);
        while (conditions.isEmpty()) {
            for (Condition c : Condition.values()) {
                if (random.nextDouble() < c.prevalence()) {
                    conditions.add(c);
                }
            }
        }
        return conditions;
    }

    private List<SimulatedDevice> devices(int index, Set<Condition> conditions, SplittableRandom random) {
        Set<DeviceKind> kinds = EnumSet.noneOf(DeviceKind.class);
        conditions.forEach(c -> kinds.addAll(c.devices()));
        // Drawn for every patient, used or not, so the stream stays aligned whatever devices a patient has.
        boolean mmolMeter = random.nextDouble() < 0.10;
        boolean poundScale = random.nextDouble() < 0.60;
        List<SimulatedDevice> devices = new ArrayList<>();
        for (DeviceKind kind : kinds) {
            String id = String.format(Locale.ROOT, "%s-%s-%06d", idPrefix, kind.idInfix(), index + 1);
            String unit = switch (kind) {
                case GLUCOMETER -> mmolMeter ? Reading.BloodGlucose.MMOL_L : Reading.BloodGlucose.MG_DL;
                case SCALE -> poundScale ? Reading.BodyWeight.LB : Reading.BodyWeight.KG;
                default -> null;
            };
            devices.add(new SimulatedDevice(id, kind, unit));
        }
        return devices;
    }

    private static Baselines baselines(Set<Condition> conditions, SplittableRandom random) {
        boolean hypertensive = conditions.contains(Condition.HYPERTENSION);
        double ckdRise = conditions.contains(Condition.CHRONIC_KIDNEY_DISEASE) ? 4 : 0;
        double systolic = hypertensive ? normal(random, 142, 10, 122, 168) : normal(random, 122, 8, 102, 138);
        double diastolic = hypertensive ? normal(random, 86, 6, 72, 98) : normal(random, 76, 5, 62, 86);
        double pulse = normal(random, 72, 8, 56, 94);
        // Treatment tends to bring pressure down slowly; some patients drift up.
        double systolicTrend = normal(random, -0.08, 0.12, -0.4, 0.3);
        double fasting = normal(random, 138, 20, 100, 195);
        double mealRise = normal(random, 55, 15, 25, 95);
        double weight = normal(random, 88, 18, 48, 165);
        double weightTrend = normal(random, 0, 0.015, -0.04, 0.04);
        double spo2 = conditions.contains(Condition.COPD) ? normal(random, 93.5, 1.2, 91, 96) : normal(random, 97, 0.8, 95, 99);
        return new Baselines(systolic + ckdRise, diastolic + ckdRise / 2, pulse, systolicTrend, fasting, mealRise,
                weight, weightTrend, spo2);
    }

    private AdherenceProfile adherence(SplittableRandom random) {
        double u = random.nextDouble();
        double dayProbability = 0.86 + random.nextDouble() * 0.11;
        int lapseStart = 3 + random.nextInt(Math.max(1, spanDays - 12));
        int lapseDays = 5 + random.nextInt(6);
        if (u < 0.70) {
            return new AdherenceProfile(AdherenceProfile.Pattern.REGULAR, dayProbability, 0, 0);
        }
        if (u < 0.85) {
            return new AdherenceProfile(AdherenceProfile.Pattern.SPARSE, 0, 0, 0);
        }
        return new AdherenceProfile(AdherenceProfile.Pattern.LAPSING, dayProbability, lapseStart, lapseDays);
    }

    private List<ClinicalEvent> events(int index, Set<Condition> conditions, Map<ClinicalEvent.Kind, Boolean> given) {
        SplittableRandom random = DerivedSeed.random(seed, EVENT_STREAM, index);
        List<ClinicalEvent> events = new ArrayList<>();
        for (ClinicalEvent.Kind kind : ClinicalEvent.Kind.values()) {
            // Drawn whether or not used, so one event's eligibility does not shift another's timing.
            double u = random.nextDouble();
            int maxStart = Math.max(1, spanDays - 7);
            int start = Math.min(spanDays - 1, 2 + random.nextInt(maxStart));
            int lengthDraw = random.nextInt(2);
            if (!eligible(kind, conditions)) {
                continue;
            }
            boolean first = !given.getOrDefault(kind, false);
            if (first || u < EVENT_SHARE.get(kind)) {
                given.put(kind, true);
                int days = switch (kind) {
                    case HYPERTENSIVE_CRISIS, HYPOGLYCAEMIA -> 1 + lengthDraw;
                    // Four or five days of gain give at least three day-over-day gains of 1 kg or more.
                    case FLUID_GAIN -> 4 + lengthDraw;
                    case DESATURATION -> 2 + lengthDraw;
                };
                events.add(new ClinicalEvent(kind, start, days));
            }
        }
        return events;
    }

    private static boolean eligible(ClinicalEvent.Kind kind, Set<Condition> conditions) {
        return switch (kind) {
            case HYPERTENSIVE_CRISIS -> conditions.contains(Condition.HYPERTENSION);
            case HYPOGLYCAEMIA -> conditions.contains(Condition.TYPE_2_DIABETES);
            case FLUID_GAIN -> conditions.contains(Condition.HEART_FAILURE);
            case DESATURATION -> conditions.contains(Condition.COPD);
        };
    }

    static double normal(SplittableRandom random, double mean, double sd, double min, double max) {
        return Math.max(min, Math.min(max, mean + sd * random.nextGaussian()));
    }
}
