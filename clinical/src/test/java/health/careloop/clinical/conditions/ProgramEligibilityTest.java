package health.careloop.clinical.conditions;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ProgramEligibilityTest {
    static final LocalDate DAY = LocalDate.of(2026, 3, 15);

    static Condition condition(String icd10, String description, ExpectedDuration duration, boolean risk, LocalDate onset, LocalDate ended) {
        return new Condition(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), icd10, description, onset, duration, risk, ended,
                "test", Instant.EPOCH);
    }

    static Condition chronic(String icd10, String description) {
        return condition(icd10, description, ExpectedDuration.LIFELONG, true, LocalDate.of(2020, 1, 1), null);
    }

    @Test
    void ccmNeedsTwoQualifyingConditionsAndNamesThem() {
        Eligibility e = ProgramEligibility.ccm(List.of(chronic("I10", "Essential hypertension"),
                condition("E11.9", "Type 2 diabetes", ExpectedDuration.AT_LEAST_12_MONTHS, true, null, null)), DAY);
        assertThat(e.eligible()).isTrue();
        assertThat(e.qualifyingCodes()).containsExactly("I10", "E11.9");
        assertThat(e.reason()).contains("Eligible for CCM").contains("I10 Essential hypertension").contains("E11.9 Type 2 diabetes");
    }

    @Test
    void oneConditionIsNotEnoughForCcmButEnoughForRpm() {
        List<Condition> one = List.of(chronic("I10", "Essential hypertension"));
        Eligibility ccm = ProgramEligibility.ccm(one, DAY);
        assertThat(ccm.eligible()).isFalse();
        assertThat(ccm.reason()).contains("at least 2").contains("there is 1: I10 Essential hypertension");
        Eligibility rpm = ProgramEligibility.rpm(one, DAY);
        assertThat(rpm.eligible()).isTrue();
        assertThat(rpm.reason()).contains("I10 Essential hypertension");
    }

    @Test
    void anEndedConditionNoLongerCountsFromItsEndDate() {
        List<Condition> conditions = List.of(chronic("I10", "Essential hypertension"),
                condition("J44.9", "COPD", ExpectedDuration.LIFELONG, true, LocalDate.of(2020, 1, 1), DAY));
        assertThat(ProgramEligibility.ccm(conditions, DAY.minusDays(1)).eligible()).isTrue();
        Eligibility onEndDay = ProgramEligibility.ccm(conditions, DAY);
        assertThat(onEndDay.eligible()).isFalse();
        assertThat(onEndDay.reason()).contains("J44.9 COPD (ended 2026-03-15)");
    }

    @Test
    void shortConditionsAndConditionsWithoutSignificantRiskDoNotCountForCcmButAcuteOnesDoForRpm() {
        Condition bronchitis = condition("J20.9", "Acute bronchitis", ExpectedDuration.UNDER_3_MONTHS, true, DAY.minusDays(3), null);
        Condition knee = condition("M17.11", "Osteoarthritis, right knee", ExpectedDuration.THREE_TO_12_MONTHS, true, null, null);
        Condition lowRisk = condition("E78.5", "Hyperlipidaemia", ExpectedDuration.LIFELONG, false, null, null);
        Eligibility ccm = ProgramEligibility.ccm(List.of(chronic("I10", "Essential hypertension"), bronchitis, knee, lowRisk), DAY);
        assertThat(ccm.eligible()).isFalse();
        assertThat(ccm.reason()).contains("J20.9 Acute bronchitis (expected to last under 3 months)")
                .contains("M17.11 Osteoarthritis, right knee (expected to last 3 to 12 months)")
                .contains("E78.5 Hyperlipidaemia (not marked as placing the patient at significant risk)");
        Eligibility rpm = ProgramEligibility.rpm(List.of(bronchitis), DAY);
        assertThat(rpm.eligible()).isTrue();
        assertThat(rpm.qualifyingCodes()).containsExactly("J20.9");
    }

    @Test
    void theSameCodeTwiceIsOneCondition() {
        Eligibility e = ProgramEligibility.ccm(List.of(chronic("I10", "Essential hypertension"), chronic("I10", "Hypertension")), DAY);
        assertThat(e.eligible()).isFalse();
        assertThat(e.qualifyingCodes()).containsExactly("I10");
    }

    @Test
    void aConditionWhoseOnsetIsLaterDoesNotCountYet() {
        Condition later = condition("E11.9", "Type 2 diabetes", ExpectedDuration.LIFELONG, true, DAY.plusDays(1), null);
        assertThat(ProgramEligibility.ccm(List.of(chronic("I10", "Essential hypertension"), later), DAY).eligible()).isFalse();
        assertThat(ProgramEligibility.rpm(List.of(later), DAY).eligible()).isFalse();
    }

    @Test
    void noConditionsMeansNeitherProgram() {
        assertThat(ProgramEligibility.rpm(List.of(), DAY).reason()).isEqualTo("Not eligible for RPM on 2026-03-15: no active condition (acute or chronic) is recorded.");
        assertThat(ProgramEligibility.ccm(List.of(), DAY).reason()).contains("there are none");
    }

    @Test
    void pcmNeedsOneActiveHighRiskConditionOfAtLeastThreeMonths() {
        // billing-rules.md 2.3 [S19][S28]
        Eligibility one = ProgramEligibility.pcm(List.of(condition("I50.22", "Chronic systolic heart failure", ExpectedDuration.THREE_TO_12_MONTHS,
                true, null, null)), DAY);
        assertThat(one.eligible()).isTrue();
        assertThat(one.qualifyingCodes()).containsExactly("I50.22");
        assertThat(ProgramEligibility.pcm(List.of(condition("J20.9", "Acute bronchitis", ExpectedDuration.UNDER_3_MONTHS, true, null, null)), DAY)
                .eligible()).isFalse();
        assertThat(ProgramEligibility.pcm(List.of(condition("E78.5", "Hyperlipidaemia", ExpectedDuration.LIFELONG, false, null, null)), DAY)
                .eligible()).isFalse();
        Eligibility ended = ProgramEligibility.pcm(List.of(condition("I10", "Hypertension", ExpectedDuration.LIFELONG, true, null, DAY)), DAY);
        assertThat(ended.eligible()).isFalse();
        assertThat(ended.reason()).startsWith("Not eligible for PCM on " + DAY);
        assertThat(ProgramEligibility.of(health.careloop.clinical.consent.Program.PCM, List.of(chronic("I10", "Hypertension")), DAY).eligible()).isTrue();
    }
}
