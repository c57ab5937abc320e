#!/usr/bin/env bash
# Makes the first administrator of a deployed stack, with your own AWS credentials (docs/DEPLOY.md,
# "Bootstrap the first administrator"): creates the account in the stack's user pool (Cognito e-mails a
# temporary password) and gives it the roles user and admin in the table. Refuses if the address already
# has an account: only an account this command creates becomes an administrator.
#
#   ./scripts/bootstrap-admin.sh --stack user-api-dev --email you@example.com [--region eu-west-1]
set -euo pipefail
cd "$(dirname "$0")/.."

stack="" email="" region="${AWS_REGION:-${AWS_DEFAULT_REGION:-}}"
while [ $# -gt 0 ]; do
  case "$1" in
    --stack) stack="${2:-}"; shift 2 ;;
    --email) email="${2:-}"; shift 2 ;;
    --region) region="${2:-}"; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "Unexpected argument $1 (usage: --stack <name> --email <address> [--region <region>])" >&2; exit 2 ;;
  esac
done
if [ -z "$stack" ] || [ -z "$email" ]; then
  echo "usage: $0 --stack <name> --email <address> [--region <region>]" >&2
  exit 2
fi
command -v aws >/dev/null 2>&1 || { echo "The AWS CLI is needed to read the stack's outputs" >&2; exit 1; }
if [ -z "$region" ]; then
  region="$(aws configure get region || true)"
fi
[ -n "$region" ] || { echo "Name the region: --region, or AWS_REGION" >&2; exit 2; }

output() {
  aws cloudformation describe-stacks --region "$region" --stack-name "$stack" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}
pool="$(output UserPoolId)"
table="$(output UsersTableName)"
roles="$(aws cloudformation describe-stacks --region "$region" --stack-name "$stack" \
  --query "Stacks[0].Parameters[?ParameterKey=='Roles'].ParameterValue" --output text)"
for v in "$pool" "$table"; do
  if [ -z "$v" ] || [ "$v" = "None" ]; then
    echo "The stack $stack in $region has no UserPoolId/UsersTableName output" >&2
    exit 1
  fi
done
[ -n "$roles" ] && [ "$roles" != "None" ] || roles="user,admin"

. scripts/lib/local-java.sh
local_build_if_needed
local_run dev.userapi.local.ops.BootstrapAdmin --region "$region" --user-pool-id "$pool" --table "$table" \
  --roles "$roles" --email "$email"
