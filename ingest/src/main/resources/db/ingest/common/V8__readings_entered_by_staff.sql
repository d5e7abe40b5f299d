-- Readings entered by a person (issue 16): a value the patient phones in, a measurement taken in the clinic. They are
-- clinical data (plotted, judged by the same rules) but not device-transmitted data, which is all CMS counts as an RPM
-- data day (billing-rules.md 1.3). They live in their own table, so neither the rollup table (plain PostgreSQL) nor
-- the continuous aggregate (TimescaleDB), both over ingest.reading, can ever count them: a data day stays what a
-- device sent. Read together with device readings through ReadingQueries under the pseudo device id
-- 'careloop-entered-<patient id>' (the careloop- prefix can never be registered as a device).
CREATE TABLE entered_reading (
    id             uuid PRIMARY KEY,
    practice_id    uuid NOT NULL REFERENCES core.practice (id),
    patient_id     uuid NOT NULL REFERENCES core.patient (id),
    type           text NOT NULL CHECK (type IN ('blood_pressure', 'blood_glucose', 'body_weight', 'oxygen_saturation')),
    measured_at    timestamptz NOT NULL,
    local_date     date NOT NULL,
    -- How the value reached the care team.
    source         text NOT NULL CHECK (source IN ('phoned_in', 'clinic')),
    systolic       smallint,
    diastolic      smallint,
    pulse          smallint,
    glucose_mg_dl  numeric(6, 1),
    meal_context   text,
    weight_kg      numeric(6, 2),
    spo2           numeric(4, 1),
    unit           text NOT NULL,
    loinc          text NOT NULL,
    source_unit    text,
    note           text CHECK (length(note) <= 2000),
    -- Who entered it and when: the audit of a value no device vouches for.
    entered_by     uuid NOT NULL REFERENCES core.staff_user (id),
    entered_at     timestamptz NOT NULL DEFAULT now(),
    -- Stored once: the same value entered twice (a double click, two colleagues) is one reading.
    UNIQUE (patient_id, type, measured_at)
);
CREATE INDEX entered_reading_patient_time ON entered_reading (patient_id, measured_at);
