# Starts, waits for and stops a local stack in the background, for the scripts that test against one
# (test.sh, browser-tests.sh). Sourced from the project root. After local_stack_wait, the values the
# stack's banner printed are in LOCAL_STACK_COGNITO (the Cognito compatibility layer the functions use),
# LOCAL_STACK_POOL, LOCAL_STACK_CLIENT, LOCAL_STACK_DYNAMODB and LOCAL_STACK_TABLE.

LOCAL_STACK_PID=""
LOCAL_STACK_LOG=""

free_port() {
    node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# local_stack_start <log file> <start-local.sh arguments...>: in a process group of its own.
local_stack_start() {
    LOCAL_STACK_LOG="$1"
    shift
    setsid ./scripts/start-local.sh "$@" >"$LOCAL_STACK_LOG" 2>&1 < /dev/null &
    LOCAL_STACK_PID=$!
}

local_stack_stop() {
    if [[ -n "$LOCAL_STACK_PID" ]] && kill -0 "$LOCAL_STACK_PID" 2>/dev/null; then
        echo "Stopping the local stack (process group $LOCAL_STACK_PID)"
        kill -TERM -- "-$LOCAL_STACK_PID" 2>/dev/null || true
        for _ in $(seq 1 20); do kill -0 "$LOCAL_STACK_PID" 2>/dev/null || break; sleep 0.5; done
        kill -KILL -- "-$LOCAL_STACK_PID" 2>/dev/null || true
    fi
    LOCAL_STACK_PID=""
}

# local_stack_wait <base URL>: until /health answers, the administrator (LOCAL_ADMIN_EMAIL /
# LOCAL_ADMIN_PASSWORD) can sign in (the stack seeds it after start-up) and the banner is printed;
# STACK_START_TIMEOUT seconds at most.
local_stack_wait() {
    local url="$1" deadline login_body
    echo "Waiting for $url"
    deadline=$((SECONDS + ${STACK_START_TIMEOUT:-600}))
    login_body=$(node -e 'console.log(JSON.stringify({email: process.env.LOCAL_ADMIN_EMAIL ?? "admin@example.com", password: process.env.LOCAL_ADMIN_PASSWORD ?? ""}))')
    # ... and, when we started it, until its banner (which names the endpoints read below) is in the log:
    # the administrator can sign in a moment before the banner is printed.
    until [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/health")" == 200 ]] \
       && [[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "$login_body" "$url/auth/login")" == 200 ]] \
       && { [[ -z "$LOCAL_STACK_LOG" ]] || grep -q 'local stack is up' "$LOCAL_STACK_LOG"; }; do
        if [[ -n "$LOCAL_STACK_PID" ]] && ! kill -0 "$LOCAL_STACK_PID" 2>/dev/null; then
            echo "The local stack stopped; its log:" >&2
            tail -n 40 "$LOCAL_STACK_LOG" >&2
            return 1
        fi
        if (( SECONDS > deadline )); then
            echo "$url is not ready (health and administrator sign-in)" >&2
            [[ -n "$LOCAL_STACK_LOG" ]] && tail -n 40 "$LOCAL_STACK_LOG" >&2
            return 1
        fi
        sleep 2
    done
    if [[ -n "$LOCAL_STACK_LOG" ]]; then
        LOCAL_STACK_COGNITO=$(sed -n 's/.*functions use the compatibility layer at \([^ )]*\)).*/\1/p' "$LOCAL_STACK_LOG" | head -n 1)
        LOCAL_STACK_POOL=$(sed -n 's/^ *User pool *\([^ ]*\) *app client \([^ ]*\).*/\1/p' "$LOCAL_STACK_LOG" | head -n 1)
        LOCAL_STACK_CLIENT=$(sed -n 's/^ *User pool *\([^ ]*\) *app client \([^ ]*\).*/\2/p' "$LOCAL_STACK_LOG" | head -n 1)
        LOCAL_STACK_DYNAMODB=$(sed -n 's/^ *DynamoDB *\(http[^ ]*\) *table \([^ ]*\).*/\1/p' "$LOCAL_STACK_LOG" | head -n 1)
        LOCAL_STACK_TABLE=$(sed -n 's/^ *DynamoDB *\(http[^ ]*\) *table \([^ ]*\).*/\2/p' "$LOCAL_STACK_LOG" | head -n 1)
    fi
}
