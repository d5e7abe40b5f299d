package health.careloop.clinical.conditions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class Icd10Test {
    @ParameterizedTest
    @ValueSource(strings = {"I10", "E11.9", "E11.65", "I11.0", "I50.22", "N18.30", "N18.32", "J44.9", "J45.909", "M19.90", "F32.A", "F33.9"})
    void billableLeafCodesPass(String code) {
        assertThat(Icd10.problem(code)).isEmpty();
    }

    @Test
    void headersAreRefusedWithTheCodesToUseInstead() {
        assertThat(Icd10.problem("N18.3")).hasValueSatisfying(m -> assertThat(m).contains("N18.3 is a category header").contains("N18.30, N18.31 or N18.32"));
        assertThat(Icd10.problem("E11")).isPresent();
        assertThat(Icd10.problem("F32")).hasValueSatisfying(m -> assertThat(m).contains("F32.A"));
        assertThat(Icd10.problem("I50")).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "I", "10", "I1", "II0", "E11.", "E11.12345", "E11-9", "e11.9x!"})
    void malformedCodesAreRefused(String code) {
        assertThat(Icd10.problem(code)).hasValueSatisfying(m -> assertThat(m).contains("is not an ICD-10-CM code"));
    }

    @Test
    void normalisingUpperCasesAndAddsTheDot() {
        assertThat(Icd10.normalise(" e119 ")).isEqualTo("E11.9");
        assertThat(Icd10.normalise("f32.a")).isEqualTo("F32.A");
        assertThat(Icd10.normalise("I10")).isEqualTo("I10");
    }

    @Test
    void plainDepressionCodedAsF329IsFlagged() {
        assertThat(Icd10.warning("F32.9", "Depression")).hasValueSatisfying(w -> assertThat(w).contains("F32.A"));
        assertThat(Icd10.warning("F32.9", "Major depressive disorder, single episode")).isEmpty();
        assertThat(Icd10.warning("I10", "Hypertension")).isEmpty();
    }
}
