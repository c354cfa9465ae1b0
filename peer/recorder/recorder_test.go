package recorder_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/peer"
	"github.com/reefhq/reef/peer/events"
	"github.com/reefhq/reef/peer/p2p"
	"github.com/reefhq/reef/peer/recorder"
)

func setup(t *testing.T, n int, opts ...recorder.Option) (*recorder.Recorder, *peer.Devnet, *peer.Node) {
	t.Helper()
	rec := recorder.New(opts...)
	quiet := peer.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dn, err := peer.StartDevnet(ctx, n, peer.WithRunHook(rec.Hook()), quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dn.Close() })
	for _, node := range dn.Nodes {
		rec.Watch(context.Background(), node)
	}
	ident, _ := p2p.GenerateIdentity()
	client, err := peer.New(peer.WithIdentity(ident), peer.WithClientMode(dn.Addr(0)), peer.WithRunHook(rec.Hook()), quiet)
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	rec.Watch(context.Background(), client)
	return rec, dn, client
}

func hopTo(t *testing.T, client *peer.Node, dn *peer.Devnet, peers []string, i int, ttl time.Duration) (*peer.FunctionResult, error) {
	t.Helper()
	src, err := os.ReadFile("../../testdata/air/hop_to.air")
	if err != nil {
		t.Fatal(err)
	}
	var ids []jsonv.Value
	for _, p := range peers {
		ids = append(ids, jsonv.StringValue(p))
	}
	args := map[string]jsonv.Value{"peers": jsonv.ArrayValue(ids...), "i": jsonv.IntValue(int64(i))}
	return client.CallFunction(context.Background(), string(src), args, ttl)
}

func ids(dn *peer.Devnet) []string {
	var out []string
	for _, n := range dn.Nodes {
		out = append(out, n.ID())
	}
	return out
}

func TestRecorderTracesAndReplays(t *testing.T) {
	rec, dn, client := setup(t, 3)
	res, err := hopTo(t, client, dn, ids(dn), 2, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if res.Value.String() != `"at `+dn.Nodes[2].ID()+`"` {
		t.Fatalf("result %s", res.Value)
	}
	// Let the last events land.
	time.Sleep(50 * time.Millisecond)
	list := rec.Particles(recorder.Filter{})
	if len(list) != 1 {
		t.Fatalf("particles = %+v", list)
	}
	s := list[0]
	if s.InitPeerID != client.ID() || s.Status != recorder.Completed || s.Hops < 5 {
		t.Fatalf("summary = %+v", s)
	}
	tr, ok := rec.Trace(s.ID)
	if !ok {
		t.Fatal("no trace")
	}
	peersSeen := map[string]bool{}
	var concat *recorder.Call
	for _, h := range tr.Hops {
		peersSeen[h.Peer] = true
		for _, c := range h.Calls {
			if c.Function == "concat_strings" {
				concat = c
			}
		}
	}
	for _, want := range []string{client.ID(), dn.Nodes[0].ID(), dn.Nodes[2].ID()} {
		if !peersSeen[want] {
			t.Errorf("no hop on %s", want)
		}
	}
	if concat == nil || concat.Result == nil || concat.Result.String() != `"at `+dn.Nodes[2].ID()+`"` {
		t.Fatalf("concat call = %+v", concat)
	}
	kinds := map[string]int{}
	for _, e := range tr.Events {
		kinds[e.Kind]++
	}
	if kinds["forwarded"] < 4 || kinds["received"] < 4 {
		t.Errorf("events = %v", kinds)
	}

	// Replay the hop on the target node: it executes concat_strings with the value of
	// peers[i] visible in the variables.
	var target recorder.Hop
	for _, h := range tr.Hops {
		if h.Peer == dn.Nodes[2].ID() && len(h.Results) > 0 {
			target = h
		}
	}
	if !target.Replayable() {
		t.Fatalf("target hop %+v is not replayable", target)
	}
	rp, err := rec.Replay(context.Background(), s.ID, target.Seq)
	if err != nil {
		t.Fatal(err)
	}
	if rp.RetCode != 0 || len(rp.Steps) == 0 || rp.Script != tr.Script {
		t.Fatalf("replay ret %d, %d steps", rp.RetCode, len(rp.Steps))
	}
	var found bool
	for _, st := range rp.Steps {
		if st.Call != nil && st.Call.Function == "concat_strings" {
			found = true
			if st.Line == 0 || !strings.HasPrefix(tr.Script[st.Span.Start:], "(call") {
				t.Errorf("step position %d:%d span %v", st.Line, st.Col, st.Span)
			}
			if v, ok := st.Scalars["ret"]; !ok || v.String() != `"at `+dn.Nodes[2].ID()+`"` {
				t.Errorf("scalars after concat: %v", st.Scalars)
			}
			if _, ok := st.Scalars["-peers-arg-"]; !ok {
				t.Errorf("argument scalar missing: %v", st.Scalars)
			}
		}
	}
	if !found {
		t.Fatal("replay has no concat_strings step")
	}
}

func TestRecorderDiagnosesUnreachablePeer(t *testing.T) {
	rec, dn, client := setup(t, 3)
	peers := ids(dn)
	dead := dn.Nodes[2].ID()
	dn.Nodes[2].Close()
	_, err := hopTo(t, client, dn, peers, 2, time.Second)
	var te *peer.TimeoutError
	if !errors.As(err, &te) {
		t.Fatalf("err = %v", err)
	}
	list := rec.Particles(recorder.Filter{Status: recorder.Expired})
	if len(list) != 1 {
		t.Fatalf("expired particles = %+v (all: %+v)", list, rec.Particles(recorder.Filter{}))
	}
	tr, _ := rec.Trace(list[0].ID)
	if tr.Diagnosis == nil {
		t.Fatal("no diagnosis")
	}
	d := tr.Diagnosis
	if d.LastPeer == "" || len(d.Unreachable) == 0 || !strings.HasPrefix(d.Unreachable[0], dead) {
		t.Fatalf("diagnosis = %+v", d)
	}
	if got := rec.Particles(recorder.Filter{Text: dead[len(dead)-6:]}); len(got) != 0 {
		t.Fatalf("text filter matched a peer it should not: %+v", got)
	}
	if got := rec.Particles(recorder.Filter{Text: "EXPIRED"}); len(got) != 1 {
		t.Fatalf("text filter on status: %+v", got)
	}
}

func TestRecorderIsBounded(t *testing.T) {
	rec, dn, client := setup(t, 2, recorder.WithMaxParticles(5), recorder.WithMaxDetailed(2), recorder.WithMaxHops(3))
	for range 8 {
		if _, err := hopTo(t, client, dn, ids(dn), 1, 5*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(20 * time.Millisecond)
	list := rec.Particles(recorder.Filter{})
	if len(list) != 5 || rec.Len() != 5 {
		t.Fatalf("kept %d particles, want 5", len(list))
	}
	replayable := 0
	for _, s := range list {
		tr, _ := rec.Trace(s.ID)
		if len(tr.Hops) > 3 {
			t.Fatalf("kept %d hops, want at most 3", len(tr.Hops))
		}
		if tr.Hops[len(tr.Hops)-1].Replayable() {
			replayable++
		}
	}
	if replayable != 2 {
		t.Fatalf("%d particles keep inputs, want 2", replayable)
	}
	if r := rec.Rate(time.Minute); r <= 0 {
		t.Fatalf("rate = %v", r)
	}
}

// A client that is not watched locally still gets every remote hop through hop reports.
func TestRecorderUsesHopReports(t *testing.T) {
	quiet := peer.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dn, err := peer.StartDevnet(ctx, 3, quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dn.Close() })
	rec := recorder.New()
	ident, _ := p2p.GenerateIdentity()
	client, err := peer.New(peer.WithIdentity(ident), peer.WithClientMode(dn.Addr(0)), peer.WithRunHook(rec.Hook()), quiet)
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	rec.Watch(context.Background(), client)
	src, _ := os.ReadFile("../../testdata/air/hop_to.air")
	var idv []jsonv.Value
	for _, id := range ids(dn) {
		idv = append(idv, jsonv.StringValue(id))
	}
	if _, err := client.CallFunction(ctx, string(src), map[string]jsonv.Value{"peers": jsonv.ArrayValue(idv...), "i": jsonv.IntValue(2)}, 5*time.Second, peer.WithTracing()); err != nil {
		t.Fatal(err)
	}
	list := rec.Particles(recorder.Filter{})
	if len(list) != 1 || !list[0].Traced {
		t.Fatalf("particles = %+v", list)
	}
	tr, _ := rec.Trace(list[0].ID)
	reported := map[string]int{}
	for i, h := range tr.Hops {
		if i > 0 && h.TimeIn.Before(tr.Hops[i-1].TimeIn) {
			t.Fatal("hops are not in time order")
		}
		if h.Reported {
			reported[h.Peer]++
			if h.Replayable() {
				t.Fatal("a reported hop claims to be replayable")
			}
		}
	}
	if reported[dn.Nodes[0].ID()] == 0 || reported[dn.Nodes[2].ID()] == 0 {
		t.Fatalf("reported hops by peer = %v", reported)
	}
}

// The inputs kept for replay are bounded in bytes too: the oldest particles lose theirs
// first, and the most recent keeps its own however big.
func TestRecorderBoundsReplayBytes(t *testing.T) {
	rec := recorder.New(recorder.WithMaxDetailedBytes(10_000))
	run := func(id string, size int) {
		rec.Hook()(&peer.Run{
			Node: "n", Particle: events.Particle{ID: id, InitPeerID: "n", Timestamp: uint64(time.Now().UnixMilli()), TTL: 60_000},
			Start: time.Now(), Input: &aqua.Input{PrevData: make([]byte, size)}, Outcome: &aqua.Outcome{Data: make([]byte, size)},
		})
	}
	replayable := func() (out []string) {
		for _, s := range rec.Particles(recorder.Filter{}) {
			if tr, _ := rec.Trace(s.ID); len(tr.Hops) > 0 && tr.Hops[len(tr.Hops)-1].Replayable() {
				out = append(out, s.ID)
			}
		}
		return out
	}
	for _, id := range []string{"a", "b", "c", "d"} {
		run(id, 2_000) // 4,000 bytes a particle: two fit
	}
	if got := replayable(); len(got) != 2 || !contains(got, "c") || !contains(got, "d") {
		t.Fatalf("replayable %v, want c and d", got)
	}
	run("big", 50_000)
	if got := replayable(); len(got) != 1 || got[0] != "big" {
		t.Fatalf("replayable %v, want only the newest, big", got)
	}
	if rec.Len() != 5 {
		t.Fatalf("%d particles remembered, want all 5 (only inputs are dropped)", rec.Len())
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func TestRecorderBoundsTimelineBytes(t *testing.T) {
	rec := recorder.New(recorder.WithMaxTimelineBytes(40_000), recorder.WithMaxDetailed(0))
	script := strings.Repeat("(null)", 100)
	run := func(id string, argBytes int) {
		arg := jsonv.StringValue(strings.Repeat("x", argBytes))
		rec.Hook()(&peer.Run{
			Node: "n", Particle: events.Particle{ID: id, InitPeerID: "n", Timestamp: uint64(time.Now().UnixMilli()), TTL: 60_000},
			Start: time.Now(), Input: &aqua.Input{Script: strings.Clone(script)},
			Outcome: &aqua.Outcome{CallRequests: []aqua.CallRequest{{ID: 1, Service: "s", Function: "f", Args: []jsonv.Value{arg}}}},
		})
	}
	for i := range 10 {
		run(fmt.Sprint("small", i), 100) // about 1 KB a particle: all fit
	}
	if rec.Len() != 10 {
		t.Fatalf("%d particles remembered, want 10", rec.Len())
	}
	run("big1", 15_000)
	run("big2", 15_000) // the two big ones take 30 KB: the oldest small ones keep only their summary
	if rec.Len() != 12 {
		t.Fatalf("%d particles remembered, want all 12", rec.Len())
	}
	var dropped, whole []string
	for _, p := range rec.Particles(recorder.Filter{}) {
		tr, _ := rec.Trace(p.ID)
		if tr.Dropped {
			if len(tr.Hops) != 0 || tr.Script != "" || tr.Hops != nil || tr.Summary.Hops != 1 {
				t.Errorf("%s: dropped, but %d hops, script %d bytes, summary %d hops", p.ID, len(tr.Hops), len(tr.Script), tr.Summary.Hops)
			}
			dropped = append(dropped, p.ID)
		} else {
			whole = append(whole, p.ID)
		}
	}
	if !contains(whole, "big1") || !contains(whole, "big2") || !contains(dropped, "small0") || !contains(whole, "small9") {
		t.Fatalf("whole %v, dropped %v: want big1, big2 and the newest small ones whole, the oldest dropped", whole, dropped)
	}
	if st := rec.Stats(); st.TimelineBytes > 40_000 {
		t.Fatalf("timelines %d bytes, bound 40,000", st.TimelineBytes)
	}
	run("huge", 100_000) // over the bound alone: it stays, as the newest
	if got := rec.Particles(recorder.Filter{}); len(got) != 1 || got[0].ID != "huge" {
		t.Fatalf("remembered %d particles, want only huge", len(got))
	}
	tr, _ := rec.Trace("huge")
	if tr.Script != script {
		t.Fatalf("script %q, want the run's", tr.Script)
	}
	// Scripts too big to intern count against the particle that carries them.
	for i := range 3 {
		id := fmt.Sprint("script", i)
		rec.Hook()(&peer.Run{
			Node: "n", Particle: events.Particle{ID: id, InitPeerID: "n", Timestamp: uint64(time.Now().UnixMilli()), TTL: 60_000},
			Start: time.Now(), Input: &aqua.Input{Script: strings.Repeat("(null)", 12_000) + id}, Outcome: &aqua.Outcome{},
		})
	}
	if got := rec.Particles(recorder.Filter{}); len(got) != 1 || got[0].ID != "script2" {
		t.Fatalf("remembered %d particles, want only script2 (each carries a 72 KB script)", len(got))
	}
}

// TestRecorderSharesParticleData checks that the replay inputs keep each buffer of
// particle data once: a run starts from its node's previous output (the same slice), and
// data merged from another recorded peer is equal to what that peer's run produced.
func TestRecorderSharesParticleData(t *testing.T) {
	rec := recorder.New()
	p := events.Particle{ID: "p", InitPeerID: "a", Timestamp: uint64(time.Now().UnixMilli()), TTL: 60_000}
	fill := func(n int, b byte) []byte { return bytes.Repeat([]byte{b}, n) }
	run := func(node, from string, prev, cur, out []byte, results map[uint32]aqua.CallResult) {
		rec.Hook()(&peer.Run{Node: node, From: from, Particle: p, Start: time.Now(),
			Input: &aqua.Input{PrevData: prev, CurrentData: cur, CallResults: results}, Outcome: &aqua.Outcome{Data: out}})
	}
	x, y, z := fill(1000, 'x'), fill(1500, 'y'), fill(2000, 'z')
	run("a", "", nil, nil, x, nil)
	run("b", "a", nil, bytes.Clone(x), y, nil)                               // what a sent, after the wire: equal, not the same
	run("a", "b", x, bytes.Clone(y), z, nil)                                 // a starts from its own output
	run("a", "", z, nil, z, map[uint32]aqua.CallResult{1: {Result: `"ok"`}}) // a failed run returns its prev data
	want := 1000 + 1500 + 2000 + len(`"ok"`)
	st := rec.Stats()
	if st.ReplayBytes != want || st.Replayable != 1 || st.Particles != 1 {
		t.Fatalf("stats %+v, want %d replay bytes for 1 replayable particle", st, want)
	}
	// Data from a peer whose runs are not recorded is counted (and copied off its frame).
	run("a", "elsewhere", z, fill(300, 'w'), fill(2300, 'v'), nil)
	if got := rec.Stats().ReplayBytes; got != want+300+2300 {
		t.Fatalf("replay bytes %d after data from an unrecorded peer, want %d", got, want+2600)
	}
}

// TestRecorderDroppedTimelineKeepsDiagnosis checks that a particle whose timeline is
// dropped to bound memory still explains why it did not finish, and that it can still
// be recorded if it runs again.
func TestRecorderDroppedTimelineKeepsDiagnosis(t *testing.T) {
	rec := recorder.New(recorder.WithMaxTimelineBytes(20_000), recorder.WithMaxDetailed(0))
	run := func(id string, ttl uint32, argBytes int) {
		arg := jsonv.StringValue(strings.Repeat("x", argBytes))
		rec.Hook()(&peer.Run{
			Node: "n", Particle: events.Particle{ID: id, InitPeerID: "n", Timestamp: uint64(time.Now().UnixMilli()), TTL: ttl},
			Start: time.Now(), Input: &aqua.Input{Script: "(null)"},
			Outcome: &aqua.Outcome{CallRequests: []aqua.CallRequest{{ID: 1, Service: "s", Function: "f", Args: []jsonv.Value{arg}}}},
		})
	}
	run("stuck", 1, 10_000) // expires at once with its call unanswered
	time.Sleep(5 * time.Millisecond)
	run("big", 60_000, 15_000) // the two exceed the bound: stuck's timeline goes
	tr, ok := rec.Trace("stuck")
	if !ok {
		t.Fatal("stuck was forgotten; want its summary kept")
	}
	if !tr.Dropped || len(tr.Hops) != 0 {
		t.Fatalf("stuck: dropped %v, %d hops; want a dropped timeline", tr.Dropped, len(tr.Hops))
	}
	if tr.Status != recorder.Expired || tr.Diagnosis == nil || len(tr.Diagnosis.Waiting) != 1 || !strings.Contains(tr.Diagnosis.Waiting[0], "s.f (no result)") {
		t.Fatalf("status %s, diagnosis %+v: want expired, waiting for s.f", tr.Status, tr.Diagnosis)
	}
	run("stuck", 1, 10) // a compacted particle that runs again is recorded again
	if tr, _ := rec.Trace("stuck"); len(tr.Hops) != 1 || tr.Summary.Hops != 2 {
		t.Fatalf("after another run: %d hops kept of %d", len(tr.Hops), tr.Summary.Hops)
	}
}
