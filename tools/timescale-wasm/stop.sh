#!/usr/bin/env bash
# Stops the server started by start.sh (pid in server.pid beside this script).
set -uo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PID_FILE="$DIR/server.pid"

if [[ ! -f "$PID_FILE" ]]; then
  echo "timescale-wasm: not running (no server.pid)" >&2
  exit 0
fi
PID="$(cat "$PID_FILE")"
if kill -0 "$PID" 2>/dev/null; then
  kill -TERM "$PID"
  for _ in $(seq 1 100); do
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$PID" 2>/dev/null; then
    echo "timescale-wasm: pid $PID did not stop within 10 s, killing it" >&2
    kill -KILL "$PID" 2>/dev/null || true
  fi
  echo "timescale-wasm: stopped (pid $PID)" >&2
else
  echo "timescale-wasm: pid $PID was not running" >&2
fi
rm -f "$PID_FILE"
