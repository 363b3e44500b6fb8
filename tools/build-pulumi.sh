#!/usr/bin/env bash
# Builds the Pulumi CLI (from the tagged pkg/v3 Go module, pinned in tools/pulumi-cli/go.mod) and our
# Node.js language host (tools/pulumi-cli/pulumi-language-nodejs) into .tools/bin, and writes the
# pulumi-resource-pulumi-nodejs launcher (with exit-with-parent.cjs, which it preloads) next to them.
# Cached: when nothing pinned has changed and the binaries exist, it returns at once.
# Needs Go (>= 1.26) and the Go module proxy.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/.tools/bin"
mod="$root/tools/pulumi-cli"
version="v3.274.1"

inputs_hash() {
  cat "$mod/go.mod" "$mod/go.sum" "$mod"/pulumi-language-nodejs/*.go "$root/tools/pulumi-resource-pulumi-nodejs" \
    "$root/tools/exit-with-parent.cjs" "${BASH_SOURCE[0]}" | sha256sum | cut -d' ' -f1
}

hash="$(inputs_hash)"
if [[ -x "$bin/pulumi" && -x "$bin/pulumi-language-nodejs" && -x "$bin/pulumi-resource-pulumi-nodejs" \
      && -f "$bin/exit-with-parent.cjs" && -f "$bin/.inputs" && "$(cat "$bin/.inputs")" == "$hash" ]]; then
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "build-pulumi: 'pulumi' is not on PATH and Go is not installed to build it." >&2
  echo "  Install the Pulumi CLI (https://www.pulumi.com/docs/install/) or Go >= 1.26, then run again." >&2
  exit 1
fi

mkdir -p "$bin"
echo "build-pulumi: building the Pulumi CLI $version and the Node.js language host from Go modules into .tools/bin"
echo "build-pulumi: a cold build downloads ~1 GB of modules and compiles ~2,000 packages (10-20 minutes on 2 cores); later runs are cached"
start=$(date +%s)
# -v lists each package as it is compiled; print a progress line every 100 of them.
CGO_ENABLED=0 go build -C "$mod" -v -trimpath -tags osusergo,grpcnotrace \
  -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
  -o "$bin/" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi ./pulumi-language-nodejs 2>&1 \
  | awk '/^(#|go: |[^ ]+\.go:)/ { print; fflush(); next } { n++; if (n % 100 == 0) { printf "build-pulumi:   %d packages compiled\n", n; fflush() } }'
status=${PIPESTATUS[0]}
if [[ $status -ne 0 ]]; then
  echo "build-pulumi: go build failed (exit $status)" >&2
  exit "$status"
fi
install -m 0755 "$root/tools/pulumi-resource-pulumi-nodejs" "$bin/pulumi-resource-pulumi-nodejs"
install -m 0644 "$root/tools/exit-with-parent.cjs" "$bin/exit-with-parent.cjs"
inputs_hash > "$bin/.inputs"
echo "build-pulumi: done in $(( $(date +%s) - start ))s: $("$bin/pulumi" version)"
