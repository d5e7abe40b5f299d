package health.careloop.simulator.registration;

import health.careloop.simulator.physiology.Condition;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The billable ICD-10-CM codes for a simulated patient's conditions (billing-rules.md 5): combination codes where
 * hypertension meets heart failure or CKD (the link is presumed), never a category header such as N18.3 or E11.
 */
public final class Diagnoses {
    private Diagnoses() {
    }

    public record Diagnosis(String icd10, String description) {
    }

    public static List<Diagnosis> of(Set<Condition> conditions) {
        boolean hypertension = conditions.contains(Condition.HYPERTENSION);
        boolean heartFailure = conditions.contains(Condition.HEART_FAILURE);
        boolean ckd = conditions.contains(Condition.CHRONIC_KIDNEY_DISEASE);
        List<Diagnosis> codes = new ArrayList<>();
        if (hypertension && heartFailure && ckd) {
            codes.add(new Diagnosis("I13.0", "Hypertensive heart and chronic kidney disease with heart failure and stage 1-4 CKD"));
        } else if (hypertension && heartFailure) {
            codes.add(new Diagnosis("I11.0", "Hypertensive heart disease with heart failure"));
        } else if (hypertension && ckd) {
            codes.add(new Diagnosis("I12.9", "Hypertensive chronic kidney disease with stage 1-4 CKD"));
        } else if (hypertension) {
            codes.add(new Diagnosis("I10", "Essential (primary) hypertension"));
        }
        if (heartFailure) {
            codes.add(new Diagnosis("I50.9", "Heart failure, unspecified"));
        }
        if (ckd) {
            codes.add(new Diagnosis("N18.30", "Chronic kidney disease, stage 3 unspecified"));
        }
        if (conditions.contains(Condition.TYPE_2_DIABETES)) {
            codes.add(ckd ? new Diagnosis("E11.22", "Type 2 diabetes mellitus with diabetic chronic kidney disease")
                    : new Diagnosis("E11.9", "Type 2 diabetes mellitus without complications"));
        }
        if (conditions.contains(Condition.COPD)) {
            codes.add(new Diagnosis("J44.9", "Chronic obstructive pulmonary disease, unspecified"));
        }
        return codes;
    }
}
