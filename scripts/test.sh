#!/usr/bin/env bash
# Runs every test of CareLoop, on a fresh machine with a JDK, Maven and Node.js (for the WASM TimescaleDB check), as
# root (the container image's test runs the image under chroot).
# The web app's browser tests need Chromium and its chromedriver: installed here from the Debian packages when missing.
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
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  echo "test.sh: installing chromium and chromium-driver for the browser tests"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  for attempt in 1 2 3; do
    $sudo apt-get update -q && break
    echo "test.sh: apt-get update failed (attempt $attempt); retrying"; sleep $((attempt * 10))
  done
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends chromium chromium-driver
fi
if [ ! -d tools/timescale-wasm/node_modules ]; then
  (cd tools/timescale-wasm && npm ci --no-audit --no-fund)
fi

# -Pimages: also builds the container images (Jib, offline base: scripts/image-root.sh) and runs the platform's
# (ContainerImageIT: chroot as root, unshare, the local PostgreSQL), about a minute of CPU on top.
mvn -B -ntp -Pimages verify "$@"
