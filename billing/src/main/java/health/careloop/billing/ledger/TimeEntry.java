package health.careloop.billing.ledger;

import health.careloop.clinical.consent.Program;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/**
 * A ledger row as stored; endedAt is null while its timer runs; supersededByEntry is set once an adjustment replaced it;
 * enteredBy is who entered it (the staff member, or a colleague transcribing for them; null on rows older than that).
 */
public record TimeEntry(UUID id, UUID practiceId, UUID patientId, UUID staffId, String staffRole, Program program, Activity activity,
                        Instant startedAt, Instant endedAt, InteractionMode interactionMode, String note, UUID taskId, String createdBy,
                        Instant createdAt, UUID replacesEntryId, String adjustReason, boolean adjustedAfterClose,
                        UUID supersededByEntry, String supersededBy, Instant supersededAt, UUID enteredBy) {

    public boolean running() {
        return endedAt == null;
    }

    public boolean effective() {
        return supersededByEntry == null;
    }

    /** Entered by someone other than the staff member whose time it is. */
    public boolean enteredForColleague() {
        return enteredBy != null && !enteredBy.equals(staffId);
    }

    public long seconds() {
        return endedAt == null ? 0 : endedAt.getEpochSecond() - startedAt.getEpochSecond();
    }

    public JsonObject toJson() {
        return new JsonObject().put("id", id.toString()).put("practiceId", practiceId.toString()).put("patientId", patientId.toString())
                .put("staffId", staffId.toString()).put("staffRole", staffRole).put("program", program.wireName())
                .put("activity", activity.wireName()).put("startedAt", startedAt.toString())
                .put("endedAt", endedAt == null ? null : endedAt.toString()).put("running", running())
                .put("minutes", seconds() / 60.0)
                .put("interactive", interactionMode != null).put("interactionMode", interactionMode == null ? null : interactionMode.wireName())
                .put("note", note).put("taskId", taskId == null ? null : taskId.toString()).put("createdBy", createdBy)
                .put("createdAt", createdAt.toString()).put("replacesEntryId", replacesEntryId == null ? null : replacesEntryId.toString())
                .put("adjustReason", adjustReason).put("adjustedAfterClose", adjustedAfterClose)
                .put("supersededByEntry", supersededByEntry == null ? null : supersededByEntry.toString())
                .put("supersededBy", supersededBy).put("supersededAt", supersededAt == null ? null : supersededAt.toString())
                .put("enteredBy", enteredBy == null ? null : enteredBy.toString()).put("enteredAt", createdAt.toString())
                .put("enteredForColleague", enteredForColleague());
    }
}
