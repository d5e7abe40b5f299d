package health.careloop.fhir.r4;

import health.careloop.clinical.careplan.CarePlan;
import health.careloop.clinical.careplan.CarePlanVersion;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

import java.util.Date;

/**
 * A care plan version as a FHIR CarePlan: the current version active, earlier ones revoked and replaced by the next;
 * created and period start are the day it was established (which billing reads: a plan established in September counts
 * for October). Problems address the patient's Conditions; goals are contained Goals (what is measured, the target as
 * text, the target date); interventions and medications are activities; the rest are notes.
 */
public final class CarePlanResources {
    public static final String SNOMED_CARE_PLAN = "734163000";

    private CarePlanResources() {
    }

    /** @param current whether this is the patient's newest version */
    public static org.hl7.fhir.r4.model.CarePlan of(CarePlanVersion v, boolean current, String previousVersionId) {
        org.hl7.fhir.r4.model.CarePlan r = new org.hl7.fhir.r4.model.CarePlan();
        r.setId(v.id().toString());
        r.setStatus(current ? org.hl7.fhir.r4.model.CarePlan.CarePlanStatus.ACTIVE : org.hl7.fhir.r4.model.CarePlan.CarePlanStatus.REVOKED);
        r.setIntent(org.hl7.fhir.r4.model.CarePlan.CarePlanIntent.PLAN);
        r.addCategory(new CodeableConcept(new Coding(CodeSystems.SNOMED, SNOMED_CARE_PLAN, "Care plan")));
        r.setTitle("Comprehensive care plan, version " + v.version());
        r.setSubject(new Reference("Patient/" + v.patientId()));
        r.setCreatedElement(Dates.day(v.establishedOn()));
        r.setPeriod(new Period().setStartElement(Dates.day(v.establishedOn())));
        r.setAuthor(new Reference().setDisplay(v.authorName()));
        if (previousVersionId != null) {
            r.addReplaces(new Reference("CarePlan/" + previousVersionId));
        }
        CarePlan plan = v.plan();
        r.setDescription(plan.expectedOutcome());
        for (CarePlan.Problem problem : plan.problems()) {
            r.addAddresses(new Reference("Condition/" + problem.conditionId()).setDisplay(problem.icd10() + " " + problem.description()));
        }
        int n = 0;
        for (CarePlan.Goal goal : plan.goals()) {
            Goal g = new Goal();
            g.setId("goal" + ++n);
            g.setLifecycleStatus(Goal.GoalLifecycleStatus.ACTIVE);
            g.setDescription(new CodeableConcept().setText(goal.description()));
            g.setSubject(new Reference("Patient/" + v.patientId()));
            g.addTarget().setMeasure(new CodeableConcept().setText(goal.description())).setDetail(new StringType(goal.target()))
                    .setDue(Dates.date(goal.targetDate()));
            r.addContained(g);
            r.addGoal(new Reference("#" + g.getId()));
        }
        for (CarePlan.Intervention i : plan.interventions()) {
            var detail = r.addActivity().getDetail();
            detail.setStatus(org.hl7.fhir.r4.model.CarePlan.CarePlanActivityStatus.INPROGRESS).setDescription(i.description());
            if (i.responsibleParty() != null && !i.responsibleParty().isBlank()) {
                detail.addPerformer(new Reference().setDisplay(i.responsibleParty()));
            }
        }
        for (CarePlan.Medication m : plan.medications()) {
            r.addActivity().getDetail().setKind(org.hl7.fhir.r4.model.CarePlan.CarePlanActivityKind.MEDICATIONREQUEST)
                    .setStatus(org.hl7.fhir.r4.model.CarePlan.CarePlanActivityStatus.INPROGRESS)
                    .setProduct(new CodeableConcept().setText(m.name()))
                    .setDescription(String.join(", ", nonBlank(m.dose()), nonBlank(m.frequency())));
        }
        note(r, "Prognosis", plan.prognosis());
        note(r, "Symptom management", plan.symptomManagement());
        for (CarePlan.CommunityResource c : plan.communityResources()) {
            note(r, "Community resource", c.name() + (c.details() == null ? "" : " — " + c.details()));
        }
        for (CarePlan.CoordinatingProvider p : plan.coordinatingProviders()) {
            note(r, "Coordinating provider", p.name() + " (" + p.role() + ")" + (p.contact() == null ? "" : " — " + p.contact()));
        }
        if (plan.reviewDate() != null) {
            note(r, "Review by", plan.reviewDate().toString());
        }
        r.getMeta().setLastUpdatedElement(new org.hl7.fhir.r4.model.InstantType(Date.from(v.createdAt())));
        return r;
    }

    private static String nonBlank(String s) {
        return s == null || s.isBlank() ? "as directed" : s;
    }

    private static void note(org.hl7.fhir.r4.model.CarePlan r, String label, String text) {
        if (text != null && !text.isBlank()) {
            r.addNote().setText(label + ": " + text).setTimeElement(new DateTimeType(new Date()));
        }
    }
}
