package health.careloop.billing.acks;

import java.util.Arrays;

/** Where a claim CareLoop put on an 837P stands, as the biller says it. */
public enum ClaimState {
    /** On an 837P downloaded from CareLoop; nothing has come back yet. */
    SENT("sent", "sent, waiting for the clearinghouse's 999"),
    /** The clearinghouse's 999 accepted the transaction it was in; the payer's 277CA has not come back yet. */
    RECEIVED("received", "received by the clearinghouse, waiting for the payer's 277CA"),
    /** The payer's 277CA accepted it (category A1 or A2, or a split A5). */
    ACCEPTED("accepted", "accepted by the payer"),
    /** The 999 rejected its transaction, or the 277CA rejected it (A3, A4, A6, A7, A8): fix and send it again. */
    REJECTED("rejected", "rejected: fix it and send it again");

    private final String wireName;
    private final String words;

    ClaimState(String wireName, String words) {
        this.wireName = wireName;
        this.words = words;
    }

    public String wireName() {
        return wireName;
    }

    /** The status in a biller's words, without the reason. */
    public String words() {
        return words;
    }

    public static ClaimState ofWire(String wireName) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(wireName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no claim status '" + wireName + "'"));
    }
}
