#!/usr/bin/env bash
# Installs what the project needs on a fresh machine (pnpm, dependencies) and builds it.
# Run by start.sh and test.sh; safe to run again.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

need() { command -v "$1" >/dev/null 2>&1 || { echo "✖ $1 is required: $2" >&2; exit 1; }; }
need node "install Node.js 20 (https://nodejs.org)"
need java "install a Java 17+ runtime (Debian: apt-get install openjdk-17-jre-headless); Kafka runs on it"
need mvn "install Apache Maven (Debian: apt-get install maven); it fetches Kafka from Maven Central"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("✖ Node "+process.versions.node+" is too old: use Node 20.19+"); process.exit(1) }'

if ! command -v pnpm >/dev/null 2>&1; then
  echo "• installing pnpm (npm i -g pnpm@10)"
  # corepack fails on some machines with a signature error; npm works everywhere.
  npm install -g pnpm@10 >/dev/null
fi

echo "• installing dependencies"
pnpm install --frozen-lockfile --reporter=silent
echo "• building"
pnpm -s build
