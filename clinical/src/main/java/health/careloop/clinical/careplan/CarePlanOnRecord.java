package health.careloop.clinical.careplan;

import java.time.LocalDate;
import java.util.Collection;
import java.util.Comparator;
import java.util.Set;

/**
 * "Was a care plan on record by day D?" — the one answer the chart's CCM/PCM readiness and the billing month close both
 * use (issue 16: the chart said "ready" while the close said "no care plan on record"). A plan is on record from the day
 * its first version was established, which may lie before the day it was entered in CareLoop. Pure.
 */
public final class CarePlanOnRecord {
    /** Care plan sections whose change is a substantial revision when the author did not say (billing-rules.md 2.1). */
    public static final Set<String> SUBSTANTIAL_SECTIONS = Set.of("problems", "goals", "interventions", "medications");

    private CarePlanOnRecord() {
    }

    /** The answer and a reason in words, without a trailing full stop (callers add what the program needs). */
    public record Answer(boolean onRecord, String reason) {
    }

    /**
     * @param firstEstablishedOn the day the patient's first care plan version was established; null when there is none
     * @param day                the date of service (the close) or the day asked about (the chart)
     */
    public static Answer by(LocalDate firstEstablishedOn, LocalDate day) {
        if (firstEstablishedOn == null) {
            return new Answer(false, "no care plan on record by " + day);
        }
        if (firstEstablishedOn.isAfter(day)) {
            return new Answer(false, "a care plan exists but was established on " + firstEstablishedOn + ", after the date of service (" + day + ")");
        }
        return new Answer(true, "care plan on record, established on " + firstEstablishedOn);
    }

    /** The first established day of these versions, null when there are none. */
    public static LocalDate firstEstablished(Collection<LocalDate> establishedDays) {
        return establishedDays.stream().min(Comparator.naturalOrder()).orElse(null);
    }

    /** A version that counts as establishing or substantially revising the plan: the first, or one marked (or, unmarked, one changing a core section). */
    public static boolean establishesOrSubstantiallyRevises(int version, Boolean markedSubstantial, Collection<String> changedSections) {
        if (version == 1) {
            return true;
        }
        if (markedSubstantial != null) {
            return markedSubstantial;
        }
        return changedSections.stream().anyMatch(SUBSTANTIAL_SECTIONS::contains);
    }
}
