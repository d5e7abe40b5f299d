package health.careloop.billing.x12;

import health.careloop.clinical.patients.Address;

import java.util.regex.Pattern;

/** N3/N4 rules for the clinical {@link Address} record: lengths, a USPS state code and a 5- or 9-digit ZIP. */
final class Addresses {
    private static final Pattern ZIP = Pattern.compile("[0-9]{5}([0-9]{4})?");

    private Addresses() {
    }

    /** The address trimmed, or a refusal naming {@code field} and the part that is wrong. */
    static Address checked(Address address, String field) {
        X12Text.notNull(address, field);
        String line1 = X12Text.required(address.line1(), field + ".line1", 55);
        String line2 = X12Text.optional(address.line2(), field + ".line2", 55);
        String city = X12Text.required(address.city(), field + ".city", 30);
        if (city.length() < 2) {
            throw new IllegalArgumentException(field + ".city has 2-30 characters, not " + X12Text.quoted(city));
        }
        String state = address.state();
        if (state == null || !Address.STATES.contains(state)) {
            throw new IllegalArgumentException(field + ".state must be a USPS state code such as 'MD', not " + X12Text.quoted(state));
        }
        String zip = X12Text.matching(address.zip(), field + ".zip", ZIP, "5 or 9 digits without a dash");
        return new Address(line1, line2, city, state, zip);
    }
}
