# Shared by scripts/*.sh: install what the tests need, or say exactly what is missing.
set -euo pipefail

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
fail() { printf '\n\033[31mERROR:\033[0m %s\n' "$*" >&2; exit 1; }

export NEXT_TELEMETRY_DISABLED=1

ensure_node_modules() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    step "npm ci"
    npm ci --no-audit --no-fund
  fi
}

# Tests use real services: TEST_DATABASE_ADMIN_URL and REDIS_URL, else the local servers.
# (The demo sets neither: it runs on the embedded defaults.)
use_test_services() {
  export TEST_DATABASE_ADMIN_URL="${TEST_DATABASE_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
  export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
}

ensure_services() {
  use_test_services
  node scripts/checkServices.mjs || fail "the services above are required by the test suite."
}

ensure_chromium() {
  export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
  if [ -x "$CHROMIUM_PATH" ]; then return; fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    step "installing Debian's chromium with apt-get (Playwright cannot download browsers here)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || fail "apt-get install chromium failed; install it, or set CHROMIUM_PATH to a Chromium binary."
  else
    fail "Chromium not found at $CHROMIUM_PATH. Install it (as root: apt-get install -y chromium) or set CHROMIUM_PATH."
  fi
  [ -x "$CHROMIUM_PATH" ] || fail "Chromium still missing at $CHROMIUM_PATH after install."
}
