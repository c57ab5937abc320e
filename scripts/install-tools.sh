#!/usr/bin/env bash
# Installs the pinned tooling (SAM CLI, cfn-lint, openapi-spec-validator) into .tools/venv. Idempotent; used by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
SAM_VERSION=1.170.0
CFN_LINT_VERSION=1.58.0
OPENAPI_VALIDATOR_VERSION=0.9.0
VENV=.tools/venv
stamp="$VENV/.installed-$SAM_VERSION-$CFN_LINT_VERSION-$OPENAPI_VALIDATOR_VERSION"
if [ -f "$stamp" ]; then
  exit 0
fi
command -v python3 >/dev/null || { echo "python3 is needed for the SAM CLI and cfn-lint (apt-get install python3 python3-venv)" >&2; exit 1; }
rm -rf "$VENV"
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "aws-sam-cli==$SAM_VERSION" "cfn-lint==$CFN_LINT_VERSION" \
  "openapi-spec-validator==$OPENAPI_VALIDATOR_VERSION"
touch "$stamp"
echo "Installed SAM CLI $SAM_VERSION, cfn-lint $CFN_LINT_VERSION and openapi-spec-validator $OPENAPI_VALIDATOR_VERSION in $VENV"
