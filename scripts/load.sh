#!/usr/bin/env bash
# A bounded mixed load on the local stack over loopback: sign-ups with confirmations, logins,
# GET /me, PATCH /me (every write a unique value) and the administrators' listing; then every
# profile is read back and lost writes are counted. Prints throughput, p50/p90/p99/max per
# operation and every error; exit status 0 only with no errors and no lost writes.
#
#   ./scripts/load.sh                       # starts its own stack (in memory), 20 000 mixed requests
#   ./scripts/load.sh --requests 50000 --workers 48 --users 400
#   ./scripts/load.sh --url http://localhost:3000   # a stack you started (its own throttling applies!)
#
# The stack it starts keeps the template's defaults except throttling: the template's MethodSettings
# (10 requests/s per /auth route) would measure the throttle, so ThrottlingRateLimit/BurstLimit and
# AuthThrottlingRateLimit/BurstLimit are overridden to 100000 (the report repeats this).
# The report is also written to local/target/load-report.md. See docs/RELIABILITY.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/local-java.sh
local_require_tools
# package, never install (~/.m2 may be shared); the load generator lives in the local module's test classes
echo "Building (mvn -B -q -DskipTests package) ..." >&2
mvn -B -q -DskipTests package
touch "$LOCAL_STAMP"
exec java ${LOCAL_JAVA_OPTS:--Xmx2g} -Dsqlite4java.library.path=local/target/native -Duserapi.root="$PWD" \
  -cp "$PWD/local/target/test-classes:$(local_classpath)" dev.userapi.local.load.LoadTest "$@"
