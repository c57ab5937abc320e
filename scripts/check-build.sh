#!/usr/bin/env bash
# Checks the artifacts of `sam build` (.aws-sam/build) against template.yaml: every function has its handler
# class and the layers it links to, and no layer jar, local-stack, test or Netty/Apache client code; every
# layer is java/lib/*.jar. Uses the Python of .tools/venv (scripts/install-tools.sh), which has PyYAML.
set -euo pipefail
cd "$(dirname "$0")/.."
python=.tools/venv/bin/python
[ -x "$python" ] || { echo "run scripts/install-tools.sh first" >&2; exit 1; }
exec "$python" scripts/check_build.py "$@"
