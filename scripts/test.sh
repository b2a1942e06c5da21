#!/usr/bin/env bash
# The whole test suite, as CI runs it: types, lint, unit + integration (real Postgres and
# Redis), end-to-end (Debian Chromium against a production build).
cd "$(dirname "$0")/.."
source scripts/lib.sh
started=$(date +%s)
ensure_node_modules
ensure_services
ensure_chromium

step "typecheck"
npx tsc --noEmit

step "lint"
npx biome check .

step "unit and integration tests"
npx vitest run

bash scripts/e2e.sh

printf '\nAll tests passed in %ss.\n' "$(( $(date +%s) - started ))"
