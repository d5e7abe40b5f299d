package health.careloop.billing.claims;

import health.careloop.billing.ledger.InteractionMode;
import health.careloop.clinical.consent.Program;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One effective (not superseded) ledger interval as the rules see it.
 *
 * @param staffId    whose time it is (billing.time_entry.staff_id): the codes a practitioner must perform personally
 *                   (99491/99437, 99424/99425, 99091) count only the enrolled billing practitioner's own intervals
 *                   (billing-rules.md 2.1 "Whose time counts" [S18][S60])
 * @param byProvider logged by a physician or NPP (the role the ledger recorded with the entry)
 * @param mode       null when the entry had no interactive communication
 */
public record LoggedTime(Instant start, Instant end, Program program, UUID staffId, boolean byProvider, InteractionMode mode) {
    public LoggedTime {
        Objects.requireNonNull(start);
        Objects.requireNonNull(end);
        Objects.requireNonNull(program);
        Objects.requireNonNull(staffId);
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("end must be after start");
        }
    }

    /** Whether this is the given billing practitioner's own time (a physician's or NPP's entry in their own name). */
    public boolean personallyBy(UUID billingPractitioner) {
        return byProvider && staffId.equals(billingPractitioner);
    }

    /** The same entry over another interval (a part outside an inpatient stay). */
    LoggedTime over(Instant from, Instant to) {
        return new LoggedTime(from, to, program, staffId, byProvider, mode);
    }
}
