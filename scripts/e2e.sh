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
# Single sign-on against the local IdP (scripts/idp.ts) on its own port (E2E_IDP_PORT).
export OIDC_ISSUER="http://127.0.0.1:${E2E_IDP_PORT:-3101}"
export OIDC_CLIENT_ID="halfhour-e2e"
export OIDC_CLIENT_SECRET="e2e-idp-secret-not-for-production"
export OIDC_NAME="Halfhour ID"

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

step "local IdP $OIDC_ISSUER"
# Started before the build so it is up by the time the tests need it.
start_idp

step "next build"
# A failed build leaves no BUILD_ID and `next start` would fail later and less clearly.
npx next build || fail "next build failed"

wait_for_idp

step "playwright"
npx playwright test "$@"
