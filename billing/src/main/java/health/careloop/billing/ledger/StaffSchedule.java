package health.careloop.billing.ledger;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * One staff member's effective entries: a new interval must not overlap any of them, whatever the program or patient
 * (DESIGN.md invariant 3; billing-rules.md 2.4: each minute goes into exactly one log entry). A running timer
 * occupies everything from its start. Pure.
 */
public final class StaffSchedule {
    private StaffSchedule() {
    }

    /** The first entry that [start, end) overlaps; end null means open-ended (a timer being started). */
    public static Optional<TimeEntry> conflict(Collection<TimeEntry> existing, Instant start, Instant end) {
        return existing.stream()
                .filter(TimeEntry::effective)
                .filter(e -> (e.endedAt() == null || e.endedAt().isAfter(start)) && (end == null || e.startedAt().isBefore(end)))
                .min((a, b) -> a.startedAt().compareTo(b.startedAt()));
    }
}
