package health.careloop.billing.encounters;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A face-to-face visit recorded for the care-management gates (the visit itself is billed from the EHR).
 *
 * @param ccmAssessment the practitioner also did CCM's comprehensive assessment and care planning at it (G0506, billing-rules.md 2.1 [S18])
 */
public record Visit(UUID id, UUID practiceId, UUID patientId, VisitKind kind, LocalDate date, UUID practitionerId, boolean ccmAssessment,
                    String recordedBy, Instant recordedAt) {

    public JsonObject toJson() {
        return new JsonObject().put("id", id.toString()).put("patientId", patientId.toString()).put("kind", kind.wireName())
                .put("date", date.toString()).put("practitionerId", practitionerId.toString()).put("ccmAssessment", ccmAssessment)
                .put("recordedBy", recordedBy).put("recordedAt", recordedAt.toString());
    }
}
