package health.careloop.billing.corrections;

import health.careloop.billing.claims.ClaimLine;
import health.careloop.billing.x12.ClaimFrequency;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A stored correction of a closed month's claim, with where it stands for the biller.
 *
 * @param payerClaimControlNumber the number REF*F8 carries (replacement and void); null while unknown or for a new claim
 * @param status                  {@link Status#READY} to go on the 837 of corrections, {@link Status#WAITING} for the
 *                                payer's claim number, {@link Status#SUPERSEDED} by a later version of the same claim
 */
public record Correction(UUID id, UUID practiceId, UUID patientId, String claimControlNumber, int version, ClaimFrequency frequency,
                         List<ClaimLine> lines, List<String> changes, String createdBy, Instant createdAt, String payerClaimControlNumber,
                         Status status) {
    public enum Status { READY, WAITING, SUPERSEDED }

    public Correction {
        lines = List.copyOf(lines);
        changes = List.copyOf(changes);
    }

    /** "replacement", "void" or "new claim", as the page and the exports say it. */
    public String kind() {
        return switch (frequency) {
            case REPLACEMENT -> "replacement";
            case VOID -> "void";
            case ORIGINAL -> "new claim";
        };
    }

    /** The contract's sentence for a correction that waits (claims-contract.md); null otherwise. */
    public String waitingFor() {
        return status == Status.WAITING ? "waiting for the payer's claim number of " + claimControlNumber
                + " (import the 277CA that accepted it, or enter it on the billing page)" : null;
    }

    public boolean voided() {
        return frequency == ClaimFrequency.VOID;
    }

    /** What the claim now bills (nothing for a void): the sum of its lines' charges, lines without a fee left out. */
    public BigDecimal billedCharge() {
        if (frequency == ClaimFrequency.VOID) {
            return BigDecimal.ZERO;
        }
        return lines.stream().map(ClaimLine::charge).filter(Objects::nonNull).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    Correction withStatus(String payerNumber, Status newStatus) {
        return new Correction(id, practiceId, patientId, claimControlNumber, version, frequency, lines, changes, createdBy, createdAt, payerNumber,
                newStatus);
    }
}
