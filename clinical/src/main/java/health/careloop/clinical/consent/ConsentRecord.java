package health.careloop.clinical.consent;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** A documented consent (or refusal) to one program, as recorded, and its revocation if any. */
public record ConsentRecord(UUID id, UUID practiceId, UUID patientId, Program program, String method, LocalDate obtainedOn,
                            UUID obtainedBy, Set<ConsentElement> told, boolean accepted, String note, String recordedBy,
                            Instant recordedAt, LocalDate revokedOn, String revokedBy) {

    /** The last day the consent covers after a revocation; empty while it is not revoked. */
    public Optional<LocalDate> coversThrough() {
        if (revokedOn == null) {
            return Optional.empty();
        }
        if (program.isCareManagement()) {
            // billing-rules.md 2.2 [S18][S52]: the patient may stop at any time, effective at the end of the month (PCM: the same consent).
            return Optional.of(revokedOn.with(TemporalAdjusters.lastDayOfMonth()));
        }
        // RPM has no such rule: a revocation takes effect on its day.
        return Optional.of(revokedOn.minusDays(1));
    }

    /** Accepted, obtained by then and not revoked by then. */
    public boolean validOn(LocalDate day) {
        return accepted && !obtainedOn.isAfter(day) && coversThrough().map(last -> !day.isAfter(last)).orElse(true);
    }
}
