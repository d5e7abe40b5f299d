package health.careloop.billing.x12;

import health.careloop.common.auth.Npi;

/**
 * The practitioner who rendered the services (loop 2310B, {@code NM1*82*1*last*first****XX*npi}). Written only when the
 * NPI differs from the billing provider's (billing-rules.md 4).
 *
 * @param lastName  NM103 (at most 60 characters)
 * @param firstName NM104 (at most 35 characters)
 * @param npi       the practitioner's (type 1) NPI, 10 digits with a valid check digit
 */
public record RenderingProvider(String lastName, String firstName, String npi) {
    public RenderingProvider {
        lastName = X12Text.required(lastName, "RenderingProvider.lastName", 60);
        firstName = X12Text.required(firstName, "RenderingProvider.firstName", 35);
        if (!Npi.isValid(npi)) {
            throw new IllegalArgumentException("RenderingProvider.npi must be 10 digits with a valid check digit, not " + X12Text.quoted(npi));
        }
    }
}
