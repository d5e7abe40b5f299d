package health.careloop.billing.x12;

import health.careloop.clinical.conditions.Icd10;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One professional claim (loop 2300 and its 2400 lines): {@code CLM*ctl*total***pos:B:freq*Y*A*Y*Y}, an optional
 * {@code REF*F8}, {@code HI*ABK:dx*ABF:dx…}, an optional rendering provider and the lines. CLM02 is not an input: the
 * writer prints {@link #totalCharge()}, the sum of the line charges (billing-rules.md 4).
 *
 * <p>More than 50 lines are refused, not split: a split needs a second claim control number, and add-on lines must stay
 * with their base code (billing-rules.md 4), which only the month close that built the lines knows.
 *
 * @param patientControlNumber    CLM01, the patient account number we assign (1-20 characters, the X222A1 maximum)
 * @param placeOfService          CLM05-1, two digits, usually {@code 11}; never 02 or 10 (billing-rules.md 4: RPM and
 *                                CCM are not Medicare telehealth services)
 * @param frequency               CLM05-3
 * @param payerClaimControlNumber REF*F8: the payer's number for the claim being replaced or voided; required for
 *                                {@link ClaimFrequency#REPLACEMENT} and {@link ClaimFrequency#VOID}, null otherwise
 * @param diagnoses               1-12 distinct billable ICD-10-CM codes as stored, with the dot ("E11.9"); the first is the
 *                                principal (ABK). The writer removes the dot (billing-rules.md 4)
 * @param renderingProvider       the rendering practitioner, or null when it is the billing provider
 * @param lines                   1-50 service lines
 */
public record ProfessionalClaim(String patientControlNumber, String placeOfService, ClaimFrequency frequency, String payerClaimControlNumber,
                                List<String> diagnoses, RenderingProvider renderingProvider, List<ServiceLine> lines) {
    /** billing-rules.md 4: at most 12 diagnosis codes in HI. */
    public static final int MAX_DIAGNOSES = 12;
    /** billing-rules.md 4: loop 2400 repeats at most 50 times. */
    public static final int MAX_LINES = 50;
    private static final Pattern POS = Pattern.compile("[0-9]{2}");
    // billing-rules.md 4: POS 02 and 10 are telehealth; RPM and CCM are not Medicare telehealth services.
    private static final Set<String> TELEHEALTH_POS = Set.of("02", "10");

    public ProfessionalClaim {
        patientControlNumber = X12Text.required(patientControlNumber, "ProfessionalClaim.patientControlNumber", 20);
        String claim = " on claim " + patientControlNumber;
        X12Text.matching(placeOfService, "ProfessionalClaim.placeOfService", POS, "two digits such as '11'");
        if (TELEHEALTH_POS.contains(placeOfService)) {
            throw new IllegalArgumentException("ProfessionalClaim.placeOfService may not be " + placeOfService
                    + " (telehealth): RPM and CCM are not Medicare telehealth services; use where the practitioner sees the patient, usually 11"
                    + claim);
        }
        X12Text.notNull(frequency, "ProfessionalClaim.frequency");
        payerClaimControlNumber = X12Text.optional(payerClaimControlNumber, "ProfessionalClaim.payerClaimControlNumber", 50);
        if (frequency.needsPayerClaimControlNumber() && payerClaimControlNumber == null) {
            throw new IllegalArgumentException("ProfessionalClaim.payerClaimControlNumber is required for a " + frequency
                    + " claim (frequency " + frequency.code() + ")" + claim);
        }
        if (!frequency.needsPayerClaimControlNumber() && payerClaimControlNumber != null) {
            throw new IllegalArgumentException("ProfessionalClaim.payerClaimControlNumber is only for replacement (7) and void (8) claims" + claim);
        }
        X12Text.notNull(diagnoses, "ProfessionalClaim.diagnoses");
        diagnoses = List.copyOf(diagnoses);
        if (diagnoses.isEmpty() || diagnoses.size() > MAX_DIAGNOSES) {
            throw new IllegalArgumentException("ProfessionalClaim.diagnoses needs 1-" + MAX_DIAGNOSES + " codes, not " + diagnoses.size() + claim);
        }
        for (String code : diagnoses) {
            Icd10.problem(code).ifPresent(problem -> {
                throw new IllegalArgumentException("ProfessionalClaim.diagnoses: " + problem + claim);
            });
        }
        if (new HashSet<>(diagnoses).size() != diagnoses.size()) {
            throw new IllegalArgumentException("ProfessionalClaim.diagnoses repeats a code" + claim + ": " + diagnoses);
        }
        X12Text.notNull(lines, "ProfessionalClaim.lines");
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("ProfessionalClaim.lines needs at least one service line" + claim);
        }
        if (lines.size() > MAX_LINES) {
            throw new IllegalArgumentException("ProfessionalClaim.lines has at most " + MAX_LINES + " lines, not " + lines.size() + claim
                    + "; split it into claims with their own control numbers, keeping add-on lines with their base code");
        }
        for (ServiceLine line : lines) {
            for (int pointer : line.diagnosisPointers()) {
                if (pointer > diagnoses.size()) {
                    throw new IllegalArgumentException("ServiceLine.diagnosisPointers " + line.diagnosisPointers() + " on " + line.procedureCode()
                            + " point past the claim's " + diagnoses.size() + " diagnoses" + claim);
                }
            }
        }
    }

    /** CLM02: the sum of the line charges (billing-rules.md 4). */
    public BigDecimal totalCharge() {
        return lines.stream().map(ServiceLine::charge).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** The diagnoses as HI carries them: without the decimal point ("E11.9" becomes "E119"). */
    public List<String> diagnosesWithoutDot() {
        return diagnoses.stream().map(code -> code.replace(".", "")).toList();
    }
}
