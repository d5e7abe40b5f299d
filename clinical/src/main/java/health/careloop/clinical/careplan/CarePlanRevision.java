package health.careloop.clinical.careplan;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A care plan version without its content: when it was made and which sections it changed. What billing needs (a plan
 * on record, a substantial revision in the month) without reading every plan's text.
 */
public record CarePlanRevision(UUID patientId, int version, List<String> changedSections, Instant createdAt) {
}
