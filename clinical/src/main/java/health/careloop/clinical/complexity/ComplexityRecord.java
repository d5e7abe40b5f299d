package health.careloop.clinical.complexity;

import java.time.Instant;
import java.time.YearMonth;
import java.util.UUID;

/**
 * A provider's record that the patient's medical decision making in a calendar month was of moderate or high complexity,
 * which complex CCM (99487/99489) needs (billing-rules.md 2.1).
 */
public record ComplexityRecord(UUID id, UUID patientId, YearMonth month, String level, String note, UUID providerId, String recordedBy,
                               Instant recordedAt) {
}
