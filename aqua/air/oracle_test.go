package air

import (
	"encoding/json"
	"os"
	"testing"
)

// TestOracleVerdicts checks Parse against the verdicts of the real AquaVM 0.62.0
// parser (avm.wasm's "ast" entry point, driven through @fluencelabs/marine-js) on a
// corpus of generated and hand-written scripts: testdata/oracle/avm-0.62.0-verdicts.json
// holds {"src", "verdict"} with verdict "ok" (parsed and validated), "error" (AIR
// parse error, ret_code 1) or "panic" (the Rust parser panicked; skipped).
func TestOracleVerdicts(t *testing.T) {
	b, err := os.ReadFile("testdata/oracle/avm-0.62.0-verdicts.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct{ Src, Verdict string }
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	var ok, bad int
	for _, c := range cases {
		if c.Verdict == "panic" {
			continue
		}
		s, err := Parse(c.Src)
		if got := err == nil; got != (c.Verdict == "ok") {
			bad++
			if bad <= 30 {
				t.Errorf("Parse(%q): AquaVM says %s, we say %v", c.Src, c.Verdict, err)
			}
			continue
		}
		ok++
		if s != nil {
			checkRoundTrip(t, c.Src, s)
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d verdicts differ", bad, ok+bad)
	}
}
