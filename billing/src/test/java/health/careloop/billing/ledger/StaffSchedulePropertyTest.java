package health.careloop.billing.ledger;

import health.careloop.clinical.consent.Program;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Seeded random sequences of requests for one staff member: what the schedule accepts never overlaps, across programs. */
class StaffSchedulePropertyTest {
    @Test
    void acceptedEntriesNeverOverlap() {
        SplittableRandom random = new SplittableRandom(20261101L);
        Instant base = Instant.parse("2026-11-10T14:00:00Z");
        for (int scenario = 0; scenario < 3000; scenario++) {
            List<TimeEntry> accepted = new ArrayList<>();
            for (int i = 0, n = 2 + random.nextInt(15); i < n; i++) {
                Instant start = base.plusSeconds(random.nextInt(8 * 3600));
                boolean timer = random.nextInt(10) == 0;
                Instant end = timer ? null : start.plusSeconds(1 + random.nextInt(3600));
                if (StaffSchedule.conflict(accepted, start, end).isEmpty()) {
                    accepted.add(entry(start, end, random.nextBoolean() ? Program.RPM : Program.CCM));
                }
            }
            for (TimeEntry a : accepted) {
                for (TimeEntry b : accepted) {
                    if (a != b) {
                        Instant aEnd = a.endedAt() == null ? Instant.MAX : a.endedAt();
                        Instant bEnd = b.endedAt() == null ? Instant.MAX : b.endedAt();
                        boolean overlap = a.startedAt().isBefore(bEnd) && b.startedAt().isBefore(aEnd);
                        assertThat(overlap).as("scenario " + scenario + ": " + a + " / " + b).isFalse();
                    }
                }
            }
        }
    }

    @Test
    void touchingEntriesDoNotOverlap() {
        Instant t = Instant.parse("2026-11-10T14:00:00Z");
        List<TimeEntry> existing = List.of(entry(t, t.plusSeconds(600), Program.RPM));
        assertThat(StaffSchedule.conflict(existing, t.plusSeconds(600), t.plusSeconds(900))).isEmpty();
        assertThat(StaffSchedule.conflict(existing, t.minusSeconds(300), t)).isEmpty();
        assertThat(StaffSchedule.conflict(existing, t.plusSeconds(599), t.plusSeconds(900))).isPresent();
        assertThat(StaffSchedule.conflict(existing, t.minusSeconds(300), null)).isPresent();
    }

    static TimeEntry entry(Instant start, Instant end, Program program) {
        UUID id = UUID.randomUUID();
        return new TimeEntry(id, id, id, id, "rn", program, Activity.DATA_REVIEW, start, end, null, null, null, "test", start, null, null,
                false, null, null, null, null);
    }
}
