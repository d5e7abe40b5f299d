package health.careloop.clinical.consent;

import java.util.Arrays;
import java.util.Optional;

/** Something the patient must be told before consenting (billing-rules.md 1.2 and 2.2). */
public enum ConsentElement {
    SERVICE_AVAILABLE("serviceAvailable", "that the service is available and what it covers"),
    COST_SHARING("costSharing", "that cost-sharing applies"),
    ONE_PRACTITIONER_PER_MONTH("onePractitionerPerMonth", "that only one practitioner can be paid for it per month"),
    MAY_STOP_ANY_TIME("mayStopAnyTime", "that they may stop at any time, effective at the end of the month");

    private final String wireName;
    private final String told;

    ConsentElement(String wireName, String told) {
        this.wireName = wireName;
        this.told = told;
    }

    public String wireName() {
        return wireName;
    }

    /** "the patient was told …" */
    public String told() {
        return told;
    }

    public static Optional<ConsentElement> fromWire(String value) {
        return Arrays.stream(values()).filter(e -> e.wireName.equals(value)).findFirst();
    }
}
