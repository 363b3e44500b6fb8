#!/usr/bin/env bash
# Posts .pipeline/<stack>/comment.md as a pull request thread in Azure Repos, or updates the thread
# this pipeline posted before (found by the comment's first line, commentMarker(stack)).
# usage: pipelines/pr-comment.sh <stack>; env: SYSTEM_ACCESSTOKEN and the predefined variables.
set -euo pipefail

stack="$1"
file=".pipeline/$stack/comment.md"
[[ -s "$file" ]] || { echo "no comment to post for $stack"; exit 0; }
api="${SYSTEM_COLLECTIONURI}${SYSTEM_TEAMPROJECTID}/_apis/git/repositories/${BUILD_REPOSITORY_ID}/pullRequests/${SYSTEM_PULLREQUEST_PULLREQUESTID}/threads"
auth=(-H "Authorization: Bearer $SYSTEM_ACCESSTOKEN" -H "Content-Type: application/json")
marker="$(head -n 1 "$file")"
body="$(jq -Rs . < "$file")"

found="$(curl -fsS "${auth[@]}" "$api?api-version=7.1" \
  | jq -r --arg m "$marker" '.value[] | select(.comments[0].content // "" | startswith($m)) | "\(.id) \(.comments[0].id)"' | head -n 1)"
if [[ -n "$found" ]]; then
  read -r thread comment <<< "$found"
  curl -fsS "${auth[@]}" -X PATCH "$api/$thread/comments/$comment?api-version=7.1" -d "{\"content\": $body}" > /dev/null
else
  curl -fsS "${auth[@]}" -X POST "$api?api-version=7.1" \
    -d "{\"comments\": [{\"parentCommentId\": 0, \"content\": $body, \"commentType\": 1}], \"status\": 1}" > /dev/null
fi
