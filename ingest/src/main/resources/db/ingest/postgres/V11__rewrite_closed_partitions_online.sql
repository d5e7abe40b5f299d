-- Issue 19, plain PostgreSQL: a closed month is rewritten in (patient_id, measured_at) order without holding it.
-- V10's CLUSTER held an ACCESS EXCLUSIVE lock on the month's partition for the whole rewrite (minutes at 100,000
-- patients): every chart reaching into that month, and every ingest batch holding a late reading for it, waited.
-- PartitionRewrite (Java) now copies the month in patient order into a new table while the partition stays readable
-- and writable, captures the readings that arrive for it meanwhile with the trigger below, and swaps the two in one
-- short transaction (DESIGN.md §3, "A patient's rows together").
DROP FUNCTION cluster_closed_reading_partitions(timestamptz, integer);

-- Copies each reading inserted into the partition being rewritten into the side table named by the trigger's
-- argument, so the swap can add the readings the copy's snapshot did not see. Readings are never updated or deleted
-- one by one (retention drops whole partitions), so inserts are all there is to capture.
CREATE FUNCTION reading_rewrite_capture() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('INSERT INTO %s SELECT ($1).*', TG_ARGV[0]) USING NEW;
    RETURN NULL;
END $$;
