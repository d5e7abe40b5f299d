package health.careloop.clinical.conditions;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** A diagnosis on the patient's problem list (clinical.condition). */
public record Condition(UUID id, UUID practiceId, UUID patientId, String icd10, String description, LocalDate onset,
                        ExpectedDuration expectedDuration, boolean significantRisk, LocalDate endedOn,
                        String recordedBy, Instant recordedAt) {

    /** Active on a day when it began on or before it (or its onset is unknown) and had not ended by then: ended_on is the first day without it. */
    public boolean activeOn(LocalDate day) {
        return (onset == null || !onset.isAfter(day)) && (endedOn == null || day.isBefore(endedOn));
    }

    public String label() {
        return icd10 + " " + description;
    }
}
