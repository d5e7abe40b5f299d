package health.careloop.fhir.panel;

import health.careloop.clinical.careplan.CarePlan;
import health.careloop.fhir.panel.FhirPanelReader.Refusal;
import health.careloop.fhir.panel.PanelItem.Key;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A FHIR CarePlan as a CareLoop care plan version: established on its period start (else its created day; billing
 * counts it from then), problems from {@code addresses}, measurable goals from its Goals (description, target, due
 * date), interventions and medications from its activities, expected outcome from its description, and prognosis,
 * symptom management and review date from notes labelled so (as CareLoop writes them).
 */
final class FhirCarePlans {
    private FhirCarePlans() {
    }

    static PanelItem read(String label, org.hl7.fhir.r4.model.CarePlan r, FhirPanelReader reader) {
        Key key = reader.keyOf(r);
        Key patient = reader.reference(r.getSubject(), "subject", "Patient");
        LocalDate established;
        if (r.getPeriod().hasStart()) {
            established = FhirPanelReader.day(r.getPeriod().getStartElement(), "period.start");
        } else if (r.hasCreated()) {
            established = FhirPanelReader.day(r.getCreatedElement(), "created");
        } else {
            throw new Refusal("missing date: it has neither period.start nor created (the day it was established)");
        }
        List<Key> conditions = new ArrayList<>();
        List<CarePlan.Problem> problems = new ArrayList<>();
        for (Reference addressed : r.getAddresses()) {
            conditions.add(reader.reference(addressed, "addressed condition", "Condition"));
            problems.add(new CarePlan.Problem(null, null, addressed.getDisplay()));
        }
        List<CarePlan.Goal> goals = new ArrayList<>();
        for (Reference ref : r.getGoal()) {
            Resource found = ref.getReference() != null && ref.getReference().startsWith("#")
                    ? r.getContained().stream().filter(c -> ref.getReference().equals("#" + c.getIdElement().getIdPart())).findFirst().orElse(null)
                    : reader.resource(ref);
            if (!(found instanceof Goal goal)) {
                throw new Refusal("its goal " + ref.getReference() + " is not a Goal in the CarePlan or the Bundle");
            }
            String description = goal.getDescription().hasText() ? goal.getDescription().getText() : goal.getDescription().getCodingFirstRep().getDisplay();
            Goal.GoalTargetComponent target = goal.getTargetFirstRep();
            String targetText = target.hasDetailStringType() ? target.getDetailStringType().getValue()
                    : target.hasDetailQuantity() ? target.getDetailQuantity().getValue().toPlainString() + " " + target.getDetailQuantity().getUnit() : null;
            if (description == null || targetText == null) {
                throw new Refusal("its goal " + ref.getReference() + " has no description or no measurable target (target.detail)");
            }
            if (!target.hasDueDateType()) {
                throw new Refusal("missing date: its goal '" + description + "' has no target.dueDate");
            }
            goals.add(new CarePlan.Goal(description, targetText, FhirPanelReader.day(target.getDueDateType(), "goal target.dueDate")));
        }
        List<CarePlan.Intervention> interventions = new ArrayList<>();
        List<CarePlan.Medication> medications = new ArrayList<>();
        for (var activity : r.getActivity()) {
            var detail = activity.getDetail();
            if (detail.getKind() == org.hl7.fhir.r4.model.CarePlan.CarePlanActivityKind.MEDICATIONREQUEST && detail.hasProductCodeableConcept()) {
                String[] doseAndFrequency = (detail.hasDescription() ? detail.getDescription() : "").split(",", 2);
                medications.add(new CarePlan.Medication(detail.getProductCodeableConcept().getText(), doseAndFrequency[0].trim(),
                        doseAndFrequency.length > 1 ? doseAndFrequency[1].trim() : ""));
            } else if (detail.hasDescription()) {
                interventions.add(new CarePlan.Intervention(detail.getDescription(),
                        detail.hasPerformer() ? detail.getPerformerFirstRep().getDisplay() : null));
            }
        }
        String prognosis = note(r, "Prognosis");
        String symptoms = note(r, "Symptom management");
        String review = note(r, "Review by");
        LocalDate reviewDate = review != null ? LocalDate.parse(review.trim()) : r.getPeriod().hasEnd()
                ? FhirPanelReader.day(r.getPeriod().getEndElement(), "period.end") : established.plusYears(1);
        CarePlan plan = new CarePlan(problems, r.hasDescription() ? r.getDescription() : null, prognosis, goals, symptoms, interventions, medications,
                List.of(), List.of(), reviewDate);
        return new PanelItem.CarePlanRecord(label, key, patient, established, plan, conditions);
    }

    private static String note(org.hl7.fhir.r4.model.CarePlan r, String label) {
        for (Annotation a : r.getNote()) {
            if (a.getText() != null && a.getText().startsWith(label + ":")) {
                return a.getText().substring(label.length() + 1).trim();
            }
        }
        return null;
    }
}
