package health.careloop.clinical.conditions;

import java.util.List;

/** Whether the patient qualifies for a program on a day, why, and which conditions (ICD-10-CM codes) count. */
public record Eligibility(boolean eligible, String reason, List<String> qualifyingCodes) {
}
