package aqua_test

import (
	"strings"
	"testing"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/aqua/memnet"
)

// Catchable error paths, each caught by xor and reported through :error:.
func TestCatchableErrorPaths(t *testing.T) {
	svc := byFunc(map[string]string{"obj": `{"error_code":0,"message":"m"}`, "num": `5`, "arr": `[1]`})
	tests := []struct {
		name, air string
		code      int64
		msg       string
	}{
		{"10003 fail with an unknown variable", `(new $z (seq (ap 1 $z) (xor (fail nope) (call I ("s" "h") [:error:]))))`, 10003, "variable with name 'nope' wasn't defined"},
		{"10008 fail with a non-object", `(seq (call I ("s" "num") [] n) (xor (fail n) (call I ("s" "h") [:error:])))`, 10008, "should have an object type"},
		{"10008 fail with a zero code", `(seq (call I ("s" "obj") [] o) (xor (fail o) (call I ("s" "h") [:error:])))`, 10008, "error code must be non-zero"},
		{"10008 fail %last_error% with no error", `(xor (fail %last_error%) (call I ("s" "h") [:error:]))`, 10008, "error code must be non-zero"},
		{"10010 length of a non-array", `(seq (call I ("s" "num") [] n) (xor (call I ("s" "x") [n.length]) (call I ("s" "h") [:error:])))`, 10010, "the length functor could applied only to an array-like value, but it's applied to '5'"},
		{"10011 call peer is not a string", `(seq (call I ("s" "num") [] n) (xor (call n ("s" "x") []) (call I ("s" "h") [:error:])))`, 10011, "call cannot resolve non-String triplet variable part `n` with value '5'"},
		{"10012 stream map key of the wrong type", `(seq (call I ("s" "arr") [] a) (xor (ap (a "v") %m) (call I ("s" "h") [:error:])))`, 10012, "unsupported type for %m map's key"},
		{"10007 index out of range on a canon", `(seq (ap 1 $s) (seq (canon I $s #cc) (xor (call I ("s" "x") [#cc.$.[5]]) (call I ("s" "h") [:error:]))))`, 10007, "lambda is applied to a stream that have only '1' elements, but '5' requested"},
		{"10007 field on a canon", `(seq (ap 1 $s) (seq (canon I $s #cc) (xor (call I ("s" "x") [#cc.$.a]) (call I ("s" "h") [:error:]))))`, 10007, "field accessor (with field_name = 'a') can't be applied to a stream"},
		{"10007 index by a negative variable", `(seq (ap -1 k) (seq (call I ("s" "arr") [] a) (xor (call I ("s" "x") [a.$.[k]]) (call I ("s" "h") [:error:]))))`, 10007, "index accessor `-1 can't be converted to u32"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, 1, svc)
			w.run(si(tt.air))
			var got string
			for _, c := range w.calls {
				if strings.HasPrefix(c, "P1 s.h ") {
					got = strings.TrimPrefix(c, "P1 s.h ")
				}
			}
			if got == "" {
				t.Fatalf("the error was not caught; calls %v, last ret %d %s", w.calls, w.last("P1").Outcome.RetCode, w.last("P1").Outcome.ErrorMessage)
			}
			errObj := jsonv.MustParse(got).Elems()[0]
			code, _ := errObj.Field("error_code")
			msg, _ := errObj.Field("message")
			if c, _ := code.Int64(); c != tt.code || !strings.Contains(msg.String(), tt.msg) {
				t.Fatalf(":error: = %s, want code %d with %q", errObj, tt.code, tt.msg)
			}
		})
	}
}

// Uncatchable errors: running a script on data another script produced.
func TestUncatchableErrorPaths(t *testing.T) {
	tests := []struct {
		name, first, second string
		code                int64
	}{
		{"20006 call output kind differs from the data", `(call I ("s" "f") [] x)`, `(call I ("s" "f") [] $x)`, aqua.CodeCallResultMismatch},
		{"20017 call resolved to another function", `(call I ("s" "f") [] x)`, `(call I ("s" "g") [] x)`, aqua.CodeParametersMismatch},
		{"20017 call arguments differ", `(call I ("s" "f") [1] x)`, `(call I ("s" "f") [2] x)`, aqua.CodeParametersMismatch},
		{"20000 trace state of the wrong kind", `(call I ("s" "f") [] x)`, `(par (null) (null))`, aqua.CodeTraceError},
		{"20004 call output shadows an iterator", `(null)`, `(seq (call I ("s" "arr") [] a) (fold a i (seq (call I ("s" "f") [] i) (next i))))`, aqua.CodeIterableShadowing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, 1, byFunc(map[string]string{"arr": `[1]`}))
			w.run(si(tt.first))
			prev := w.net.Peer(w.ids["P1"]).PrevData("particle-1")
			vm, _ := aqua.New()
			in := &aqua.Input{Script: w.sub(si(tt.second)), PrevData: prev,
				Params: aqua.RunParams{InitPeerID: w.ids["P1"], CurrentPeerID: w.ids["P1"], ParticleID: "particle-1", Key: memnet.KeyFor("P1")}}
			out := vm.Run(t.Context(), in)
			for i := 0; i < 4 && out.RetCode == 0 && len(out.CallRequests) > 0; i++ {
				// Feed results until the error shows.
				results := map[uint32]aqua.CallResult{}
				for _, r := range out.CallRequests {
					results[r.ID] = aqua.CallResult{Result: `[1]`}
				}
				in = &aqua.Input{Script: in.Script, PrevData: out.Data, CallResults: results, Params: in.Params}
				out = vm.Run(t.Context(), in)
			}
			if out.RetCode != tt.code {
				t.Fatalf("ret %d %q, want %d", out.RetCode, out.ErrorMessage, tt.code)
			}
			if string(out.Data) != string(in.PrevData) {
				t.Fatal("an uncatchable error must return the prev data unchanged")
			}
		})
	}
}
