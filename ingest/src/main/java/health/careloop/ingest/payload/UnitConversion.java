package health.careloop.ingest.payload;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Conversions into the stored units, with the factors documented in DESIGN.md. */
public final class UnitConversion {
    /** Exact by definition of the international avoirdupois pound (1959). */
    public static final BigDecimal KG_PER_LB = new BigDecimal("0.45359237");
    /** Glucose C6H12O6 molar mass 180.156 g/mol: 1 mmol/L = 180.156 mg/L = 18.0156 mg/dL. */
    public static final BigDecimal MG_DL_PER_MMOL_L = new BigDecimal("18.0156");

    private UnitConversion() {
    }

    public static BigDecimal poundsToKilograms(BigDecimal pounds) {
        return pounds.multiply(KG_PER_LB).setScale(2, RoundingMode.HALF_UP);
    }

    public static BigDecimal mmolPerLitreToMgPerDl(BigDecimal mmolPerLitre) {
        return mmolPerLitre.multiply(MG_DL_PER_MMOL_L).setScale(1, RoundingMode.HALF_UP);
    }
}
