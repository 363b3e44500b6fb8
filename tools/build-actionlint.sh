#!/usr/bin/env bash
# Builds actionlint (the GitHub Actions workflow linter, pinned below) from Go modules into
# .tools/bin, for test/pipeline/workflows.test.ts and CI. Cached: when the pinned version is already
# built it returns at once. Needs Go and the Go module proxy; prints build output to stderr only.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/.tools/bin"
version="v1.7.12"
stamp="$bin/.actionlint-version"

if [[ -x "$bin/actionlint" && -f "$stamp" && "$(cat "$stamp")" == "$version" ]]; then
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "build-actionlint: Go is not installed; install Go or put actionlint $version on PATH." >&2
  exit 1
fi

mkdir -p "$bin"
echo "build-actionlint: building actionlint $version from Go modules into .tools/bin" >&2
start=$(date +%s)
# GOFLAGS=-mod=mod: `go install pkg@version` must not read a go.mod from the working directory.
GOFLAGS=-mod=mod GOBIN="$bin" CGO_ENABLED=0 go install -trimpath -ldflags "-s -w" \
  "github.com/rhysd/actionlint/cmd/actionlint@$version" >&2
echo "$version" > "$stamp"
echo "build-actionlint: done in $(( $(date +%s) - start ))s: $("$bin/actionlint" -version | head -1)" >&2
