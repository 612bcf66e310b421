#!/usr/bin/env bash
# The test command: the whole suite (unit, integration, end-to-end) on real PostgreSQL and Kafka.
# Ends with the line "N passed, N failed". Stops whatever it started, on failure too.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export APOLLO_TELEMETRY_DISABLED=1
if ! bash scripts/bootstrap.sh; then
  echo "0 passed, 1 failed"
  exit 1
fi
exec node infra/dist/test-runner.js "$@"
