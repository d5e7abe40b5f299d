package health.careloop.simulator.faults;

/** What a message is meant to test on the receiving side. */
public enum MessageKind {
    /** One valid reading: stored. */
    READING,
    /** A valid reading sent before: counted as a duplicate, stored once. */
    DUPLICATE,
    /** An array of valid readings a device buffered while offline: all stored. */
    BATCH,
    /** Breaks the payload contract: dead-lettered. */
    MALFORMED,
    /** A value outside plausibility: dead-lettered. */
    IMPLAUSIBLE,
    /** From a device whose clock runs ahead: rejected if more than 5 minutes in the future when sent, else stored. */
    SKEWED
}
