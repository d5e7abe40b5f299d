package health.careloop.clinical.consent;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ConsentRulesTest {
    static final UUID DR_A = UUID.randomUUID();
    static final UUID DR_B = UUID.randomUUID();

    static ConsentRecord consent(Program program, LocalDate obtained, boolean accepted, LocalDate revoked) {
        return new ConsentRecord(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), program, "verbal", obtained, UUID.randomUUID(),
                program.requiredElements(), accepted, null, "test", Instant.EPOCH, revoked, revoked == null ? null : "test");
    }

    static Enrolment enrolment(Program program, LocalDate start, LocalDate end, UUID practitioner) {
        return new Enrolment(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), program, start, end, practitioner, UUID.randomUUID(),
                "test", Instant.EPOCH, null);
    }

    @Test
    void ccmNeedsEveryElementAndRpmTheCostSharingDisclosure() {
        Set<ConsentElement> missing = ConsentRules.missingElements(Program.CCM, EnumSet.of(ConsentElement.SERVICE_AVAILABLE, ConsentElement.COST_SHARING));
        assertThat(missing).containsExactly(ConsentElement.ONE_PRACTITIONER_PER_MONTH, ConsentElement.MAY_STOP_ANY_TIME);
        assertThat(ConsentRules.describeMissing(Program.CCM, missing))
                .contains("only one practitioner can be paid").contains("onePractitionerPerMonth, mayStopAnyTime");
        assertThat(ConsentRules.missingElements(Program.RPM, EnumSet.noneOf(ConsentElement.class))).containsExactly(ConsentElement.COST_SHARING);
        assertThat(ConsentRules.missingElements(Program.RPM, EnumSet.of(ConsentElement.COST_SHARING))).isEmpty();
    }

    @Test
    void aCcmRevocationTakesEffectAtMonthEndAndAnRpmRevocationOnItsDay() {
        ConsentRecord ccm = consent(Program.CCM, LocalDate.of(2026, 1, 5), true, LocalDate.of(2026, 3, 10));
        assertThat(ccm.coversThrough()).hasValue(LocalDate.of(2026, 3, 31));
        assertThat(ccm.validOn(LocalDate.of(2026, 3, 31))).isTrue();
        assertThat(ccm.validOn(LocalDate.of(2026, 4, 1))).isFalse();
        ConsentRecord rpm = consent(Program.RPM, LocalDate.of(2026, 1, 5), true, LocalDate.of(2026, 3, 10));
        assertThat(rpm.validOn(LocalDate.of(2026, 3, 9))).isTrue();
        assertThat(rpm.validOn(LocalDate.of(2026, 3, 10))).isFalse();
        assertThat(rpm.validOn(LocalDate.of(2026, 1, 4))).as("before it was obtained").isFalse();
    }

    @Test
    void aDeclinedOrRevokedConsentDoesNotCoverAndTheReasonSaysWhy() {
        LocalDate day = LocalDate.of(2026, 5, 1);
        assertThat(ConsentRules.covering(Program.RPM, day, null, List.of(), List.of()).reason()).isEqualTo("No RPM consent is recorded.");
        var declined = ConsentRules.covering(Program.RPM, day, null, List.of(consent(Program.RPM, day.minusDays(3), false, null)), List.of());
        assertThat(declined.consented()).isFalse();
        assertThat(declined.reason()).contains("declined");
        var revoked = ConsentRules.covering(Program.RPM, day, null,
                List.of(consent(Program.RPM, day.minusDays(30), true, day.minusDays(1))), List.of());
        assertThat(revoked.consented()).isFalse();
        assertThat(revoked.reason()).contains("revoked on 2026-04-30");
        var renewed = ConsentRules.covering(Program.RPM, day, null, List.of(consent(Program.RPM, day.minusDays(30), true, day.minusDays(1)),
                consent(Program.RPM, day, true, null)), List.of());
        assertThat(renewed.consented()).isTrue();
        assertThat(renewed.consent().orElseThrow().obtainedOn()).isEqualTo(day);
    }

    @Test
    void aNewCcmBillingPractitionerNeedsANewConsent() {
        ConsentRecord first = consent(Program.CCM, LocalDate.of(2026, 1, 2), true, null);
        List<Enrolment> history = List.of(enrolment(Program.CCM, LocalDate.of(2026, 1, 2), LocalDate.of(2026, 5, 31), DR_A));
        LocalDate june = LocalDate.of(2026, 6, 1);
        assertThat(ConsentRules.covering(Program.CCM, june, DR_A, List.of(first), history).consented()).isTrue();
        var withB = ConsentRules.covering(Program.CCM, june, DR_B, List.of(first), history);
        assertThat(withB.consented()).isFalse();
        assertThat(withB.reason()).contains("a change of billing practitioner needs a new consent");
        ConsentRecord again = consent(Program.CCM, june, true, null);
        assertThat(ConsentRules.covering(Program.CCM, june, DR_B, List.of(first, again), history).consent()).hasValue(again);
        // RPM has no such rule in billing-rules.md.
        assertThat(ConsentRules.covering(Program.RPM, june, DR_B, List.of(consent(Program.RPM, LocalDate.of(2026, 1, 2), true, null)),
                List.of(enrolment(Program.RPM, LocalDate.of(2026, 1, 2), null, DR_A))).consented()).isTrue();
    }

    @Test
    void enrolmentsOverlapWhenTheirInclusiveDatesMeet() {
        Enrolment closed = enrolment(Program.RPM, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 1, 31), DR_A);
        assertThat(closed.overlaps(LocalDate.of(2026, 1, 31), null)).isTrue();
        assertThat(closed.overlaps(LocalDate.of(2026, 2, 1), null)).isFalse();
        assertThat(closed.overlaps(LocalDate.of(2025, 12, 1), LocalDate.of(2025, 12, 31))).isFalse();
        Enrolment open = enrolment(Program.RPM, LocalDate.of(2026, 1, 1), null, DR_A);
        assertThat(open.overlaps(LocalDate.of(2030, 1, 1), null)).isTrue();
        assertThat(open.overlaps(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31))).isFalse();
    }
}
