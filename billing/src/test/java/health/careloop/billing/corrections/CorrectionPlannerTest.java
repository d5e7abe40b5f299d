package health.careloop.billing.corrections;

import health.careloop.billing.claims.BillingCode;
import health.careloop.billing.claims.ClaimLine;
import health.careloop.billing.claims.MonthOutcome;
import health.careloop.billing.claims.NotBilled;
import health.careloop.billing.export.Claim837Export;
import health.careloop.billing.x12.ClaimFrequency;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The claims as they stand against the month worked out again: replacement, void, new claim, nothing; in words. */
class CorrectionPlannerTest {
    static final YearMonth NOVEMBER = YearMonth.of(2026, 11);
    static final LocalDate NOV_30 = NOVEMBER.atEndOfMonth();
    static final UUID DOCTOR = UUID.randomUUID();
    static final UUID OTHER_DOCTOR = UUID.randomUUID();
    static final UUID JANE = UUID.randomUUID();
    static final UUID JOHN = UUID.randomUUID();

    static ClaimLine line(UUID patient, BillingCode code, int units, String charge, String justification) {
        return line(patient, code, units, DOCTOR, "1234567893", charge, justification);
    }

    static ClaimLine line(UUID patient, BillingCode code, int units, UUID practitioner, String npi, String charge, String justification) {
        return new ClaimLine(patient, code, units, NOV_30, NOVEMBER.atDay(1), NOV_30, List.of("I10", "E11.9"), practitioner, npi, "11",
                charge == null ? null : new BigDecimal(charge), 20 * units, null, code.cpt() + ": " + justification);
    }

    /** The close's claims of these lines (version 0), as ClaimCorrections builds them. */
    static List<ClaimVersion> closed(UUID patient, List<ClaimLine> lines) {
        return Claim837Export.originals(patient, NOVEMBER, lines).stream()
                .map(c -> new ClaimVersion(patient, c.controlNumber(), 0, ClaimFrequency.ORIGINAL, c.lines())).toList();
    }

    static MonthOutcome outcome(List<ClaimLine> lines, NotBilled... reasons) {
        return new MonthOutcome(lines, List.of(reasons));
    }

    @Test
    void anAddedAddOnReplacesTheClaimKeepingTheLinesThatDidNotChange() {
        ClaimLine base = line(JANE, BillingCode.RPM_MANAGEMENT_20, 1, "42.42", "25 minutes, interactive call on 11-03");
        List<ClaimVersion> sent = closed(JANE, List.of(base));
        ClaimLine recomputedBase = line(JANE, BillingCode.RPM_MANAGEMENT_20, 1, "50.00", "20 of the 45 minutes (25 on 99458)");
        ClaimLine addOn = line(JANE, BillingCode.RPM_MANAGEMENT_ADDON, 1, "33.00", "25 more minutes: 45 in all");

        List<PlannedCorrection> plan = CorrectionPlanner.plan(NOVEMBER, sent, Map.of(JANE, outcome(List.of(recomputedBase, addOn))));

        assertThat(plan).hasSize(1);
        PlannedCorrection p = plan.get(0);
        assertThat(p.frequency()).isEqualTo(ClaimFrequency.REPLACEMENT);
        assertThat(p.controlNumber()).isEqualTo(Claim837Export.claimControlNumber(JANE, NOVEMBER, 1));
        assertThat(p.version()).isEqualTo(1);
        // 99457 bills what was sent: it keeps the charge it was sent with, its words as they now are; the add-on is new.
        assertThat(p.lines()).containsExactly(recomputedBase.withCharge(new BigDecimal("42.42")), addOn);
        assertThat(p.changes()).containsExactly("Added 99458 (1 unit) on 2026-11-30: 25 more minutes: 45 in all");
    }

    @Test
    void changedUnitsAndARemovedCodeSayWhy() {
        ClaimLine base = line(JANE, BillingCode.CCM_STAFF_20, 1, "60.00", "65 minutes");
        ClaimLine addOn = line(JANE, BillingCode.CCM_STAFF_ADDON, 2, "94.00", "two more 20 minutes");
        ClaimLine device = line(JANE, BillingCode.RPM_DEVICE_16, 1, "43.00", "17 data days");
        List<ClaimVersion> sent = closed(JANE, List.of(base, addOn, device));
        NotBilled why = new NotBilled(JANE, BillingCode.RPM_DEVICE_16, NOV_30, "99454: 15 data days in the period; 16 are needed.");

        List<PlannedCorrection> plan = CorrectionPlanner.plan(NOVEMBER, sent,
                Map.of(JANE, outcome(List.of(base, line(JANE, BillingCode.CCM_STAFF_ADDON, 1, "47.00", "one more 20 minutes: a stay took 18")), why)));

        assertThat(plan).singleElement().satisfies(p -> {
            assertThat(p.frequency()).isEqualTo(ClaimFrequency.REPLACEMENT);
            assertThat(p.changes()).containsExactly(
                    "Removed 99454 (1 unit) of 2026-11-30: 15 data days in the period; 16 are needed.",
                    "Changed 99439 from 2 units to 1 unit: one more 20 minutes: a stay took 18");
        });
    }

    @Test
    void aClaimWithNothingLeftIsVoidedListingItsLines() {
        ClaimLine only = line(JANE, BillingCode.RPM_MANAGEMENT_20, 1, "42.42", "25 minutes");
        List<ClaimVersion> sent = closed(JANE, List.of(only));

        List<PlannedCorrection> plan = CorrectionPlanner.plan(NOVEMBER, sent, Map.of());

        assertThat(plan).singleElement().satisfies(p -> {
            assertThat(p.frequency()).isEqualTo(ClaimFrequency.VOID);
            assertThat(p.lines()).containsExactly(only);
            assertThat(p.asVersion().billed()).isEmpty();
            assertThat(p.changes()).containsExactly("Removed 99457 (1 unit) of 2026-11-30: no longer billed when the month is worked out again",
                    "Nothing on this claim is billable any more: it is voided.");
        });
    }

    @Test
    void aPatientBilledNothingAtTheCloseGetsANewClaim() {
        ClaimLine late = line(JOHN, BillingCode.RPM_MANAGEMENT_10, 1, "25.00", "12 minutes after an adjustment");

        List<PlannedCorrection> plan = CorrectionPlanner.plan(NOVEMBER, List.of(), Map.of(JOHN, outcome(List.of(late))));

        assertThat(plan).singleElement().satisfies(p -> {
            assertThat(p.frequency()).isEqualTo(ClaimFrequency.ORIGINAL);
            assertThat(p.controlNumber()).isEqualTo(Claim837Export.claimControlNumber(JOHN, NOVEMBER, 1));
            assertThat(p.changes().get(0)).startsWith("New claim");
        });
    }

    @Test
    void anotherPractitionersLinesAreTheirOwnClaimAndAVoidedNumberIsNeverReused() {
        ClaimLine mine = line(JANE, BillingCode.RPM_MANAGEMENT_20, 1, "42.42", "25 minutes");
        ClaimLine theirs = line(JANE, BillingCode.CCM_STAFF_20, 1, OTHER_DOCTOR, "1245319599", "60.00", "22 minutes");
        List<ClaimVersion> sent = closed(JANE, List.of(mine, theirs)); // two claims: -1 (mine), -2 (theirs)
        // Now only the other practitioner bills: my claim is voided, theirs unchanged.
        List<PlannedCorrection> first = CorrectionPlanner.plan(NOVEMBER, sent, Map.of(JANE, outcome(List.of(theirs))));
        assertThat(first).singleElement().satisfies(p -> {
            assertThat(p.frequency()).isEqualTo(ClaimFrequency.VOID);
            assertThat(p.controlNumber()).isEqualTo(Claim837Export.claimControlNumber(JANE, NOVEMBER, 1));
        });
        // Then my line comes back: a new claim with the next free number, not the voided one.
        List<ClaimVersion> after = CorrectionPlanner.apply(sent, first);
        List<PlannedCorrection> second = CorrectionPlanner.plan(NOVEMBER, after, Map.of(JANE, outcome(List.of(mine, theirs))));
        assertThat(second).singleElement().satisfies(p -> {
            assertThat(p.frequency()).isEqualTo(ClaimFrequency.ORIGINAL);
            assertThat(p.controlNumber()).isEqualTo(Claim837Export.claimControlNumber(JANE, NOVEMBER, 3));
        });
    }

    @Test
    void nothingChangedMeansNothingPlannedAndPlanningAgainAfterACorrectionPlansNothing() {
        ClaimLine base = line(JANE, BillingCode.RPM_MANAGEMENT_20, 1, null, "25 minutes");
        List<ClaimVersion> sent = closed(JANE, List.of(base));
        // A fee set after the close changes the charge only: not a correction.
        ClaimLine priced = line(JANE, BillingCode.RPM_MANAGEMENT_20, 1, "42.42", "26 minutes");
        assertThat(CorrectionPlanner.plan(NOVEMBER, sent, Map.of(JANE, outcome(List.of(priced))))).isEmpty();

        ClaimLine more = line(JANE, BillingCode.RPM_MANAGEMENT_ADDON, 1, "33.00", "45 minutes");
        Map<UUID, MonthOutcome> now = Map.of(JANE, outcome(List.of(priced, more)));
        List<PlannedCorrection> plan = CorrectionPlanner.plan(NOVEMBER, sent, now);
        assertThat(plan).hasSize(1);
        assertThat(CorrectionPlanner.plan(NOVEMBER, CorrectionPlanner.apply(sent, plan), now)).isEmpty();
    }
}
