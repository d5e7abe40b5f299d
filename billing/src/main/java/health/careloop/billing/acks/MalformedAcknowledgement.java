package health.careloop.billing.acks;

/** An acknowledgement file that cannot be read as a 999 or 277CA; the message says what is wrong in words. */
public final class MalformedAcknowledgement extends Exception {
    public MalformedAcknowledgement(String message) {
        super(message, null, false, false);
    }
}
