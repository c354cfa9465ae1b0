#!/usr/bin/env bash
# Re-records the AIR conformance corpus with the reference implementation.
#
#   testdata/conformance/record.sh            # every case
#   testdata/conformance/record.sh CASE       # one case (CASE = file name without .aqua)
#
# For every NAME.aqua in this directory the aqua-oracle compiles it (writing NAME.air) and runs it
# on an in-memory network of five reference peers (Fluence JS client 0.9.0 + AquaVM 0.62.0).
# The oracle's combined output is split into one NAME.json per case:
#   {"call": FUNC, "args": {...header args, "$peers" kept literally...}, "result": VALUE}
#   {"call": FUNC, "args": {...}, "error": "MESSAGE"}
#
# Needs node (>= 18) and npm; installs the oracle's npm dependencies on first use.
# The oracle lives in shared/tools/aqua-oracle beside the repository; AQUA_ORACLE_DIR overrides.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
oracle="${AQUA_ORACLE_DIR:-$repo/../shared/tools/aqua-oracle}"
only="${1:-}"

command -v node >/dev/null || { echo "record.sh: node is required" >&2; exit 2; }
[ -f "$oracle/oracle.mjs" ] || { echo "record.sh: no oracle at $oracle (set AQUA_ORACLE_DIR)" >&2; exit 2; }
oracle="$(cd "$oracle" && pwd)"

# Install the oracle's dependencies if missing. If the shared copy is not writable, work on a
# private copy of it instead (the shared copy is left untouched).
if [ ! -d "$oracle/node_modules/@fluencelabs/js-client" ]; then
  if [ ! -w "$oracle" ]; then
    cache="${XDG_CACHE_HOME:-$HOME/.cache}/reef-aqua-oracle"
    mkdir -p "$cache"
    cp "$oracle/oracle.mjs" "$oracle/package.json" "$oracle/package-lock.json" "$cache/"
    oracle="$cache"
  fi
  if [ ! -d "$oracle/node_modules/@fluencelabs/js-client" ]; then
    echo "record.sh: installing oracle dependencies in $oracle" >&2
    (cd "$oracle" && npm install --no-audit --no-fund >&2)
  fi
fi

if [ -n "$only" ] && [ ! -f "$here/$only.aqua" ]; then
  echo "record.sh: no case $only" >&2; exit 2
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
expected="$(ls "$here"/*.aqua | wc -l)"
[ -n "$only" ] && expected=1

# The oracle occasionally dies without output (a crash in its worker thread); retry a few times.
ok=""
for attempt in 1 2 3; do
  if (cd "$oracle" && node oracle.mjs "$here" $only >"$tmp/out.json" 2>"$tmp/err.txt") &&
     node -e '
       const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
       if (Object.keys(d.results).length !== Number(process.argv[2])) process.exit(1);
     ' "$tmp/out.json" "$expected" 2>/dev/null; then
    ok=1; break
  fi
  echo "record.sh: oracle run $attempt failed, retrying" >&2
  tail -5 "$tmp/err.txt" >&2 || true
done
[ -n "$ok" ] || { echo "record.sh: oracle failed" >&2; exit 1; }

# Split into per-case files; fail on compile errors and on timing-dependent outcomes.
node - "$here" "$tmp/out.json" "$only" <<'EOF'
const fs = require("fs");
const path = require("path");
const [dir, outFile, only] = process.argv.slice(2);
const { results } = JSON.parse(fs.readFileSync(outFile, "utf8"));
const strip = (s) => s.replace(/\u001b\[[0-9;]*m/g, "");
let bad = 0;
for (const name of Object.keys(results).sort()) {
  const r = results[name];
  const src = fs.readFileSync(path.join(dir, name + ".aqua"), "utf8");
  const call = (/^-- call: (\w+)/m.exec(src) || [])[1];
  const args = JSON.parse((/^-- args: (.*)$/m.exec(src) || [0, "{}"])[1]);
  if ("compile_error" in r) {
    console.error(`${name}: compile error\n${strip(r.compile_error)}`);
    bad++;
    continue;
  }
  const rec = { call, args };
  if ("error" in r) {
    if (/oracle timeout|Particle expired/.test(r.error)) {
      console.error(`${name}: timed out (${r.error})`);
      bad++;
      continue;
    }
    rec.error = r.error;
  } else {
    rec.result = r.result;
  }
  fs.writeFileSync(path.join(dir, name + ".json"), JSON.stringify(rec, null, 2) + "\n");
}
if (!only) {
  // Drop outputs of cases that no longer exist.
  for (const f of fs.readdirSync(dir)) {
    const m = /^(.*)\.(json|air)$/.exec(f);
    if (m && f !== "host-divergences.json" && !fs.existsSync(path.join(dir, m[1] + ".aqua"))) fs.unlinkSync(path.join(dir, f));
  }
}
console.error(`record.sh: ${Object.keys(results).length} case(s) recorded, ${bad} failed`);
process.exit(bad ? 1 : 0);
EOF
