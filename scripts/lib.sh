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

# The local OpenID Connect provider (scripts/idp.ts) in the background, for OIDC_ISSUER,
# OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and AUTH_URL as exported by the caller; stopped when the
# calling script exits. One node process (no npx or tsx wrapper), so its pid is the one to stop.
start_idp() {
  idp_log="${TMPDIR:-/tmp}/halfhour-idp-$(node -e 'console.log(new URL(process.argv[1]).port)' "$OIDC_ISSUER").log"
  node --import tsx scripts/idp.ts >"$idp_log" 2>&1 &
  idp_pid=$!
  trap 'kill "$idp_pid" 2>/dev/null || true' EXIT
}

# Waits until the IdP started above says it listens and its discovery document answers (its
# own line in its log first: another IdP left on the same port must not pass for it).
wait_for_idp() {
  local discovery="$OIDC_ISSUER/.well-known/openid-configuration"
  for _ in $(seq 1 150); do
    if ! kill -0 "$idp_pid" 2>/dev/null; then
      cat "$idp_log" >&2
      fail "the local IdP stopped (is port $(node -e 'console.log(new URL(process.argv[1]).port)' "$OIDC_ISSUER") taken?)"
    fi
    if grep -q "^Local IdP at" "$idp_log" &&
      node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$discovery"; then
      return
    fi
    sleep 0.2
  done
  cat "$idp_log" >&2
  fail "the local IdP did not answer at $discovery within 30 s"
}
