-- Practices (tenants), the minimal patient identity every tier refers to, and the audit trail of API access.
-- The clinical tier (issue 4) adds the patient's demographics, conditions and consent in its own schema.

CREATE TABLE practice (
    id          uuid PRIMARY KEY,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- IANA zone; a data day and a billing month are days in this zone (billing-rules.md 1.3).
    time_zone   text NOT NULL CHECK (length(time_zone) BETWEEN 1 AND 64),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE patient (
    id            uuid PRIMARY KEY,
    practice_id   uuid NOT NULL REFERENCES practice (id),
    -- The practice's own identifier for the patient (an MRN or a simulator's reference); no name here.
    external_ref  text NOT NULL CHECK (length(external_ref) BETWEEN 1 AND 100),
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (practice_id, external_ref)
);

CREATE TABLE audit_event (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    actor        text NOT NULL,
    action       text NOT NULL,
    resource     text NOT NULL,
    practice_id  uuid,
    patient_id   uuid,
    outcome      smallint NOT NULL
);
CREATE INDEX audit_event_patient ON audit_event (patient_id, at) WHERE patient_id IS NOT NULL;
