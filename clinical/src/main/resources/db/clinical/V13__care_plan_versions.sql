-- Comprehensive care plans (billing-rules.md 2.2 [S17][S52]), versioned: every change is a new row, never an update,
-- so the plan the patient was given on any day can be shown again, with who changed what and why.
CREATE TABLE care_plan_version (
    id                uuid PRIMARY KEY,
    practice_id       uuid NOT NULL REFERENCES core.practice (id),
    patient_id        uuid NOT NULL REFERENCES core.patient (id),
    version           integer NOT NULL CHECK (version >= 1),
    -- The plan as a document: problems, expectedOutcome, prognosis, goals, symptomManagement, interventions,
    -- medications, communityResources, coordinatingProviders, reviewDate (CarePlan.toJson).
    plan              jsonb NOT NULL CHECK (jsonb_typeof(plan) = 'object'),
    review_date       date NOT NULL,
    change_note       text NOT NULL CHECK (length(change_note) BETWEEN 1 AND 2000),
    changed_sections  text[] NOT NULL,
    author_actor      text NOT NULL,
    author_staff_id   uuid REFERENCES core.staff_user (id),
    author_name       text NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (patient_id, version)
);
CREATE INDEX care_plan_version_review ON care_plan_version (practice_id, review_date);

CREATE FUNCTION care_plan_version_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'care plan versions are never changed or deleted; write a new version';
END
$$;
CREATE TRIGGER care_plan_version_append_only BEFORE UPDATE OR DELETE ON care_plan_version
    FOR EACH ROW EXECUTE FUNCTION care_plan_version_is_append_only();
