-- Plain PostgreSQL: readings range-partitioned by month of measured_at (partitions are created ahead by ingest's
-- PartitionMaintenance), and a daily rollup of data days that ingest maintains in the same transaction as the readings.

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
    -- The identity of a reading (DESIGN.md): a re-sent or redelivered reading is stored once.
    PRIMARY KEY (device_id, type, measured_at)
) PARTITION BY RANGE (measured_at);
CREATE INDEX reading_patient_time ON reading (patient_id, measured_at);

CREATE TABLE reading_day (
    practice_id    uuid NOT NULL,
    patient_id     uuid NOT NULL,
    local_date     date NOT NULL,
    reading_count  bigint NOT NULL,
    PRIMARY KEY (patient_id, local_date)
);

-- Monthly partitions [first of month, first of next month) in UTC, created when missing. Serialised by an advisory
-- lock so that several ingest processes starting together do not race on CREATE TABLE.
CREATE FUNCTION ensure_reading_partitions(from_time timestamptz, to_time timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    month_start timestamp := date_trunc('month', from_time AT TIME ZONE 'UTC');
    created integer := 0;
    partition_name text;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('careloop.ingest.reading.partitions'));
    WHILE month_start <= to_time AT TIME ZONE 'UTC' LOOP
        partition_name := 'reading_' || to_char(month_start, 'YYYY_MM');
        IF to_regclass(format('%I.%I', '${flyway:defaultSchema}', partition_name)) IS NULL THEN
            EXECUTE format('CREATE TABLE %I.%I PARTITION OF %I.reading FOR VALUES FROM (%L) TO (%L)',
                           '${flyway:defaultSchema}', partition_name, '${flyway:defaultSchema}',
                           month_start::text || '+00', (month_start + interval '1 month')::text || '+00');
            created := created + 1;
        END IF;
        month_start := month_start + interval '1 month';
    END LOOP;
    RETURN created;
END $$;

-- Retention on plain PostgreSQL: drop whole monthly partitions that end before the cut-off.
-- The reading_day rollup is kept: it is the billing evidence for data days.
CREATE FUNCTION drop_reading_partitions_before(cutoff timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    part record;
    dropped integer := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('careloop.ingest.reading.partitions'));
    FOR part IN
        SELECT c.relname
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        JOIN pg_class p ON p.oid = i.inhparent
        JOIN pg_namespace n ON n.oid = p.relnamespace
        WHERE p.relname = 'reading' AND n.nspname = '${flyway:defaultSchema}' AND c.relname ~ '^reading_\d{4}_\d{2}$'
    LOOP
        IF (to_date(substr(part.relname, 9), 'YYYY_MM') + interval '1 month') AT TIME ZONE 'UTC' <= cutoff THEN
            EXECUTE format('DROP TABLE %I.%I', '${flyway:defaultSchema}', part.relname);
            dropped := dropped + 1;
        END IF;
    END LOOP;
    RETURN dropped;
END $$;
