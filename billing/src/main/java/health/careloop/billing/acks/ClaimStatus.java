package health.careloop.billing.acks;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;

/**
 * One claim's latest status (billing.claim_status).
 *
 * @param codes                    the CPT/HCPCS codes of its service lines as sent; empty when the claim is known only from
 *                                 an acknowledgement (its 837 was downloaded before CareLoop recorded sending)
 * @param reason                   why it was rejected, in words (null unless rejected; a 999's note when received with errors)
 * @param groupControlNumber       GS06 of the 837 it was last sent in, or null
 * @param payerClaimControlNumber  the payer's number for the claim (ICN/DCN), from a 277CA's REF*1K or entered by a biller
 * @param payerNumberSource        "277CA" or "entered", null without a number
 */
public record ClaimStatus(String claimControlNumber, UUID patientId, YearMonth month, List<String> codes, ClaimState state, String reason,
                          Long groupControlNumber, Instant sentAt, String sentBy, Instant statusAt, String statusBy,
                          String payerClaimControlNumber, String payerNumberSource, String payerNumberBy, Instant payerNumberAt) {
    public ClaimStatus {
        codes = codes == null ? List.of() : List.copyOf(codes);
    }

    /** The status in words, with the payer's reason when rejected and the payer's number when known. */
    public String inWords() {
        StringBuilder s = new StringBuilder(state == ClaimState.REJECTED ? "rejected" : state.words());
        if (state == ClaimState.REJECTED && reason != null) {
            s.append(": ").append(reason);
        }
        if (payerClaimControlNumber != null) {
            s.append(" (payer claim number ").append(payerClaimControlNumber).append(')');
        }
        return s.toString();
    }
}
