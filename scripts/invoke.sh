#!/usr/bin/env bash
# Invokes one function of template.yaml with an event, like `sam local invoke`, against local
# services (DynamoDB Local, cognito-local), and prints the function's response.
#
#   ./scripts/invoke.sh <FunctionLogicalId> -e events/<file>.json [--parameter-overrides Key=Value ...]
#   ./scripts/invoke.sh SignUpFunction -e events/sign-up.json
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/local-java.sh
local_build_if_needed
local_run dev.userapi.local.Invoke "$@"
