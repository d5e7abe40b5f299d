-- Every change an import made (issue 17), with who made it: a created or updated record of the panel, by the source
-- record's identity. The HTTP call is in core's audit trail too; this says what it changed, record by record.
CREATE TABLE import_event (
    id             bigserial   PRIMARY KEY,
    practice_id    uuid        NOT NULL REFERENCES core.practice (id),
    at             timestamptz NOT NULL DEFAULT now(),
    actor          text        NOT NULL,
    resource_type  text        NOT NULL,
    source_system  text        NOT NULL,
    source_value   text        NOT NULL,
    action         text        NOT NULL CHECK (action IN ('created', 'updated')),
    target_id      text        NOT NULL,
    patient_id     uuid        REFERENCES core.patient (id),
    detail         text        NOT NULL
);
CREATE INDEX import_event_practice ON import_event (practice_id, at DESC);
