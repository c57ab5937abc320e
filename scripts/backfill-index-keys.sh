#!/usr/bin/env bash
# Rewrites the index keys of items written under an older data model (docs/DATA-MODEL.md, "Migration"):
# profiles and role memberships into their e-mail shards, sessions out of the listing index. One
# idempotent pass (a Scan plus one conditional UpdateItem per item to fix), safe while the API runs.
#
#   ./scripts/backfill-index-keys.sh --table <stack>-users [--region eu-west-1] [--endpoint <url>]
#
# Uses the default AWS credential chain; needs dynamodb:Scan and dynamodb:UpdateItem on the table.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/local-java.sh
local_build_if_needed
local_run dev.userapi.local.BackfillIndexKeys "$@"
