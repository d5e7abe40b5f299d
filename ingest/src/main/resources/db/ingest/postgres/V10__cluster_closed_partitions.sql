-- Issue 19, plain PostgreSQL: keep a patient's readings together in closed monthly partitions. Readings arrive in time
-- order from every device at once, so one patient's 90 days lie on hundreds of heap pages; a chart or FHIR search for
-- a patient nobody read lately pays a page read for each (BENCHMARKS.md 9). CLUSTER rewrites a partition in
-- (patient_id, measured_at) order, once, after its month has closed. (TimescaleDB does the same with compression
-- segmented by patient.)
-- Cost: CLUSTER holds an ACCESS EXCLUSIVE lock on that one partition while it rewrites it (readers of that month and
-- a late reading for it wait), and needs free disk about the partition's size; both are measured in BENCHMARKS.md.
-- A late reading for a clustered month is stored at the end of the partition, as before.

CREATE TABLE reading_partition_clustered (
    partition_name text PRIMARY KEY,
    clustered_at   timestamptz NOT NULL DEFAULT now(),
    seconds        numeric(10, 1) NOT NULL,
    bytes_before   bigint NOT NULL,
    bytes_after    bigint NOT NULL
);

-- Clusters at most max_count monthly partitions that ended before closed_before and were not clustered yet, newest
-- first (the months charts read most); returns how many it clustered. Another process already clustering makes this call a no-op.
CREATE FUNCTION cluster_closed_reading_partitions(closed_before timestamptz, max_count integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    part record;
    patient_index name;
    started timestamptz;
    size_before bigint;
    done integer := 0;
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('careloop.ingest.reading.cluster')) THEN
        RETURN 0;
    END IF;
    FOR part IN
        SELECT c.oid AS relid, c.relname
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        JOIN pg_class p ON p.oid = i.inhparent
        JOIN pg_namespace n ON n.oid = p.relnamespace
        WHERE p.relname = 'reading' AND n.nspname = '${flyway:defaultSchema}' AND c.relname ~ '^reading_\d{4}_\d{2}$'
          AND (to_date(substr(c.relname, 9), 'YYYY_MM') + interval '1 month') AT TIME ZONE 'UTC' <= closed_before
          AND NOT EXISTS (SELECT 1 FROM ${flyway:defaultSchema}.reading_partition_clustered d WHERE d.partition_name = c.relname)
        ORDER BY c.relname DESC
        LIMIT max_count
    LOOP
        -- The partition's own index of reading_patient_time (patient_id, measured_at); CLUSTER takes its bare name.
        SELECT ic.relname INTO patient_index
        FROM pg_index ix
        JOIN pg_class ic ON ic.oid = ix.indexrelid
        JOIN pg_inherits ii ON ii.inhrelid = ix.indexrelid
        WHERE ix.indrelid = part.relid AND ii.inhparent = format('%I.reading_patient_time', '${flyway:defaultSchema}')::regclass;
        size_before := pg_total_relation_size(part.relid);
        started := clock_timestamp();
        EXECUTE format('CLUSTER %I.%I USING %I', '${flyway:defaultSchema}', part.relname, patient_index);
        INSERT INTO ${flyway:defaultSchema}.reading_partition_clustered (partition_name, seconds, bytes_before, bytes_after)
        VALUES (part.relname, extract(epoch FROM clock_timestamp() - started), size_before, pg_total_relation_size(part.relid));
        done := done + 1;
    END LOOP;
    RETURN done;
END $$;
