package health.careloop.billing.corrections;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * The payer's claim control number (ICN/DCN) of a claim CareLoop sent, by its CLM01: what a replacement or void names in
 * REF*F8. Kept by the acknowledgements package ({@code billing.acks.ClaimStatuses}, from a 277CA or entered by a biller);
 * the contract between the corrections and the acknowledgements.
 */
@FunctionalInterface
public interface PayerClaimNumbers {
    /** None known: every correction that needs one waits. */
    PayerClaimNumbers NONE = (c, practiceId, claimControlNumber) -> Optional.empty();

    Optional<String> payerClaimControlNumber(Connection c, UUID practiceId, String claimControlNumber) throws SQLException;
}
