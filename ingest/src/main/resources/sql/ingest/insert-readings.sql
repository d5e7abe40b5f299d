-- One round trip per batch: all readings as column arrays. Returns how many were new (the rest were duplicates).
-- On plain PostgreSQL ingest keeps the data-day rollup itself: ReadingStore puts postgres/reading-day-rollup.sql in
-- place of the marker below. On TimescaleDB the rollup is the continuous aggregate ingest.reading_day.
WITH input AS (
    SELECT *
    FROM unnest(?::text[], ?::text[], ?::timestamptz[], ?::uuid[], ?::uuid[], ?::date[], ?::smallint[], ?::timestamptz[],
                ?::text[], ?::smallint[], ?::smallint[], ?::smallint[], ?::numeric[], ?::text[], ?::numeric[], ?::numeric[],
                ?::text[], ?::text[], ?::text[], ?::smallint[])
        AS t (device_id, type, measured_at, practice_id, patient_id, local_date, measured_offset_minutes, received_at,
              reading_id, systolic, diastolic, pulse, glucose_mg_dl, meal_context, weight_kg, spo2, unit, loinc, source_unit,
              battery_percent)
), inserted AS (
    INSERT INTO ingest.reading (device_id, type, measured_at, practice_id, patient_id, local_date, measured_offset_minutes,
                                received_at, reading_id, systolic, diastolic, pulse, glucose_mg_dl, meal_context, weight_kg,
                                spo2, unit, loinc, source_unit, battery_percent)
    SELECT * FROM input
    -- The natural key (device_id, type, measured_at) makes redeliveries and re-sends no-ops.
    ON CONFLICT DO NOTHING
    RETURNING practice_id, patient_id, local_date, device_id, type, measured_at
), queued AS (
    -- Hand each new reading to the clinical evaluator in the same transaction (ingest.evaluation_queue).
    INSERT INTO ingest.evaluation_queue (practice_id, patient_id, device_id, type, measured_at)
    SELECT practice_id, patient_id, device_id, type, measured_at FROM inserted
)
-- @rollup
SELECT count(*) FROM inserted
