package health.careloop.billing.export;

import health.careloop.billing.claims.BillingCode;
import health.careloop.billing.claims.ClaimLine;
import health.careloop.billing.claims.FeeSchedule;
import health.careloop.billing.claims.MonthClose;
import health.careloop.billing.profile.BillingProfile;
import health.careloop.billing.x12.BillingProvider;
import health.careloop.billing.x12.Claim837Check;
import health.careloop.billing.x12.Claim837Writer;
import health.careloop.billing.x12.Payer;
import health.careloop.billing.x12.Receiver;
import health.careloop.billing.x12.Submitter;
import health.careloop.clinical.patients.Address;
import health.careloop.clinical.patients.PatientProfile;
import health.careloop.clinical.patients.Sex;
import health.careloop.common.auth.StaffMember;
import health.careloop.common.auth.StaffRole;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Claim lines of a closed month → claims: grouping, add-ons with their base, splits, pointers, refusals, determinism. */
class Claim837ExportTest {
    static final ZoneId ZONE = ZoneId.of("America/New_York");
    static final YearMonth MARCH = YearMonth.of(2026, 3);
    static final LocalDate MARCH_31 = MARCH.atEndOfMonth();
    static final String PRACTICE_NPI = "1987654328";
    static final String DOCTOR_NPI = "1234567893";
    static final UUID PRACTICE = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    static final UUID DOCTOR = UUID.randomUUID();
    static final UUID OTHER_DOCTOR = UUID.randomUUID();
    static final UUID JANE = UUID.randomUUID();

    static final BillingProfile PROFILE = new BillingProfile(PRACTICE,
            new BillingProvider("DEMO PRACTICE LLC", PRACTICE_NPI, "521234567", new Address("100 MAIN ST", null, "BALTIMORE", "MD", "212011234")),
            new Submitter("DEMO PRACTICE", "DEMO01", "BILLING", "4105550100"), new Receiver("NOVITAS SOLUTIONS", "12202"),
            new Payer("MEDICARE PART B", "12202"), Claim837Writer.Usage.TEST, "test", null);
    static final Map<UUID, StaffMember> STAFF = Map.of(
            DOCTOR, new StaffMember(DOCTOR, PRACTICE, "d@example.org", "Dr. Anna Smith", StaffRole.PHYSICIAN, DOCTOR_NPI, true),
            OTHER_DOCTOR, new StaffMember(OTHER_DOCTOR, PRACTICE, "o@example.org", "Lee, Kim, MD", StaffRole.PHYSICIAN, PRACTICE_NPI, true));

    static ClaimLine line(UUID patient, BillingCode code, int units, UUID practitioner, String npi, String charge, String... dx) {
        return new ClaimLine(patient, code, units, MARCH_31, MARCH.atDay(1), MARCH_31, List.of(dx), practitioner, npi, "11",
                new BigDecimal(charge), 20, null, "test");
    }

    static MonthClose.Closed closed(List<ClaimLine> lines) {
        return new MonthClose.Closed(PRACTICE, MARCH, "biller", Instant.parse("2026-04-01T14:00:00Z"), true, lines, List.of());
    }

    static PatientProfile jane() {
        return new PatientProfile(JANE, PRACTICE, "Zoë", "D'Arcy", LocalDate.of(1950, 3, 14), Sex.FEMALE, "1EG4TE5MK73",
                new Address("12 Elm St", null, "Towson", "MD", "21204"), null, "x", null);
    }

    @Test
    void addOnsFollowTheirBaseAndEachPractitionerHasItsClaim() throws Exception {
        // Stored order is by code: 99439 (add-on) before 99490 (its base).
        List<ClaimLine> lines = List.of(
                line(JANE, BillingCode.CCM_STAFF_ADDON, 2, DOCTOR, DOCTOR_NPI, "94.00", "I10", "E11.9"),
                line(JANE, BillingCode.RPM_MANAGEMENT_20, 1, OTHER_DOCTOR, PRACTICE_NPI, "42.42", "I10"),
                line(JANE, BillingCode.CCM_STAFF_20, 1, DOCTOR, DOCTOR_NPI, "66.13", "I10", "E11.9"));
        var result = Claim837Export.write(PROFILE, ZONE, closed(lines), Map.of(JANE, jane()), STAFF, false);
        String text = result.text();
        assertThat(Claim837Check.problems(text)).isEmpty();
        assertThat(result.claimCount()).isEqualTo(2);
        String first = Claim837Export.claimControlNumber(JANE, MARCH, 1);
        assertThat(first).hasSize(18).endsWith("202603");
        assertThat(text).contains("CLM*" + first + "*160.13*").contains("CLM*" + first + "-2*42.42*")
                .contains("SV1*HC:99490*66.13*UN*1***1:2~\nDTP*472*D8*20260331~\nLX*2~\nSV1*HC:99439*94*UN*2***1:2~")
                // "Dr. Anna Smith" renders; the practitioner billing under the practice's own NPI does not.
                .contains("NM1*82*1*SMITH*ANNA****XX*" + DOCTOR_NPI + "~").doesNotContain("NM1*82*1*LEE")
                .contains("NM1*IL*1*D'ARCY*ZOE****MI*1EG4TE5MK73~").contains("N3*12 ELM ST~");
        // Deterministic: the same input is the same file.
        assertThat(Claim837Export.write(PROFILE, ZONE, closed(lines), Map.of(JANE, jane()), STAFF, false).text()).isEqualTo(text);
    }

    @Test
    void moreThanTwelveDiagnosesSplitTheClaimAndPointersFollowTheCodes() throws Exception {
        List<String> dx = List.of("I10", "E11.9", "E78.5", "J44.9", "N18.31", "I48.91", "E66.9", "F32.A", "G47.33", "M17.11", "K21.9", "E03.9");
        List<ClaimLine> lines = new ArrayList<>();
        lines.add(line(JANE, BillingCode.RPM_MANAGEMENT_20, 1, DOCTOR, DOCTOR_NPI, "42.42", dx.toArray(String[]::new)));
        lines.add(line(JANE, BillingCode.RPM_MANAGEMENT_ADDON, 1, DOCTOR, DOCTOR_NPI, "37.07", dx.toArray(String[]::new)));
        lines.add(line(JANE, BillingCode.CCM_STAFF_20, 1, DOCTOR, DOCTOR_NPI, "66.13", "E11.65", "I10"));
        var result = Claim837Export.write(PROFILE, ZONE, closed(lines), Map.of(JANE, jane()), STAFF, false);
        assertThat(Claim837Check.problems(result.text())).isEmpty();
        assertThat(result.claimCount()).isEqualTo(2);
        assertThat(result.text()).contains("SV1*HC:99457*42.42*UN*1***1:2:3:4~").contains("SV1*HC:99458*37.07*UN*1***1:2:3:4~")
                .contains("HI*ABK:E1165*ABF:I10~").contains("SV1*HC:99490*66.13*UN*1***1:2~");
    }

    @Test
    void incompletePatientsRefuseTheFileOrAreLeftOutAndListed() throws Exception {
        UUID noAddress = UUID.randomUUID();
        UUID noProfile = UUID.randomUUID();
        PatientProfile withoutAddress = new PatientProfile(noAddress, PRACTICE, "Ann", "Poe", LocalDate.of(1950, 1, 2), Sex.FEMALE, "2CD5EF6GH78",
                null, null, "x", null);
        List<ClaimLine> lines = List.of(line(JANE, BillingCode.RPM_MANAGEMENT_20, 1, DOCTOR, DOCTOR_NPI, "42.42", "I10"),
                line(noAddress, BillingCode.RPM_MANAGEMENT_20, 1, DOCTOR, DOCTOR_NPI, "42.42", "I10"),
                line(noProfile, BillingCode.RPM_MANAGEMENT_20, 1, DOCTOR, DOCTOR_NPI, "42.42", "I10"));
        Map<UUID, PatientProfile> patients = Map.of(JANE, jane(), noAddress, withoutAddress);
        assertThatThrownBy(() -> Claim837Export.write(PROFILE, ZONE, closed(lines), patients, STAFF, false))
                .isInstanceOfSatisfying(Claim837Export.Refused.class, r -> {
                    assertThat(r.code()).isEqualTo("incomplete_patients");
                    assertThat(r.problems()).extracting(Claim837Export.Problem::patientId).containsExactly(noAddress, noProfile);
                    assertThat(r.problems().get(0).reason()).isEqualTo("no address recorded");
                });
        var result = Claim837Export.write(PROFILE, ZONE, closed(lines), patients, STAFF, true);
        assertThat(result.claimCount()).isEqualTo(1);
        assertThat(result.patients()).containsExactly(JANE);
        assertThat(result.skipped()).extracting(Claim837Export.Problem::patientId).containsExactly(noAddress, noProfile);
    }

    /** Issue 18: a line closed without a fee is refused naming the fee to add; with fees, 99437, G0506 and PCM go on the 837P. */
    @Test
    void aLineWithoutAFeeIsRefusedInWordsAndEveryBillableCodeGoesOutWithOne() throws Exception {
        ClaimLine noFee = line(JANE, BillingCode.CCM_PHYSICIAN_ADDON, 1, DOCTOR, DOCTOR_NPI, "1.00", "I10").withCharge(null);
        assertThatThrownBy(() -> Claim837Export.write(PROFILE, ZONE, closed(List.of(line(JANE, BillingCode.CCM_PHYSICIAN_30, 1, DOCTOR, DOCTOR_NPI,
                "82.00", "I10"), noFee)), Map.of(JANE, jane()), STAFF, false))
                .isInstanceOfSatisfying(Claim837Export.Refused.class, r -> assertThat(r.problems().get(0).reason())
                        .isEqualTo("99437 has no fee in the practice's fee schedule on " + MARCH_31 + ": add one effective on or before that day "
                                + "(Billing > Fees, or PUT /billing/fees); until then the line cannot go on an 837P."));
        FeeSchedule fees = FeeSchedule.approximateCy2026();
        for (BillingCode code : BillingCode.values()) {
            assertThat(code.cpt().equals("99437") || code.cpt().equals("G0506") || code.program() == health.careloop.clinical.consent.Program.PCM
                    || fees.charge(code, 1, MARCH_31) != null).as("seed fee of %s", code.cpt()).isTrue();
        }
        FeeSchedule practice = fees.with(BillingCode.CCM_PHYSICIAN_ADDON, new BigDecimal("61.50"))
                .with(BillingCode.CCM_INITIATING_ASSESSMENT, new BigDecimal("64.00")).with(BillingCode.PCM_STAFF_30, new BigDecimal("60.00"))
                .with(BillingCode.PCM_STAFF_ADDON, new BigDecimal("48.00"));
        UUID pcmPatient = UUID.randomUUID();
        List<ClaimLine> lines = List.of(
                line(JANE, BillingCode.CCM_PHYSICIAN_30, 1, DOCTOR, DOCTOR_NPI, "82.00", "I10"),
                noFee.withCharge(practice.charge(BillingCode.CCM_PHYSICIAN_ADDON, 1, MARCH_31)),
                line(JANE, BillingCode.CCM_INITIATING_ASSESSMENT, 1, DOCTOR, DOCTOR_NPI, practice.charge(BillingCode.CCM_INITIATING_ASSESSMENT, 1,
                        MARCH_31).toPlainString(), "I10"),
                line(pcmPatient, BillingCode.PCM_STAFF_30, 1, DOCTOR, DOCTOR_NPI, practice.charge(BillingCode.PCM_STAFF_30, 1, MARCH_31).toPlainString(), "I10"),
                line(pcmPatient, BillingCode.PCM_STAFF_ADDON, 2, DOCTOR, DOCTOR_NPI, practice.charge(BillingCode.PCM_STAFF_ADDON, 2, MARCH_31).toPlainString(),
                        "I10"));
        PatientProfile other = new PatientProfile(pcmPatient, PRACTICE, "Al", "Roe", LocalDate.of(1944, 1, 2), Sex.MALE, "2CD5EF6GH78",
                new Address("9 Oak Ave", null, "Towson", "MD", "21204"), null, "x", null);
        var result = Claim837Export.write(PROFILE, ZONE, closed(lines), Map.of(JANE, jane(), pcmPatient, other), STAFF, false);
        assertThat(Claim837Check.problems(result.text())).isEmpty();
        assertThat(result.text()).contains("SV1*HC:99437*61.5*UN*1").contains("SV1*HC:G0506*64*UN*1").contains("SV1*HC:99426*60*UN*1")
                .contains("SV1*HC:99427*96*UN*2");
    }

    @Test
    void aZeroChargeOrAnUnnamedRenderingProviderIsAProblemNotASilentGap() {
        UUID nameless = UUID.randomUUID();
        Map<UUID, StaffMember> staff = Map.of(nameless, new StaffMember(nameless, PRACTICE, "n@example.org", "Adaeze", StaffRole.PHYSICIAN,
                DOCTOR_NPI, true));
        assertThatThrownBy(() -> Claim837Export.write(PROFILE, ZONE, closed(List.of(line(JANE, BillingCode.CCM_PHYSICIAN_ADDON, 1, DOCTOR,
                DOCTOR_NPI, "0.00", "I10"))), Map.of(JANE, jane()), STAFF, false))
                .isInstanceOfSatisfying(Claim837Export.Refused.class, r -> assertThat(r.problems().get(0).reason()).startsWith("99437 has a charge of 0.00"));
        assertThatThrownBy(() -> Claim837Export.write(PROFILE, ZONE, closed(List.of(line(JANE, BillingCode.RPM_MANAGEMENT_20, 1, nameless,
                DOCTOR_NPI, "42.42", "I10"))), Map.of(JANE, jane()), staff, false))
                .isInstanceOfSatisfying(Claim837Export.Refused.class, r -> assertThat(r.problems().get(0).reason()).contains("'Family, Given'"));
        assertThatThrownBy(() -> Claim837Export.write(PROFILE, ZONE, closed(List.of()), Map.of(), STAFF, false))
                .isInstanceOfSatisfying(Claim837Export.Refused.class, r -> assertThat(r.code()).isEqualTo("no_claims"));
    }

    @Test
    void interchangeControlNumbersAreStablePerPracticeAndMonthAndInRange() {
        long march = Claim837Export.interchangeControlNumber(PRACTICE, MARCH);
        assertThat(march).isEqualTo(Claim837Export.interchangeControlNumber(PRACTICE, MARCH)).isBetween(1L, 999_999_999L);
        assertThat(march % 1_000_000).isEqualTo(202603);
        assertThat(Claim837Export.interchangeControlNumber(PRACTICE, MARCH.plusMonths(1))).isNotEqualTo(march);
        assertThat(Claim837Export.interchangeControlNumber(PRACTICE, YearMonth.of(9999, 12))).isLessThanOrEqualTo(999_999_999L);
    }
}
