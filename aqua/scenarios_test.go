package aqua_test

import (
	"strings"
	"testing"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/data"
	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/aqua/memnet"
)

// The scenarios below transcribe the observed AquaVM 0.62 behaviour recorded in
// ../shared/docs/air-spec.md §13-§14 and the reference traces of §9.5. Scripts use I for
// %init_peer_id% and Pn for peers; services answer as each scenario states.

const I = "%init_peer_id%"

func si(s string) string { return strings.ReplaceAll(s, "I ", I+" ") }

type scenario struct {
	name  string
	peers int
	air   string
	svc   func(peer string, req aqua.CallRequest) aqua.CallResult
	// calls is the expected call log (sorted when sortCalls is set).
	calls     []string
	sortCalls bool
	// tets, when set, is the expected tetraplet log.
	tets []string
	// trace, when set, is P1's final trace.
	trace string
	// ret is the ret code of P1's last run.
	ret int64
	// msg, when set, must be contained in P1's last error message.
	msg string
}

func runScenarios(t *testing.T, tests []scenario) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := tt.peers
			if n == 0 {
				n = 1
			}
			w := newWorld(t, n, tt.svc)
			w.run(si(tt.air))
			if tt.calls != nil {
				got := w.calls
				if tt.sortCalls {
					got = sortedCopy(got)
				}
				equalLists(t, "calls", got, tt.calls)
			}
			if tt.tets != nil {
				equalLists(t, "tetraplets", w.tets, tt.tets)
			}
			if tt.trace != "" {
				if got := w.trace("P1"); got != tt.trace {
					t.Errorf("P1 trace:\n got: %s\nwant: %s", got, tt.trace)
				}
			}
			last := w.last("P1").Outcome
			if last.RetCode != tt.ret {
				t.Errorf("P1 last ret_code = %d (%s), want %d", last.RetCode, last.ErrorMessage, tt.ret)
			}
			if tt.msg != "" && !strings.Contains(w.unsub(last.ErrorMessage), tt.msg) {
				t.Errorf("P1 last error %q does not contain %q", w.unsub(last.ErrorMessage), tt.msg)
			}
		})
	}
}

func TestSpecScenarios(t *testing.T) {
	boom := func(_ string, req aqua.CallRequest) aqua.CallResult {
		if req.Service == "bad" {
			return aqua.Fail(5, "boom")
		}
		return aqua.Ok(jsonv.StringValue("ok"))
	}
	callErr := `{"error_code":10000,"instruction":"call %init_peer_id% (\"bad\" \"f\") [] x","message":"Local service error, ret_code is 5, error message is '\"boom\"'","peer_id":"P1"}`
	runScenarios(t, []scenario{
		{
			name:  "01 seq, lens and tetraplets",
			air:   `(seq (call I ("s" "f") [] x) (call I ("s" "g") [x.$.a.b x]))`,
			svc:   byFunc(map[string]string{"f": `{"a":{"b":1}}`}),
			calls: []string{`P1 s.f []`, `P1 s.g [1,{"a":{"b":1}}]`},
			tets:  []string{`s.f `, `s.g [{P1,s,f,.$.a.b}] [{P1,s,f,}]`},
			trace: "scalar unused",
		},
		{
			name:  "02 literals and special values",
			air:   `(call I ("s" "f") [%ttl% %timestamp% %init_peer_id% 1.5 -3 true "str" []])`,
			calls: []string{`P1 s.f [10000,1700000000000,"P1",1.5,-3,true,"str",[]]`},
			tets:  []string{`s.f [{P1,,,}] [{P1,,,}] [{P1,,,}] [{P1,,,}] [{P1,,,}] [{P1,,,}] [{P1,,,}] [{P1,,,}]`},
		},
		{
			name:      "04 join on a value from another branch",
			peers:     2,
			air:       `(par (call "P2" ("s" "f") [] x) (seq (call "P1" ("s" "h") [] z) (call I ("s" "use") [x])))`,
			calls:     []string{`P1 s.h []`, `P2 s.f []`},
			sortCalls: true,
			trace:     "par(1,1) sent(P1) scalar",
		},
		{
			name:  "05 xor catches a service error",
			air:   `(xor (call I ("bad" "f") [] x) (call I ("s" "f") [:error: %last_error%]))`,
			svc:   boom,
			calls: []string{`P1 bad.f []`, `P1 s.f [` + callErr + `,` + callErr + `]`},
			tets:  []string{`bad.f `, `s.f [{P1,bad,f,}] [{P1,bad,f,}]`},
			trace: "failed unused",
		},
		{
			name:  "06 match failure: int is not float",
			air:   `(xor (match 1 1.0 (call I ("s" "eq") [])) (call I ("s" "ne") [:error:]))`,
			calls: []string{`P1 s.ne [{"error_code":10001,"instruction":"match 1 1","message":"compared values do not match"}]`},
		},
		{
			name:  "07 mismatch leaves last_error untouched",
			air:   `(seq (call I ("s" "x") [] x) (xor (mismatch x "A" (null)) (call I ("s" "eq") [:error: %last_error%])))`,
			svc:   byFunc(map[string]string{"x": `"A"`}),
			calls: []string{`P1 s.x []`, `P1 s.eq [{"error_code":10002,"instruction":"mismatch x \"A\"","message":"compared values do not mismatch"},{"error_code":0,"message":""}]`},
		},
		{
			name: "08 fail literal",
			air:  `(xor (fail 1337 "msg") (call I ("s" "f") [:error: %last_error%]))`,
			calls: []string{`P1 s.f [{"error_code":10006,"instruction":"fail 1337 \"msg\"","message":"fail with '{\"error_code\":1337,\"instruction\":\"fail 1337 \\\"msg\\\"\",\"message\":\"msg\",\"peer_id\":\"P1\"}' is used without corresponding xor"},` +
				`{"error_code":1337,"instruction":"fail 1337 \"msg\"","message":"msg","peer_id":"P1"}]`},
		},
		{
			name:  "09 :error: resets after xor",
			air:   `(seq (xor (fail 1 "x") (null)) (call I ("s" "f") [:error: %last_error% :error:.$.error_code %last_error%.$.message]))`,
			calls: []string{`P1 s.f [{"error_code":0,"message":""},{"error_code":1,"instruction":"fail 1 \"x\"","message":"x","peer_id":"P1"},0,"x"]`},
		},
		{
			name:  "10 fail :error: re-raises the original",
			air:   `(xor (xor (call I ("bad" "f") [] x) (fail :error:)) (call I ("s" "f") [:error:]))`,
			svc:   boom,
			calls: []string{`P1 bad.f []`, `P1 s.f [` + callErr + `]`},
		},
		{
			name:  "11 uncaught catchable error at top level",
			air:   `(seq (call I ("s" "f") [] x) (fail 42 "boom"))`,
			calls: []string{`P1 s.f []`},
			trace: "scalar",
			ret:   aqua.CodeUserError,
			msg:   `fail with '{"error_code":42,"instruction":"fail 42 \"boom\"","message":"boom","peer_id":"P1"}' is used without corresponding xor`,
		},
		{
			name:  "12 uncatchable shadowing leaves data unchanged",
			air:   `(seq (call I ("s" "f") [] x) (call I ("s" "f") [] x))`,
			trace: "req(P1,1)",
			ret:   aqua.CodeShadowingNotAllowed,
			msg:   "trying to shadow variable 'x', but shadowing is allowed only inside fold blocks",
		},
		{
			name:  "13a scalar fold in order",
			air:   `(seq (call I ("s" "arr") [] arr) (fold arr i (seq (call I ("s" "f") [i]) (next i))))`,
			svc:   byFunc(map[string]string{"arr": `["a","b","c"]`}),
			calls: []string{`P1 s.arr []`, `P1 s.f ["a"]`, `P1 s.f ["b"]`, `P1 s.f ["c"]`},
			tets:  []string{`s.arr `, `s.f [{P1,s,arr,.$.[0]}]`, `s.f [{P1,s,arr,.$.[1]}]`, `s.f [{P1,s,arr,.$.[2]}]`},
		},
		{
			name:  "13b scalar fold with next first runs backwards",
			air:   `(seq (call I ("s" "arr") [] arr) (fold arr i (seq (next i) (call I ("s" "f") [i]))))`,
			svc:   byFunc(map[string]string{"arr": `["a","b","c"]`}),
			calls: []string{`P1 s.arr []`, `P1 s.f ["c"]`, `P1 s.f ["b"]`, `P1 s.f ["a"]`},
		},
		{
			name:  "14 empty fold",
			air:   `(seq (fold [] i (seq (call I ("s" "f") [i]) (next i))) (call I ("s" "after") []))`,
			calls: []string{`P1 s.after []`},
		},
		{
			name:  "15a stream fold without last instruction never completes",
			air:   `(new $s (seq (ap 1 $s) (seq (fold $s i (seq (null) (next i))) (call I ("s" "after") []))))`,
			calls: []string{},
		},
		{
			name:  "15b stream fold with (null) last instruction completes",
			air:   `(new $s (seq (ap 1 $s) (seq (fold $s i (seq (null) (next i)) (null)) (call I ("s" "after") []))))`,
			calls: []string{`P1 s.after []`},
		},
		{
			name:  "15c fold over an empty stream is incomplete",
			air:   `(new $s (seq (fold $s i (seq (null) (next i)) (null)) (call I ("s" "after") [])))`,
			calls: []string{},
		},
		{
			name:  "17 stream scoping by position",
			air:   `(new $s (seq (ap "outer" $s) (seq (new $s (seq (ap "inner" $s) (seq (canon I $s #in) (call I ("s" "in") [#in])))) (seq (canon I $s #out) (call I ("s" "out") [#out])))))`,
			calls: []string{`P1 s.in [["inner"]]`, `P1 s.out [["outer"]]`},
		},
		{
			name:  "18 fold iteration scopes",
			air:   `(seq (call I ("s" "arr") [] arr) (seq (call I ("s" "g") [] v) (fold arr i (seq (seq (call I ("s" "peek") [i v]) (call I ("s" "set") [i] v)) (next i)))))`,
			svc:   byFunc(map[string]string{"arr": `[1,2]`, "g": `"G"`}),
			calls: []string{`P1 s.arr []`, `P1 s.g []`, `P1 s.peek [1,"G"]`, `P1 s.set [1]`},
		},
		{
			name:  "18b a scalar set inside a fold is invisible after it",
			air:   `(seq (call I ("s" "arr") [] arr) (seq (fold arr i (seq (call I ("s" "set") [i] v) (next i))) (call I ("s" "after") [v])))`,
			svc:   byFunc(map[string]string{"arr": `[1,2]`}),
			calls: []string{`P1 s.arr []`, `P1 s.set [1]`, `P1 s.set [2]`},
		},
		{
			name:  "19 new scalar uninitialised",
			air:   `(seq (call I ("s" "f") [] x) (new x (call I ("s" "g") [x])))`,
			calls: []string{`P1 s.f []`},
			ret:   aqua.CodeNotInitializedAfterNew,
			msg:   "variable with name 'x' was cleared by new and then wasn't set",
		},
		{
			name:  "20 canon snapshot",
			air:   `(seq (seq (ap 1 $s) (canon I $s #c1)) (seq (ap 2 $s) (seq (canon I $s #c2) (call I ("s" "f") [#c1 #c2]))))`,
			calls: []string{`P1 s.f [[1],[1,2]]`},
			tets:  []string{`s.f [{P1,,,}] [{P1,,,} {P1,,,}]`},
			trace: "ap(0) canon ap(0) canon unused",
		},
		{
			name:  "22 canon functors and lenses",
			peers: 2,
			air:   `(seq (seq (ap 1 $s) (ap 2 $s)) (seq (canon I $s #cc) (call "P2" ("s" "f") [#cc #cc.$.[1] #cc.length])))`,
			calls: []string{`P2 s.f [[1,2],2,2]`},
			tets:  []string{`s.f [{P1,,,} {P1,,,}] [{P1,,,}] [{P2,.length,,}]`},
		},
		{
			name:  "23a lens error on a call argument",
			air:   `(seq (call I ("s" "f") [] x) (xor (call I ("s" "g") [x.$.a.[3]]) (call I ("s" "h") [:error:])))`,
			svc:   byFunc(map[string]string{"f": `{"a":[1,2]}`}),
			calls: []string{`P1 s.f []`, `P1 s.h [{"error_code":10007,"instruction":"call %init_peer_id% (\"s\" \"g\") [x.$.a.[3]] ","message":"value '[1,2]' does not contain element for idx = '3'","peer_id":"P1"}]`},
		},
		{
			name:  "23b lens error in ap",
			air:   `(seq (ap 5 x) (xor (ap x.$.a y) (call I ("s" "h") [:error:])))`,
			calls: []string{`P1 s.h [{"error_code":10007,"instruction":"ap x.$.a y","message":"value '5' is not an map-type to match field accessor with field_name = 'a'"}]`},
		},
		{
			name:  "23c fold over a non-array",
			air:   `(seq (ap 5 x) (xor (fold x i (null)) (call I ("s" "h") [:error:])))`,
			calls: []string{`P1 s.h [{"error_code":10005,"instruction":"fold x i","message":"expression 'x' returned non-array value '5' for fold iterable"}]`},
		},
		{
			name:  "23d canon with a non-string peer",
			air:   `(seq (ap 5 x) (xor (canon x $s #cc) (call I ("s" "h") [:error:])))`,
			calls: []string{"P1 s.h [{\"error_code\":10011,\"instruction\":\"canon x $s #cc\",\"message\":\"call cannot resolve non-String triplet variable part `x` with value '5'\",\"peer_id\":\"P1\"}]"},
		},
		{
			name: "24 stream maps",
			air: `(seq (seq (seq (ap ("k" 1) %m) (ap ("k" 2) %m)) (seq (ap (7 "x") %m) (seq (canon I %m #%cm) (canon I %m sc))))
			       (seq (call I ("s" "f") [#%cm #%cm.$.k #%cm.$.k.[1] #%cm.length #%cm.$.nokey sc])
			            (fold #%cm it (seq (call I ("s" "see") [it]) (next it)))))`,
			calls: []string{
				`P1 s.f [{"7":["x"],"k":[1,2]},[1,2],2,3,[],{"7":"x","k":1}]`,
				`P1 s.see [{"key":"k","value":1}]`,
				`P1 s.see [{"key":"k","value":2}]`,
				`P1 s.see [{"key":7,"value":"x"}]`,
			},
		},
		{
			name:  "26 stale :error: after an error swallowed by par",
			air:   `(seq (par (fail 1 "a") (null)) (xor (match 1 2 (null)) (call I ("s" "f") [:error: %last_error%])))`,
			calls: []string{`P1 s.f [{"error_code":10006,"instruction":"fail 1 \"a\"","message":"fail with '{\"error_code\":1,\"instruction\":\"fail 1 \\\"a\\\"\",\"message\":\"a\",\"peer_id\":\"P1\"}' is used without corresponding xor"},{"error_code":1,"instruction":"fail 1 \"a\"","message":"a","peer_id":"P1"}]`},
		},
		{
			name:  "30 a service result that is not JSON",
			air:   `(xor (call I ("s" "bad") [] x) (call I ("s" "h") [:error:.$.message]))`,
			svc:   byFunc(map[string]string{"bad": `not json`}),
			calls: []string{`P1 s.bad []`, `P1 s.h ["Local service error, ret_code is 2147483647, error message is 'call_service result 'ret_code: 0, result: 'not json'' can't be serialized or deserialized with an error: expected ident at line 1 column 2'"]`},
		},
		{
			name:  "P-5 remote call routed before its arguments are known",
			peers: 2,
			air:   `(par (call I ("s" "slow") [] x) (call "P2" ("s" "f") [x]))`,
			calls: []string{`P1 s.slow []`},
			trace: "par(1,1) scalar sent(P1)",
		},
	})
}

func TestScenario03RemoteCallRouting(t *testing.T) {
	w := newWorld(t, 1, nil) // P2 is not on the network: the particle stops at P1
	w.names = append(w.names, "P2")
	w.ids["P2"] = data.PeerIDFromKey(memnet.KeyFor("P2"))
	w.run(si(`(par (call "P2" ("s" "f") [] x) (call I ("s" "g") ["local"]))`))
	first := w.runs[0].Outcome
	if len(first.CallRequests) != 1 || first.CallRequests[0].Function != "g" {
		t.Fatalf("requests = %+v", first.CallRequests)
	}
	if len(first.NextPeers) != 1 || w.unsub(first.NextPeers[0]) != "P2" {
		t.Fatalf("next peers = %v", first.NextPeers)
	}
	d, err := data.Decode(first.Data, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := w.unsub(renderTrace(d)); got != "par(1,1) sent(P1) req(P1,1)" {
		t.Fatalf("trace = %s", got)
	}
}

func TestScenario13cParFoldIssuesAllCallsInOneRun(t *testing.T) {
	w := newWorld(t, 1, byFunc(map[string]string{"arr": `["a","b","c"]`}))
	w.run(si(`(seq (call I ("s" "arr") [] arr) (fold arr i (par (call I ("s" "f") [i] $r) (next i))))`))
	if n := len(w.runs[1].Outcome.CallRequests); n != 3 {
		t.Fatalf("second run issued %d requests, want 3", n)
	}
	equalLists(t, "calls", w.calls, []string{`P1 s.arr []`, `P1 s.f ["a"]`, `P1 s.f ["b"]`, `P1 s.f ["c"]`})
}

func TestScenario16RecursiveStream(t *testing.T) {
	inc := func(_ string, req aqua.CallRequest) aqua.CallResult {
		if req.Function == "f" {
			n, _ := req.Args[0].Int64()
			return aqua.Ok(jsonv.IntValue(n + 1))
		}
		return aqua.Ok(jsonv.StringValue("ok"))
	}
	w := newWorld(t, 1, inc)
	w.run(si(`(new $s (seq (ap 1 $s) (seq (fold $s i (seq (seq (call I ("s" "f") [i] v) (xor (match v 3 (null)) (ap v $s))) (next i)) (null)) (seq (canon I $s #all) (call I ("s" "done") [#all])))))`))
	second := w.runs[1].Outcome
	var got []string
	for _, r := range second.CallRequests {
		got = append(got, r.Function+" "+jsonv.ArrayValue(r.Args...).String())
	}
	equalLists(t, "second run requests", got, []string{"f [2]", "done [[1,2]]"})
	equalLists(t, "calls", w.calls, []string{`P1 s.f [1]`, `P1 s.f [2]`, `P1 s.done [[1,2]]`})
}

func TestScenario21CanonOnRemotePeer(t *testing.T) {
	w := newWorld(t, 3, nil)
	w.run(si(`(seq (par (ap "a" $s) (call "P2" ("s" "g") [] $s)) (seq (canon "P2" $s #c) (call "P3" ("s" "f") [#c])))`))
	first := w.runs[0].Outcome
	d, _ := data.Decode(first.Data, 0)
	if got := w.unsub(renderTrace(d)); got != "par(1,1) ap(0) sent(P1) canon_sent(P1)" {
		t.Fatalf("P1 trace = %s", got)
	}
	equalLists(t, "calls", sortedCopy(w.calls), []string{`P2 s.g []`, `P3 s.f [["a"]]`})
}

func TestScenario25MultiPeerStreamGenerations(t *testing.T) {
	w := newWorld(t, 3, func(peer string, req aqua.CallRequest) aqua.CallResult {
		if req.Function == "local" {
			return aqua.Ok(jsonv.StringValue("L"))
		}
		return aqua.Ok(jsonv.StringValue(peer))
	})
	w.run(si(`(seq (par (call "P2" ("s" "g") [] $s) (call "P3" ("s" "g") [] $s)) (seq (call I ("s" "local") [] $s) (fold $s i (seq (call I ("s" "see") [i]) (next i)) (null))))`))
	var sees []string
	for _, c := range w.calls {
		if strings.Contains(c, "s.see") {
			sees = append(sees, c)
		}
	}
	equalLists(t, "see calls", sees, []string{`P1 s.see ["P2"]`, `P1 s.see ["P3"]`, `P1 s.see ["L"]`})
	// All three were issued by one run.
	found := false
	for _, r := range w.runs {
		if r.Peer.Name == "P1" && len(r.Outcome.CallRequests) == 3 {
			found = true
		}
	}
	if !found {
		t.Error("no single P1 run issued all three see calls")
	}
}

func TestScenario29UnprocessedCallResult(t *testing.T) {
	w := newWorld(t, 1, nil)
	vm, _ := aqua.New()
	out := vm.Run(t.Context(), &aqua.Input{
		Script:      "(null)",
		CallResults: map[uint32]aqua.CallResult{7: {Result: `"x"`}},
		Params:      aqua.RunParams{InitPeerID: w.ids["P1"], CurrentPeerID: w.ids["P1"], ParticleID: "p"},
	})
	if out.RetCode != aqua.CodeUnprocessedCallResult || len(out.Data) == 0 {
		t.Fatalf("ret = %d %q, data %d bytes", out.RetCode, out.ErrorMessage, len(out.Data))
	}
}

func TestScenario31ParserNegatives(t *testing.T) {
	vm, _ := aqua.New()
	for _, script := range []string{
		`(fail 0 "x")`,
		`(new $s (fold $s i (seq (next i) (null))))`,
		`(new $s (fold $s i (par (next i) (null))))`,
		`(seq (call "p" ("s" "f") [] arr) (fold arr i (seq (next i) (next i))))`,
		`(seq (call "p" ("s" "f") [] arr) (fold arr i (fold arr i (next i))))`,
		`(seq (call "p" ("s" "f") [] arr) (fold arr i (new i (next i))))`,
		`(call "p" ("s" "f") [1.0000000000])`,
		`(new $s (call "p" ("s" "f") [$s]))`,
		`(ap #%m x)`,
		`(fold $s i (null))`,
		`(seq (canon "p" $s #c) (call "p" ("s" "f") [#c.length]))`,
		`(seq (call "p" ("s" "f") [] x)`,
	} {
		out := vm.Run(t.Context(), &aqua.Input{Script: script, Params: aqua.RunParams{InitPeerID: "p", CurrentPeerID: "p"}})
		if out.RetCode != aqua.CodeParse || !strings.HasPrefix(out.ErrorMessage, "air can't be parsed") {
			t.Errorf("%s: ret %d %q", script, out.RetCode, out.ErrorMessage)
		}
	}
	// The xor variant of next-not-last is accepted.
	out := vm.Run(t.Context(), &aqua.Input{Script: `(new $s (fold $s i (xor (next i) (null))))`, Params: aqua.RunParams{InitPeerID: "p", CurrentPeerID: "p"}})
	if out.RetCode == aqua.CodeParse {
		t.Errorf("xor variant rejected: %s", out.ErrorMessage)
	}
}

// Reference traces of §9.5 (upstream fold tests).
func TestFoldLoreReferenceTraces(t *testing.T) {
	t.Run("seq next with last instruction", func(t *testing.T) {
		w := newWorld(t, 1, echo)
		w.run(si(`(seq (seq (ap 1 $s) (ap 2 $s)) (fold $s i (seq (call I ("" "") [i] $new) (next i)) (call I ("" "") [i] $new)))`))
		if got, want := w.trace("P1"), "ap(0) ap(0) fold[{0 (3,1) (6,0)} {1 (4,1) (5,1)}] stream(0) stream(1) stream(2)"; got != want {
			t.Fatalf("trace:\n got %s\nwant %s", got, want)
		}
	})
	t.Run("par next", func(t *testing.T) {
		w := newWorld(t, 1, nil)
		for _, n := range []string{"P2", "P3", "P4"} {
			w.names = append(w.names, n)
			w.ids[n] = data.PeerIDFromKey(memnet.KeyFor(n))
		}
		w.run(si(`(seq (seq (ap "P2" $s) (seq (ap "P3" $s) (ap "P4" $s))) (fold $s p (par (call p ("" "") [] $new) (next p))))`))
		want := "ap(0) ap(0) ap(0) fold[{0 (4,2) (10,0)} {1 (6,2) (10,0)} {2 (8,2) (10,0)}] par(1,4) sent(P1) par(1,2) sent(P1) par(1,0) sent(P1)"
		if got := w.trace("P1"); got != want {
			t.Fatalf("trace:\n got %s\nwant %s", got, want)
		}
	})
}
