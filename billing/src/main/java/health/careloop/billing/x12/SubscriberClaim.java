package health.careloop.billing.x12;

/**
 * A claim and the beneficiary it is for. Claims of the same subscriber (equal records) share one subscriber level
 * (HL 22), in the order given; at most 100 claims per subscriber (the X222A1 repeat of loop 2300).
 */
public record SubscriberClaim(Subscriber subscriber, ProfessionalClaim claim) {
    public SubscriberClaim {
        X12Text.notNull(subscriber, "SubscriberClaim.subscriber");
        X12Text.notNull(claim, "SubscriberClaim.claim");
    }
}
