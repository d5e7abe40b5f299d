package health.careloop.billing.x12;

import health.careloop.clinical.patients.Address;
import health.careloop.clinical.patients.Sex;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/** A demo practice billing one month of RPM and CCM for two Medicare patients (billing-rules.md 1, 2 and 4). */
final class Claim837Fixtures {
    static final ZoneId ZONE = ZoneId.of("America/New_York");
    static final Instant CREATED = Instant.parse("2026-04-02T14:05:00Z");
    static final long ICN = 42;
    /** Valid check digits (Npi.isValid): the practice and a rendering practitioner. */
    static final String PRACTICE_NPI = "1234567893";
    static final String PRACTITIONER_NPI = "1987654328";

    static final Submitter SUBMITTER = new Submitter("CARELOOP DEMO PRACTICE", "CLDEMO01", "BILLING OFFICE", "4105550100");
    static final Receiver RECEIVER = new Receiver("NOVITAS SOLUTIONS", "12202");
    static final Payer PAYER = new Payer("MEDICARE PART B", "12202");
    static final BillingProvider PROVIDER = new BillingProvider("CARELOOP DEMO PRACTICE LLC", PRACTICE_NPI, "521234567",
            new Address("100 MAIN ST", "SUITE 200", "BALTIMORE", "MD", "212011234"));

    static final Subscriber JANE = new Subscriber("DOE", "JANE", "1EG4TE5MK73", LocalDate.of(1950, 3, 14), Sex.FEMALE,
            new Address("12 ELM ST", null, "TOWSON", "MD", "21204"));
    static final Subscriber JOHN = new Subscriber("ROE", "JOHN", "2CD5EF6GH78", LocalDate.of(1946, 11, 2), Sex.MALE,
            new Address("9 OAK AVE", "APT 3", "COLUMBIA", "MD", "210441234"));

    static final LocalDate MARCH_1 = LocalDate.of(2026, 3, 1);
    static final LocalDate MARCH_30 = LocalDate.of(2026, 3, 30);
    static final LocalDate MARCH_31 = LocalDate.of(2026, 3, 31);

    private Claim837Fixtures() {
    }

    static BigDecimal usd(String amount) {
        return new BigDecimal(amount);
    }

    /** Jane: hypertension and type 2 diabetes; RPM (99454, 99457, 99458 ×1) and CCM (99490, 99439 ×2), single dates. */
    static ProfessionalClaim janeMarch() {
        return new ProfessionalClaim("CL202603-0001", "11", ClaimFrequency.ORIGINAL, null, List.of("I10", "E11.9"), null, List.of(
                ServiceLine.on(MARCH_30, "99454", usd("60.00"), 1, 1),
                ServiceLine.on(MARCH_31, "99457", usd("55.00"), 1, 1),
                ServiceLine.on(MARCH_31, "99458", usd("45.00"), 1, 1),
                ServiceLine.on(MARCH_31, "99490", usd("70.00"), 1, 1, 2),
                ServiceLine.on(MARCH_31, "99439", usd("100.00"), 2, 1, 2)));
    }

    /**
     * John: hypertensive heart and CKD codes; the same five codes, CCM over the calendar month (RD8), a rendering
     * practitioner other than the practice, and cents in the charges.
     */
    static ProfessionalClaim johnMarch() {
        return new ProfessionalClaim("CL202603-0002", "11", ClaimFrequency.ORIGINAL, null, List.of("I13.0", "I50.22", "N18.31"),
                new RenderingProvider("SMITH", "ANNA", PRACTITIONER_NPI), List.of(
                ServiceLine.on(MARCH_30, "99454", usd("47.43"), 1, 1, 2),
                ServiceLine.on(MARCH_31, "99457", usd("52.10"), 1, 1),
                ServiceLine.on(MARCH_31, "99458", usd("41.05"), 1, 2),
                new ServiceLine("99490", List.of(), usd("66.13"), 1, List.of(1, 2, 3), MARCH_1, MARCH_31),
                new ServiceLine("99439", List.of(), usd("95.00"), 2, List.of(1, 3), MARCH_1, MARCH_31)));
    }

    static List<SubscriberClaim> twoPatients() {
        return List.of(new SubscriberClaim(JANE, janeMarch()), new SubscriberClaim(JOHN, johnMarch()));
    }

    static Claim837Writer writer() {
        return new Claim837Writer(ZONE, Claim837Writer.Usage.TEST);
    }

    static String write(List<SubscriberClaim> claims) {
        return writer().write(SUBMITTER, RECEIVER, PAYER, PROVIDER, claims, CREATED, ICN);
    }
}
