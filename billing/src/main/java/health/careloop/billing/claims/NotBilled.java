package health.careloop.billing.claims;

import java.time.LocalDate;
import java.util.UUID;

/** A code considered for a patient and period and not billed, with a reason a billing clerk understands. */
public record NotBilled(UUID patientId, BillingCode code, LocalDate periodEnd, String reason) {
}
