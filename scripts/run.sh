#!/usr/bin/env bash
# Runs the service on SQLite (./data/fieldwork.db) with GraphiQL at /graphql and the shoppers' app at /app/:
# builds the web apps first (npm ci only when the lockfile changed), then the service.
set -euo pipefail
cd "$(dirname "$0")/.."
(
  cd web
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci --no-audit --no-fund; fi
  npm run build
)
exec cargo run -p fieldwork-server --release -- "$@"
