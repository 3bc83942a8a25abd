#!/usr/bin/env bash
# The whole test suite on SQLite: every Rust test (unit, end to end against a real server, SMTP and database),
# then the web apps: generated types in step with the schema and the operations, type check, lint, build, and the
# browser tests in a real Chromium (Debian's /usr/bin/chromium, or $CHROMIUM) against the real service binary.
# TEST_DATABASE_URL=postgres://… runs the Rust tests and the browser tests on PostgreSQL instead.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

cargo test --workspace

cd web
npm ci --no-audit --no-fund
npm run codegen:check
npm run typecheck
npm run lint
npm run build
# The production build reads HEIC photos with libheif (feature `heic`): where libheif is installed, that build
# goes beside the default one as fieldwork-heic for the browser test of an iPhone's photo (web/tests/heic.test.mjs).
if pkg-config --exists libheif 2>/dev/null; then
  cargo build -p fieldwork-server --features heic
  cp "$CARGO_TARGET_DIR/debug/fieldwork" "$CARGO_TARGET_DIR/debug/fieldwork-heic"
fi
cargo build -p fieldwork-server
npm test
