package health.careloop.billing.corrections;

import com.imsweb.x12.Loop;
import com.imsweb.x12.reader.X12Reader;
import health.careloop.billing.claims.BillingCode;
import health.careloop.billing.claims.ClaimLine;
import health.careloop.billing.export.Claim837Export;
import health.careloop.billing.profile.BillingProfile;
import health.careloop.billing.x12.BillingProvider;
import health.careloop.billing.x12.Claim837Check;
import health.careloop.billing.x12.Claim837Writer;
import health.careloop.billing.x12.ClaimFrequency;
import health.careloop.billing.x12.Payer;
import health.careloop.billing.x12.Receiver;
import health.careloop.billing.x12.Submitter;
import health.careloop.clinical.patients.Address;
import health.careloop.clinical.patients.PatientProfile;
import health.careloop.clinical.patients.Sex;
import health.careloop.common.auth.StaffMember;
import health.careloop.common.auth.StaffRole;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static health.careloop.billing.corrections.CorrectionPlannerTest.DOCTOR;
import static health.careloop.billing.corrections.CorrectionPlannerTest.JANE;
import static health.careloop.billing.corrections.CorrectionPlannerTest.JOHN;
import static health.careloop.billing.corrections.CorrectionPlannerTest.NOVEMBER;
import static health.careloop.billing.corrections.CorrectionPlannerTest.line;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 837 of corrections: a replacement (frequency 7) and a void (8) carry the original CLM01 and REF*F8 with the payer's
 * claim number, a new claim is an original (1); the file passes x12-parser's 005010X222A1 mapping and our own check, and
 * a correction that waits for the payer's number is never in it.
 */
class CorrectionClaims837Test {
    static final UUID PRACTICE = UUID.fromString("00000000-0000-0000-0000-00000000000b");
    static final BillingProfile PROFILE = new BillingProfile(PRACTICE,
            new BillingProvider("DEMO PRACTICE LLC", "1987654328", "521234567", new Address("100 MAIN ST", null, "BALTIMORE", "MD", "212011234")),
            new Submitter("DEMO PRACTICE", "DEMO01", "BILLING", "4105550100"), new Receiver("NOVITAS SOLUTIONS", "12202"),
            new Payer("MEDICARE PART B", "12202"), Claim837Writer.Usage.TEST, "test", null);
    static final Map<UUID, StaffMember> STAFF = Map.of(DOCTOR,
            new StaffMember(DOCTOR, PRACTICE, "d@example.org", "Dr. Anna Smith", StaffRole.PHYSICIAN, "1234567893", true));
    static final Map<UUID, PatientProfile> PATIENTS = Map.of(
            JANE, new PatientProfile(JANE, PRACTICE, "Jane", "Doe", LocalDate.of(1950, 3, 14), Sex.FEMALE, "1EG4TE5MK73",
                    new Address("12 Elm St", null, "Towson", "MD", "21204"), null, "x", null),
            JOHN, new PatientProfile(JOHN, PRACTICE, "John", "Roe", LocalDate.of(1949, 6, 1), Sex.MALE, "2CD5EF6GH78",
                    new Address("9 Oak Ave", null, "Towson", "MD", "21204"), null, "x", null));

    static Correction correction(UUID patient, int index, int version, ClaimFrequency frequency, String payerNumber, Correction.Status status,
                                 List<ClaimLine> lines) {
        return new Correction(UUID.randomUUID(), PRACTICE, patient, Claim837Export.claimControlNumber(patient, NOVEMBER, index), version, frequency,
                lines, List.of("Added 99458"), "staff:x", Instant.parse("2026-12-03T15:00:00Z").plusSeconds(version), payerNumber, status);
    }

    @Test
    void replacementVoidAndNewClaimPassTheX12MappingWithTheirFrequencyAndPayerNumber() throws Exception {
        ClaimLine base = line(JANE, BillingCode.RPM_MANAGEMENT_20, 1, "42.42", "25 minutes");
        ClaimLine addOn = line(JANE, BillingCode.RPM_MANAGEMENT_ADDON, 1, "33.00", "45 minutes");
        List<Correction> all = List.of(
                correction(JANE, 1, 1, ClaimFrequency.REPLACEMENT, null, Correction.Status.SUPERSEDED, List.of(base)),
                correction(JANE, 1, 2, ClaimFrequency.REPLACEMENT, "22126000123450", Correction.Status.READY, List.of(base, addOn)),
                correction(JANE, 2, 1, ClaimFrequency.VOID, "22126000123451", Correction.Status.READY,
                        List.of(line(JANE, BillingCode.CCM_STAFF_20, 1, "60.00", "22 minutes"))),
                correction(JOHN, 1, 1, ClaimFrequency.ORIGINAL, null, Correction.Status.READY,
                        List.of(line(JOHN, BillingCode.RPM_MANAGEMENT_10, 1, "25.00", "12 minutes"))),
                correction(JOHN, 2, 1, ClaimFrequency.VOID, null, Correction.Status.WAITING,
                        List.of(line(JOHN, BillingCode.RPM_DEVICE_16, 1, "43.00", "17 days"))));
        List<Correction> ready = Corrections837.ready(all);
        long icn = Corrections837.interchangeControlNumber(PRACTICE, NOVEMBER, ready);
        assertThat(icn).isBetween(1L, 999_999_999L).isNotEqualTo(Claim837Export.interchangeControlNumber(PRACTICE, NOVEMBER));

        Claim837Export.Result result = Claim837Export.writeClaims(PROFILE, ZoneId.of("America/New_York"), Corrections837.claims(all), PATIENTS,
                STAFF, false, Corrections837.createdAt(ready), icn);

        assertThat(Claim837Check.problems(result.text())).isEmpty();
        assertThat(result.claimCount()).isEqualTo(3);
        List<String> seen = new ArrayList<>();
        X12Reader reader = new X12Reader(X12Reader.FileType.ANSI837_5010_X222, new StringReader(result.text()));
        assertThat(reader.getErrors()).isEmpty();
        for (Loop claim : reader.getLoops().get(0).findLoop("2300")) {
            String clm01 = claim.getSegment("CLM").getElementValue("CLM01");
            String frequency = claim.getSegment("CLM").getElement("CLM05").getSubValues().get(2);
            var ref = claim.getSegment("REF");
            seen.add(clm01 + " " + frequency + " " + (ref == null ? "-" : ref.getElementValue("REF01") + "=" + ref.getElementValue("REF02"))
                    + " " + claim.findLoop("2400").size() + " lines");
        }
        assertThat(seen).containsExactly(
                Claim837Export.claimControlNumber(JANE, NOVEMBER, 1) + " 7 F8=22126000123450 2 lines",
                Claim837Export.claimControlNumber(JANE, NOVEMBER, 2) + " 8 F8=22126000123451 1 lines",
                Claim837Export.claimControlNumber(JOHN, NOVEMBER, 1) + " 1 - 1 lines");
        // The waiting void of John's second claim is not in the file.
        assertThat(result.text()).doesNotContain(Claim837Export.claimControlNumber(JOHN, NOVEMBER, 2));

        // Deterministic: the same corrections give the same file.
        assertThat(Claim837Export.writeClaims(PROFILE, ZoneId.of("America/New_York"), Corrections837.claims(all), PATIENTS, STAFF, false,
                Corrections837.createdAt(ready), icn).text()).isEqualTo(result.text());
    }

    @Test
    void aWaitingCorrectionSaysWhatItWaitsForInTheContractsWords() {
        Correction waiting = correction(JANE, 1, 1, ClaimFrequency.REPLACEMENT, null, Correction.Status.WAITING,
                List.of(line(JANE, BillingCode.RPM_MANAGEMENT_20, 1, "42.42", "25 minutes")));
        assertThat(waiting.waitingFor()).isEqualTo("waiting for the payer's claim number of " + waiting.claimControlNumber()
                + " (import the 277CA that accepted it, or enter it on the billing page)");
        assertThat(Corrections837.ready(List.of(waiting))).isEmpty();
    }
}
