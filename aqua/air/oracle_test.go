package air

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"os"
	"testing"
)

// TestOracleVerdicts checks Parse against the real AquaVM 0.62.0 parser: for every
// script of testdata/oracle/avm-0.62.0-verdicts.jsonl.gz, Parse must succeed exactly
// when AquaVM's parser and validator accept it. The verdicts were recorded with
// testdata/oracle/verdicts.mjs (avm.wasm's "ast" entry point driven through
// @fluencelabs/marine-js) on the corpus of testdata/oracle/gen_cases.py: random
// instruction trees over operands of every kind, random fold/next shapes for the
// static checks, word-classification cases and hand-written probes. A "panic" verdict
// (AquaVM's parser crashed, e.g. on a field name ending in a non-ASCII digit) is
// skipped.
func TestOracleVerdicts(t *testing.T) {
	f, err := os.Open("testdata/oracle/avm-0.62.0-verdicts.jsonl.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<20)
	counts := map[string]int{}
	bad := 0
	for sc.Scan() {
		var c struct{ Src, Verdict string }
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("%q: %v", sc.Text(), err)
		}
		counts[c.Verdict]++
		if c.Verdict == "panic" {
			continue
		}
		s, err := Parse(c.Src)
		if got := err == nil; got != (c.Verdict == "ok") {
			bad++
			if bad <= 20 {
				t.Errorf("Parse(%q): AquaVM says %s, we say %v", c.Src, c.Verdict, err)
			}
			continue
		}
		if s != nil {
			checkRoundTrip(t, c.Src, s)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if counts["ok"] < 1000 || counts["error"] < 1000 {
		t.Errorf("corpus too small: %v", counts)
	}
	if bad > 0 {
		t.Errorf("%d verdicts differ from AquaVM's (corpus %v)", bad, counts)
	}
}
