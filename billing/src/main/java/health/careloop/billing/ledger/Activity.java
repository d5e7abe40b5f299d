package health.careloop.billing.ledger;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What the logged time was spent on. */
public enum Activity {
    DATA_REVIEW, PATIENT_CALL, MEDICATION_RECONCILIATION, CARE_COORDINATION, CARE_PLAN_UPDATE, OTHER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Activity> fromWire(String value) {
        return Arrays.stream(values()).filter(a -> a.wireName().equals(value)).findFirst();
    }
}
