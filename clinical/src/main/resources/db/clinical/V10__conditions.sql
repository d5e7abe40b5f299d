-- Chronic conditions, shared by the patients/programs part (eligibility) and the rules part (condition-specific
-- thresholds) of the clinical tier. ICD-10-CM billable leaf codes, without the decimal point's meaning changed:
-- stored as written with the dot (E11.9), exported without it in X12 (billing-rules.md section 4).
CREATE TABLE condition (
    id                 uuid PRIMARY KEY,
    practice_id        uuid NOT NULL REFERENCES core.practice (id),
    patient_id         uuid NOT NULL REFERENCES core.patient (id),
    icd10              text NOT NULL CHECK (icd10 ~ '^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$'),
    description        text NOT NULL CHECK (length(description) BETWEEN 1 AND 300),
    onset              date,
    -- How long the condition is expected to last: CCM needs >= 12 months or until death (billing-rules.md 2.2).
    expected_duration  text NOT NULL CHECK (expected_duration IN ('under_3_months', '3_to_12_months', 'at_least_12_months', 'lifelong')),
    -- Places the patient at significant risk of death, exacerbation, decompensation or functional decline.
    significant_risk   boolean NOT NULL DEFAULT true,
    ended_on           date,
    recorded_by        text NOT NULL,
    recorded_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX condition_patient ON condition (patient_id);
