package health.careloop.billing.claims;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The charge per unit of each code. The defaults are the APPROXIMATE CY2026 national non-facility amounts of
 * billing-rules.md section 3 (non-QP, CF $33.4009 [S29]); a practice loads its own schedule (or the CMS PPRRVU 2026 file,
 * locality-adjusted) before go-live. Where section 3 is DISPUTED the lower, RVU-backed figure is the default.
 */
public record FeeSchedule(Map<BillingCode, BigDecimal> perUnit) {

    public FeeSchedule {
        perUnit = Map.copyOf(perUnit);
        for (BillingCode code : BillingCode.values()) {
            if (!perUnit.containsKey(code)) {
                throw new IllegalArgumentException("No fee for " + code.cpt());
            }
        }
    }

    public static FeeSchedule approximateCy2026() {
        Map<BillingCode, BigDecimal> fees = new EnumMap<>(BillingCode.class);
        fees.put(BillingCode.RPM_SETUP, new BigDecimal("21.71"));            // 0.65 RVU [S30]
        fees.put(BillingCode.RPM_DEVICE_16, new BigDecimal("47.43"));        // DISPUTED $47.43 [S30][S15] vs $52.11 [S31]
        fees.put(BillingCode.RPM_DEVICE_2, new BigDecimal("47.43"));         // = 99454: CMS equalised them [S3]
        fees.put(BillingCode.RPM_MANAGEMENT_20, new BigDecimal("42.42"));    // DISPUTED ~$52 [S33] vs $42.42 (1.27) [S15]
        fees.put(BillingCode.RPM_MANAGEMENT_10, new BigDecimal("26.00"));    // ~$26 [S33][S4][S7]
        fees.put(BillingCode.RPM_MANAGEMENT_ADDON, new BigDecimal("37.07")); // DISPUTED ~$41 [S33] vs $37.07 (1.11) [S15]
        fees.put(BillingCode.RPM_PHYSICIAN_INTERPRETATION, new BigDecimal("37.00")); // ~$37 [S35] (weak)
        fees.put(BillingCode.CCM_STAFF_20, new BigDecimal("66.13"));         // 1.98 RVU [S30]
        fees.put(BillingCode.CCM_STAFF_ADDON, new BigDecimal("47.00"));      // ~$47-48 [S32]
        fees.put(BillingCode.CCM_PHYSICIAN_30, new BigDecimal("82.00"));     // not found for 2026; ~$82 in 2025 (MedPayIQ)
        fees.put(BillingCode.CCM_PHYSICIAN_ADDON, new BigDecimal("0.00"));   // not found for 2026: set before go-live
        fees.put(BillingCode.CCM_COMPLEX_60, new BigDecimal("144.00"));      // ~$144 [S32]
        fees.put(BillingCode.CCM_COMPLEX_ADDON, new BigDecimal("78.16"));    // 2.34 RVU [S30]
        fees.put(BillingCode.CCM_INITIATING_ASSESSMENT, new BigDecimal("0.00")); // G0506: no 2026 figure in billing-rules.md: set before go-live
        for (BillingCode pcm : List.of(BillingCode.PCM_PHYSICIAN_30, BillingCode.PCM_PHYSICIAN_ADDON, BillingCode.PCM_STAFF_30, BillingCode.PCM_STAFF_ADDON)) {
            fees.put(pcm, new BigDecimal("0.00"));                            // 99424-99427 not found for 2026 (section 3): set before go-live
        }
        fees.put(BillingCode.APCM_LEVEL_1, new BigDecimal("15.00"));         // ~$15 [S34]
        fees.put(BillingCode.APCM_LEVEL_2, new BigDecimal("50.00"));         // ~$50 [S34]
        fees.put(BillingCode.APCM_LEVEL_3, new BigDecimal("110.00"));        // ~$110 [S34]
        return new FeeSchedule(fees);
    }

    public BigDecimal charge(BillingCode code, int units) {
        return perUnit.get(code).multiply(BigDecimal.valueOf(units)).setScale(2, RoundingMode.HALF_UP);
    }

    public FeeSchedule with(BillingCode code, BigDecimal fee) {
        Map<BillingCode, BigDecimal> fees = new EnumMap<>(perUnit);
        fees.put(code, fee);
        return new FeeSchedule(fees);
    }
}
