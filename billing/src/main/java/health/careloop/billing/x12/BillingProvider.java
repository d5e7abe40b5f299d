package health.careloop.billing.x12;

import health.careloop.clinical.patients.Address;
import health.careloop.common.auth.Npi;

import java.util.regex.Pattern;

/**
 * The billing provider (loop 2010AA): {@code NM1*85*2*name*****XX*npi}, N3, N4, {@code REF*EI*ein}.
 *
 * @param organizationName the practice's legal name, NM103 (at most 60 characters)
 * @param npi              the practice's (type 2) NPI, 10 digits with a valid check digit
 * @param ein              employer identification number, REF02: 9 digits without the dash
 * @param address          a street address with a 9-digit ZIP (billing-rules.md 4); the X222A1 guide sends post office
 *                         and lock boxes in the pay-to loop (2010AB) instead, which this writer does not produce
 */
public record BillingProvider(String organizationName, String npi, String ein, Address address) {
    private static final Pattern EIN = Pattern.compile("[0-9]{9}");
    private static final Pattern ZIP_PLUS_4 = Pattern.compile("[0-9]{9}");
    private static final Pattern PO_BOX = Pattern.compile("(?i).*\\b(P\\.?\\s*O\\.?\\s*BOX|POST\\s+OFFICE\\s+BOX|LOCK\\s*BOX)\\b.*");

    public BillingProvider {
        organizationName = X12Text.required(organizationName, "BillingProvider.organizationName", 60);
        if (!Npi.isValid(npi)) {
            throw new IllegalArgumentException("BillingProvider.npi must be 10 digits with a valid check digit, not " + X12Text.quoted(npi));
        }
        ein = X12Text.matching(ein, "BillingProvider.ein", EIN, "9 digits without a dash");
        address = Addresses.checked(address, "BillingProvider.address");
        // billing-rules.md 4: the billing provider's N403 is the 9-digit ZIP.
        X12Text.matching(address.zip(), "BillingProvider.address.zip", ZIP_PLUS_4, "the 9-digit ZIP (ZIP+4 without the dash)");
        for (String line : new String[] {address.line1(), address.line2()}) {
            if (line != null && PO_BOX.matcher(line).matches()) {
                throw new IllegalArgumentException("BillingProvider.address must be a street address, not a post office or lock box: "
                        + X12Text.quoted(line));
            }
        }
    }
}
