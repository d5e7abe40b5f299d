#!/usr/bin/env bash
# Builds CareLoop's container images with Jib, without a Docker daemon or a container registry:
#   platform/target/jib-image.tar          careloop/careloop:<version>            (compose: clinical, ingest, billing)
#   device-simulator/target/jib-image.tar  careloop/careloop-simulator:<version>  (compose profile `simulator`)
# On a Docker host: docker load -i platform/target/jib-image.tar (and the simulator's), then docker compose up -d.
#
#   scripts/image.sh [--check] [MAVEN ARGS…]
#
# --check also runs the platform image here (ContainerImageIT: unpacks it, runs its entrypoint under chroot as its
# user against the machine's PostgreSQL, asks /health and /ready, runs compose's health check, stops it with SIGTERM).
# Needs root, unshare, chroot and PostgreSQL on 127.0.0.1:5432 (or the tests' embedded one).
#
# Base image: `scratch` plus a Java 17 runtime jlinked from this machine's JDK and the libraries it loads
# (scripts/image-root.sh), because no container registry is reachable from here or from CI. With registry access,
# CARELOOP_IMAGE_BASE=eclipse-temurin:17-jre scripts/image.sh (better pinned: eclipse-temurin:17-jre@sha256:…).
set -euo pipefail
cd "$(dirname "$0")/.."

goal=package
tests=(-DskipTests)
if [ "${1:-}" = "--check" ]; then
  shift
  goal=verify
  # Only the image's test (failsafe) and the deployment files' test: the rest is scripts/test.sh's.
  tests=(-Dtest=DeploymentFilesTest -Dsurefire.failIfNoSpecifiedTests=false)
fi
base=()
if [ -n "${CARELOOP_IMAGE_BASE:-}" ]; then
  base=(-Dcareloop.image.base="$CARELOOP_IMAGE_BASE")
fi

mvn -B -ntp -Pimages "${base[@]}" -pl platform,device-simulator -am "$goal" "${tests[@]}" "$@"
for tar in platform/target/jib-image.tar device-simulator/target/jib-image.tar; do
  echo "image.sh: $tar ($(du -h "$tar" | cut -f1)): $(tar -xOf "$tar" manifest.json | sed -n 's/.*"RepoTags":\["\([^"]*\)".*/\1/p')"
done
