#!/usr/bin/env bash
# The README's test command: every test of the project.
#   1. mvn -B verify: unit tests, fuzz targets, template and contract tests, and the local stack's own
#      tests (fault injection, emulator internals);
#   2. one local stack (DynamoDB Local, cognito-local, the API Gateway + Lambda emulator), started here,
#      against which run
#      - scripts/e2e.sh: the end-to-end suite (e2e/), every client-observable flow over HTTP, with
#        Cognito's admin APIs and the table reached as a deployed run reaches them;
#      - scripts/browser-tests.sh: the web client in headless Chromium (installs Debian's chromium and
#        web/'s npm packages when they are missing);
#      then stopped. The stack's log: e2e/target/local-stack.log.
# First, in seconds: ESLint on the web client (npm run lint in web/; any finding fails the command).
# Exits non-zero when any part fails (every part runs).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/web-npm.sh
web_npm_install_if_needed
(cd web && npm run --silent lint)
mvn -B verify "$@"

source scripts/lib/local-stack.sh
trap local_stack_stop EXIT
mkdir -p e2e/target
PORT=$(free_port)
export WEB_STATIC_PORT="${WEB_STATIC_PORT:-$(free_port)}"
export API_BASE_URL="http://localhost:$PORT"
export LOCAL_ADMIN_EMAIL="admin@example.com"
export LOCAL_ADMIN_PASSWORD="Test-Command-$RANDOM-Pw1!"
# The end-to-end suite's settings (local TestStack.OVERRIDES): a short uniform-latency floor, no
# authorizer cache (revocations show at once; the browser tests need it too), throttling limits a run
# does not reach, webhooks to the suite's receiver on 127.0.0.1 with retries 1 s apart and 3 attempts
# (WebhooksIT, docs/EVENTS.md). AllowedOrigins: the suite's origin (the template's default), the stack's own (the web
# client it serves) and the browser tests' cross-origin static server.
OVERRIDES=(UniformResponseMillis=100 AuthorizerCacheTtlSeconds=0
           AuthThrottlingRateLimit=10000 AuthThrottlingBurstLimit=10000 ThrottlingRateLimit=10000 ThrottlingBurstLimit=10000
           WafAuthRequestsPerIp=2000000000 WafRequestsPerIp=2000000000
           WebhookAllowLoopback=true WebhookRetryBaseSeconds=1 WebhookMaxAttempts=3
           "AllowedOrigins=http://localhost:3000,http://localhost:$PORT,http://127.0.0.1:$WEB_STATIC_PORT")
echo "Starting the local stack on port $PORT (log: e2e/target/local-stack.log)"
local_stack_start e2e/target/local-stack.log --port "$PORT" --in-memory --parameter-overrides "${OVERRIDES[@]}"
local_stack_wait "$API_BASE_URL"

status=0
./scripts/e2e.sh --base-url "$API_BASE_URL" --parameter-overrides "${OVERRIDES[@]}" \
    --cognito-endpoint "$LOCAL_STACK_COGNITO" --user-pool-id "$LOCAL_STACK_POOL" --client-id "$LOCAL_STACK_CLIENT" \
    --dynamodb-endpoint "$LOCAL_STACK_DYNAMODB" --table "$LOCAL_STACK_TABLE" || status=1
./scripts/browser-tests.sh || status=1
exit $status
