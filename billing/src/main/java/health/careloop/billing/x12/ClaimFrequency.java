package health.careloop.billing.x12;

/** CLM05-3, the claim frequency type code (billing-rules.md 4: 1 original, 7 replacement, 8 void). */
public enum ClaimFrequency {
    ORIGINAL("1"),
    /** Replaces a claim the payer already has: needs the payer's claim control number (REF*F8). */
    REPLACEMENT("7"),
    /** Voids a claim the payer already has: needs the payer's claim control number (REF*F8). */
    VOID("8");

    private final String code;

    ClaimFrequency(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** Replacement and void claims point at the original with the payer's claim control number. */
    public boolean needsPayerClaimControlNumber() {
        return this != ORIGINAL;
    }
}
