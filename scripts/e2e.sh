#!/usr/bin/env bash
# The end-to-end suite (e2e/): every client-observable flow, over HTTP, against a running stack.
#
#   ./scripts/e2e.sh --base-url http://localhost:3000     # a local stack (scripts/start-local.sh)
#   ./scripts/e2e.sh --stack <name> [--region r]          # a deployed stack (docs/DEPLOY.md)
#
# Builds the module when its sources changed (package, no tests), then runs the suite from the built
# classpath. Prints every test, a JUnit-style summary ending with "N passed, N failed[, N skipped]" and
# writes JUnit XML reports to e2e/target/e2e-reports; exits non-zero on any failure. --help: the options.
set -euo pipefail
cd "$(dirname "$0")/.."
STAMP=e2e/target/.e2e-build-stamp
if [[ ! -f "$STAMP" || ! -f e2e/target/classpath.txt ]] \
   || [[ -n "$(find pom.xml e2e/pom.xml e2e/src -newer "$STAMP" -type f -print -quit 2>/dev/null)" ]]; then
    echo "Building the end-to-end suite (mvn -q -pl e2e -am package -DskipTests) ..." >&2
    mvn -B -q -pl e2e -am package -DskipTests
    touch "$STAMP"
fi
exec java ${E2E_JAVA_OPTS:-} -cp "e2e/target/classes:$(cat e2e/target/classpath.txt)" dev.userapi.e2e.E2e "$@"
