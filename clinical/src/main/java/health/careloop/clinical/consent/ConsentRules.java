package health.careloop.clinical.consent;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Which consent, if any, covers a program on a day for a billing practitioner. Pure: no database, no clock. */
public final class ConsentRules {
    private ConsentRules() {
    }

    /** The outcome: the consent that covers the day (empty when none) and a sentence saying why. */
    public record Check(Optional<ConsentRecord> consent, String reason) {
        public boolean consented() {
            return consent.isPresent();
        }
    }

    /** The required elements the patient was not told, in a fixed order. */
    public static Set<ConsentElement> missingElements(Program program, Set<ConsentElement> told) {
        Set<ConsentElement> missing = EnumSet.noneOf(ConsentElement.class);
        for (ConsentElement element : program.requiredElements()) {
            if (!told.contains(element)) {
                missing.add(element);
            }
        }
        return missing;
    }

    /** "CCM consent is incomplete: the patient must be told that …; that … (onePractitionerPerMonth, mayStopAnyTime)." */
    public static String describeMissing(Program program, Set<ConsentElement> missing) {
        return program.name() + " consent is incomplete: the patient must be told "
                + missing.stream().map(ConsentElement::told).collect(Collectors.joining("; and "))
                + " (" + missing.stream().map(ConsentElement::wireName).collect(Collectors.joining(", ")) + " must be true).";
    }

    /**
     * The newest consent to the program valid on the day. For CCM, when practitioner is given, a consent given before the
     * patient was last enrolled with another billing practitioner does not carry over:
     * billing-rules.md 2.2 [S21] (consent again when the patient changes billing practitioner) and 7 item 7.
     */
    public static Check covering(Program program, LocalDate day, UUID practitioner, List<ConsentRecord> consents, List<Enrolment> enrolments) {
        List<ConsentRecord> ofProgram = consents.stream().filter(c -> c.program() == program)
                .sorted(Comparator.comparing(ConsentRecord::obtainedOn).thenComparing(ConsentRecord::recordedAt).reversed()).toList();
        if (ofProgram.isEmpty()) {
            return new Check(Optional.empty(), "No " + program.name() + " consent is recorded.");
        }
        LocalDate changedPractitionerOn = null;
        if (program.isCareManagement() && practitioner != null) {
            changedPractitionerOn = enrolments.stream()
                    .filter(e -> e.program() == program && !e.billingPractitionerId().equals(practitioner) && !e.startDate().isAfter(day))
                    .map(Enrolment::startDate).max(Comparator.naturalOrder()).orElse(null);
        }
        String firstProblem = null;
        for (ConsentRecord c : ofProgram) {
            String problem = problemOn(c, day);
            if (problem == null && changedPractitionerOn != null && !c.obtainedOn().isAfter(changedPractitionerOn)) {
                problem = "the " + program.name() + " consent of " + c.obtainedOn() + " was given before the patient was enrolled with another billing practitioner on "
                        + changedPractitionerOn + "; a change of billing practitioner needs a new consent";
            }
            if (problem == null) {
                return new Check(Optional.of(c), program.name() + " consent (" + c.method() + ") obtained on " + c.obtainedOn()
                        + (c.revokedOn() == null ? "" : ", revoked on " + c.revokedOn() + ", covers through " + c.coversThrough().orElseThrow()) + ".");
            }
            if (firstProblem == null) {
                firstProblem = problem;
            }
        }
        return new Check(Optional.empty(), "No valid " + program.name() + " consent on " + day + ": " + firstProblem + ".");
    }

    private static String problemOn(ConsentRecord c, LocalDate day) {
        if (!c.accepted()) {
            return "the patient declined on " + c.obtainedOn();
        }
        if (c.obtainedOn().isAfter(day)) {
            return "consent was obtained later, on " + c.obtainedOn();
        }
        if (!c.validOn(day)) {
            return "consent was revoked on " + c.revokedOn() + " (covered through " + c.coversThrough().orElseThrow() + ")";
        }
        return null;
    }
}
