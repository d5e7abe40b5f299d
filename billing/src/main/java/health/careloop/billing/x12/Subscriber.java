package health.careloop.billing.x12;

import health.careloop.clinical.patients.Address;
import health.careloop.clinical.patients.Mbi;
import health.careloop.clinical.patients.Sex;

import java.time.LocalDate;

/**
 * The Medicare beneficiary (loop 2010BA). For Medicare the patient is the subscriber (SBR02 {@code 18}), so there is no
 * patient loop (2000C).
 *
 * @param lastName  NM103 (at most 60 characters)
 * @param firstName NM104 (at most 35 characters)
 * @param mbi       Medicare Beneficiary Identifier, NM109: 11 characters, upper case, no dashes (billing-rules.md 4);
 *                  {@link Mbi#normalise} turns the printed form into this one
 * @param birthDate DMG02
 * @param sex       DMG03: female {@code F}, male {@code M}, anything else {@code U}
 * @param address   N3/N4: required when the subscriber is the patient; ZIP of 5 or 9 digits
 */
public record Subscriber(String lastName, String firstName, String mbi, LocalDate birthDate, Sex sex, Address address) {
    public Subscriber {
        lastName = X12Text.required(lastName, "Subscriber.lastName", 60);
        firstName = X12Text.required(firstName, "Subscriber.firstName", 35);
        X12Text.notNull(mbi, "Subscriber.mbi");
        String finalMbi = mbi;
        Mbi.problem(mbi).ifPresent(problem -> {
            throw new IllegalArgumentException("Subscriber.mbi " + X12Text.quoted(finalMbi) + " is not an MBI: " + problem);
        });
        X12Text.notNull(birthDate, "Subscriber.birthDate");
        X12Text.notNull(sex, "Subscriber.sex");
        address = Addresses.checked(address, "Subscriber.address");
    }

    /** DMG03 gender code. */
    String genderCode() {
        return switch (sex) {
            case FEMALE -> "F";
            case MALE -> "M";
            case OTHER, UNKNOWN -> "U";
        };
    }
}
