#!/usr/bin/env bash
# Builds CareLoop and runs its benchmarks (issue 8): scripts/bench.sh [ingest|alert-latency|month-close|all] [options…]
#
# Each benchmark uses a fresh database on the machine's PostgreSQL (127.0.0.1:5432, user postgres) that it drops at the
# end; ingest and alert-latency also start their own Mosquitto (/usr/sbin/mosquitto) on a free 127.0.0.1 port, send
# traffic only to 127.0.0.1 and stop by themselves in about two minutes. month-close seeds practices of 1,000, 10,000
# and 100,000 patients (about 6 minutes of seeding for the largest) and stops by itself; it is not part of "all". Results are printed as Markdown and kept in bench/target/results/; BENCHMARKS.md records them.
# Extra options go to the benchmark (see: java -jar bench/target/careloop-bench.jar ingest --help).
# BENCH_JFR=1 records a JFR profile of the benchmark JVM into bench/target/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
which="${1:-all}"
[ $# -gt 0 ] && shift
case "$which" in
  ingest|alert-latency|all) [ -x /usr/sbin/mosquitto ] || { echo "bench.sh: needs /usr/sbin/mosquitto (apt-get install mosquitto)" >&2; exit 1; } ;;
  month-close) ;;
  *) echo "usage: scripts/bench.sh [ingest|alert-latency|month-close|all] [options]" >&2; exit 2 ;;
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
  run ingest "$@"
fi
if [ "$which" = "alert-latency" ] || [ "$which" = "all" ]; then
  run alert-latency "$@"
fi
if [ "$which" = "month-close" ]; then
  BENCH_TIMEOUT=1800 run month-close "$@"
fi
