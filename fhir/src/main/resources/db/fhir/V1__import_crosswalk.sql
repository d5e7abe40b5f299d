-- Which CareLoop record each imported source record became (issue 17): the import is idempotent by the source's
-- identifiers. A row per (practice, resource type, identifier system, identifier value); the content hash of what was
-- imported last tells an unchanged record (nothing to do) from a changed one (an update, audited).
CREATE TABLE import_crosswalk (
    practice_id    uuid        NOT NULL REFERENCES core.practice (id),
    resource_type  text        NOT NULL CHECK (resource_type IN ('Patient', 'Practitioner', 'Condition', 'Consent', 'CarePlan', 'Encounter', 'Device')),
    source_system  text        NOT NULL CHECK (length(source_system) BETWEEN 1 AND 300),
    source_value   text        NOT NULL CHECK (length(source_value) BETWEEN 1 AND 200),
    patient_id     uuid        REFERENCES core.patient (id),
    target_id      text        NOT NULL,
    content_hash   text        NOT NULL,
    first_imported timestamptz NOT NULL DEFAULT now(),
    last_imported  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (practice_id, resource_type, source_system, source_value)
);
CREATE INDEX import_crosswalk_patient ON import_crosswalk (patient_id);
