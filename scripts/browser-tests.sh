#!/usr/bin/env bash
# The web client's tests: unit tests (QR encoder, TOTP, static build) and the browser tests, which
# drive Debian's Chromium (headless, through playwright-core) against a local stack.
#
#   ./scripts/browser-tests.sh                       # starts a local stack on free ports, in memory
#   API_BASE_URL=http://localhost:3000 LOCAL_ADMIN_PASSWORD=… ./scripts/browser-tests.sh
#                                                    # uses a stack that is already running
#
# Installs Chromium (scripts/install-chromium.sh) and the npm packages of web/ (npm ci) when missing.
# Screenshots: web/test-results/screenshots/; the stack's log: web/test-results/local-stack.log.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RESULTS=web/test-results
mkdir -p "$RESULTS"

./scripts/install-chromium.sh >/dev/null

# npm packages: again whenever package-lock.json changed since the last install.
source scripts/lib/web-npm.sh
web_npm_install_if_needed

source scripts/lib/local-stack.sh
trap local_stack_stop EXIT

export WEB_STATIC_PORT="${WEB_STATIC_PORT:-$(free_port)}"
if [[ -n "${API_BASE_URL:-}" && -z "${LOCAL_ADMIN_PASSWORD:-}" ]]; then
    echo "browser-tests: with API_BASE_URL, set LOCAL_ADMIN_EMAIL and LOCAL_ADMIN_PASSWORD (the stack's banner prints them)" >&2
    exit 1
fi
if [[ -z "${API_BASE_URL:-}" ]]; then
    if [[ ! -x scripts/start-local.sh ]]; then
        echo "browser-tests: no local stack in this checkout (scripts/start-local.sh); set API_BASE_URL to a running one" >&2
        exit 1
    fi
    PORT=$(free_port)
    export API_BASE_URL="http://localhost:$PORT"
    export LOCAL_ADMIN_EMAIL="${LOCAL_ADMIN_EMAIL:-admin@example.com}"
    export LOCAL_ADMIN_PASSWORD="${LOCAL_ADMIN_PASSWORD:-Browser-Tests-$RANDOM-Pw1!}"
    echo "Starting the local stack on port $PORT (log: $RESULTS/local-stack.log)"
    # AuthorizerCacheTtlSeconds=0: revocations (role change, sign-out) take effect at once, as the
    # tests expect. The WAF's per-IP limits: never reached by the tests (all from 127.0.0.1). AllowedOrigins: the cross-origin test serves the client from another port.
    local_stack_start "$RESULTS/local-stack.log" --port "$PORT" --in-memory --parameter-overrides \
        AuthorizerCacheTtlSeconds=0 WafAuthRequestsPerIp=2000000000 WafRequestsPerIp=2000000000 \
        "AllowedOrigins=http://localhost:$PORT,http://127.0.0.1:$WEB_STATIC_PORT"
fi

# Up when /health answers and the administrator can sign in (the stack seeds it after start-up).
local_stack_wait "$API_BASE_URL" || exit 1

cd "$ROOT/web"
status=0
node --test --test-concurrency=1 test/unit/ test/browser/ || status=$?
echo "Screenshots: $ROOT/$RESULTS/screenshots/"
exit $status
