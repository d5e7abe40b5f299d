package health.careloop.billing.x12;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One service line (loop 2400): {@code LX*n}, {@code SV1*HC:code[:mod…]*charge*UN*units***ptr[:ptr…]} and
 * {@code DTP*472*D8*date} (or {@code RD8*from-to}).
 *
 * @param procedureCode     CPT (5 characters, e.g. 99454) or HCPCS level II (a letter and 4 digits, e.g. G0556)
 * @param modifiers         0-4 two-character modifiers, SV101-3 to -6; never 95 (billing-rules.md 4: RPM and CCM are not
 *                          Medicare telehealth services)
 * @param charge            the line's billed amount, SV102: more than zero, at most two decimal places
 * @param units             SV104, at least 1 (99439 ×2 is one line with 2 units)
 * @param diagnosisPointers 1-4 distinct 1-based indexes into the claim's diagnoses, SV107 (billing-rules.md 4)
 * @param serviceFrom       date of service, or the first day of a range
 * @param serviceTo         the last day of a range; null or equal to {@code serviceFrom} for a single date (D8)
 */
public record ServiceLine(String procedureCode, List<String> modifiers, BigDecimal charge, int units, List<Integer> diagnosisPointers,
                          LocalDate serviceFrom, LocalDate serviceTo) {
    private static final Pattern CPT_OR_HCPCS = Pattern.compile("[0-9]{4}[0-9A-Z]|[A-Z][0-9]{4}");
    private static final Pattern MODIFIER = Pattern.compile("[0-9A-Z]{2}");
    private static final int MAX_POINTERS = 4;
    private static final BigDecimal MAX_CHARGE = new BigDecimal("9999999.99");

    public ServiceLine {
        X12Text.matching(procedureCode, "ServiceLine.procedureCode", CPT_OR_HCPCS,
                "a CPT code (5 characters, e.g. 99454) or a HCPCS code (a letter and 4 digits, e.g. G0556)");
        modifiers = modifiers == null ? List.of() : List.copyOf(modifiers);
        if (modifiers.size() > 4) {
            throw new IllegalArgumentException("ServiceLine.modifiers has at most 4 modifiers, not " + modifiers.size() + " on " + procedureCode);
        }
        for (String modifier : modifiers) {
            X12Text.matching(modifier, "ServiceLine.modifiers", MODIFIER, "two letters or digits");
            // billing-rules.md 4: RPM and CCM are not Medicare telehealth services, so no modifier 95.
            if (modifier.equals("95")) {
                throw new IllegalArgumentException("ServiceLine.modifiers may not carry 95 on " + procedureCode
                        + ": RPM and CCM are not Medicare telehealth services");
            }
        }
        X12Text.notNull(charge, "ServiceLine.charge");
        if (charge.signum() <= 0) {
            throw new IllegalArgumentException("ServiceLine.charge must be more than zero, not " + charge.toPlainString() + " on " + procedureCode);
        }
        if (charge.stripTrailingZeros().scale() > 2) {
            throw new IllegalArgumentException("ServiceLine.charge has at most two decimal places, not " + charge.toPlainString()
                    + " on " + procedureCode);
        }
        if (charge.compareTo(MAX_CHARGE) > 0) {
            throw new IllegalArgumentException("ServiceLine.charge is at most " + MAX_CHARGE.toPlainString() + ", not "
                    + charge.toPlainString() + " on " + procedureCode);
        }
        if (units < 1) {
            throw new IllegalArgumentException("ServiceLine.units must be at least 1, not " + units + " on " + procedureCode);
        }
        X12Text.notNull(diagnosisPointers, "ServiceLine.diagnosisPointers");
        diagnosisPointers = List.copyOf(diagnosisPointers);
        // billing-rules.md 4 and 7 (item 10): SV107 carries 1-4 pointers into HI.
        if (diagnosisPointers.isEmpty() || diagnosisPointers.size() > MAX_POINTERS) {
            throw new IllegalArgumentException("ServiceLine.diagnosisPointers needs 1-4 pointers, not " + diagnosisPointers.size()
                    + " on " + procedureCode);
        }
        if (new HashSet<>(diagnosisPointers).size() != diagnosisPointers.size()) {
            throw new IllegalArgumentException("ServiceLine.diagnosisPointers repeats a pointer on " + procedureCode + ": " + diagnosisPointers);
        }
        for (int pointer : diagnosisPointers) {
            if (pointer < 1 || pointer > ProfessionalClaim.MAX_DIAGNOSES) {
                throw new IllegalArgumentException("ServiceLine.diagnosisPointers must be 1-" + ProfessionalClaim.MAX_DIAGNOSES + ", not "
                        + pointer + " on " + procedureCode);
            }
        }
        X12Text.notNull(serviceFrom, "ServiceLine.serviceFrom");
        if (serviceTo != null && serviceTo.isBefore(serviceFrom)) {
            throw new IllegalArgumentException("ServiceLine.serviceTo " + serviceTo + " is before serviceFrom " + serviceFrom + " on " + procedureCode);
        }
        if (serviceFrom.equals(serviceTo)) {
            serviceTo = null;
        }
    }

    /** A line without modifiers on a single date of service. */
    public static ServiceLine on(LocalDate dateOfService, String procedureCode, BigDecimal charge, int units, Integer... diagnosisPointers) {
        return new ServiceLine(procedureCode, List.of(), charge, units, List.of(diagnosisPointers), dateOfService, null);
    }

    /** True when the line covers a range of dates (DTP03 is RD8). */
    public boolean isDateRange() {
        return serviceTo != null;
    }
}
