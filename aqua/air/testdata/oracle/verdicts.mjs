// Records the verdicts of the real AquaVM 0.62.0 parser for the oracle test
// (oracle_test.go). It loads avm.wasm through @fluencelabs/marine-js, as installed by
// the aqua-oracle tool of the shared tools folder, and calls its "ast" entry point.
//
//   python3 gen_cases.py > /tmp/cases.json
//   node verdicts.mjs NODE_MODULES_DIR /tmp/verdicts.jsonl < /tmp/cases.json
//   gzip -9 < /tmp/verdicts.jsonl > avm-0.62.0-verdicts.jsonl.gz
//
// Input: a JSON array of scripts. Output: one JSON object per line,
// {"src": SCRIPT, "verdict": "ok" | "error" | "panic"}.
import { readFileSync, writeFileSync } from "fs";
const NM = (process.argv[2] || "../../../../shared/tools/aqua-oracle/node_modules").replace(/\/?$/, "/");
const { MarineService } = await import(NM + "@fluencelabs/marine-js/dist/MarineService.js");
const { defaultCallParameters } = await import(NM + "@fluencelabs/marine-js/dist/types.js");
const control = new WebAssembly.Module(readFileSync(NM + "@fluencelabs/marine-js/dist/marine-js.wasm"));
const avm = readFileSync(NM + "@fluencelabs/avm/dist/avm.wasm");
const cfg = {
  modules_config: [{
    import_name: "avm",
    config: { logger_enabled: true, logging_mask: 0, wasi: { envs: { WASM_LOG: "off" }, preopened_files: new Set(), mapped_dirs: new Map() } },
  }],
};
async function service() {
  const s = new MarineService(control, "avm", () => {}, cfg, { avm: new Uint8Array(avm) }, {});
  await s.init();
  return s;
}
let srv = await service();
const out = [];
for (const src of JSON.parse(readFileSync(0, "utf8"))) {
  let verdict;
  try {
    const ast = srv.call("ast", [src], defaultCallParameters);
    verdict = String(ast).startsWith("error") ? "error" : "ok";
  } catch (e) {
    verdict = "panic"; // the Rust parser panicked; the instance is unusable now
    srv = await service();
  }
  out.push(JSON.stringify({ src, verdict }));
}
writeFileSync(process.argv[3] || "verdicts.jsonl", out.join("\n") + "\n");
process.exit(0);
