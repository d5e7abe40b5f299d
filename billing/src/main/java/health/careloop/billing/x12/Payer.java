package health.careloop.billing.x12;

/**
 * The destination payer (loop 2010BB, {@code NM1*PR*2*name*****PI*id}).
 *
 * @param name    "MEDICARE PART B" or the MAC's name, NM103 (at most 60 characters)
 * @param payerId the payer id for the MAC jurisdiction, NM109 (2-80 characters)
 */
public record Payer(String name, String payerId) {
    public Payer {
        name = X12Text.required(name, "Payer.name", 60);
        payerId = X12Text.required(payerId, "Payer.payerId", 80);
        if (payerId.length() < 2) {
            throw new IllegalArgumentException("Payer.payerId has 2-80 characters, not " + X12Text.quoted(payerId));
        }
    }
}
