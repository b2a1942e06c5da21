#!/usr/bin/env bash
# Runs Halfhour with demo data on http://localhost:3000. With no DATABASE_URL it uses the
# embedded Postgres (PGlite) under .data/, migrated and seeded on first start.
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_node_modules
step "next build"
npx next build
step "http://localhost:${PORT:-3000}"
exec npx next start -p "${PORT:-3000}"
