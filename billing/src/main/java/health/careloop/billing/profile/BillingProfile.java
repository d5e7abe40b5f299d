package health.careloop.billing.profile;

import health.careloop.billing.x12.BillingProvider;
import health.careloop.billing.x12.Claim837Writer;
import health.careloop.billing.x12.Payer;
import health.careloop.billing.x12.Receiver;
import health.careloop.billing.x12.Submitter;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * What a practice's 837P needs beyond its claim lines and patients: the billing organisation, the submitter, the
 * receiver (the MAC) and the payer. Each part is the X12 input record itself, so a profile that exists is one the
 * writer accepts.
 *
 * @param usage     ISA15: {@link Claim837Writer.Usage#TEST} until the MAC has accepted the practice's test files
 * @param updatedBy who last replaced the profile (an actor as in the audit trail)
 * @param updatedAt when; null before it is stored
 */
public record BillingProfile(UUID practiceId, BillingProvider billingProvider, Submitter submitter, Receiver receiver, Payer payer,
                             Claim837Writer.Usage usage, String updatedBy, Instant updatedAt) {
    public BillingProfile {
        Objects.requireNonNull(practiceId, "practiceId");
        Objects.requireNonNull(billingProvider, "billingProvider");
        Objects.requireNonNull(submitter, "submitter");
        Objects.requireNonNull(receiver, "receiver");
        Objects.requireNonNull(payer, "payer");
        Objects.requireNonNull(usage, "usage");
    }
}
