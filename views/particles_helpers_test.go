package views

// Test helpers and fixtures shared by the particle panes' tests (particles, trace, replay,
// runner). Everything is prefixed "pp" to stay out of the way of other panes' tests.

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/air"
	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/peer/recorder"
	"github.com/reefhq/reef/themes"
)

func init() {
	// -update rewrites the golden files. Another test file of the package (or a golden
	// library) may define the flag already.
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files under testdata/")
	}
}

func ppUpdate() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// ppT0 is the fixed "now" of the tests.
var ppT0 = time.Date(2026, 11, 20, 15, 4, 5, 0, time.UTC)

var ppSizes = []struct{ w, h int }{{80, 24}, {120, 40}, {200, 60}}

func ppCommon(t testing.TB) *Common {
	t.Helper()
	th, ok := themes.Builtin(themes.Default)
	if !ok {
		t.Fatal("no default theme")
	}
	c := NewCommon(th)
	c.Now = func() time.Time { return ppT0 }
	t.Cleanup(c.Zone.Close)
	return c
}

// ppKey builds a key press from its name ("up", "ctrl+r", "shift+tab", "G", "/").
func ppKey(name string) tea.KeyPressMsg {
	special := map[string]rune{
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab, "backspace": tea.KeyBackspace,
		"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "home": tea.KeyHome, "end": tea.KeyEnd,
		"space": tea.KeySpace,
	}
	var mod tea.KeyMod
	for {
		switch {
		case strings.HasPrefix(name, "ctrl+"):
			mod |= tea.ModCtrl
			name = strings.TrimPrefix(name, "ctrl+")
			continue
		case strings.HasPrefix(name, "shift+"):
			mod |= tea.ModShift
			name = strings.TrimPrefix(name, "shift+")
			continue
		}
		break
	}
	if code, ok := special[name]; ok {
		k := tea.KeyPressMsg{Code: code, Mod: mod}
		if code == tea.KeySpace {
			k.Text = " "
		}
		return k
	}
	r := []rune(name)[0]
	if mod != 0 {
		return tea.KeyPressMsg{Code: r, Mod: mod}
	}
	return tea.KeyPressMsg{Code: r, Text: name}
}

// ppPress sends keys to a pane and returns the messages their commands produced.
func ppPress(p Pane, keys ...string) []tea.Msg {
	var msgs []tea.Msg
	for _, k := range keys {
		msgs = append(msgs, ppRun(p.Update(ppKey(k)))...)
	}
	return msgs
}

// ppType types text into a pane, one key per character.
func ppType(p Pane, text string) {
	for _, r := range text {
		switch r {
		case '\n':
			p.Update(ppKey("enter"))
		default:
			p.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		}
	}
}

// ppRun runs a command (and batches) and returns the messages, skipping the bubbles'
// cursor blinks. Commands that block (waiting on a channel) must not be passed here.
func ppRun(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	// A command that does not answer at once is a timer (a cursor blink, say): skip it.
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-ch:
	case <-time.After(2 * time.Second):
		return nil
	}
	switch m := msg.(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range m {
			out = append(out, ppRun(c)...)
		}
		return out
	}
	name := fmt.Sprintf("%T", msg)
	if strings.Contains(name, "cursor.") || strings.Contains(name, "Blink") {
		return nil
	}
	return []tea.Msg{msg}
}

// ppFind returns the first message of type T.
func ppFind[T any](msgs []tea.Msg) (T, bool) {
	for _, m := range msgs {
		if v, ok := m.(T); ok {
			return v, true
		}
	}
	var zero T
	return zero, false
}

// ppCheckFrame checks a view has exactly h lines of at most w cells.
func ppCheckFrame(t testing.TB, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Errorf("view has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n > w {
			t.Errorf("line %d is %d cells wide (max %d): %q", i+1, n, w, ansi.Strip(l))
		}
	}
}

// ppGolden compares the ANSI-stripped view with testdata/<name>.golden (-update rewrites).
func ppGolden(t *testing.T, name, view string) {
	t.Helper()
	got := ansi.Strip(view)
	// Trailing spaces are layout padding; keep goldens readable.
	lines := strings.Split(got, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	got = strings.Join(lines, "\n") + "\n"
	path := filepath.Join("testdata", name+".golden")
	if ppUpdate() {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./views -run %s -update)", err, t.Name())
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gl), len(wl)) {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs at line %d:\n got: %q\nwant: %q\n\nfull view:\n%s", path, i+1, g, w, got)
			}
		}
	}
}

// ---- fixtures ----

// Peer ids as libp2p prints Ed25519 ids (52 base58 characters).
var (
	ppClient = ppPeerID("C1ient", "ab1c2d")
	ppRelay  = ppPeerID("Re1ay", "ef3g4h")
	ppTarget = ppPeerID("Target", "jk5m6n")
	ppDead   = ppPeerID("Dead", "np7q8r")
)

func ppPeerID(name, tail string) string {
	return "12D3KooW" + name + strings.Repeat("1", 52-8-len(name)-len(tail)) + tail
}

func ppPID(i int) string { return fmt.Sprintf("%08x-5e1d-4c2b-9a7f-%012x", 0x1b2c3d4e+i*7919, i) }

// ppSummaries returns n summaries, most recently active first, with every status.
func ppSummaries(n int) []recorder.Summary {
	out := make([]recorder.Summary, n)
	peers := []string{ppClient, ppRelay, ppTarget}
	for i := range out {
		first := ppT0.Add(-time.Duration(i)*1500*time.Millisecond - 200*time.Millisecond)
		s := recorder.Summary{
			ID: ppPID(i), InitPeerID: peers[i%3], FirstSeen: first,
			LastSeen: first.Add(100 * time.Millisecond), TTL: 10 * time.Second,
			Deadline: first.Add(10 * time.Second), Hops: 2 + i%7, Traced: true,
		}
		switch {
		case i%11 == 3:
			s.Status, s.LastError = recorder.Failed, fmt.Sprintf("call to 'op'.'identity' on %s failed: 10000 local service error: value %d is not a peer id", ppTarget, i)
		case i%13 == 5:
			s.Status, s.LastError = recorder.Expired, ""
		case i < 4:
			s.Status = recorder.Running
		default:
			s.Status = recorder.Completed
		}
		out[i] = s
	}
	return out
}

func ppStr(s string) *jsonv.Value {
	v := jsonv.StringValue(s)
	return &v
}

// ppTrace returns the trace of hop_to.air run from the client through the relay to the
// target and back, as the recorder would report it; status selects a variant:
// completed, running, failed (an error on the target) or expired (the target was
// unreachable).
func ppTrace(status recorder.Status) *recorder.Trace {
	t0 := ppT0.Add(-3 * time.Second)
	at := func(ms float64) time.Time { return t0.Add(time.Duration(ms * float64(time.Millisecond))) }
	id := ppPID(0)
	tr := &recorder.Trace{
		Summary: recorder.Summary{
			ID: id, InitPeerID: ppClient, FirstSeen: at(0), LastSeen: at(9.4), TTL: 5 * time.Second,
			Deadline: at(5000), Status: status, Traced: true,
		},
		Script: ppHopTo,
	}
	hop := func(peer, from string, in, took float64, instr int, next ...string) recorder.Hop {
		return recorder.Hop{Peer: peer, From: from, TimeIn: at(in), TimeOut: at(in + took), Instructions: instr, NextPeers: next}
	}
	h1 := hop(ppClient, "", 0, 0.42, 9, ppRelay)
	h1.Calls = []*recorder.Call{
		{ID: 1, Service: "getDataSrv", Function: "-relay-", Result: ppStr(ppRelay), Answered: at(0.5)},
		{ID: 2, Service: "getDataSrv", Function: "peers", Result: func() *jsonv.Value {
			v := jsonv.ArrayValue(jsonv.StringValue(ppClient), jsonv.StringValue(ppRelay), jsonv.StringValue(ppTarget))
			return &v
		}(), Answered: at(0.5)},
		{ID: 3, Service: "getDataSrv", Function: "i", Result: func() *jsonv.Value { v := jsonv.IntValue(2); return &v }(), Answered: at(0.5)},
	}
	h2 := hop(ppClient, "", 0.6, 0.31, 14, ppRelay)
	h2.Results = []uint32{1, 2, 3}
	h3 := hop(ppRelay, ppClient, 1.4, 0.22, 16, ppTarget)
	h3.Reported = true
	h4 := hop(ppTarget, ppRelay, 2.3, 0.35, 17)
	h4.Calls = []*recorder.Call{{ID: 1, Service: "op", Function: "concat_strings",
		Args: []jsonv.Value{jsonv.StringValue("at "), jsonv.StringValue(ppTarget)}, Result: ppStr("at " + ppTarget), Answered: at(3.1)}}
	h5 := hop(ppTarget, "", 3.1, 0.28, 19, ppRelay)
	h5.Results = []uint32{1}
	h6 := hop(ppRelay, ppTarget, 4.0, 0.2, 21, ppClient)
	h7 := hop(ppClient, ppRelay, 4.9, 0.5, 24)
	h7.Calls = []*recorder.Call{{ID: 4, Service: "callbackSrv", Function: "response",
		Args: []jsonv.Value{jsonv.StringValue("at " + ppTarget)}, Result: func() *jsonv.Value { v := jsonv.ObjectValue(); return &v }(), Answered: at(9.4)}}
	ev := func(ms float64, kind, peer, other, detail string) recorder.Event {
		return recorder.Event{Time: at(ms), Kind: kind, Peer: peer, Other: other, Detail: detail}
	}
	switch status {
	case recorder.Failed:
		h4.RetCode = 10003
		h4.Error = "variable with name '-peers-arg-' was not set: call -peers-arg-.$.[-i-arg-] (\"op\" \"concat_strings\") [\"at \" -peers-arg-.$.[-i-arg-]] ret"
		h4.Calls = nil
		tr.Hops = []recorder.Hop{h1, h2, h3, h4}
		tr.LastError = h4.Error
		tr.Events = []recorder.Event{
			ev(1.0, "forwarded", ppClient, ppRelay, "340µs"),
			ev(1.3, "received", ppRelay, ppClient, ""),
			ev(2.1, "forwarded", ppRelay, ppTarget, "610µs"),
			ev(2.2, "received", ppTarget, ppRelay, ""),
		}
		tr.Diagnosis = &recorder.Diagnosis{LastPeer: ppTarget, LastAt: at(2.65)}
	case recorder.Expired:
		h3.NextPeers = []string{ppDead}
		tr.Hops = []recorder.Hop{h1, h2, h3}
		tr.Events = []recorder.Event{
			ev(1.0, "forwarded", ppClient, ppRelay, "340µs"),
			ev(1.3, "received", ppRelay, ppClient, ""),
			ev(1.9, "unreachable", ppRelay, ppDead, "failed to dial: no good addresses"),
			ev(5000, "expired", ppClient, "", "pending: call callbackSrv.response"),
		}
		tr.Diagnosis = &recorder.Diagnosis{
			LastPeer: ppRelay, LastAt: at(1.62),
			Waiting: []string{
				ppDead + ": sent at 15:04:02.001 by " + ppRelay + ", no hop seen there after",
			},
			Unreachable: []string{ppDead + ": failed to dial: no good addresses"},
		}
	case recorder.Running:
		tr.Hops = []recorder.Hop{h1, h2, h3, h4}
		tr.Hops[3].Calls[0].Result, tr.Hops[3].Calls[0].Answered = nil, time.Time{}
		tr.Deadline = ppT0.Add(1800 * time.Millisecond)
		tr.Events = []recorder.Event{
			ev(1.0, "forwarded", ppClient, ppRelay, "340µs"),
			ev(2.1, "forwarded", ppRelay, ppTarget, "610µs"),
		}
	default:
		tr.Hops = []recorder.Hop{h1, h2, h3, h4, h5, h6, h7}
		tr.Events = []recorder.Event{
			ev(1.0, "forwarded", ppClient, ppRelay, "340µs"),
			ev(1.3, "received", ppRelay, ppClient, ""),
			ev(2.1, "forwarded", ppRelay, ppTarget, "610µs"),
			ev(3.8, "forwarded", ppTarget, ppRelay, "290µs"),
			ev(4.7, "forwarded", ppRelay, ppClient, "300µs"),
			ev(9.5, "completed", ppClient, "", ""),
		}
	}
	for i := range tr.Hops {
		tr.Hops[i].Seq = i + 1
	}
	tr.Summary.Hops = len(tr.Hops)
	return tr
}

// ppHopTo is testdata/air/hop_to.air.
var ppHopTo = func() string {
	b, err := os.ReadFile("../testdata/air/hop_to.air")
	if err != nil {
		panic(err)
	}
	return string(b)
}()

// ppReplay builds a replay of hop_to.air on the target as the recorder would: every
// instruction in completion order with the variables after it. failAt names a call
// function that fails (its error is caught by the script's xor), or "".
func ppReplay(failAt string) *recorder.Replay {
	s, err := air.Parse(ppHopTo)
	if err != nil {
		panic(err)
	}
	rp := &recorder.Replay{ParticleID: ppPID(0), Hop: 4, Peer: ppTarget, Script: ppHopTo}
	scalars := map[string]jsonv.Value{}
	streams := map[string][]jsonv.Value{}
	results := map[string]jsonv.Value{
		"-relay-": jsonv.StringValue(ppRelay),
		"peers":   jsonv.ArrayValue(jsonv.StringValue(ppClient), jsonv.StringValue(ppRelay), jsonv.StringValue(ppTarget)),
		"i":       jsonv.IntValue(2),
	}
	var failed *aqua.Error
	var walk func(i air.Instr, depth int) *aqua.Error
	add := func(i air.Instr, depth int, st recorder.Step) {
		st.Seq, st.Depth, st.Span, st.Display = len(rp.Steps), depth, i.Span(), air.Display(i)
		st.Line, st.Col = s.Position(i.Span().Start)
		st.Scalars = make(map[string]jsonv.Value, len(scalars))
		for k, v := range scalars {
			st.Scalars[k] = v
		}
		st.Streams = make(map[string][]jsonv.Value, len(streams))
		for k, v := range streams {
			st.Streams[k] = append([]jsonv.Value(nil), v...)
		}
		rp.Steps = append(rp.Steps, st)
	}
	walk = func(i air.Instr, depth int) *aqua.Error {
		var err *aqua.Error
		switch n := i.(type) {
		case *air.Seq:
			if err = walk(n.Left, depth+1); err == nil {
				err = walk(n.Right, depth+1)
			}
			add(i, depth, recorder.Step{Kind: "seq", Err: err})
		case *air.Xor:
			if e := walk(n.Left, depth+1); e != nil {
				err = walk(n.Right, depth+1)
			}
			add(i, depth, recorder.Step{Kind: "xor", Err: err})
		case *air.New:
			name := n.Var.Name
			if strings.HasPrefix(name, "$") {
				streams[name] = nil
			}
			err = walk(n.Body, depth+1)
			delete(streams, name)
			delete(scalars, name)
			add(i, depth, recorder.Step{Kind: "new", Err: err, Writes: []string{name}})
		case *air.Canon:
			scalars[n.Result.Name] = jsonv.ArrayValue()
			add(i, depth, recorder.Step{Kind: "canon", Leaf: true, Reads: []string{n.Source.Name},
				Writes: []string{n.Result.Name}, Canon: &aqua.CanonStep{Peer: ppRelay, Outcome: aqua.CallApplied}})
		case *air.Call:
			fn := n.Function.Name
			cs := &aqua.CallStep{Peer: ppTarget, Service: n.Service.Name, Function: fn, CallID: uint32(len(rp.Steps))}
			var res jsonv.Value
			switch {
			case n.Service.Name == "getDataSrv":
				res = results[fn]
				cs.Outcome = aqua.CallReplayed
			case fn == "concat_strings":
				cs.Args = []jsonv.Value{jsonv.StringValue("at "), jsonv.StringValue(ppTarget)}
				res = jsonv.StringValue("at " + ppTarget)
				cs.Outcome = aqua.CallApplied
			default:
				cs.Outcome = aqua.CallRouted
				cs.Peer = ppClient
			}
			st := recorder.Step{Kind: "call", Leaf: true, Call: cs}
			for _, a := range n.Args {
				if a.IsVariable() {
					st.Reads = append(st.Reads, a.Name)
				}
			}
			if fn == failAt {
				cs.Outcome, cs.RetCode = aqua.CallFailed, 1
				msg := jsonv.StringValue("service failed: " + fn + " is not available")
				cs.Result = &msg
				err = &aqua.Error{Code: 10000, Message: "Local service error, ret_code is 1, error message is 'service failed'"}
				failed = err
				st.Err = err
			} else if cs.Outcome != aqua.CallRouted {
				cs.Result = &res
				if n.Output.Kind != air.None {
					scalars[n.Output.Name] = res
					st.Writes = []string{n.Output.Name}
				}
			}
			add(i, depth, st)
		case *air.Fail:
			err = failed
			if err == nil {
				err = &aqua.Error{Code: 10006, Message: "fail"}
			}
			add(i, depth, recorder.Step{Kind: "fail", Leaf: true, Err: err})
		default:
			add(i, depth, recorder.Step{Kind: "?", Leaf: true})
		}
		return err
	}
	walk(s.Root, 0)
	return rp
}

// ppBigReplay returns a replay of n steps over a long script (a fold calling services),
// with a few dozen variables, for the benchmark.
func ppBigReplay(n int) *recorder.Replay {
	var b strings.Builder
	const calls = 150
	for range calls - 1 {
		b.WriteString("(seq\n")
	}
	for k := range calls {
		fmt.Fprintf(&b, "  (call %%init_peer_id%% (\"svc%d\" \"fn\") [x%d \"literal argument %d\"] x%d)\n", k, k, k, k+1)
		if k > 0 {
			b.WriteString(")\n")
		}
	}
	src := b.String()
	s, err := air.Parse(strings.Replace(src, "[x0 ", "[%init_peer_id% ", 1))
	if err != nil {
		panic(err)
	}
	var spans []air.Instr
	air.Walk(s.Root, func(i air.Instr) bool {
		if _, ok := i.(*air.Call); ok {
			spans = append(spans, i)
		}
		return true
	})
	rp := &recorder.Replay{ParticleID: ppPID(1), Hop: 3, Peer: ppTarget, Script: s.Source}
	scalars := map[string]jsonv.Value{}
	for k := range 40 {
		scalars[fmt.Sprintf("x%d", k)] = jsonv.StringValue(fmt.Sprintf("value %d of a long-ish string %s", k, ppTarget))
	}
	for i := range n {
		in := spans[i%len(spans)]
		line, col := s.Position(in.Span().Start)
		sc := make(map[string]jsonv.Value, len(scalars))
		for k, v := range scalars {
			sc[k] = v
		}
		sc[fmt.Sprintf("x%d", i%40)] = jsonv.IntValue(int64(i))
		v := jsonv.IntValue(int64(i))
		st := recorder.Step{
			Seq: i, Depth: 3, Kind: "call", Display: air.Display(in), Span: in.Span(), Line: line, Col: col, Leaf: true,
			Call:    &aqua.CallStep{Peer: ppTarget, Service: "svc", Function: "fn", Outcome: aqua.CallApplied, Result: &v, Args: []jsonv.Value{v}},
			Scalars: sc, Streams: map[string][]jsonv.Value{"$s": {v, v, v}},
		}
		if i%97 == 13 {
			st.Err = &aqua.Error{Code: 10000, Message: "local service error"}
		}
		rp.Steps = append(rp.Steps, st)
	}
	return rp
}
