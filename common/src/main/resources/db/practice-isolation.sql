-- Row-level security between practices (PracticeIsolation.java). Idempotent; run at every start after the migrations.
-- Staff requests run as careloop_practice_staff with careloop.practice_id set (PracticeScope.java).
DO $isolation$
DECLARE
    t record;
    condition text;
    continuous_aggregate boolean;
BEGIN
    -- Several processes may start at once (two ingest replicas); one at a time here.
    PERFORM pg_advisory_xact_lock(hashtext('careloop.practice_isolation'));

    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'careloop_practice_staff') THEN
        BEGIN
            CREATE ROLE careloop_practice_staff NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- another database of the same cluster made it meanwhile
        END;
    END IF;
    IF NOT pg_has_role(current_user, 'careloop_practice_staff', 'MEMBER') THEN
        EXECUTE format('GRANT careloop_practice_staff TO %I', current_user);
    END IF;

    CREATE OR REPLACE FUNCTION core.current_practice() RETURNS uuid
        LANGUAGE sql STABLE AS $f$ SELECT NULLIF(current_setting('careloop.practice_id', true), '')::uuid $f$;
    GRANT EXECUTE ON FUNCTION core.current_practice() TO careloop_practice_staff;

    FOR t IN
        SELECT n.nspname AS schema_name, c.relname AS table_name, c.relkind,
               EXISTS (SELECT 1 FROM pg_attribute a
                       WHERE a.attrelid = c.oid AND a.attname = 'practice_id' AND NOT a.attisdropped) AS has_practice
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname IN ('core', 'ingest', 'clinical', 'billing', 'fhir')
          AND c.relkind IN ('r', 'p', 'v', 'm')
          AND NOT c.relispartition
          AND c.relname <> 'flyway_schema_history'
    LOOP
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO careloop_practice_staff', t.schema_name);
        EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO careloop_practice_staff', t.schema_name);
        IF t.relkind IN ('v', 'm') THEN
            -- A view runs as its owner, which row-level security does not hold, so a plain view is made to run as the
            -- staff role instead (security_invoker, PostgreSQL 15+): through ingest.evaluation_queue a staff session sees
            -- only its practice's waiting readings. TimescaleDB's continuous aggregates (ingest.reading_day) and
            -- materialised views cannot be; they stay read as their owner, and every query on them names the practice.
            continuous_aggregate := false;
            IF t.relkind = 'v' AND to_regclass('_timescaledb_catalog.continuous_agg') IS NOT NULL THEN
                EXECUTE 'SELECT EXISTS (SELECT 1 FROM _timescaledb_catalog.continuous_agg WHERE user_view_schema = $1 AND user_view_name = $2)'
                    INTO continuous_aggregate USING t.schema_name, t.table_name;
            END IF;
            IF t.relkind = 'v' AND NOT continuous_aggregate THEN
                EXECUTE format('ALTER VIEW %I.%I SET (security_invoker = true)', t.schema_name, t.table_name);
            END IF;
            EXECUTE format('GRANT SELECT ON %I.%I TO careloop_practice_staff', t.schema_name, t.table_name);
            CONTINUE;
        END IF;
        IF t.schema_name = 'core' AND t.table_name = 'audit_event' THEN
            -- Append-only (core V3): staff read their practice's events through the audit API and never write them.
            EXECUTE 'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON core.audit_event FROM careloop_practice_staff';
            EXECUTE 'GRANT SELECT ON core.audit_event TO careloop_practice_staff';
        ELSE
            EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I.%I TO careloop_practice_staff', t.schema_name, t.table_name);
        END IF;
        condition := CASE
            WHEN t.has_practice THEN 'practice_id = core.current_practice()'
            WHEN t.schema_name = 'core' AND t.table_name = 'practice' THEN 'id = core.current_practice()'
            WHEN t.schema_name = 'core' AND t.table_name = 'staff_session' THEN 'staff_id IN (SELECT id FROM core.staff_user)'
            WHEN t.schema_name = 'clinical' AND t.table_name = 'alert_reading' THEN 'alert_id IN (SELECT id FROM clinical.alert)'
            -- One row per ingest batch (ingest V9); a row staff write (an entered reading) holds their practice's only.
            WHEN t.schema_name = 'ingest' AND t.table_name = 'evaluation_batch' THEN 'practice_ids <@ ARRAY[core.current_practice()]'
            ELSE NULL -- dead letters and the like: no policy, so the staff role sees no row
        END;
        BEGIN
            EXECUTE format('ALTER TABLE %I.%I ENABLE ROW LEVEL SECURITY', t.schema_name, t.table_name);
            IF condition IS NOT NULL AND NOT EXISTS (
                    SELECT 1 FROM pg_policy
                    WHERE polrelid = format('%I.%I', t.schema_name, t.table_name)::regclass AND polname = 'practice_isolation') THEN
                EXECUTE format('CREATE POLICY practice_isolation ON %I.%I TO careloop_practice_staff USING (%s) WITH CHECK (%s)',
                               t.schema_name, t.table_name, condition, condition);
            END IF;
        EXCEPTION WHEN feature_not_supported OR object_not_in_prerequisite_state THEN
            RAISE WARNING 'row-level security not available on %.%: %', t.schema_name, t.table_name, SQLERRM;
        END;
    END LOOP;
END
$isolation$;
