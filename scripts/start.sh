#!/usr/bin/env bash
# The start command: sets everything up and runs the platform with demo data. Ctrl-C stops it all.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/bootstrap.sh
exec node infra/dist/dev.js "$@"
