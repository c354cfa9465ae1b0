package aqua_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/data"
	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/aqua/memnet"
)

// twoPeerData runs a script in which P2 executes a call and sends its data back to P1,
// and returns what P1 had before that data arrived and the data P2 sent.
func twoPeerData(t *testing.T) (w *world, p1Prev, fromP2 []byte, script string) {
	t.Helper()
	w = newWorld(t, 2, byFunc(map[string]string{"secret": `{"balance":100}`}))
	script = w.sub(`(seq (call "P2" ("s" "secret") [] x) (call "P1" ("s" "show") [x]))`)
	w.run(script)
	for _, r := range w.runs {
		if r.Peer.Name == "P1" && r.FromPeer == w.ids["P2"] {
			return w, r.Input.PrevData, r.Input.CurrentData, script
		}
	}
	t.Fatal("P1 never received P2's data")
	return
}

func runOnP1(t *testing.T, w *world, script string, prev, cur []byte) *aqua.Outcome {
	t.Helper()
	vm, _ := aqua.New()
	return vm.Run(context.Background(), &aqua.Input{
		Script: script, PrevData: prev, CurrentData: cur,
		Params: aqua.RunParams{InitPeerID: w.ids["P1"], CurrentPeerID: w.ids["P1"], ParticleID: "particle-1", Key: memnet.KeyFor("P1")},
	})
}

func mutate(t *testing.T, b []byte, f func(d *data.Data)) []byte {
	t.Helper()
	d, err := data.Decode(b, 0)
	if err != nil {
		t.Fatal(err)
	}
	f(d)
	out, err := data.Encode(d, 0)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestForgedDataIsRejected(t *testing.T) {
	w, prev, cur, script := twoPeerData(t)
	if out := runOnP1(t, w, script, prev, cur); out.RetCode != 0 {
		t.Fatalf("genuine data rejected: %d %s", out.RetCode, out.ErrorMessage)
	}
	forged := []byte(`{"balance":1000000}`)
	tests := []struct {
		name string
		data []byte
		code int64
		msg  string
	}{
		{
			name: "value changed in place",
			data: mutate(t, cur, func(d *data.Data) {
				for c, v := range d.Values {
					if strings.Contains(string(v), "balance") {
						d.Values[c] = forged
					}
				}
			}),
			code: aqua.CodeCIDVerification,
			msg:  "does not match its CID",
		},
		{
			name: "value changed with every CID recomputed",
			data: mutate(t, cur, func(d *data.Data) {
				for c, v := range d.Values {
					if !strings.Contains(string(v), "balance") {
						continue
					}
					delete(d.Values, c)
					nc := d.AddValue(forged)
					for sc, sr := range d.ServiceResults {
						if sr.Value != c {
							continue
						}
						delete(d.ServiceResults, sc)
						sr.Value = nc
						nsc := d.AddServiceResult(sr)
						for i := range d.Trace {
							if d.Trace[i].CID == sc {
								d.Trace[i].CID = nsc
							}
						}
					}
				}
			}),
			code: aqua.CodeSignature,
			msg:  "does not match the results it produced",
		},
		{
			name: "signature removed",
			data: mutate(t, cur, func(d *data.Data) { clear(d.Signatures) }),
			code: aqua.CodeSignature,
			msg:  "doesn't match any available public key",
		},
		{
			name: "results re-signed by another peer",
			data: mutate(t, cur, func(d *data.Data) {
				clear(d.Signatures)
				for _, cids := range d.SignedCIDs() {
					pk, sig := data.Sign(memnet.KeyFor("P3"), "particle-1", cids)
					d.Signatures[pk] = sig
				}
			}),
			code: aqua.CodeSignature,
			msg:  "doesn't match any available public key",
		},
		{
			name: "signature for another particle",
			data: mutate(t, cur, func(d *data.Data) {
				for pk := range d.Signatures {
					_, sig := data.Sign(memnet.KeyFor("P2"), "particle-2", d.SignedCIDs()[pk.PeerID()])
					d.Signatures[pk] = sig
				}
			}),
			code: aqua.CodeSignature,
			msg:  "does not match",
		},
		{
			name: "garbage",
			data: []byte("RD\x01garbage"),
			code: aqua.CodeDataDecode,
			msg:  "can't be decoded",
		},
		{
			name: "missing referenced entry",
			data: mutate(t, cur, func(d *data.Data) { clear(d.ServiceResults) }),
			code: aqua.CodeCIDVerification,
			msg:  "missing service result",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := runOnP1(t, w, script, prev, tt.data)
			if out.RetCode != tt.code || !strings.Contains(out.ErrorMessage, tt.msg) {
				t.Fatalf("ret %d %q, want %d containing %q", out.RetCode, out.ErrorMessage, tt.code, tt.msg)
			}
			if string(out.Data) != string(prev) || len(out.NextPeers) != 0 || len(out.CallRequests) != 0 {
				t.Fatal("rejected data changed the outcome: prev data must be returned unchanged with no peers or requests")
			}
		})
	}
}

func TestMergeRejectsConflictingResults(t *testing.T) {
	w, prev, cur, script := twoPeerData(t)
	// P1 first accepts P2's genuine data; then a second copy arrives claiming a different
	// (validly signed) result for the same call: the merge must refuse it.
	out := runOnP1(t, w, script, prev, cur)
	other := mutate(t, cur, func(d *data.Data) {
		for c, v := range d.Values {
			if !strings.Contains(string(v), "balance") {
				continue
			}
			nc := d.AddValue([]byte(`{"balance":5}`))
			for sc, sr := range d.ServiceResults {
				if sr.Value == c {
					sr.Value = nc
					nsc := d.AddServiceResult(sr)
					for i := range d.Trace {
						if d.Trace[i].CID == sc {
							d.Trace[i].CID = nsc
						}
					}
				}
			}
		}
		clear(d.Signatures)
		for peer, cids := range d.SignedCIDs() {
			if peer == w.ids["P2"] {
				pk, sig := data.Sign(memnet.KeyFor("P2"), "particle-1", cids)
				d.Signatures[pk] = sig
			}
		}
	})
	got := runOnP1(t, w, script, out.Data, other)
	if got.RetCode != aqua.CodeSignature && got.RetCode != aqua.CodeTraceError {
		t.Fatalf("conflicting result accepted: ret %d %s", got.RetCode, got.ErrorMessage)
	}
	if string(got.Data) != string(out.Data) {
		t.Fatal("data changed after a rejected merge")
	}
}

func TestLimits(t *testing.T) {
	p := aqua.RunParams{InitPeerID: "p1", CurrentPeerID: "p1", ParticleID: "x"}
	big := `["` + strings.Repeat("a", 100) + `"]`
	var elems []jsonv.Value
	for i := range 500 {
		elems = append(elems, jsonv.IntValue(int64(i)))
	}
	arr := jsonv.ArrayValue(elems...)
	results := map[uint32]aqua.CallResult{1: aqua.Ok(arr)}
	foldScript := `(seq (call "p1" ("s" "arr") [] arr) (fold arr i (seq (ap i $s) (next i))))`
	tests := []struct {
		name   string
		limits aqua.Limits
		in     aqua.Input
		code   int64
	}{
		{"script size", aqua.Limits{MaxScriptSize: 10}, aqua.Input{Script: "(seq (null) (null))"}, aqua.CodeSizeLimit},
		{"data size", aqua.Limits{MaxDataSize: 4}, aqua.Input{Script: "(null)", CurrentData: []byte("RD\x01....")}, aqua.CodeSizeLimit},
		{"call result size", aqua.Limits{MaxCallResultSize: 8}, aqua.Input{Script: "(null)", CallResults: map[uint32]aqua.CallResult{1: {Result: big}}}, aqua.CodeSizeLimit},
		{"instructions", aqua.Limits{MaxInstructions: 100}, aqua.Input{Script: foldScript}, aqua.CodeInstructionLimit},
		{"fold depth", aqua.Limits{MaxFoldDepth: 50}, aqua.Input{Script: foldScript}, aqua.CodeFoldDepthLimit},
		{"stream size", aqua.Limits{}, aqua.Input{Script: `(new $s (seq (ap 0 $s) (fold $s i (seq (ap i $s) (next i)) (null))))`}, aqua.CodeStreamSizeLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vm, err := aqua.New(aqua.WithLimits(tt.limits))
			if err != nil {
				t.Fatal(err)
			}
			in := tt.in
			in.Params = p
			if strings.Contains(in.Script, `"arr"`) {
				// First run issues the call, the second applies the big array.
				first := vm.Run(t.Context(), &in)
				in.PrevData = first.Data
				in.CallResults = results
			}
			out := vm.Run(t.Context(), &in)
			if out.RetCode != tt.code {
				t.Fatalf("ret %d (%s), want %d", out.RetCode, out.ErrorMessage, tt.code)
			}
			if string(out.Data) != string(in.PrevData) {
				t.Fatal("a limit error must leave the data unchanged")
			}
		})
	}
	if _, err := aqua.New(aqua.WithLimits(aqua.Limits{MaxDataSize: -1})); err == nil {
		t.Fatal("negative limit accepted")
	}
}

func TestRunIsCancellable(t *testing.T) {
	vm, _ := aqua.New(aqua.WithLimits(aqua.Limits{MaxInstructions: 1 << 30, MaxFoldDepth: 1 << 20}))
	var elems []jsonv.Value
	for i := range 1000 {
		elems = append(elems, jsonv.IntValue(int64(i)))
	}
	p := aqua.RunParams{InitPeerID: "p1", CurrentPeerID: "p1"}
	// A triple nested fold over 1000 elements: 10^9 iterations unless cancelled.
	script := `(seq (call "p1" ("s" "arr") [] arr) (fold arr a (seq (fold arr b (seq (fold arr c (seq (null) (next c))) (next b))) (next a))))`
	first := vm.Run(t.Context(), &aqua.Input{Script: script, Params: p})
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	out := vm.Run(ctx, &aqua.Input{Script: script, Params: p, PrevData: first.Data, CallResults: map[uint32]aqua.CallResult{1: aqua.Ok(jsonv.ArrayValue(elems...))}})
	if out.RetCode != aqua.CodeCancelled {
		t.Fatalf("ret %d %s, want cancellation", out.RetCode, out.ErrorMessage)
	}
}
