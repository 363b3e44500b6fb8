#!/bin/sh
# Sample git pre-commit hook: refuses a commit whose tenant.yaml files are invalid, with the same
# file:line:column errors as a preview, in well under a second. Install it in a clone with
#
#   cp tools/pre-commit-hook.sh .git/hooks/pre-commit && chmod +x .git/hooks/pre-commit
#
# (Git for Windows runs hooks with its own sh, so the same file works there.) It checks the files as
# they are in the working tree; `git commit --no-verify` skips it.
files=$(git diff --cached --name-only --diff-filter=ACMR -- 'stacks/*/tenant.yaml')
[ -z "$files" ] && exit 0
# shellcheck disable=SC2086 # one argument per file; stack folder names have no spaces
exec npm run --silent validate -- $files
