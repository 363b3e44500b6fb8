#!/usr/bin/env bash
# Fetches the plan that was reviewed for the commit being applied: the `pulumi-plan-<stack>` artifact
# of the successful preview.yml run on the head commit of the pull request that was merged into it.
# No pull request, no successful preview or no artifact means nothing was reviewed: it fails, and
# ci:apply then refuses to apply anything.
#
# usage: .github/scripts/download-reviewed-plan.sh <stack> <out-dir>
# env:   GH_TOKEN (github.token with actions: read, pull-requests: read), GITHUB_REPOSITORY, GITHUB_SHA
set -euo pipefail

stack="$1"
out="$2"

head_sha="$(gh api "repos/$GITHUB_REPOSITORY/commits/$GITHUB_SHA/pulls" --jq '[.[] | select(.merged_at != null)][0].head.sha // empty')"
if [[ -z "$head_sha" ]]; then
  echo "::error::no merged pull request contains $GITHUB_SHA: nothing was reviewed, so nothing is applied" >&2
  exit 1
fi

run_id="$(gh run list --repo "$GITHUB_REPOSITORY" --workflow preview.yml --event pull_request \
  --commit "$head_sha" --status success --limit 1 --json databaseId --jq '.[0].databaseId // empty')"
if [[ -z "$run_id" ]]; then
  echo "::error::no successful preview run for the pull request's head $head_sha" >&2
  exit 1
fi

mkdir -p "$out"
gh run download "$run_id" --repo "$GITHUB_REPOSITORY" --name "pulumi-plan-$stack" --dir "$out"
echo "reviewed plan for $stack: preview run $run_id, pull request head $head_sha"
