package health.careloop.clinical.conditions;

import health.careloop.clinical.consent.Program;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Eligibility for RPM, CCM and PCM from the patient's conditions on a day. Pure: no database, no clock. */
public final class ProgramEligibility {
    /** billing-rules.md 2.2 [S17][S20]: two or more chronic conditions. */
    static final int CCM_MINIMUM_CONDITIONS = 2;

    private ProgramEligibility() {
    }

    /**
     * billing-rules.md 2.2 [S17][S20]: >= 2 chronic conditions expected to last >= 12 months (or until death) that place
     * the patient at significant risk of death, acute exacerbation or decompensation, or functional decline.
     * The same code recorded twice is one condition.
     */
    public static Eligibility ccm(List<Condition> conditions, LocalDate day) {
        Map<String, Condition> qualifying = new LinkedHashMap<>();
        List<String> notCounted = new ArrayList<>();
        for (Condition c : conditions) {
            String why = whyNotChronicForCcm(c, day);
            if (why == null) {
                qualifying.putIfAbsent(c.icd10(), c);
            } else {
                notCounted.add(c.label() + " (" + why + ")");
            }
        }
        String counted = qualifying.values().stream().map(Condition::label).collect(Collectors.joining("; "));
        List<String> codes = List.copyOf(qualifying.keySet());
        if (qualifying.size() >= CCM_MINIMUM_CONDITIONS) {
            return new Eligibility(true, "Eligible for CCM on " + day + ": " + qualifying.size()
                    + " chronic conditions expected to last at least 12 months and placing the patient at significant risk: " + counted + ".", codes);
        }
        StringBuilder reason = new StringBuilder("Not eligible for CCM on " + day
                + ": it needs at least 2 active chronic conditions expected to last at least 12 months (or lifelong) that place the patient at significant risk; ");
        reason.append(qualifying.isEmpty() ? "there are none" : "there is 1: " + counted).append('.');
        if (!notCounted.isEmpty()) {
            reason.append(" Not counted: ").append(String.join("; ", notCounted)).append('.');
        }
        return new Eligibility(false, reason.toString(), codes);
    }

    /** The program's eligibility rule. */
    public static Eligibility of(Program program, List<Condition> conditions, LocalDate day) {
        return switch (program) {
            case RPM -> rpm(conditions, day);
            case CCM -> ccm(conditions, day);
            case PCM -> pcm(conditions, day);
            case APCM -> apcm(conditions, day);
        };
    }

    /**
     * billing-rules.md 2.3 [S19][S28]: PCM is for one high-risk condition expected to last at least 3 months (NGS says 6-12;
     * the lower bound is the rule book's) that places the patient at significant risk. Every qualifying code supports the
     * line; a patient with two or more may have CCM instead, which is the practice's choice, not an eligibility rule.
     */
    public static Eligibility pcm(List<Condition> conditions, LocalDate day) {
        Map<String, Condition> qualifying = new LinkedHashMap<>();
        for (Condition c : conditions) {
            if (c.activeOn(day) && c.expectedDuration() != ExpectedDuration.UNDER_3_MONTHS && c.significantRisk()) {
                qualifying.putIfAbsent(c.icd10(), c);
            }
        }
        List<String> codes = List.copyOf(qualifying.keySet());
        if (qualifying.isEmpty()) {
            return new Eligibility(false, "Not eligible for PCM on " + day + ": it needs an active high-risk condition expected to last at least "
                    + "3 months that places the patient at significant risk; there is none.", codes);
        }
        return new Eligibility(true, "Eligible for PCM on " + day + ": "
                + qualifying.values().stream().map(Condition::label).collect(Collectors.joining("; ")) + ".", codes);
    }

    /**
     * billing-rules.md 2.3 [S26][S27]: APCM has no condition threshold (its level counts chronic conditions: G0556 for at
     * most one); the claim still needs a diagnosis, so an active condition of any kind is required, and all of them
     * support the line.
     */
    public static Eligibility apcm(List<Condition> conditions, LocalDate day) {
        Eligibility active = rpm(conditions, day);
        if (!active.eligible()) {
            return new Eligibility(false, "Not eligible for APCM on " + day + ": no active condition is recorded to put on the claim.",
                    active.qualifyingCodes());
        }
        return new Eligibility(true, "Eligible for APCM on " + day + ": " + active.qualifyingCodes().size() + " active condition(s).",
                active.qualifyingCodes());
    }

    /** billing-rules.md 1.2 [S8]: RPM is for acute or chronic conditions, so one active condition of any duration. */
    public static Eligibility rpm(List<Condition> conditions, LocalDate day) {
        Map<String, Condition> active = new LinkedHashMap<>();
        for (Condition c : conditions) {
            if (c.activeOn(day)) {
                active.putIfAbsent(c.icd10(), c);
            }
        }
        List<String> codes = List.copyOf(active.keySet());
        if (active.isEmpty()) {
            return new Eligibility(false, "Not eligible for RPM on " + day + ": no active condition (acute or chronic) is recorded"
                    + (conditions.isEmpty() ? "." : "; every recorded condition has ended or not yet begun."), codes);
        }
        return new Eligibility(true, "Eligible for RPM on " + day + ": active condition(s) "
                + active.values().stream().map(Condition::label).collect(Collectors.joining("; ")) + ".", codes);
    }

    private static String whyNotChronicForCcm(Condition c, LocalDate day) {
        if (c.endedOn() != null && !day.isBefore(c.endedOn())) {
            return "ended " + c.endedOn();
        }
        if (c.onset() != null && c.onset().isAfter(day)) {
            return "onset " + c.onset() + " is after " + day;
        }
        if (!c.expectedDuration().isChronicForCcm()) {
            return "expected to last " + c.expectedDuration().words();
        }
        if (!c.significantRisk()) {
            return "not marked as placing the patient at significant risk";
        }
        return null;
    }
}
