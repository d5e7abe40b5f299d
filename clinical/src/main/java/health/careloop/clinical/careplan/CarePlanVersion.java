package health.careloop.clinical.careplan;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * One version of a patient's care plan: never changed once written; a change is the next version.
 *
 * @param createdAt           when the version was written in CareLoop
 * @param establishedOn       the day it was established (documented), in the practice's time zone: the day it was written,
 *                            or an earlier day for a plan documented elsewhere first (an imported EHR plan)
 * @param substantialRevision whether its author marked it a substantial revision; null when not said (older versions,
 *                            imports), which the month close then judges by the sections changed
 */
public record CarePlanVersion(UUID id, UUID practiceId, UUID patientId, int version, CarePlan plan, String changeNote,
                              List<String> changedSections, String authorActor, UUID authorStaffId, String authorName, Instant createdAt,
                              LocalDate establishedOn, Boolean substantialRevision) {

    public CarePlanVersion(UUID id, UUID practiceId, UUID patientId, int version, CarePlan plan, String changeNote, List<String> changedSections,
                           String authorActor, UUID authorStaffId, String authorName, Instant createdAt, LocalDate establishedOn) {
        this(id, practiceId, patientId, version, plan, changeNote, changedSections, authorActor, authorStaffId, authorName, createdAt, establishedOn, null);
    }
}
