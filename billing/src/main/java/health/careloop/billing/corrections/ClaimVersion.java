package health.careloop.billing.corrections;

import health.careloop.billing.claims.ClaimLine;
import health.careloop.billing.x12.ClaimFrequency;

import java.util.List;
import java.util.UUID;

/**
 * One claim of a closed month as it stands: the close's own lines (version 0, frequency 1) or its latest correction.
 *
 * @param controlNumber CLM01, which a claim keeps through its corrections ({@code Claim837Export.claimControlNumber})
 * @param lines         the claim's lines; for a void, the lines it cancels
 */
public record ClaimVersion(UUID patientId, String controlNumber, int version, ClaimFrequency frequency, List<ClaimLine> lines) {
    public ClaimVersion {
        lines = List.copyOf(lines);
    }

    /** What the claim bills now: nothing once voided. */
    public List<ClaimLine> billed() {
        return frequency == ClaimFrequency.VOID ? List.of() : lines;
    }

    public boolean voided() {
        return frequency == ClaimFrequency.VOID;
    }
}
