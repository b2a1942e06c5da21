#!/usr/bin/env bash
# Runs Halfhour with demo data on http://localhost:3000. With no DATABASE_URL it uses the
# embedded Postgres (PGlite) under .data/, migrated and seeded on first start.
# Single sign-on: unless OIDC_ISSUER names a provider (or DEMO_IDP=0), the local OpenID
# Connect provider (scripts/idp.ts) runs beside it on http://127.0.0.1:3001 (IDP_PORT) and the
# sign-in page offers "Sign in with Halfhour ID (local)"; it stops with the demo.
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_node_modules

if [ -z "${OIDC_ISSUER:-}" ] && [ "${DEMO_IDP:-1}" != "0" ]; then
  export OIDC_ISSUER="http://127.0.0.1:${IDP_PORT:-3001}"
  export OIDC_CLIENT_ID="halfhour-local"
  export OIDC_CLIENT_SECRET="halfhour-local-secret"
  export OIDC_NAME="${OIDC_NAME:-Halfhour ID (local)}"
  step "local IdP $OIDC_ISSUER"
  start_idp
fi

step "next build"
npx next build
if [ -n "${idp_pid:-}" ]; then wait_for_idp; fi
step "http://localhost:${PORT:-3000}"
# Not exec'd: the shell stays to stop the local IdP when the server ends.
npx next start -p "${PORT:-3000}"
