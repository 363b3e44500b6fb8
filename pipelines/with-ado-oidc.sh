#!/usr/bin/env bash
# Inside AzureCLI@2 with addSpnToEnvironment: true, runs a command signed in by workload identity
# federation: the service connection's federated token ($idToken) goes to a private file that
# AZURE_FEDERATED_TOKEN_FILE names. The program's WorkloadIdentityCredential exchanges it for each
# tenant's app (stack config tenantId/clientId, credential: workloadIdentity); AZURE_CLIENT_ID and
# AZURE_TENANT_ID (the service connection's) serve the Azure Blob backend and Key Vault.
# usage: pipelines/with-ado-oidc.sh <command> [args…]; exits with the command's code.
set -euo pipefail

: "${idToken:?run inside AzureCLI@2 with addSpnToEnvironment: true and a workload identity federation service connection}"
export AZURE_FEDERATED_TOKEN_FILE="${AGENT_TEMPDIRECTORY:-/tmp}/azure-federated-token"
export AZURE_CLIENT_ID="${AZURE_CLIENT_ID:-${servicePrincipalId:-}}"
export AZURE_TENANT_ID="${AZURE_TENANT_ID:-${tenantId:-}}"
umask 077
printf '%s' "$idToken" > "$AZURE_FEDERATED_TOKEN_FILE"
trap 'rm -f "$AZURE_FEDERATED_TOKEN_FILE"' EXIT

set +e
"$@"
code=$?
set -e
exit "$code"
