package health.careloop.clinical.alerts;

import health.careloop.clinical.rules.ReadingRef;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An alert as stored, with the readings behind it (oldest first) and its follow-up task. */
public record Alert(UUID id, UUID practiceId, UUID patientId, String ruleId, String severity, String status, String message,
                    String episodeKey, Instant raisedAt, Instant lastSeenAt, int occurrences,
                    String acknowledgedBy, Instant acknowledgedAt, String escalatedBy, Instant escalatedAt, String escalationReason,
                    String resolvedBy, Instant resolvedAt, String outcome, UUID taskId, List<ReadingRef> readings) {
    public static final List<String> UNRESOLVED = List.of("open", "acknowledged", "escalated");
    public static final List<String> STATUSES = List.of("open", "acknowledged", "escalated", "resolved");
}
