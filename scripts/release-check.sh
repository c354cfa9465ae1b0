#!/usr/bin/env bash
# Checks the release configuration (goreleaser.yml) and builds every release target, offline.
#
#   scripts/release-check.sh          # goreleaser check, then goreleaser build --snapshot --clean
#   scripts/release-check.sh check    # goreleaser check only (what CI runs)
#   scripts/release-check.sh package  # goreleaser check, then goreleaser release --snapshot --clean:
#                                     # the builds plus archives, deb/rpm, checksums and the cask,
#                                     # nothing published
#
# goreleaser is a tool, not a module dependency: the pinned version is installed into .bin/
# with `go install` the first time (that needs the Go module proxy once); later runs are offline.
# The snapshot build writes dist/ (six binaries: linux, darwin, windows on amd64 and arm64).
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  "" | check | package) ;;
  *) echo "usage: $0 [check|package]" >&2; exit 2 ;;
esac

GORELEASER_VERSION=v2.16.0
BIN="$PWD/.bin"
GORELEASER="$BIN/goreleaser"

installed_version() {
  [ -x "$GORELEASER" ] || return 0
  go version -m "$GORELEASER" 2>/dev/null | awk '$1 == "mod" && $2 == "github.com/goreleaser/goreleaser/v2" { print $3 }'
}

if [ "$(installed_version)" != "$GORELEASER_VERSION" ]; then
  echo "installing goreleaser $GORELEASER_VERSION into $BIN"
  mkdir -p "$BIN"
  # Run outside the module so the tool's dependencies never touch go.mod.
  (cd / && GOBIN="$BIN" go install "github.com/goreleaser/goreleaser/v2@$GORELEASER_VERSION")
fi

echo "== goreleaser check"
"$GORELEASER" check

case "${1:-}" in
  check)
    ;;
  package)
    echo "== goreleaser release --snapshot --clean"
    "$GORELEASER" release --snapshot --clean
    ;;
  "")
    echo "== goreleaser build --snapshot --clean"
    "$GORELEASER" build --snapshot --clean
    ;;
esac
