#!/usr/bin/env bash
# Regenerates the committed contract artifacts from src/*.sol:
#   build/<Contract>.abi, build/<Contract>.bin   solc 0.8.37, optimizer on (200 runs), EVM "paris"
#   <contract>.go                               abigen v2 bindings (go-ethereum v1.17.10), package contracts
#
# Needs Node.js with npm (npx fetches the solc-js 0.8.37 package, which bundles the compiler) and Go
# (go run fetches and builds abigen). `go build` and `go test` never need either: they use the
# committed files. Run from anywhere:  wallet/contracts/gen.sh   (or: go generate ./wallet/contracts)
set -euo pipefail
cd "$(dirname "$0")"

SOLC_VERSION=0.8.37
GETH_VERSION=v1.17.10
EVM_VERSION=paris
CONTRACTS=(Capacity Market TestUSD)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Standard JSON: solcjs' plain CLI has no --evm-version. Paris (no PUSH0) runs on any EVM chain.
sources=""
for c in "${CONTRACTS[@]}"; do
  sources+="\"$c.sol\":{\"urls\":[\"$c.sol\"]},"
done
cat >"$tmp/input.json" <<JSON
{"language":"Solidity","sources":{${sources%,}},
 "settings":{"optimizer":{"enabled":true,"runs":200},"evmVersion":"$EVM_VERSION",
             "outputSelection":{"*":{"*":["abi","evm.bytecode.object"]}}}}
JSON

# solcjs loses output past 128 KiB when stdout is a pipe: write to a file.
(cd src && npx --yes "solc@$SOLC_VERSION" --standard-json --base-path . <"$tmp/input.json" >"$tmp/raw.json")

mkdir -p build
node - "$tmp/raw.json" "${CONTRACTS[@]}" <<'JS'
const fs = require('fs');
const [raw, ...names] = process.argv.slice(2);
// solcjs prints ">>>" notices (no SMT solver) before the JSON.
const text = fs.readFileSync(raw, 'utf8').split('\n').filter(l => !l.startsWith('>>>')).join('\n');
const out = JSON.parse(text);
let failed = false;
for (const e of out.errors || []) {
  console.error(e.formattedMessage);
  if (e.severity === 'error') failed = true;
}
if (failed) process.exit(1);
for (const n of names) {
  const c = out.contracts[`${n}.sol`][n];
  fs.writeFileSync(`build/${n}.abi`, JSON.stringify(c.abi) + '\n');
  fs.writeFileSync(`build/${n}.bin`, c.evm.bytecode.object + '\n');
}
JS

for c in "${CONTRACTS[@]}"; do
  lower=$(echo "$c" | tr '[:upper:]' '[:lower:]')
  go run "github.com/ethereum/go-ethereum/cmd/abigen@$GETH_VERSION" --v2 \
    --abi "build/$c.abi" --bin "build/$c.bin" --pkg contracts --type "$c" --out "$lower.go"
  chmod 644 "$lower.go"
done
echo "regenerated: ${CONTRACTS[*]}"
