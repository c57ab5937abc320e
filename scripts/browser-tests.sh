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

free_port() {
    node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

STACK_PID=""
stop_stack() {
    if [[ -n "$STACK_PID" ]] && kill -0 "$STACK_PID" 2>/dev/null; then
        echo "Stopping the local stack (process group $STACK_PID)"
        kill -TERM -- "-$STACK_PID" 2>/dev/null || true
        for _ in $(seq 1 20); do kill -0 "$STACK_PID" 2>/dev/null || break; sleep 0.5; done
        kill -KILL -- "-$STACK_PID" 2>/dev/null || true
    fi
}
trap stop_stack EXIT

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
    # tests expect. AllowedOrigins: the cross-origin test serves the client from another port.
    setsid ./scripts/start-local.sh --port "$PORT" --in-memory --parameter-overrides \
        AuthorizerCacheTtlSeconds=0 "AllowedOrigins=http://localhost:$PORT,http://127.0.0.1:$WEB_STATIC_PORT" \
        >"$RESULTS/local-stack.log" 2>&1 < /dev/null &
    STACK_PID=$!
fi

# Up when /health answers and the administrator can sign in (the stack seeds it after start-up).
echo "Waiting for $API_BASE_URL"
deadline=$((SECONDS + ${STACK_START_TIMEOUT:-600}))
login_body=$(node -e 'console.log(JSON.stringify({email: process.env.LOCAL_ADMIN_EMAIL ?? "admin@example.com", password: process.env.LOCAL_ADMIN_PASSWORD ?? ""}))')
until [[ "$(curl -s -o /dev/null -w '%{http_code}' "$API_BASE_URL/health")" == 200 ]] \
   && [[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "$login_body" "$API_BASE_URL/auth/login")" == 200 ]]; do
    if [[ -n "$STACK_PID" ]] && ! kill -0 "$STACK_PID" 2>/dev/null; then
        echo "browser-tests: the local stack stopped; its log:" >&2
        tail -n 40 "$RESULTS/local-stack.log" >&2
        exit 1
    fi
    if (( SECONDS > deadline )); then
        echo "browser-tests: $API_BASE_URL is not ready (health and administrator sign-in)" >&2
        [[ -n "$STACK_PID" ]] && tail -n 40 "$RESULTS/local-stack.log" >&2
        exit 1
    fi
    sleep 2
done

cd "$ROOT/web"
status=0
node --test --test-concurrency=1 test/unit/ test/browser/ || status=$?
echo "Screenshots: $ROOT/$RESULTS/screenshots/"
exit $status
