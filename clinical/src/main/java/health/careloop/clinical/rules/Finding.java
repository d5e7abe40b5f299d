package health.careloop.clinical.rules;

import java.util.List;

/**
 * What a rule found: an alert to raise, or to absorb into the patient's unresolved alert for the same rule.
 *
 * @param trigger    the reading whose evaluation found this; null for scheduled rules. A reading triggers a rule at
 *                   most once (invariant 2), so a replay finds the trigger recorded and changes nothing.
 * @param readings   the readings behind the finding, oldest first (the trigger among them)
 * @param episodeKey scheduled rules: which gap or period this is about, so a resolved alert is not raised again for it
 */
public record Finding(String ruleId, Severity severity, String message, ReadingRef trigger, List<ReadingRef> readings,
                      String episodeKey) {
    public Finding {
        readings = List.copyOf(readings);
    }

    static Finding onReading(String ruleId, Severity severity, String message, ReadingRef trigger, List<ReadingRef> readings) {
        return new Finding(ruleId, severity, message, trigger, readings, null);
    }
}
