-- Issue 16: the person who writes a care plan version says whether it is a substantial revision (complex CCM needs the
-- plan established or substantially revised in the month, billing-rules.md 2.1), and each copy given to the patient
-- (billing-rules.md 2.2: a copy to the patient) is recorded with its day and how it was given.
-- NULL for versions written before this column existed (and imports that do not say): the month close then judges by
-- the sections that changed, as before.
ALTER TABLE care_plan_version ADD COLUMN substantial_revision boolean;

CREATE TABLE care_plan_copy (
    id                    uuid PRIMARY KEY,
    practice_id           uuid NOT NULL REFERENCES core.practice (id),
    patient_id            uuid NOT NULL REFERENCES core.patient (id),
    care_plan_version_id  uuid NOT NULL REFERENCES care_plan_version (id),
    given_on              date NOT NULL,
    method                text NOT NULL CHECK (method IN ('in_person', 'mail', 'portal', 'email')),
    recorded_by           text NOT NULL,
    recorded_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX care_plan_copy_version ON care_plan_copy (care_plan_version_id);
CREATE INDEX care_plan_copy_patient ON care_plan_copy (patient_id);
