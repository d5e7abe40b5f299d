-- The data-day rollup of plain PostgreSQL, maintained in the same statement as the insert (see ../insert-readings.sql).
, days AS (
    INSERT INTO ingest.reading_day (practice_id, patient_id, local_date, reading_count)
    SELECT practice_id, patient_id, local_date, count(*)
    FROM inserted
    GROUP BY practice_id, patient_id, local_date
    -- A fixed order of row locks keeps concurrent ingest processes from deadlocking on the same patient-days.
    ORDER BY patient_id, local_date
    ON CONFLICT (patient_id, local_date) DO UPDATE SET reading_count = reading_day.reading_count + EXCLUDED.reading_count
)
