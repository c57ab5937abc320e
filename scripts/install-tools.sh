#!/usr/bin/env bash
# Installs the pinned tooling (SAM CLI, cfn-lint, openapi-spec-validator, checkov) into .tools/venv. Idempotent; used by .ci/run.
# checkov gets a venv of its own (.tools/checkov-venv; its pins of boto3 and friends differ from the SAM CLI's) and a link in
# .tools/venv/bin, so one PATH entry finds every tool.
set -euo pipefail
cd "$(dirname "$0")/.."
SAM_VERSION=1.170.0
CFN_LINT_VERSION=1.58.0
OPENAPI_VALIDATOR_VERSION=0.9.0
CHECKOV_VERSION=3.3.30
VENV=.tools/venv
CHECKOV_VENV=.tools/checkov-venv
stamp="$VENV/.installed-$SAM_VERSION-$CFN_LINT_VERSION-$OPENAPI_VALIDATOR_VERSION-$CHECKOV_VERSION"
if [ -f "$stamp" ]; then
  exit 0
fi
command -v python3 >/dev/null || { echo "python3 is needed for the SAM CLI and cfn-lint (apt-get install python3 python3-venv)" >&2; exit 1; }
rm -rf "$VENV" "$CHECKOV_VENV"
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "aws-sam-cli==$SAM_VERSION" "cfn-lint==$CFN_LINT_VERSION" \
  "openapi-spec-validator==$OPENAPI_VALIDATOR_VERSION"
python3 -m venv "$CHECKOV_VENV"
"$CHECKOV_VENV/bin/pip" install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION"
ln -sf ../../checkov-venv/bin/checkov "$VENV/bin/checkov"
touch "$stamp"
echo "Installed SAM CLI $SAM_VERSION, cfn-lint $CFN_LINT_VERSION, openapi-spec-validator $OPENAPI_VALIDATOR_VERSION and checkov $CHECKOV_VERSION in $VENV"
