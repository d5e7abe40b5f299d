package health.careloop.billing.claims;

import java.util.Objects;

/**
 * The rule choices billing-rules.md leaves open (DISPUTED or *verify*), each with its documented default, plus the
 * claim defaults and the fee schedule. Immutable; a practice's stored settings and fees ({@link BillingSetting},
 * {@link FeeSchedule}, billing.practice_setting and billing.fee) build one per billing month.
 *
 * @param setupRule             99453 (billing-rules.md 1.1, DISPUTED): default {@link SetupRule#FIRST_PERIOD_QUALIFIES}
 * @param max99458Units         99458 unit cap (1.1, DISPUTED: MUE 3 [S14] vs "commonly 2" [S15]); default 2, the
 *                              conservative reading (a unit not billed can be added later; one billed wrongly is an overpayment)
 * @param max99439Units         99439 cap: 2 (2.1 [S24][S32])
 * @param max99437Units         99437 cap: 2 (2.1, RVUDoc [S15], *verify* the MUE)
 * @param max99489Units         99489: no CMS cap found (2.1 [S30]); 0 means no cap
 * @param messagingIsInteractive 1.4 DISPUTED: whether real-time secure messaging counts as the interactive
 *                              communication 99457/99470 need; default false (synchronous audio or video only [S8][S9])
 * @param placeOfService        POS of the claim lines; 11 (office) by default: RPM and CCM are not telehealth, so never 02/10 (section 4 [S9][S51])
 */
public record BillingSettings(SetupRule setupRule, int max99458Units, int max99439Units, int max99437Units, int max99489Units,
                              boolean messagingIsInteractive, String placeOfService, FeeSchedule fees) {

    /** When 99453 may be billed for an episode (billing-rules.md 1.1, DISPUTED). */
    public enum SetupRule {
        /** Default: only if the first P30 qualifies for 99445 or 99454. */
        FIRST_PERIOD_QUALIFIES,
        /** Through 2025: >= 16 data days in the first P30 [S13][S10]. */
        SIXTEEN_DAYS,
        /** One vendor's 2026 reading: >= 2 data days [S54]. */
        TWO_DAYS
    }

    public BillingSettings {
        Objects.requireNonNull(setupRule);
        Objects.requireNonNull(fees);
        if (!placeOfService.matches("[0-9]{2}") || placeOfService.equals("02") || placeOfService.equals("10")) {
            throw new IllegalArgumentException("Place of service must be two digits and not telehealth (02/10): " + placeOfService);
        }
    }

    public static BillingSettings defaults() {
        return new BillingSettings(SetupRule.FIRST_PERIOD_QUALIFIES, 2, 2, 2, 0, false, "11", FeeSchedule.approximateCy2026());
    }

    /** These settings with another fee schedule (the practice's). */
    public BillingSettings withFees(FeeSchedule schedule) {
        return new BillingSettings(setupRule, max99458Units, max99439Units, max99437Units, max99489Units, messagingIsInteractive, placeOfService, schedule);
    }

    public BillingSettings withSetupRule(SetupRule rule) {
        return new BillingSettings(rule, max99458Units, max99439Units, max99437Units, max99489Units, messagingIsInteractive, placeOfService, fees);
    }

    public BillingSettings withMax99458Units(int units) {
        return new BillingSettings(setupRule, units, max99439Units, max99437Units, max99489Units, messagingIsInteractive, placeOfService, fees);
    }

    public BillingSettings withMessagingIsInteractive(boolean allowed) {
        return new BillingSettings(setupRule, max99458Units, max99439Units, max99437Units, max99489Units, allowed, placeOfService, fees);
    }

    public BillingSettings withMax99489Units(int units) {
        return new BillingSettings(setupRule, max99458Units, max99439Units, max99437Units, units, messagingIsInteractive, placeOfService, fees);
    }
}
