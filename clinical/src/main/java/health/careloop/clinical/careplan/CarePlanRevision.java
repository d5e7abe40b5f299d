package health.careloop.clinical.careplan;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A care plan version without its content: the day it was established (which may lie before it was entered), which
 * sections it changed and whether its author marked it a substantial revision (null: not said). What billing needs (a
 * plan on record, a substantial revision in the month) without reading every plan's text.
 */
public record CarePlanRevision(UUID patientId, int version, List<String> changedSections, LocalDate establishedOn, Boolean substantialRevision) {

    public CarePlanRevision(UUID patientId, int version, List<String> changedSections, LocalDate establishedOn) {
        this(patientId, version, changedSections, establishedOn, null);
    }
}
