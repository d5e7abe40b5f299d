-- Run by EmbeddedDatabase as the superuser at every start, after the application role exists. Data directories from
-- before issue 14 hold CareLoop's schemas owned by the superuser (CareLoop connected as it): hand every schema and
-- everything in it to the application role, which migrates and owns them from now on. Finds nothing to do afterwards.
DO $ownership$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT n.nspname FROM pg_namespace n
             WHERE n.nspowner <> 'careloop'::regrole AND n.nspname NOT IN ('public', 'information_schema')
               AND n.nspname NOT LIKE 'pg\_%'
    LOOP
        EXECUTE format('ALTER SCHEMA %I OWNER TO careloop', r.nspname);
    END LOOP;

    -- Tables (partitions too), views, materialized views; a table takes its indexes and identity sequences along.
    FOR r IN SELECT c.oid::regclass AS relation, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspowner = 'careloop'::regrole AND c.relowner <> 'careloop'::regrole AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
    LOOP
        EXECUTE format('ALTER %s %s OWNER TO careloop',
                       CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
                       r.relation);
    END LOOP;

    -- Sequences no column owns (those moved with their table above).
    FOR r IN SELECT c.oid::regclass AS relation FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspowner = 'careloop'::regrole AND c.relowner <> 'careloop'::regrole AND c.relkind = 'S'
    LOOP
        EXECUTE format('ALTER SEQUENCE %s OWNER TO careloop', r.relation);
    END LOOP;

    FOR r IN SELECT p.oid::regprocedure AS routine, p.prokind FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspowner = 'careloop'::regrole AND p.proowner <> 'careloop'::regrole
    LOOP
        EXECUTE format('ALTER %s %s OWNER TO careloop',
                       CASE r.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END, r.routine);
    END LOOP;

    -- Enums and domains (row types and array types follow their table or element type).
    FOR r IN SELECT t.oid::regtype AS type_name, t.typtype FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
             WHERE n.nspowner = 'careloop'::regrole AND t.typowner <> 'careloop'::regrole AND t.typtype IN ('e', 'd')
    LOOP
        EXECUTE format('ALTER %s %s OWNER TO careloop', CASE r.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, r.type_name);
    END LOOP;
END
$ownership$;
