package health.careloop.clinical.careplan;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The one answer the chart's readiness and the month close share (issue 16). */
class CarePlanOnRecordTest {
    static final LocalDate SERVICE = LocalDate.of(2026, 11, 30);

    @Test
    void noPlanIsNotOnRecord() {
        CarePlanOnRecord.Answer a = CarePlanOnRecord.by(null, SERVICE);
        assertThat(a.onRecord()).isFalse();
        assertThat(a.reason()).isEqualTo("no care plan on record by 2026-11-30");
    }

    @Test
    void aPlanEstablishedAfterTheDateOfServiceSaysExactlyThat() {
        CarePlanOnRecord.Answer a = CarePlanOnRecord.by(LocalDate.of(2026, 12, 3), SERVICE);
        assertThat(a.onRecord()).isFalse();
        assertThat(a.reason()).isEqualTo("a care plan exists but was established on 2026-12-03, after the date of service (2026-11-30)");
    }

    @Test
    void aPlanEstablishedOnOrBeforeTheDayIsOnRecordWhenEverItWasEntered() {
        assertThat(CarePlanOnRecord.by(SERVICE, SERVICE).onRecord()).isTrue();
        assertThat(CarePlanOnRecord.by(LocalDate.of(2026, 9, 1), SERVICE).reason()).isEqualTo("care plan on record, established on 2026-09-01");
        assertThat(CarePlanOnRecord.firstEstablished(List.of(LocalDate.of(2026, 10, 2), LocalDate.of(2026, 9, 1)))).isEqualTo(LocalDate.of(2026, 9, 1));
        assertThat(CarePlanOnRecord.firstEstablished(List.of())).isNull();
    }

    @Test
    void theAuthorsMarkDecidesASubstantialRevisionAndUnmarkedVersionsAreJudgedByTheirSections() {
        assertThat(CarePlanOnRecord.establishesOrSubstantiallyRevises(1, false, List.of())).as("version 1 establishes the plan").isTrue();
        assertThat(CarePlanOnRecord.establishesOrSubstantiallyRevises(2, true, List.of("reviewDate"))).isTrue();
        assertThat(CarePlanOnRecord.establishesOrSubstantiallyRevises(2, false, List.of("goals"))).isFalse();
        assertThat(CarePlanOnRecord.establishesOrSubstantiallyRevises(2, null, List.of("goals"))).isTrue();
        assertThat(CarePlanOnRecord.establishesOrSubstantiallyRevises(2, null, List.of("prognosis"))).isFalse();
    }
}
