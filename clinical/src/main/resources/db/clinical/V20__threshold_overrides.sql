-- Per-patient alert thresholds (issue 4, rules). Defaults and condition-specific values live in code next to their
-- clinical source (health.careloop.clinical.rules.ThresholdKey); this table holds only a provider's overrides, and
-- every change is kept in threshold_change (who, when, old and new value, reason).

CREATE TABLE threshold_override (
    practice_id  uuid NOT NULL REFERENCES core.practice (id),
    patient_id   uuid NOT NULL REFERENCES core.patient (id),
    key          text NOT NULL CHECK (key ~ '^[a-z0-9_.]{1,64}$'),
    value        numeric(8, 2) NOT NULL,
    set_by       text NOT NULL,
    set_at       timestamptz NOT NULL DEFAULT now(),
    reason       text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
    PRIMARY KEY (patient_id, key)
);

CREATE TABLE threshold_change (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    practice_id  uuid NOT NULL REFERENCES core.practice (id),
    patient_id   uuid NOT NULL REFERENCES core.patient (id),
    key          text NOT NULL,
    -- NULL old value: there was no override (the default applied); NULL new value: the override was removed.
    old_value    numeric(8, 2),
    new_value    numeric(8, 2),
    changed_by   text NOT NULL,
    changed_at   timestamptz NOT NULL DEFAULT now(),
    reason       text NOT NULL
);
CREATE INDEX threshold_change_patient ON threshold_change (patient_id, changed_at);
