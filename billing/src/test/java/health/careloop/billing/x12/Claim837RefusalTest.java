package health.careloop.billing.x12;

import health.careloop.clinical.patients.Address;
import health.careloop.clinical.patients.Sex;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static health.careloop.billing.x12.Claim837Fixtures.*;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every input the writer cannot turn into a valid Medicare 837P is refused with a message naming the field. */
class Claim837RefusalTest {
    private static final Address STREET = new Address("100 MAIN ST", null, "BALTIMORE", "MD", "212011234");

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refused(ThrowingCallable build, String message) {
        assertThatThrownBy(build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                // billing-rules.md 4: MBI format
                refusal("MBI with a dash", () -> subscriber("1EG4-TE5-MK73"), "Subscriber.mbi '1EG4-TE5-MK73' is not an MBI: An MBI has 11 characters"),
                refusal("MBI with S in a letter position", () -> subscriber("1SG4TE5MK73"), "MBI position 2 must be a letter other than S, L, O, I, B or Z"),
                refusal("MBI starting with 0", () -> subscriber("0EG4TE5MK73"), "MBI position 1 must be a digit 1-9"),
                refusal("MBI with a letter in a digit position", () -> subscriber("1EGATE5MK73"), "MBI position 4 must be a digit"),
                refusal("MBI missing", () -> subscriber(null), "Subscriber.mbi is required"),
                // NPI check digit (Npi.isValid)
                refusal("billing NPI with a wrong check digit", () -> provider("1234567890", "521234567", STREET),
                        "BillingProvider.npi must be 10 digits with a valid check digit, not '1234567890'"),
                refusal("billing NPI of 9 digits", () -> provider("123456789", "521234567", STREET), "BillingProvider.npi"),
                refusal("rendering NPI with a wrong check digit", () -> new RenderingProvider("SMITH", "ANNA", "1987654321"),
                        "RenderingProvider.npi must be 10 digits with a valid check digit"),
                // billing-rules.md 4: 9-digit ZIP and a street address for the billing provider
                refusal("billing provider ZIP of 5 digits", () -> provider(PRACTICE_NPI, "521234567", zip("21201")),
                        "BillingProvider.address.zip must be the 9-digit ZIP (ZIP+4 without the dash), not '21201'"),
                refusal("billing provider ZIP with a dash", () -> provider(PRACTICE_NPI, "521234567", zip("21201-1234")),
                        "BillingProvider.address.zip must be 5 or 9 digits without a dash"),
                refusal("billing provider at a PO box", () -> provider(PRACTICE_NPI, "521234567",
                        new Address("PO BOX 17", null, "BALTIMORE", "MD", "212011234")), "BillingProvider.address must be a street address"),
                refusal("EIN with a dash", () -> provider(PRACTICE_NPI, "52-1234567", STREET), "BillingProvider.ein must be 9 digits without a dash"),
                refusal("unknown state", () -> provider(PRACTICE_NPI, "521234567", new Address("1 A ST", null, "BALTIMORE", "XX", "212011234")),
                        "BillingProvider.address.state must be a USPS state code"),
                refusal("subscriber ZIP of 6 digits", () -> new Subscriber("DOE", "JANE", "1EG4TE5MK73", LocalDate.of(1950, 3, 14), Sex.FEMALE,
                        new Address("12 ELM ST", null, "TOWSON", "MD", "212040")), "Subscriber.address.zip must be 5 or 9 digits"),
                // billing-rules.md 4: at most 12 diagnoses, billable ICD-10-CM codes
                refusal("13 diagnoses", () -> claim(thirteenDiagnoses(), List.of(line(1))), "ProfessionalClaim.diagnoses needs 1-12 codes, not 13"),
                refusal("no diagnosis", () -> claim(List.of(), List.of(line(1))), "ProfessionalClaim.diagnoses needs 1-12 codes, not 0"),
                refusal("a category header (N18.3)", () -> claim(List.of("N18.3"), List.of(line(1))), "N18.3 is a category header"),
                refusal("a code with two dots", () -> claim(List.of("E11..9"), List.of(line(1))), "'E11..9' is not an ICD-10-CM code"),
                refusal("a repeated diagnosis", () -> claim(List.of("I10", "I10"), List.of(line(1))), "ProfessionalClaim.diagnoses repeats a code"),
                // billing-rules.md 4: at most 50 lines (refused, not split)
                refusal("51 lines", () -> claim(List.of("I10"), IntStream.range(0, 51).mapToObj(i -> line(1)).toList()),
                        "ProfessionalClaim.lines has at most 50 lines, not 51 on claim CL1; split it"),
                refusal("no lines", () -> claim(List.of("I10"), List.of()), "ProfessionalClaim.lines needs at least one service line"),
                // billing-rules.md 4: SV107 pointers 1-4, within the claim's diagnoses
                refusal("pointer past the diagnoses", () -> claim(List.of("I10", "E11.9"), List.of(line(1, 3))),
                        "ServiceLine.diagnosisPointers [1, 3] on 99457 point past the claim's 2 diagnoses on claim CL1"),
                refusal("pointer 0", () -> line(0), "ServiceLine.diagnosisPointers must be 1-12, not 0 on 99457"),
                refusal("pointer 13", () -> line(13), "ServiceLine.diagnosisPointers must be 1-12, not 13"),
                refusal("five pointers", () -> line(1, 2, 3, 4, 5), "ServiceLine.diagnosisPointers needs 1-4 pointers, not 5"),
                refusal("no pointer", () -> line(), "ServiceLine.diagnosisPointers needs 1-4 pointers, not 0"),
                refusal("a repeated pointer", () -> line(1, 1), "ServiceLine.diagnosisPointers repeats a pointer"),
                // charges
                refusal("charge of zero", () -> ServiceLine.on(MARCH_31, "99457", BigDecimal.ZERO, 1, 1),
                        "ServiceLine.charge must be more than zero, not 0 on 99457"),
                refusal("negative charge", () -> ServiceLine.on(MARCH_31, "99457", usd("-5.00"), 1, 1), "ServiceLine.charge must be more than zero"),
                refusal("charge in tenths of a cent", () -> ServiceLine.on(MARCH_31, "99457", usd("52.105"), 1, 1),
                        "ServiceLine.charge has at most two decimal places, not 52.105"),
                refusal("no charge", () -> ServiceLine.on(MARCH_31, "99457", null, 1, 1), "ServiceLine.charge is required"),
                refusal("zero units", () -> ServiceLine.on(MARCH_31, "99439", usd("50"), 0, 1), "ServiceLine.units must be at least 1, not 0"),
                // codes, dates, POS, modifiers
                refusal("procedure code with a dot", () -> ServiceLine.on(MARCH_31, "9945.", usd("50"), 1, 1), "ServiceLine.procedureCode must be"),
                refusal("date range backwards", () -> new ServiceLine("99490", List.of(), usd("70"), 1, List.of(1), MARCH_31, MARCH_1),
                        "ServiceLine.serviceTo 2026-03-01 is before serviceFrom 2026-03-31 on 99490"),
                refusal("telehealth modifier 95", () -> new ServiceLine("99457", List.of("95"), usd("50"), 1, List.of(1), MARCH_31, null),
                        "ServiceLine.modifiers may not carry 95"),
                refusal("telehealth POS 02", () -> new ProfessionalClaim("CL1", "02", ClaimFrequency.ORIGINAL, null, List.of("I10"), null,
                        List.of(line(1))), "ProfessionalClaim.placeOfService may not be 02 (telehealth)"),
                refusal("POS of one digit", () -> new ProfessionalClaim("CL1", "1", ClaimFrequency.ORIGINAL, null, List.of("I10"), null,
                        List.of(line(1))), "ProfessionalClaim.placeOfService must be two digits"),
                refusal("replacement without the payer's claim number", () -> new ProfessionalClaim("CL1", "11", ClaimFrequency.REPLACEMENT, null,
                        List.of("I10"), null, List.of(line(1))), "ProfessionalClaim.payerClaimControlNumber is required for a REPLACEMENT claim"),
                refusal("patient control number over 20 characters", () -> new ProfessionalClaim("CL-2026-03-000000000001", "11",
                        ClaimFrequency.ORIGINAL, null, List.of("I10"), null, List.of(line(1))),
                        "ProfessionalClaim.patientControlNumber has at most 20 characters, not 23"),
                // separators inside values would break the file
                refusal("element separator in a name", () -> new Subscriber("DOE*X", "JANE", "1EG4TE5MK73", LocalDate.of(1950, 3, 14), Sex.FEMALE,
                        new Address("12 ELM ST", null, "TOWSON", "MD", "21204")), "Subscriber.lastName may not contain the X12 separators"),
                refusal("segment terminator in an address", () -> provider(PRACTICE_NPI, "521234567",
                        new Address("100 MAIN ST~", null, "BALTIMORE", "MD", "212011234")), "BillingProvider.address.line1 may not contain"),
                refusal("phone with punctuation", () -> new Submitter("X PRACTICE", "CLDEMO01", "OFFICE", "(410) 555-0100"),
                        "Submitter.contactPhone must be 10 digits without punctuation"),
                refusal("submitter id over 15 characters (ISA06)", () -> new Submitter("X PRACTICE", "CAREL00P-SUBMITTER", "OFFICE", "4105550100"),
                        "Submitter.id has at most 15 characters"),
                // across records, in the writer
                refusal("no claims", () -> write(List.of()), "claims needs at least one claim"),
                refusal("a claim control number twice", () -> write(List.of(new SubscriberClaim(JANE, janeMarch()),
                        new SubscriberClaim(JOHN, janeMarch()))), "ProfessionalClaim.patientControlNumber CL202603-0001 appears twice in one file"),
                refusal("one MBI, two people", () -> write(List.of(new SubscriberClaim(JANE, janeMarch()),
                        new SubscriberClaim(new Subscriber("DOE", "JANET", JANE.mbi(), JANE.birthDate(), JANE.sex(), JANE.address()), johnMarch()))),
                        "Subscriber.mbi 1EG4TE5MK73 appears with two different"),
                refusal("interchange control number 0", () -> writer().write(SUBMITTER, RECEIVER, PAYER, PROVIDER, twoPatients(), CREATED, 0),
                        "interchangeControlNumber must be 1-999999999, not 0"),
                refusal("interchange control number of 10 digits", () -> writer().write(SUBMITTER, RECEIVER, PAYER, PROVIDER, twoPatients(), CREATED,
                        1_000_000_000L), "interchangeControlNumber must be 1-999999999"),
                refusal("no payer", () -> writer().write(SUBMITTER, RECEIVER, null, PROVIDER, twoPatients(), CREATED, 1), "payer is required"));
    }

    private static Arguments refusal(String name, ThrowingCallable build, String message) {
        return Arguments.of(Named.of(name, build), message);
    }

    private static Subscriber subscriber(String mbi) {
        return new Subscriber("DOE", "JANE", mbi, LocalDate.of(1950, 3, 14), Sex.FEMALE, new Address("12 ELM ST", null, "TOWSON", "MD", "21204"));
    }

    private static BillingProvider provider(String npi, String ein, Address address) {
        return new BillingProvider("CARELOOP DEMO PRACTICE LLC", npi, ein, address);
    }

    private static Address zip(String zip) {
        return new Address("100 MAIN ST", null, "BALTIMORE", "MD", zip);
    }

    private static ServiceLine line(Integer... pointers) {
        return ServiceLine.on(MARCH_31, "99457", usd("55.00"), 1, pointers);
    }

    private static ProfessionalClaim claim(List<String> diagnoses, List<ServiceLine> lines) {
        return new ProfessionalClaim("CL1", "11", ClaimFrequency.ORIGINAL, null, diagnoses, null, lines);
    }

    private static List<String> thirteenDiagnoses() {
        List<String> codes = new ArrayList<>(List.of("I10", "E11.9", "I50.22", "N18.31", "J44.9", "J45.909", "M19.90", "M06.9", "F32.A",
                "E11.65", "E11.22", "I48.91"));
        codes.add("E66.9");
        return codes;
    }
}
