#!/usr/bin/env bash
# Creates or updates the Azure DevOps work item "SMTP AUTH readiness: stack <stack>" with the
# Markdown report of `m365-smtp-auth usage`, and assigns it to the owner of the exception that
# expires first within the report's window (Azure DevOps notifies the assignee). The owners of all
# expiring exceptions are named in a discussion comment. Uses the pipeline's own token
# (AZURE_DEVOPS_EXT_PAT=$(System.AccessToken)); the build service needs "Edit work items".
# usage: pipelines/readiness-work-item.sh <stack> <report.md> <report.json> [work item type]
set -euo pipefail

stack="$1" report="$2" json="$3" type="${4:-Task}"
: "${AZURE_DEVOPS_EXT_PAT:?map System.AccessToken to AZURE_DEVOPS_EXT_PAT}"
org="${SYSTEM_COLLECTIONURI:?run inside an Azure DevOps pipeline}"
project="${SYSTEM_TEAMPROJECT:?run inside an Azure DevOps pipeline}"
title="SMTP AUTH readiness: stack $stack"

az extension add --name azure-devops --only-show-errors > /dev/null 2>&1 || true
az devops configure --defaults organization="$org" project="$project"

# The description field is HTML: the report goes in as preformatted text.
body="$(node -e 'const t = require("node:fs").readFileSync(process.argv[1], "utf8"); console.log("<pre>" + t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;") + "</pre>")' "$report")"
owners="$(node -e 'const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")); console.log([...new Set(r.expiring.map((e) => e.owner).filter(Boolean))].join(" "))' "$json")"
first="${owners%% *}"

id="$(az boards query --wiql "SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project AND [System.Title] = '$title' AND [System.State] <> 'Closed' AND [System.State] <> 'Done'" --query '[0].id' -o tsv)"
assign=()
if [[ -n "$first" ]]; then assign=(--assigned-to "$first"); fi
if [[ -z "$id" ]]; then
  id="$(az boards work-item create --type "$type" --title "$title" --description "$body" "${assign[@]}" --query id -o tsv)"
else
  az boards work-item update --id "$id" --description "$body" "${assign[@]}" > /dev/null
fi
if [[ -n "$owners" ]]; then
  az boards work-item update --id "$id" --discussion "SMTP AUTH exceptions owned by $owners expire within the report's window: renew them or move the senders (see the description)." > /dev/null
fi
echo "work item $id: $title"
