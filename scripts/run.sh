#!/usr/bin/env bash
# Builds CareLoop and starts it. With no CARELOOP_DB_URL / CARELOOP_MQTT_URL it starts an embedded PostgreSQL
# (data in ./careloop-data) and an embedded MQTT broker on CARELOOP_EMBEDDED_MQTT_PORT (default 1883).
#
# Unless CARELOOP_DEMO=off, it then plays a demo practice: demo staff accounts for the web app (printed at start-up) and
# the practice's billing profile (scripts/demo-staff.sh), then the device simulator's CARELOOP_DEMO_PATIENTS (200)
# patients registered through the API with invented demographics, diagnoses, consent and enrolment, their past 30 days
# backfilled once (a full billing period), then live readings for as long as CareLoop runs. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -DskipTests install

if [ "${CARELOOP_DEMO:-on}" = "off" ]; then
  exec java ${JAVA_OPTS:-} -jar platform/target/careloop.jar
fi

data_dir="${CARELOOP_DATA_DIR:-careloop-data}"
if [ -z "${CARELOOP_MQTT_URL:-}" ]; then
  # The embedded broker lets devices in only with their own credentials; the demo simulator publishes for its 200
  # patients' devices through the simulator account, whose password is made once and kept in the data directory.
  mkdir -p "$data_dir"
  if [ ! -s "$data_dir/simulator-mqtt-password" ]; then
    (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$data_dir/simulator-mqtt-password")
  fi
  export CARELOOP_EMBEDDED_MQTT_SIMULATOR_PASSWORD="$(cat "$data_dir/simulator-mqtt-password")"
  export CARELOOP_MQTT_USERNAME=careloop-simulator CARELOOP_MQTT_PASSWORD="$CARELOOP_EMBEDDED_MQTT_SIMULATOR_PASSWORD"
fi

java ${JAVA_OPTS:-} -jar platform/target/careloop.jar &
careloop=$!
simulator=""
stop() {
  [ -n "$simulator" ] && kill "$simulator" 2>/dev/null || true
  kill -TERM "$careloop" 2>/dev/null || true
  wait "$careloop" 2>/dev/null || true
}
trap stop INT TERM EXIT

http="http://127.0.0.1:${CARELOOP_HTTP_PORT:-8080}"
until curl -sf "$http/ready" >/dev/null 2>&1; do
  kill -0 "$careloop" 2>/dev/null || { echo "run.sh: CareLoop did not start (see its log above)"; exit 1; }
  sleep 1
done

broker="${CARELOOP_MQTT_URL:-tcp://127.0.0.1:${CARELOOP_EMBEDDED_MQTT_PORT:-1883}}"
demo=(--broker "$broker" --api "$http" --api-token-file "$data_dir/admin-token"
      --patients "${CARELOOP_DEMO_PATIENTS:-200}" --practice-name "CareLoop Demo Practice" --seed 42)
bash scripts/demo-staff.sh "$http" "$data_dir/admin-token" "CareLoop Demo Practice" "America/Chicago" \
  || echo "run.sh: demo: the demo staff accounts could not be created (see above)"
(
  if [ ! -f "$data_dir/demo-backfilled" ]; then
    echo "run.sh: demo: registering ${CARELOOP_DEMO_PATIENTS:-200} simulated patients and backfilling their last 30 days"
    java -jar device-simulator/target/careloop-simulator.jar backfill --days 30 "${demo[@]}" && touch "$data_dir/demo-backfilled"
  fi
  echo "run.sh: demo: live readings from now on (CARELOOP_DEMO=off to start without them)"
  exec java -jar device-simulator/target/careloop-simulator.jar live "${demo[@]}"
) &
simulator=$!
wait "$careloop"
