#!/usr/bin/env bash
# Runs every test of CareLoop, on a fresh machine with a JDK, Maven and Node.js (for the WASM TimescaleDB check).
# The tests use the machine's PostgreSQL (127.0.0.1:5432) and Mosquitto (127.0.0.1:1883) when they run, start them
# when they are installed but stopped, and fall back to embedded PostgreSQL and HiveMQ where they are not installed.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
  echo "test.sh: starting the local PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
fi
if ! (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null && command -v mosquitto >/dev/null && [ -f /etc/mosquitto/mosquitto.conf ]; then
  echo "test.sh: starting the local Mosquitto"
  mosquitto -d -c /etc/mosquitto/mosquitto.conf || true
fi
if [ ! -d tools/timescale-wasm/node_modules ]; then
  (cd tools/timescale-wasm && npm ci --no-audit --no-fund)
fi

mvn -B -ntp verify "$@"
