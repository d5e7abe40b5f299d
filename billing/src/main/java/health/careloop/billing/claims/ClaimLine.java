package health.careloop.billing.claims;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A line the rules justify (DESIGN.md invariant 4).
 *
 * @param periodStart    the P30's first day (P30 codes) or the month's first day (time codes)
 * @param periodEnd      the P30's or the month's last day: with patient and code, the line's identity
 * @param diagnoses      ICD-10-CM codes supporting the line, at most 12 (837P HI), without decimal points removed (the 837P writer strips them)
 * @param minutesCounted minutes of the ledger this line accounts for (time codes), else null
 * @param dataDays       data days behind a device line, else null
 * @param charge         from the practice's fee schedule on the date of service; null when it had no fee for the code (a warning)
 */
public record ClaimLine(UUID patientId, BillingCode code, int units, LocalDate dateOfService, LocalDate periodStart, LocalDate periodEnd,
                        List<String> diagnoses, UUID billingPractitionerId, String billingNpi, String placeOfService, BigDecimal charge,
                        Integer minutesCounted, Integer dataDays, String justification) {
    public ClaimLine {
        diagnoses = List.copyOf(diagnoses);
        if (diagnoses.isEmpty() || diagnoses.size() > 12) {
            throw new IllegalArgumentException("A claim line needs 1-12 diagnoses");
        }
        if (units < 1) {
            throw new IllegalArgumentException("units < 1");
        }
    }

    /** This line with a charge (the 837P prices a line closed without a fee from the schedule in effect at export). */
    public ClaimLine withCharge(BigDecimal newCharge) {
        return new ClaimLine(patientId, code, units, dateOfService, periodStart, periodEnd, diagnoses, billingPractitionerId, billingNpi,
                placeOfService, newCharge, minutesCounted, dataDays, justification);
    }

    /** The warning a line without a fee carries, in words; null when it has a charge. */
    public String missingFeeWarning() {
        return charge == null ? FeeSchedule.missingFee(code, dateOfService) : null;
    }
}
