package health.careloop.clinical.tasks;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A follow-up task as stored. */
public record Task(UUID id, UUID practiceId, UUID patientId, String kind, UUID alertId, String scheduleKey, String title, String detail,
                   String priority, Instant dueAt, String status, UUID assigneeId, String suggestedProgram, Integer minutesSpent,
                   String timeProgram, String outcome, String createdBy, Instant createdAt, Instant updatedAt, Instant claimedAt,
                   String completedBy, Instant completedAt, String assigneeName) {
    public static final List<String> STATUSES = List.of("open", "in_progress", "done", "cancelled");
    public static final List<String> PRIORITIES = List.of("urgent", "high", "normal", "low");
    public static final List<String> PROGRAMS = List.of("rpm", "ccm");

    public boolean isActive() {
        return status.equals("open") || status.equals("in_progress");
    }
}
