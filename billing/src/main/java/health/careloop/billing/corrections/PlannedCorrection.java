package health.careloop.billing.corrections;

import health.careloop.billing.claims.ClaimLine;
import health.careloop.billing.x12.ClaimFrequency;

import java.util.List;
import java.util.UUID;

/**
 * A correction the recomputed month calls for: the next version of one claim.
 *
 * @param frequency 7 (replacement: the claim's lines as they now are), 8 (void: the lines it cancels) or 1 (a new claim
 *                  where none was billed under this practitioner and place of service)
 * @param changes   what changed against the version before, in words, one sentence per code (and the diagnoses)
 */
public record PlannedCorrection(UUID patientId, String controlNumber, int version, ClaimFrequency frequency, List<ClaimLine> lines,
                                List<String> changes) {
    public PlannedCorrection {
        lines = List.copyOf(lines);
        changes = List.copyOf(changes);
        if (lines.isEmpty() || changes.isEmpty()) {
            throw new IllegalArgumentException("a correction has lines and says what changed");
        }
    }

    public ClaimVersion asVersion() {
        return new ClaimVersion(patientId, controlNumber, version, frequency, lines);
    }
}
