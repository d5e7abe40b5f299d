package health.careloop.clinical.careplan;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One version of a patient's care plan: never changed once written; a change is the next version. */
public record CarePlanVersion(UUID id, UUID practiceId, UUID patientId, int version, CarePlan plan, String changeNote,
                              List<String> changedSections, String authorActor, UUID authorStaffId, String authorName, Instant createdAt) {
}
