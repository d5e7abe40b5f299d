#!/usr/bin/env bash
# Starts the WASM TimescaleDB (server.mjs) in the background on 127.0.0.1.
# Usage: tools/timescale-wasm/start.sh [port]      (default: $TIMESCALE_WASM_PORT or 55432; 0 = any free port)
# On success prints the JDBC URL (and nothing else) on stdout; progress goes to stderr.
# Writes the server's pid to server.pid and its output to server.log beside this script.
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT="${1:-${TIMESCALE_WASM_PORT:-55432}}"
PID_FILE="$DIR/server.pid"
LOG_FILE="$DIR/server.log"
# Start-up is 3-6 s on a quiet machine and passed 60 s on a loaded one (2 cores, load 12): callers may wait longer.
TIMEOUT_S="${TIMESCALE_WASM_START_TIMEOUT_S:-60}"

say() { echo "timescale-wasm: $*" >&2; }

command -v node >/dev/null || { say "node is not installed (Node.js 20+ needed)"; exit 1; }

if [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
  say "already running (pid $(cat "$PID_FILE")); run $DIR/stop.sh first"
  exit 1
fi
rm -f "$PID_FILE"

if [[ ! -d "$DIR/node_modules/@electric-sql/pglite-socket" || ! -d "$DIR/node_modules/@electric-sql/pglite" ]]; then
  say "installing packages from package-lock.json (npm ci)"
  (cd "$DIR" && npm ci --no-audit --no-fund >&2)
fi

start_ns=$(date +%s%N)
cd "$DIR"
: >"$LOG_FILE"
nohup node server.mjs "$PORT" >"$LOG_FILE" 2>&1 </dev/null &
PID=$!
echo "$PID" >"$PID_FILE"

deadline=$((SECONDS + TIMEOUT_S))
ready_port=""
while ((SECONDS < deadline)); do
  ready_port="$(sed -n 's/^TIMESCALE_WASM_READY port=\([0-9]*\)$/\1/p' "$LOG_FILE" | head -n 1)"
  [[ -n "$ready_port" ]] && break
  if ! kill -0 "$PID" 2>/dev/null; then
    say "server exited before it was ready; its output:"
    cat "$LOG_FILE" >&2
    rm -f "$PID_FILE"
    exit 1
  fi
  sleep 0.2
done

if [[ -z "$ready_port" ]]; then
  say "not ready after ${TIMEOUT_S}s; stopping it. Its output:"
  cat "$LOG_FILE" >&2
  kill "$PID" 2>/dev/null || true
  rm -f "$PID_FILE"
  exit 1
fi

say "ready on 127.0.0.1:$ready_port (pid $PID) after $(( ($(date +%s%N) - start_ns) / 1000000 )) ms; user/password: any (e.g. postgres/postgres)"
echo "jdbc:postgresql://127.0.0.1:$ready_port/postgres?sslmode=disable&prepareThreshold=0"
