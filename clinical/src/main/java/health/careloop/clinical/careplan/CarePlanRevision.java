package health.careloop.clinical.careplan;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A care plan version without its content: the day it was established (which may lie before it was entered) and which
 * sections it changed. What billing needs (a plan on record, a substantial revision in the month) without reading every
 * plan's text.
 */
public record CarePlanRevision(UUID patientId, int version, List<String> changedSections, LocalDate establishedOn) {
}
