#!/usr/bin/env bash
# Builds CareLoop and runs its benchmarks (issue 8):
#   scripts/bench.sh [ingest|alert-latency|all|month-close|api-latency|soak|catch-up|connections|jmh|storage|fhir|missed-readings] [options…]
# `month-close` seeds practices of 1,000, 10,000 and 100,000 patients (about 6 minutes of seeding for the largest).
# `soak` (issue 9) is not part of `all`: 30 minutes at 2,000 readings/s from 10,000 devices by default.
# `catch-up` keeps 1,000 readings/s flowing while ingest is away for --outage (default PT10M), then times how long
# ingest takes to catch up (about 15 minutes in all with the default).
# `api-latency` seeds 100,000 patients with 90 days of readings (36 million rows; about 15 minutes on two connections,
# `--days 250` for 100 million in about 40) and times the care-team queue and the patient chart through the API, as
# stored and again after the closed months are clustered (`--cluster-months N` newest first; `--no-cluster`: once).
# `connections` opens one MQTT connection per simulated device (CONNECTIONS_PATIENTS patients, about 1.8 devices
# each; default 5,700 = 10,086 devices) from the simulator's `connections` mode (Vert.x MQTT client, CONNECTIONS_CONCURRENCY
# connects in flight, default 64) to a private Mosquitto, holds them 60 s while the devices publish CONNECTIONS_RATE
# readings/s together (default 1,000), and counts what a subscriber receives.
# `fhir` (issue 17) imports a FHIR Bundle of --import-patients (10,000) patients with conditions, consents, care plans and
# visits through the API (dry run, import, again), then seeds --patients (100,000) × --days (90) of readings (36 million;
# about 22 minutes here) and times a 90-day Observation search of one patient through /fhir/r4, as stored and again after
# the closed months are rewritten in patient order (about 3 minutes; `--no-cluster`: the first pass only; `--skip-search`:
# the import only).
# `missed-readings` times the scheduled missed-reading check over --patients (100,000) monitored patients against its
# former one-patient-at-a-time form, in the same run (about a minute of seeding).
# `jmh` runs the JMH microbenchmarks of the hot in-process paths (bench/src/main/java/health/careloop/bench/jmh); extra
# options go to JMH (e.g. `scripts/bench.sh jmh PayloadDecode -f 1 -wi 2 -i 3`).
# `storage` loads ingest's TimescaleDB schema on the WASM TimescaleDB of tools/timescale-wasm (Node.js 20+, npm ci on first
# use) with --patients × 4 readings a day × --days (default 1,000 × 120: about 430,000 readings), and measures bytes per
# reading and the chart's 90-day fetch before and after compression; then the same rows on the machine's PostgreSQL.
#
# Each benchmark starts its own Mosquitto (/usr/sbin/mosquitto) on a free 127.0.0.1 port and a fresh database on the
# machine's PostgreSQL (127.0.0.1:5432, user postgres), sends traffic only to 127.0.0.1, and stops by itself in about
# two minutes. Results are printed as Markdown and kept in bench/target/results/; BENCHMARKS.md records them.
# Extra options go to the benchmark (see: java -jar bench/target/careloop-bench.jar ingest --help).
# BENCH_JFR=1 records a JFR profile of the benchmark JVM into bench/target/results/.
# ingest's latency phase starts warm by default: ingest first runs 5 s at the phase's rate on the phase's broker
# (--path-warm-up PT0S: a fresh broker), and the publisher's JVM first publishes 5 s where ingest does not listen
# (--publisher-warm-up PT0S: a cold publisher).
# BENCH_PACE_TICK_MS=N: the paced publisher wakes once per N ms tick (default 2; 0 = once per message, whose CPU on this
# machine is the measured system's loss; BENCHMARKS.md 1).
set -euo pipefail
cd "$(dirname "$0")/.."
which="${1:-all}"
[ $# -gt 0 ] && shift
case "$which" in
  ingest|alert-latency|all|soak|catch-up|api-latency|connections)
    [ -x /usr/sbin/mosquitto ] || { echo "bench.sh: needs /usr/sbin/mosquitto (apt-get install mosquitto)" >&2; exit 1; } ;;
  month-close|jmh|fhir|missed-readings) ;;
  storage)
    command -v node >/dev/null || { echo "bench.sh: storage needs Node.js 20+ for tools/timescale-wasm" >&2; exit 1; } ;;
  *) echo "usage: scripts/bench.sh [ingest|alert-latency|all|month-close|api-latency|soak|catch-up|connections|jmh|storage|fhir|missed-readings] [options]" >&2; exit 2 ;;
esac

if [ "${BENCH_SKIP_BUILD:-}" != "1" ]; then
  mvn -B -ntp -q -DskipTests ${BENCH_MAVEN_ARGS:-} install
fi
mkdir -p bench/target/results

run() {
  local jfr=()
  if [ "${BENCH_JFR:-}" = "1" ]; then
    jfr=("-XX:StartFlightRecording=filename=bench/target/results/$1-$(date +%Y%m%d-%H%M%S).jfr,settings=profile")
  fi
  echo "\$ java -Xmx1g ${jfr[*]:-} -jar bench/target/careloop-bench.jar $*" >&2
  timeout "${BENCH_TIMEOUT:-300}" java -Xmx1g "${jfr[@]}" -jar bench/target/careloop-bench.jar "$@"
}

if [ "$which" = "ingest" ] || [ "$which" = "all" ]; then
  # Two drains of 500,000 queued readings make this the longest of `all` (about 6 minutes here).
  BENCH_TIMEOUT="${BENCH_TIMEOUT:-1200}" run ingest "$@"
fi
if [ "$which" = "alert-latency" ] || [ "$which" = "all" ]; then
  run alert-latency "$@"
fi
if [ "$which" = "missed-readings" ]; then
  run missed-readings "$@"
fi
if [ "$which" = "month-close" ]; then
  BENCH_TIMEOUT="${BENCH_TIMEOUT:-1800}" run month-close "$@"
fi
if [ "$which" = "soak" ]; then
  # Stops by itself after --duration (default PT30M) plus registration and drain; the timeout is a backstop.
  BENCH_TIMEOUT="${BENCH_TIMEOUT:-3000}" run soak "$@"
fi
if [ "$which" = "catch-up" ]; then
  # Stops by itself after --outage plus at most --within (default PT15M); the timeout is a backstop.
  BENCH_TIMEOUT="${BENCH_TIMEOUT:-7200}" run catch-up "$@"
fi
if [ "$which" = "jmh" ]; then
  echo "\$ java -cp bench/target/careloop-bench.jar org.openjdk.jmh.Main $*" >&2
  java -cp bench/target/careloop-bench.jar org.openjdk.jmh.Main -rf text -rff "bench/target/results/jmh-$(date +%Y%m%d-%H%M%S).txt" "$@"
fi
if [ "$which" = "storage" ]; then
  # Stops by itself (a count of readings, then fixed samples); the timeout is a backstop, and stops the WASM server too.
  BENCH_TIMEOUT="${BENCH_TIMEOUT:-1800}" run storage "$@"
fi
if [ "$which" = "fhir" ]; then
  BENCH_TIMEOUT="${BENCH_TIMEOUT:-3600}" run fhir "$@"
fi
if [ "$which" = "api-latency" ]; then
  BENCH_TIMEOUT="${BENCH_TIMEOUT:-3600}" run api-latency "$@"
fi
if [ "$which" = "connections" ]; then
  dir=$(mktemp -d); port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_connections -1\nmax_queued_messages 60000\nmax_inflight_messages 1000\nsys_interval 1\n' "$port" > "$dir/mosquitto.conf"
  # Broker and simulator each hold one descriptor per connection (10,000 + a few): both inherit this limit.
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
  echo "connections: open-files limit $(ulimit -n) for the broker and the simulator" >&2
  /usr/sbin/mosquitto -c "$dir/mosquitto.conf" > "$dir/mosquitto.log" 2>&1 & broker=$!
  trap 'kill $broker $sampler 2>/dev/null || true; rm -rf "$dir"' EXIT
  broker_cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$broker/stat"; }
  sleep 1
  # Samples the broker's own count of connected clients and CPU, and the simulator's threads and memory, every 5 s.
  ( while sleep 5; do
      clients=$(timeout 3 mosquitto_sub -p "$port" -C 1 -t '$SYS/broker/clients/connected' 2>/dev/null || echo "?")
      sim=$(pgrep -f "^java .*careloop-simulator.jar connections" | head -n 1)
      [ -n "$sim" ] && echo "connections: broker clients connected $clients, broker CPU $(broker_cpu) s, broker RSS $(awk '/VmRSS/ {print $2 / 1024 " MB"}' /proc/$broker/status); simulator threads $(ls /proc/$sim/task | wc -l), RSS $(awk '/VmRSS/ {print $2 / 1024 " MB"}' /proc/$sim/status)"
    done ) & sampler=$!
  start=$(date +%s.%N)
  # 5,700 patients have 10,086 devices (seed 42). Holds every connection for --duration once connecting ended; the
  # simulator stops by itself (connect deadline 3 minutes), the timeout is a backstop.
  args=(connections --broker "tcp://127.0.0.1:$port" --patients "${CONNECTIONS_PATIENTS:-5700}" --no-register
    --rate "${CONNECTIONS_RATE:-1000}" --connect-concurrency "${CONNECTIONS_CONCURRENCY:-64}" --duration PT60S --count-received "$@")
  echo "\$ java -Xmx1g -jar device-simulator/target/careloop-simulator.jar ${args[*]}" >&2
  timeout "${BENCH_TIMEOUT:-600}" java -Xmx1g -jar device-simulator/target/careloop-simulator.jar "${args[@]}" || echo "connections: simulator exit code $?"
  echo "connections: whole run $(python3 -c "import time; print(round(time.time() - $start, 1))") s; Mosquitto CPU $(broker_cpu) s"
fi
