-- Devices, their assignments to patients, and the dead letters of ingest. Same on PostgreSQL and TimescaleDB.

CREATE TABLE device (
    device_id      text PRIMARY KEY CHECK (device_id ~ '^[A-Za-z0-9._-]{1,64}$'),
    -- Device ids are unique across practices; the registration names the practice (DESIGN.md, "Practices").
    practice_id    uuid NOT NULL REFERENCES core.practice (id),
    kind           text NOT NULL CHECK (kind IN ('blood_pressure_cuff', 'glucometer', 'scale', 'pulse_oximeter')),
    model          text CHECK (length(model) <= 200),
    registered_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX device_practice ON device (practice_id);

-- A device belongs to one patient at a time; it can move to another. Readings are attributed by measured_at.
CREATE TABLE device_assignment (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    device_id    text NOT NULL REFERENCES device (device_id),
    practice_id  uuid NOT NULL REFERENCES core.practice (id),
    patient_id   uuid NOT NULL REFERENCES core.patient (id),
    valid_from   timestamptz NOT NULL,
    valid_to     timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX device_assignment_device ON device_assignment (device_id, valid_from);
CREATE INDEX device_assignment_patient ON device_assignment (patient_id);

-- Everything the broker delivered that did not become a reading, with the raw bytes, so nothing is lost silently.
CREATE TABLE dead_letter (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    received_at    timestamptz NOT NULL,
    topic          text NOT NULL,
    device_id      text,
    reason         text NOT NULL,
    detail         text NOT NULL,
    element_index  integer,
    payload        bytea NOT NULL
);
CREATE INDEX dead_letter_received ON dead_letter (received_at);
CREATE INDEX dead_letter_device ON dead_letter (device_id, received_at);
