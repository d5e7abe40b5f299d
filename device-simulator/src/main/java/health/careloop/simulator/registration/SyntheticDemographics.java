package health.careloop.simulator.registration;

import health.careloop.simulator.physiology.DerivedSeed;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Invents demographics for the demo panel, the same for the same seed and patient index. Family names are made up
 * ("Simwell", "Demoford") so that nobody mistakes a demo record for a real person.
 */
public final class SyntheticDemographics {
    private static final long DEMOGRAPHICS_STREAM = 3;

    private static final List<String> FEMALE = List.of("Ada", "Beatrice", "Clara", "Dolores", "Edith", "Florence",
            "Gloria", "Harriet", "Irene", "Josephine", "Loretta", "Marian", "Nadine", "Opal", "Pearl", "Rosalind");
    private static final List<String> MALE = List.of("Albert", "Bernard", "Clyde", "Dennis", "Earl", "Franklin",
            "Gordon", "Harold", "Irving", "Jerome", "Lloyd", "Milton", "Norman", "Otis", "Russell", "Walter");
    private static final List<String> FAMILY = List.of("Simwell", "Demoford", "Testerby", "Mockridge", "Samplesby",
            "Fauxley", "Pretendon", "Madeupson", "Synthwick", "Placeholt", "Dummington", "Fictorino", "Inventura",
            "Notreal", "Specimenz", "Exampleton");
    private static final List<String> STREETS = List.of("Demo St", "Simulation Ave", "Sample Rd", "Placeholder Ln",
            "Testing Blvd", "Fiction Ct");
    /** Illinois towns with their ZIP+4 (the demo practice is in America/Chicago; claims want 9 digits). */
    private static final List<String[]> TOWNS = List.of(
            new String[]{"Springfield", "627010001"}, new String[]{"Peoria", "616020001"},
            new String[]{"Evanston", "602010001"}, new String[]{"Joliet", "604320001"},
            new String[]{"Naperville", "605400001"}, new String[]{"Rockford", "611010001"});

    private final long seed;

    public SyntheticDemographics(long seed) {
        this.seed = seed;
    }

    /** @param monitoringStart ages are counted on this day, so most patients are 65 or older then (Medicare) */
    public Demographics of(int index, LocalDate monitoringStart) {
        SplittableRandom random = DerivedSeed.random(seed, DEMOGRAPHICS_STREAM, index);
        boolean female = random.nextDouble() < 0.55;
        String given = pick(female ? FEMALE : MALE, random);
        String family = pick(FAMILY, random);
        // About one in ten Medicare beneficiaries is under 65 (entitled through disability).
        int age = random.nextDouble() < 0.9 ? 65 + random.nextInt(28) : 45 + random.nextInt(20);
        LocalDate birthDate = monitoringStart.minusYears(age).minusDays(random.nextInt(365));
        String phone = String.format(Locale.ROOT, "217555%04d", 100 + random.nextInt(100));
        String[] town = TOWNS.get(random.nextInt(TOWNS.size()));
        String line1 = (1 + random.nextInt(9899)) + " " + pick(STREETS, random);
        return new Demographics(given, family, birthDate, female ? "female" : "male", SyntheticMbi.of(seed, index), phone,
                new Demographics.Address(line1, town[0], "IL", town[1]));
    }

    private static String pick(List<String> values, SplittableRandom random) {
        return values.get(random.nextInt(values.size()));
    }
}
