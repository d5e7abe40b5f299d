package health.careloop.billing.claims;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A practice's charge per unit of each code, with the day each amount takes effect (a practice's fee schedule, stored
 * in billing.fee). A line is priced with the fee in effect on its date of service; a code without one has no charge,
 * and the close and the readiness view say so in words (the 837P cannot carry it until a fee is set).
 *
 * <p>{@link #approximateCy2026()} is only the seed of a new practice: the APPROXIMATE CY2026 national non-facility amounts
 * of billing-rules.md section 3 (non-QP, CF $33.4009 [S29]); where section 3 is DISPUTED, the lower, RVU-backed figure.
 * Codes section 3 has no 2026 amount for (99437, G0506, 99424-99427) are left out, so the practice must set them.
 */
public final class FeeSchedule {
    /** The seed's amounts are CY2026 figures: they take effect on 1 January 2026. */
    public static final LocalDate SEED_EFFECTIVE_FROM = LocalDate.of(2026, 1, 1);
    public static final String SEED_SOURCE = "approximate CY2026 national amount (billing-rules.md section 3)";

    /** One amount of the schedule: per unit of {@code code}, from {@code effectiveFrom} until the code's next fee. */
    public record Fee(BillingCode code, LocalDate effectiveFrom, BigDecimal amount, String source) {
        public Fee {
            if (amount.signum() <= 0 || amount.scale() > 2 || amount.precision() - amount.scale() > 8) {
                throw new IllegalArgumentException("the fee of " + code.cpt() + " must be above 0.00 with at most 2 decimals, not " + amount.toPlainString());
            }
        }
    }

    private final Map<BillingCode, NavigableMap<LocalDate, Fee>> byCode = new EnumMap<>(BillingCode.class);

    private FeeSchedule(Collection<Fee> fees) {
        for (Fee fee : fees) {
            byCode.computeIfAbsent(fee.code(), c -> new TreeMap<>()).put(fee.effectiveFrom(), fee);
        }
    }

    public static FeeSchedule of(Collection<Fee> fees) {
        return new FeeSchedule(fees);
    }

    public static FeeSchedule empty() {
        return new FeeSchedule(List.of());
    }

    public static FeeSchedule approximateCy2026() {
        Map<BillingCode, String> fees = new EnumMap<>(BillingCode.class);
        fees.put(BillingCode.RPM_SETUP, "21.71");            // 0.65 RVU [S30]
        fees.put(BillingCode.RPM_DEVICE_16, "47.43");        // DISPUTED $47.43 [S30][S15] vs $52.11 [S31]
        fees.put(BillingCode.RPM_DEVICE_2, "47.43");         // = 99454: CMS equalised them [S3]
        fees.put(BillingCode.RPM_MANAGEMENT_20, "42.42");    // DISPUTED ~$52 [S33] vs $42.42 (1.27) [S15]
        fees.put(BillingCode.RPM_MANAGEMENT_10, "26.00");    // ~$26 [S33][S4][S7]
        fees.put(BillingCode.RPM_MANAGEMENT_ADDON, "37.07"); // DISPUTED ~$41 [S33] vs $37.07 (1.11) [S15]
        fees.put(BillingCode.RPM_PHYSICIAN_INTERPRETATION, "37.00"); // ~$37 [S35] (weak)
        fees.put(BillingCode.CCM_STAFF_20, "66.13");         // 1.98 RVU [S30]
        fees.put(BillingCode.CCM_STAFF_ADDON, "47.00");      // ~$47-48 [S32]
        fees.put(BillingCode.CCM_PHYSICIAN_30, "82.00");     // not found for 2026; ~$82 in 2025 (MedPayIQ)
        fees.put(BillingCode.CCM_COMPLEX_60, "144.00");      // ~$144 [S32]
        fees.put(BillingCode.CCM_COMPLEX_ADDON, "78.16");    // 2.34 RVU [S30]
        fees.put(BillingCode.APCM_LEVEL_1, "15.00");         // ~$15 [S34]
        fees.put(BillingCode.APCM_LEVEL_2, "50.00");         // ~$50 [S34]
        fees.put(BillingCode.APCM_LEVEL_3, "110.00");        // ~$110 [S34]
        List<Fee> seed = new ArrayList<>();
        fees.forEach((code, amount) -> seed.add(new Fee(code, SEED_EFFECTIVE_FROM, new BigDecimal(amount), SEED_SOURCE)));
        return new FeeSchedule(seed);
    }

    /** The fee in effect on {@code day}: the code's latest fee that took effect on or before it. */
    public Optional<Fee> feeOn(BillingCode code, LocalDate day) {
        NavigableMap<LocalDate, Fee> fees = byCode.get(code);
        Map.Entry<LocalDate, Fee> e = fees == null ? null : fees.floorEntry(day);
        return e == null ? Optional.empty() : Optional.of(e.getValue());
    }

    /** The charge of {@code units} on {@code day}, or null when the schedule has no fee for the code then. */
    public BigDecimal charge(BillingCode code, int units, LocalDate day) {
        return feeOn(code, day).map(f -> f.amount().multiply(BigDecimal.valueOf(units)).setScale(2, RoundingMode.HALF_UP)).orElse(null);
    }

    /** Every fee, by code and then date. */
    public List<Fee> all() {
        List<Fee> all = new ArrayList<>();
        byCode.values().forEach(m -> all.addAll(m.values()));
        return all;
    }

    /** This schedule plus {@code fee} (replacing one of the same code and day). */
    public FeeSchedule with(Fee fee) {
        List<Fee> all = new ArrayList<>(all());
        all.removeIf(f -> f.code() == fee.code() && f.effectiveFrom().equals(fee.effectiveFrom()));
        all.add(fee);
        return new FeeSchedule(all);
    }

    /** The seed's start day with {@code amount} for {@code code} (tests). */
    public FeeSchedule with(BillingCode code, BigDecimal amount) {
        return with(new Fee(code, SEED_EFFECTIVE_FROM, amount, "test"));
    }

    /** Words for a line the schedule cannot price, the same in readiness, the close and the 837 refusal. */
    public static String missingFee(BillingCode code, LocalDate dateOfService) {
        return code.cpt() + " has no fee in the practice's fee schedule on " + dateOfService + ": add one effective on or before that day "
                + "(Billing > Fees, or PUT /billing/fees); until then the line cannot go on an 837P.";
    }
}
