package health.careloop.clinical.patients;

import java.util.Set;

/** A US postal address; the claim's N3/N4 segments want a 9-digit ZIP (billing-rules.md 4), so 5 digits is accepted but flagged. */
public record Address(String line1, String line2, String city, String state, String zip) {
    /** USPS codes of the states, DC, territories and military post offices. */
    public static final Set<String> STATES = Set.of("AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN",
            "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH",
            "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC", "AS", "GU", "MP", "PR", "VI",
            "AA", "AE", "AP");

    public boolean hasZipPlus4() {
        return zip.length() == 9;
    }
}
