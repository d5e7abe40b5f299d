package health.careloop.simulator.registration;

import health.careloop.simulator.physiology.Condition;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.Period;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The invented parts of a demo patient's record: demographics, MBI, diagnosis codes. */
class SyntheticRecordTest {
    /** The CMS MBI format as clinical's Mbi checks it (letters without S, L, O, I, B, Z). */
    private static final String L = "[AC-HJKMNP-RT-Y]";
    private static final Pattern MBI = Pattern.compile("[1-9]" + L + "[0-9AC-HJKMNP-RT-Y][0-9]" + L
            + "[0-9AC-HJKMNP-RT-Y][0-9]" + L + L + "[0-9][0-9]");
    /** Category headers clinical's Icd10 refuses (billing-rules.md 5 and 7 item 10). */
    private static final Set<String> HEADERS = Set.of("N18.3", "N18", "E11", "E11.2", "E11.6", "I11", "I12", "I13",
            "I13.1", "I50", "I50.2", "I50.3", "I50.4", "J44");

    static boolean isMbi(String value) {
        return MBI.matcher(value).matches();
    }

    @Test
    void mbisHaveTheCmsFormatAndAreUniqueWithinASeed() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            String mbi = SyntheticMbi.of(42, i);
            assertThat(mbi).matches(MBI);
            assertThat(seen.add(mbi)).as("MBI of patient %d is unique", i).isTrue();
        }
        assertThat(SyntheticMbi.of(42, 7)).isEqualTo(SyntheticMbi.of(42, 7)).isNotEqualTo(SyntheticMbi.of(43, 7));
    }

    @Test
    void demographicsAreDeterministicMostlyMedicareAgedAndVisiblyInvented() {
        LocalDate start = LocalDate.of(2026, 10, 27);
        SyntheticDemographics demographics = new SyntheticDemographics(42);
        assertThat(demographics.of(3, start)).isEqualTo(new SyntheticDemographics(42).of(3, start));
        List<Demographics> panel = IntStream.range(0, 200).mapToObj(i -> demographics.of(i, start)).toList();
        long over65 = panel.stream().filter(d -> Period.between(d.birthDate(), start).getYears() >= 65).count();
        assertThat(over65).isBetween(160L, 200L);
        assertThat(panel).allSatisfy(d -> {
            assertThat(d.sex()).isIn("female", "male");
            assertThat(d.phone()).matches("[0-9]{3}55501[0-9]{2}");
            assertThat(d.address().zip()).matches("[0-9]{9}");
            assertThat(d.address().state()).isEqualTo("IL");
            assertThat(Period.between(d.birthDate(), start).getYears()).isBetween(45, 93);
        });
        assertThat(panel.stream().map(Demographics::familyName).distinct().count()).isGreaterThan(8);
    }

    @Test
    void everyCombinationOfConditionsGetsBillableCodesOnlyWithCombinationCodesForHypertension() {
        for (int mask = 1; mask < 1 << Condition.values().length; mask++) {
            Set<Condition> conditions = EnumSet.noneOf(Condition.class);
            for (Condition c : Condition.values()) {
                if ((mask & (1 << c.ordinal())) != 0) {
                    conditions.add(c);
                }
            }
            List<String> codes = Diagnoses.of(conditions).stream().map(Diagnoses.Diagnosis::icd10).toList();
            assertThat(codes).as("%s", conditions).doesNotContainAnyElementsOf(HEADERS).doesNotHaveDuplicates()
                    .hasSizeGreaterThanOrEqualTo(conditions.size() >= 2 ? 2 : 1);
        }
        assertThat(codes(Condition.HYPERTENSION)).containsExactly("I10");
        assertThat(codes(Condition.HYPERTENSION, Condition.HEART_FAILURE)).containsExactly("I11.0", "I50.9");
        assertThat(codes(Condition.HYPERTENSION, Condition.CHRONIC_KIDNEY_DISEASE)).containsExactly("I12.9", "N18.30");
        assertThat(codes(Condition.HYPERTENSION, Condition.HEART_FAILURE, Condition.CHRONIC_KIDNEY_DISEASE))
                .containsExactly("I13.0", "I50.9", "N18.30");
        assertThat(codes(Condition.TYPE_2_DIABETES, Condition.CHRONIC_KIDNEY_DISEASE)).containsExactly("N18.30", "E11.22");
        assertThat(codes(Condition.COPD)).containsExactly("J44.9");
    }

    private static List<String> codes(Condition... conditions) {
        return Diagnoses.of(EnumSet.of(conditions[0], conditions)).stream().map(Diagnoses.Diagnosis::icd10).toList();
    }
}
