#!/usr/bin/env bash
# Runs a command signed in to Entra ID by workload identity federation (OpenID Connect): no client
# secret exists anywhere. It asks GitHub for the job's OIDC token (audience api://AzureADTokenExchange),
# writes it to $RUNNER_TEMP/azure-federated-token, points AZURE_FEDERATED_TOKEN_FILE at it, and
# renews it every 4 minutes while the command runs (GitHub's tokens are short-lived; the program's
# WorkloadIdentityCredential and the Azure Blob / Key Vault clients re-read the file).
#
# Needs `permissions: id-token: write` on the job. The program signs in to each tenant with the
# tenantId and clientId of its stack's committed config (credential: workloadIdentity); AZURE_CLIENT_ID
# and AZURE_TENANT_ID, when set, are the identity the Azure Blob state backend and an Azure Key Vault
# secrets provider sign in with (docs/gitops.md).
#
# usage: .github/scripts/with-azure-oidc.sh <command> [args…]; exits with the command's code.
set -euo pipefail

: "${ACTIONS_ID_TOKEN_REQUEST_URL:?the job needs permissions: id-token: write}"
: "${ACTIONS_ID_TOKEN_REQUEST_TOKEN:?the job needs permissions: id-token: write}"

export AZURE_FEDERATED_TOKEN_FILE="${RUNNER_TEMP:-/tmp}/azure-federated-token"
umask 077

fetch_token() {
  local tmp="$AZURE_FEDERATED_TOKEN_FILE.tmp"
  curl --fail --silent --show-error --retry 3 \
    -H "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" \
    "$ACTIONS_ID_TOKEN_REQUEST_URL&audience=api://AzureADTokenExchange" \
    | jq -r '.value // empty' > "$tmp"
  if [[ ! -s "$tmp" ]]; then
    echo "with-azure-oidc: GitHub returned no OIDC token" >&2
    return 1
  fi
  mv "$tmp" "$AZURE_FEDERATED_TOKEN_FILE"
}

fetch_token
( while sleep 240; do fetch_token || true; done ) &
renewer=$!
trap 'kill "$renewer" 2>/dev/null || true; rm -f "$AZURE_FEDERATED_TOKEN_FILE"' EXIT

set +e
"$@"
code=$?
set -e
exit "$code"
