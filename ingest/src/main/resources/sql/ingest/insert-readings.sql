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
    -- Hand the new readings to the clinical evaluator in the same transaction: one ingest.evaluation_batch row for
    -- the whole batch (V9), not one per reading. The aggregates read the same rows in one pass, so the arrays line up.
    INSERT INTO ingest.evaluation_batch (size, practice_ids, patient_ids, device_ids, types, measured_ats)
    SELECT count(*), array_agg(practice_id), array_agg(patient_id), array_agg(device_id), array_agg(type), array_agg(measured_at)
    FROM inserted
    HAVING count(*) > 0
)
-- @rollup
SELECT count(*) FROM inserted
