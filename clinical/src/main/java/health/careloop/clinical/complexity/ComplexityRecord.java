package health.careloop.clinical.complexity;

import java.time.Instant;
import java.time.YearMonth;
import java.util.UUID;

/**
 * A provider's record that the patient's medical decision making in a calendar month was of moderate or high complexity,
 * which complex CCM (99487/99489) needs (billing-rules.md 2.1). A withdrawn record stays in the history and no longer
 * counts ({@link #withdrawal()} is then set).
 */
public record ComplexityRecord(UUID id, UUID patientId, YearMonth month, String level, String note, UUID providerId, String recordedBy,
                               Instant recordedAt, Withdrawal withdrawal) {

    /** Who withdrew the record, when and why. */
    public record Withdrawal(Instant at, UUID staffId, String by, String reason) {
    }

    /** Not withdrawn: the month close counts it. */
    public boolean inForce() {
        return withdrawal == null;
    }
}
