package health.careloop.clinical.tasks;

import health.careloop.clinical.rules.Severity;

import java.time.Duration;

/**
 * An alert's severity decides its task's priority and how soon it is due. Our defaults, chosen so that a critical
 * finding (hypertensive crisis, level 2 hypoglycaemia) is handled within the hour that escalation already watches:
 * critical → urgent, due in 1 h; high → high, due in 24 h; low → normal, due in 72 h.
 */
public final class TaskPriority {
    private TaskPriority() {
    }

    public static String forSeverity(Severity severity) {
        return switch (severity) {
            case CRITICAL -> "urgent";
            case HIGH -> "high";
            case LOW -> "normal";
        };
    }

    public static Duration dueWithin(Severity severity) {
        return switch (severity) {
            case CRITICAL -> Duration.ofHours(1);
            case HIGH -> Duration.ofHours(24);
            case LOW -> Duration.ofHours(72);
        };
    }

    /** Manual tasks without a due time get the one of their priority. */
    public static Duration dueWithin(String priority) {
        return switch (priority) {
            case "urgent" -> Duration.ofHours(1);
            case "high" -> Duration.ofHours(24);
            case "normal" -> Duration.ofHours(72);
            default -> Duration.ofDays(7);
        };
    }
}
