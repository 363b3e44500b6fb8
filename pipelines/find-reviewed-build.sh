#!/usr/bin/env bash
# Finds the pull request build whose plan was reviewed for the commit being applied: the completed
# pull request whose merge commit is Build.SourceVersion, then that pull request's latest successful
# build of this pipeline. Sets the output variable buildId; fails when there is none (then nothing
# is applied). env: SYSTEM_ACCESSTOKEN and the predefined variables.
set -euo pipefail

base="${SYSTEM_COLLECTIONURI}${SYSTEM_TEAMPROJECTID}/_apis"
auth=(-H "Authorization: Bearer $SYSTEM_ACCESSTOKEN")

pr="$(curl -fsS "${auth[@]}" \
  "$base/git/repositories/$BUILD_REPOSITORY_ID/pullrequests?searchCriteria.status=completed&searchCriteria.targetRefName=refs/heads/main&\$top=100&api-version=7.1" \
  | jq -r --arg c "$BUILD_SOURCEVERSION" '[.value[] | select(.lastMergeCommit.commitId == $c)][0].pullRequestId // empty')"
if [[ -z "$pr" ]]; then
  echo "##vso[task.logissue type=error]no completed pull request merged $BUILD_SOURCEVERSION: nothing was reviewed, nothing is applied"
  exit 1
fi

build="$(curl -fsS "${auth[@]}" \
  "$base/build/builds?definitions=$SYSTEM_DEFINITIONID&reasonFilter=pullRequest&branchName=refs/pull/$pr/merge&resultFilter=succeeded&queryOrder=finishTimeDescending&\$top=1&api-version=7.1" \
  | jq -r '.value[0].id // empty')"
if [[ -z "$build" ]]; then
  echo "##vso[task.logissue type=error]no successful preview build for pull request $pr"
  exit 1
fi
echo "reviewed plan: pull request $pr, build $build"
echo "##vso[task.setvariable variable=buildId;isOutput=true]$build"
