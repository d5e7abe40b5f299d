#!/usr/bin/env bash
# Builds CareLoop and starts it. With no CARELOOP_DB_URL / CARELOOP_MQTT_URL it starts an embedded PostgreSQL
# (data in ./careloop-data) and an embedded MQTT broker on CARELOOP_EMBEDDED_MQTT_PORT (default 1883).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -DskipTests install
exec java ${JAVA_OPTS:-} -jar platform/target/careloop.jar
