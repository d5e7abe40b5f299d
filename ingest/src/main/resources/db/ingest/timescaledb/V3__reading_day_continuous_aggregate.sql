-- Data days per patient per local day. A local day spans at most two UTC day buckets, so a patient-day may have two
-- rows here; the application always sums or counts DISTINCT local_date, which gives the same answer on both modes.
CREATE MATERIALIZED VIEW reading_day
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '1 day', measured_at) AS bucket,
       practice_id,
       patient_id,
       local_date,
       count(*) AS reading_count
FROM reading
GROUP BY bucket, practice_id, patient_id, local_date
WITH NO DATA;

SELECT add_continuous_aggregate_policy('reading_day',
    start_offset => INTERVAL '90 days',
    end_offset => INTERVAL '1 hour',
    schedule_interval => INTERVAL '15 minutes');
