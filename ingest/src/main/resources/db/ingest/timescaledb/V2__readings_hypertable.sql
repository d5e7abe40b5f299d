-- TimescaleDB: readings in a hypertable (7-day chunks) with compression; retention and the compression policy are
-- (re)applied at start-up from configuration by StorageMaintenance. The data-day rollup is a continuous aggregate,
-- created in V3 because TimescaleDB refuses to create one inside a transaction.

CREATE TABLE reading (
    device_id                text NOT NULL,
    type                     text NOT NULL,
    measured_at              timestamptz NOT NULL,
    practice_id              uuid NOT NULL,
    patient_id               uuid NOT NULL,
    -- The calendar day of measured_at in the practice's time zone: the unit of a data day (billing-rules.md 1.3).
    local_date               date NOT NULL,
    measured_offset_minutes  smallint NOT NULL,
    received_at              timestamptz NOT NULL,
    reading_id               text,
    systolic                 smallint,
    diastolic                smallint,
    pulse                    smallint,
    glucose_mg_dl            numeric(6, 1),
    meal_context             text,
    weight_kg                numeric(6, 2),
    spo2                     numeric(4, 1),
    unit                     text NOT NULL,
    loinc                    text NOT NULL,
    source_unit              text,
    PRIMARY KEY (device_id, type, measured_at)
);
CREATE INDEX reading_patient_time ON reading (patient_id, measured_at);

SELECT create_hypertable('reading', by_range('measured_at', INTERVAL '7 days'));

ALTER TABLE reading SET (
    timescaledb.compress,
    timescaledb.compress_segmentby = 'patient_id',
    timescaledb.compress_orderby = 'measured_at DESC'
);
