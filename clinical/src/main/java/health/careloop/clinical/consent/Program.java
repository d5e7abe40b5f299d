package health.careloop.clinical.consent;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The Medicare programs a patient consents to and is enrolled in. */
public enum Program {
    /** billing-rules.md 1.2 [S9][S15]: document the consent and disclose cost-sharing. */
    RPM(EnumSet.of(ConsentElement.COST_SHARING)),
    /** billing-rules.md 2.2 [S18][S52]: availability and scope, cost-sharing, one practitioner a month, stop at month end. */
    CCM(EnumSet.of(ConsentElement.SERVICE_AVAILABLE, ConsentElement.COST_SHARING, ConsentElement.ONE_PRACTITIONER_PER_MONTH,
            ConsentElement.MAY_STOP_ANY_TIME)),
    /**
     * Principal care management (billing-rules.md 2.3 [S19][S28]): one high-risk condition. The rule book lists no consent
     * elements of its own; CMS asks PCM for the same as CCM (*verify*), so the same are required.
     */
    PCM(EnumSet.of(ConsentElement.SERVICE_AVAILABLE, ConsentElement.COST_SHARING, ConsentElement.ONE_PRACTITIONER_PER_MONTH,
            ConsentElement.MAY_STOP_ANY_TIME)),
    /**
     * Advanced primary care management (billing-rules.md 2.3 [S26][S27]): monthly, not time-based, by the practitioner
     * responsible for all of the patient's primary care. Consent as for CCM (*verify* the elements).
     */
    APCM(EnumSet.of(ConsentElement.SERVICE_AVAILABLE, ConsentElement.COST_SHARING, ConsentElement.ONE_PRACTITIONER_PER_MONTH,
            ConsentElement.MAY_STOP_ANY_TIME));

    private final Set<ConsentElement> requiredElements;

    Program(Set<ConsentElement> requiredElements) {
        this.requiredElements = requiredElements;
    }

    /** What the patient must have been told; whether they accepted is recorded besides (billing-rules.md 2.2). */
    public Set<ConsentElement> requiredElements() {
        return requiredElements;
    }

    /** Time is logged for it (RPM, CCM, PCM); APCM is billed per month without time. */
    public boolean isTimeBased() {
        return this != APCM;
    }

    /** CCM, PCM and APCM: care management per calendar month, with CCM's consent rules (stop at month end, new consent with a new practitioner). */
    public boolean isCareManagement() {
        return this != RPM;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Program> fromWire(String value) {
        return Arrays.stream(values()).filter(p -> p.wireName().equalsIgnoreCase(value)).findFirst();
    }
}
