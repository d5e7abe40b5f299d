package health.careloop.billing.ledger;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How an interactive communication with the patient or caregiver took place (billing-rules.md 1.4). Phone and video are
 * real-time, synchronous, two-way audio (CMS CY2021 [S8][S9]); messaging counts only where the DISPUTED flag allows it.
 */
public enum InteractionMode {
    PHONE, VIDEO, MESSAGING;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** billing-rules.md 1.4: synchronous audio (optionally with video) by default; messaging only with the flag [S32][S35]. */
    public boolean countsAsInteractive(boolean messagingAllowed) {
        return this != MESSAGING || messagingAllowed;
    }

    public static Optional<InteractionMode> fromWire(String value) {
        return Arrays.stream(values()).filter(m -> m.wireName().equals(value)).findFirst();
    }
}
