#!/usr/bin/env bash
# Starts the whole API on this machine, without Docker or AWS: DynamoDB Local, cognito-local and every
# function of template.yaml behind an API Gateway emulator on http://localhost:3000.
#
#   ./scripts/start-local.sh [--port 3000] [--in-memory] [--parameter-overrides Key=Value ...]
#
# Builds first when sources changed. Ctrl-C stops everything. See docs/LOCAL.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/local-java.sh
local_build_if_needed
local_run dev.userapi.local.DevStack "$@"
