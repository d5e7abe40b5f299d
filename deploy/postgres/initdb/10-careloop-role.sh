#!/bin/bash
# Makes the role CareLoop connects as. The TimescaleDB container runs this once, as the superuser, when it initialises
# an empty volume (/docker-entrypoint-initdb.d); it is also what an administrator runs for an external PostgreSQL
# (README, "Database roles"). The role is no superuser and cannot bypass row-level security, so PostgreSQL keeps
# practices apart for it; it owns what it migrates and may become the practice staff role (careloop_practice_staff)
# that staff requests run as. Safe to run again, and beside other runs on the same server.
#   env: POSTGRES_USER, POSTGRES_DB (who runs it, where), CARELOOP_DB_USER (default careloop), CARELOOP_DB_PASSWORD
set -euo pipefail
: "${CARELOOP_DB_PASSWORD:?set CARELOOP_DB_PASSWORD in .env}"
app_role="${CARELOOP_DB_USER:-careloop}"
if [[ ! $app_role =~ ^[a-z_][a-z0-9_]{0,62}$ ]]; then
    echo "CARELOOP_DB_USER must be a lower-case PostgreSQL name, not '$app_role'" >&2
    exit 1
fi
if [[ $app_role == "${POSTGRES_USER:-postgres}" ]]; then
    echo "CARELOOP_DB_USER must not be the superuser ($app_role): CareLoop would bypass row-level security" >&2
    exit 1
fi

psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
     -v app_role="$app_role" -v app_password="$CARELOOP_DB_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'app_role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_role') \gexec
ALTER ROLE :"app_role" LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'app_password';
DO $$
BEGIN
    CREATE ROLE careloop_practice_staff NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL; -- made before, or by another database's CareLoop on this server
END
$$;
GRANT careloop_practice_staff TO :"app_role";
GRANT CONNECT, CREATE, TEMPORARY ON DATABASE :"DBNAME" TO :"app_role";
-- TimescaleDB, where the server has it, is enabled by the superuser; CareLoop then finds it (CARELOOP_STORAGE_MODE).
SELECT 'CREATE EXTENSION IF NOT EXISTS timescaledb' WHERE EXISTS (SELECT FROM pg_available_extensions WHERE name = 'timescaledb') \gexec
SQL
