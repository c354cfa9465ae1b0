#!/usr/bin/env bash
# Builds the example guests of package wasm from source. The built .wasm files are
# checked in, so `go test ./wasm/...` needs neither clang nor a wasip1 toolchain; run this
# after changing a guest, then commit the sources and the .wasm together.
#
#   wasm/testdata/build.sh            # build every guest
#   wasm/testdata/build.sh kvgo       # one guest: kvgo, kvgo-v2 or chaosc
#   KVGO_VERSION=2 wasm/testdata/build.sh kvgo   # kvgo-v2.wasm, whose version() returns "2"
#
# Requirements:
#   kvgo   (Go, Extism go-pdk): Go >= 1.24 (wasip1, -buildmode=c-shared, //go:wasmexport).
#          guests/kvgo is its own module (go.mod pins github.com/extism/go-pdk v1.1.3), so
#          it is not part of the main module's build; `go` downloads the PDK on first use.
#   chaosc (C, no Extism header): clang and wasm-ld for wasm32-wasi, and a WASI libc. On
#          Debian 12: apt-get install -y clang lld wasi-libc libclang-rt-14-dev-wasm32
#
# The script is idempotent: the Go build is reproducible (-trimpath, no build id), and
# the C build depends only on the source and the toolchain.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
guests="$here/guests"

build_kvgo() {
	local version="${KVGO_VERSION:-1}"
	# Version 1 is kvgo.wasm; other versions (hot-redeploy tests) are kvgo-vN.wasm.
	local out="kvgo.wasm"
	if [ "$version" != 1 ]; then
		out="kvgo-v$version.wasm"
	fi
	echo "kvgo: go build (version $version) -> $out"
	(
		cd "$guests/kvgo"
		GOOS=wasip1 GOARCH=wasm CGO_ENABLED=0 GOFLAGS=-mod=readonly \
			go build -buildmode=c-shared -trimpath -buildvcs=false \
			-ldflags "-buildid= -X main.version=$version" \
			-o "$out" .
	)
	chmod 0644 "$guests/kvgo/$out"
	ls -l "$guests/kvgo/$out"
}

build_chaosc() {
	local cc="${CC_WASM:-clang}"
	echo "chaosc: $cc --target=wasm32-wasi"
	"$cc" --target=wasm32-wasi -O2 -mbulk-memory -mexec-model=reactor \
		-Wall -Wextra -Werror -Wl,--strip-debug \
		-o "$guests/chaosc/chaosc.wasm" "$guests/chaosc/chaosc.c"
	chmod 0644 "$guests/chaosc/chaosc.wasm"
	ls -l "$guests/chaosc/chaosc.wasm"
}

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	targets=(kvgo kvgo-v2 chaosc)
fi
for t in "${targets[@]}"; do
	case "$t" in
	kvgo) build_kvgo ;;
	kvgo-v2) KVGO_VERSION=2 build_kvgo ;;
	chaosc) build_chaosc ;;
	*)
		echo "unknown guest: $t (want kvgo, kvgo-v2 or chaosc)" >&2
		exit 2
		;;
	esac
done
