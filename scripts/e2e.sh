#!/usr/bin/env bash
# End-to-end tests: a freshly seeded Postgres database, `next build`, then Playwright in
# Debian's Chromium against `next start`.
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_node_modules
ensure_services
ensure_chromium

db="${E2E_DATABASE:-halfhour_e2e}"
admin="$TEST_DATABASE_ADMIN_URL"
export DATABASE_URL="${admin%/*}/$db"
export AUTH_SECRET="${AUTH_SECRET:-e2e-secret-not-for-production-0123456789}"
export AUTH_URL="http://localhost:${E2E_PORT:-3100}"
# Codes and mails go to the development sinks, which the specs read.
export HALFHOUR_DEV_SINKS=1
# This run's rate-limit counters start empty, whatever earlier runs left in Redis.
export HALFHOUR_RATE_LIMIT_PREFIX="e2e_${db}_$(date +%s)"

step "e2e database $DATABASE_URL"
node -e '
  const postgres = require("postgres");
  const sql = postgres(process.argv[1], { max: 1, onnotice: () => {} });
  (async () => {
    await sql.unsafe(`DROP DATABASE IF EXISTS "${process.argv[2]}" WITH (FORCE)`);
    await sql.unsafe(`CREATE DATABASE "${process.argv[2]}"`);
    await sql.end();
  })().catch((e) => { console.error(e.message); process.exit(1); });
' "$admin" "$db"
npx tsx db/seed/run.ts

step "next build"
# A failed build leaves no BUILD_ID and `next start` would fail later and less clearly.
npx next build || fail "next build failed"

step "playwright"
npx playwright test "$@"
