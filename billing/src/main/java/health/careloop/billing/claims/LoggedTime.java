package health.careloop.billing.claims;

import health.careloop.billing.ledger.InteractionMode;
import health.careloop.clinical.consent.Program;

import java.time.Instant;
import java.util.Objects;

/**
 * One effective (not superseded) ledger interval as the rules see it.
 *
 * @param byProvider logged by a physician or NPP (billing-rules.md 1.1: only their time counts for 99091; 2.1: 99491/99437)
 * @param mode       null when the entry had no interactive communication
 */
public record LoggedTime(Instant start, Instant end, Program program, boolean byProvider, InteractionMode mode) {
    public LoggedTime {
        Objects.requireNonNull(start);
        Objects.requireNonNull(end);
        Objects.requireNonNull(program);
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("end must be after start");
        }
    }
}
