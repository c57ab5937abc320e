#!/usr/bin/env bash
# The README's test command: every test of the project.
#   1. mvn -B verify: unit tests, fuzz targets, template and contract tests, and the end-to-end tests
#      against the local stack (DynamoDB Local, cognito-local, the API Gateway + Lambda emulator);
#   2. scripts/browser-tests.sh: the web client in headless Chromium against a fresh local stack
#      (installs Debian's chromium and web/'s npm packages when they are missing).
# First, in seconds: ESLint on the web client (npm run lint in web/; any finding fails the command).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/web-npm.sh
web_npm_install_if_needed
(cd web && npm run --silent lint)
mvn -B verify "$@"
./scripts/browser-tests.sh
