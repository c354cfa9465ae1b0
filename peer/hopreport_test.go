package peer

import (
	"context"
	"crypto/ed25519"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	lpeer "github.com/libp2p/go-libp2p/core/peer"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/peer/events"
	"github.com/reefhq/reef/peer/hopreport"
	"github.com/reefhq/reef/peer/particle"
)

// chainScript goes init → n1 → n2 → init, with a call on each node, and delivers the
// result to ("res" "out") on the init peer.
func chainScript(n1, n2 string) string {
	return `(seq (seq (call "` + n1 + `" ("op" "identity") ["one"] a)
	  (call "` + n2 + `" ("op" "concat_strings") [a " two"] b))
	  (call %init_peer_id% ("res" "out") [b]))`
}

// execute starts p on n, serving ("res" "out") with a channel that gets its arguments.
func execute(t *testing.T, n *Node, p *particle.Particle) <-chan jsonv.Value {
	t.Helper()
	out := make(chan jsonv.Value, 1)
	err := n.Execute(p, func(_ context.Context, req aqua.CallRequest) (aqua.CallResult, bool) {
		if req.Service != "res" {
			return aqua.CallResult{}, false
		}
		out <- jsonv.ArrayValue(req.Args...)
		return aqua.Ok(jsonv.StringValue("")), true
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func waitValue(t *testing.T, c <-chan jsonv.Value) jsonv.Value {
	t.Helper()
	select {
	case v := <-c:
		return v
	case <-time.After(10 * time.Second):
		t.Fatal("no result")
		return jsonv.Value{}
	}
}

// eventually polls cond until it holds.
func eventually(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %s: %s", d, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// collectReports gathers HopReport events for particle id until want returns true.
func collectReports(t *testing.T, sub *events.Subscription[events.Event], id string, d time.Duration, want func([]events.HopReport) bool) []events.HopReport {
	t.Helper()
	var got []events.HopReport
	timer := time.NewTimer(d)
	defer timer.Stop()
	for !want(got) {
		select {
		case ev := <-sub.C:
			if e, ok := ev.(events.HopReport); ok && e.Report.ParticleID == id {
				got = append(got, e)
			}
		case <-timer.C:
			t.Fatalf("reports after %s: %d %v", d, len(got), got)
		}
	}
	return got
}

func byReporter(rs []events.HopReport) map[string][]hopreport.Report {
	m := map[string][]hopreport.Report{}
	for _, r := range rs {
		m[r.Report.Reporter] = append(m[r.Report.Reporter], r.Report)
	}
	return m
}

// A traced particle started by a full node: every other node that runs it reports
// every run, directly to the init peer; the init peer's own runs are not reported.
func TestHopReportsToFullNode(t *testing.T) {
	dn := startDevnet(t, 3)
	n0, n1, n2 := dn.Nodes[0], dn.Nodes[1], dn.Nodes[2]
	sub := n0.Events().Subscribe(1024)
	defer sub.Close()
	p := n0.NewTracedParticle(chainScript(n1.ID(), n2.ID()), 10*time.Second)
	if p.Trace == nil || p.Trace.To != n0.ID() {
		t.Fatalf("trace request %+v", p.Trace)
	}
	before := time.Now()
	if v := waitValue(t, execute(t, n0, p)); v.String() != `["one two"]` {
		t.Fatalf("result %s", v)
	}
	// n1 and n2 each run twice: data in (issue the call), result in (send on).
	got := collectReports(t, sub, p.ID, 10*time.Second, func(rs []events.HopReport) bool {
		m := byReporter(rs)
		return len(m[n1.ID()]) >= 2 && len(m[n2.ID()]) >= 2
	})
	m := byReporter(got)
	if len(m) != 2 {
		t.Fatalf("reporters %v, want only n1 and n2", m)
	}
	for i, n := range []*Node{n1, n2} {
		runs := m[n.ID()]
		first, second := runs[0], runs[1]
		if first.Start.After(second.Start) {
			first, second = second, first
		}
		wantFrom := []string{n0.ID(), n1.ID()}[i]
		next := []string{n2.ID(), n0.ID()}[i]
		call := [][2]string{{"op", "identity"}, {"op", "concat_strings"}}[i]
		args := []string{`["one"]`, `["one"," two"]`}[i]
		text := []string{`"one"`, `"one two"`}[i]
		if first.From != wantFrom || first.Instructions == 0 || len(first.Calls) != 1 || len(first.NextPeers) != 0 {
			t.Errorf("%s first run: %+v", n.ID(), first)
		} else if c := first.Calls[0]; c.Service != call[0] || c.Function != call[1] || c.Args != args {
			t.Errorf("%s call %+v", n.ID(), c)
		}
		if second.From != "" || second.Instructions == 0 || len(second.Results) != 1 || len(second.NextPeers) != 1 || second.NextPeers[0] != next {
			t.Errorf("%s second run: %+v", n.ID(), second)
		} else if r := second.Results[0]; !r.OK() || r.Service != call[0] || r.Function != call[1] || r.Text != text {
			t.Errorf("%s result %+v", n.ID(), r)
		}
		for _, r := range runs {
			if r.InitPeerID != n0.ID() || r.TraceTo != n0.ID() || r.RetCode != 0 || r.Omitted != 0 ||
				r.TimeIn.Before(before.Add(-time.Second)) || r.Start.Before(r.TimeIn) || r.TimeOut.Before(r.Start) {
				t.Errorf("report %+v", r)
			}
		}
	}
	eventually(t, 5*time.Second, "counters", func() bool {
		return n0.HopReportStats().Received == 4 && n1.HopReportStats().Sent == 2 && n2.HopReportStats().Sent == 2
	})
	if st := n0.HopReportStats(); st.Sent != 0 || len(st.Dropped) != 0 || len(st.Unsent) != 0 {
		t.Errorf("init peer stats %+v", st)
	}
}

// A client's traced function: the nodes report to the relay, which forwards to the
// client (and reports its own runs to it); CallFunction returns every hop in time
// order.
func TestHopReportsToClientThroughRelay(t *testing.T) {
	dn := startDevnet(t, 3)
	relay, target := dn.Nodes[0], dn.Nodes[2]
	client := startClient(t, dn.Addr(0))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := client.CallFunction(ctx, readScript(t, "hop_to.air"), map[string]jsonv.Value{"peers": peerList(dn), "i": jsonv.IntValue(2)}, 10*time.Second, WithTracing())
	if err != nil {
		t.Fatal(err)
	}
	if res.Value.String() != `"at `+target.ID()+`"` {
		t.Fatalf("value %s", res.Value)
	}
	count := map[string]int{}
	for i, h := range res.Hops {
		count[h.Source+" "+h.Peer]++
		if i > 0 && h.Time.Before(res.Hops[i-1].Time) {
			t.Errorf("hop %d is out of order", i)
		}
		if h.Instructions == 0 || h.TimeIn.IsZero() || h.TimeOut.IsZero() {
			t.Errorf("hop %d: %+v", i, h)
		}
	}
	// The client runs locally 5 times or more (arguments, then the result); the relay
	// twice (on the way out and back), the target twice (the call, its result).
	if count["local "+client.ID()] < 2 || count["reported "+relay.ID()] != 2 || count["reported "+target.ID()] != 2 || len(count) != 3 {
		t.Fatalf("hops by source and peer: %v\n%s", count, hopLines(res.Hops))
	}
	var sawCall bool
	for _, h := range res.Hops {
		if h.Peer == target.ID() && len(h.CallsIssued) == 1 && h.CallsIssued[0].Function == "concat_strings" {
			sawCall = true
		}
	}
	if !sawCall {
		t.Errorf("no reported call to op.concat_strings on the target:\n%s", hopLines(res.Hops))
	}
	eventually(t, 5*time.Second, "relay counters", func() bool {
		st := relay.HopReportStats()
		return st.Forwarded == 4 && client.HopReportStats().Received == 4 && target.HopReportStats().Sent == 2
	})
	if st := relay.HopReportStats(); st.Sent != 0 || len(st.Dropped) != 0 || len(st.Unsent) != 0 {
		t.Errorf("relay stats %+v", st)
	}

	// Without WithTracing nothing is reported.
	res, err = hopTo(t, client, peerList(dn), 1, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hops {
		if h.Source != HopLocal || h.Peer != client.ID() {
			t.Fatalf("untraced call has hop %+v", h)
		}
	}
	time.Sleep(100 * time.Millisecond)
	if st := dn.Nodes[1].HopReportStats(); st.Sent != 0 {
		t.Errorf("untraced particle reported: %+v", st)
	}
}

func hopLines(hops []Hop) string {
	var b strings.Builder
	for _, h := range hops {
		fmt.Fprintf(&b, "  %s %s from=%s next=%v calls=%d\n", h.Source, h.Peer, h.From, h.NextPeers, h.Calls)
	}
	return b.String()
}

// Untraced particles produce no reports anywhere.
func TestNoReportsForUntracedParticles(t *testing.T) {
	dn := startDevnet(t, 3)
	n0, n1, n2 := dn.Nodes[0], dn.Nodes[1], dn.Nodes[2]
	p := n0.NewParticle(chainScript(n1.ID(), n2.ID()), 10*time.Second)
	waitValue(t, execute(t, n0, p))
	time.Sleep(100 * time.Millisecond)
	for _, n := range dn.Nodes {
		if st := n.HopReportStats(); st.Sent+st.Received+st.Forwarded != 0 || len(st.Unsent)+len(st.Dropped) != 0 {
			t.Errorf("%s: %+v", n.ID(), st)
		}
	}
}

// A trace request someone else set (a relay redirecting reports at a victim, or a
// request signed by another key) is ignored: the particle runs, nothing is reported,
// and the request is not passed on.
func TestForgedTraceRequestIsIgnored(t *testing.T) {
	dn := startDevnet(t, 3)
	n0, n1, victim := dn.Nodes[0], dn.Nodes[1], dn.Nodes[2]
	attacker := startClient(t, dn.Addr(1))
	script := `(seq (call "` + n1.ID() + `" ("op" "noop") []) (call "` + victim.ID() + `" ("op" "noop") []))`
	sub := victim.Events().Subscribe(256)
	defer sub.Close()

	redirected := n0.NewTracedParticle(script, 10*time.Second)
	redirected.Trace.To = victim.ID()
	wrongKey := n0.NewParticle(script, 10*time.Second)
	wrongKey.RequestTrace(attacker.Key(), victim.ID())
	garbage := n0.NewParticle(script, 10*time.Second)
	garbage.Trace = &particle.TraceRequest{To: victim.ID(), Signature: make([]byte, 64)}
	for i, p := range []*particle.Particle{redirected, wrongKey, garbage} {
		sendRaw(t, attacker, n1, frame(t, p))
		waitEvent(t, sub, 10*time.Second, func(e events.ParticleCompleted) bool { return e.Particle.ID == p.ID })
		if got := n1.HopReportStats().InvalidRequests; got != uint64(i+1) {
			t.Fatalf("invalid trace requests counted %d, want %d", got, i+1)
		}
	}
	time.Sleep(100 * time.Millisecond)
	for _, n := range []*Node{n1, victim} {
		if st := n.HopReportStats(); st.Sent+st.Received != 0 || len(st.Dropped)+len(st.Unsent) != 0 {
			t.Errorf("%s: %+v", n.ID(), st)
		}
	}
	if got := victim.HopReportStats().InvalidRequests; got != 0 {
		t.Errorf("the invalid request was passed on to the victim (%d)", got)
	}
}

// sendTraceRaw writes raw bytes on a fresh trace stream.
func sendTraceRaw(t *testing.T, from, to *Node, raw []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	pid, _ := lpeer.Decode(to.ID())
	s, err := from.Net().Host().NewStream(ctx, pid, hopreport.ProtocolID)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = s.Write(raw)
	_ = s.CloseWrite()
	_, _ = io.Copy(io.Discard, s)
	_ = s.Close()
}

// reportFor makes a sealed report of a run of p by key.
func reportFor(t *testing.T, p *particle.Particle, key ed25519.PrivateKey) *hopreport.Report {
	t.Helper()
	now := time.Now()
	r := &hopreport.Report{ParticleID: p.ID, InitPeerID: p.InitPeerID, Timestamp: p.Timestamp, TTL: p.TTL,
		TraceTo: p.Trace.To, TraceSignature: p.Trace.Signature, TimeIn: now, Start: now, TimeOut: now, Instructions: 3}
	if _, err := hopreport.Seal(r, key); err != nil {
		t.Fatal(err)
	}
	return r
}

func body(t *testing.T, r *hopreport.Report) []byte {
	t.Helper()
	b, err := hopreport.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return hopreport.Frame(b)
}

// Bad reports on the trace stream are dropped and counted by reason; the node keeps
// serving.
func TestBadReportsAreDropped(t *testing.T) {
	dn := startDevnet(t, 3)
	n0, n1, n2 := dn.Nodes[0], dn.Nodes[1], dn.Nodes[2]
	sub := n0.Events().Subscribe(256)
	defer sub.Close()
	// A particle n0 traces, alive for the whole test.
	live := n0.NewTracedParticle(`(call %init_peer_id% ("peer" "timeout") [20000 "x"])`, 30*time.Second)
	if err := n0.Execute(live, nil); err != nil {
		t.Fatal(err)
	}
	untraced := n0.NewParticle(`(null)`, 30*time.Second)
	untraced.RequestTrace(n0.Key(), n0.ID()) // never started here with tracing
	other := n2.NewTracedParticle(`(null)`, 30*time.Second)
	expired := n0.NewParticle(`(null)`, time.Second)
	expired.Timestamp -= 60_000
	expired.RequestTrace(n0.Key(), n0.ID())

	impostor := reportFor(t, live, n2.Key())
	impostor.Reporter = n1.ID() // signed by n2, claims to be n1
	tampered := reportFor(t, live, n1.Key())
	tampered.Instructions = 1000
	tests := []struct {
		name, reason string
		raw          []byte
	}{
		{"signed by another peer", "signature", body(t, impostor)},
		{"tampered", "signature", body(t, tampered)},
		{"untraced particle", "untraced", body(t, reportFor(t, untraced, n1.Key()))},
		{"another peer's particle", "not-destination", body(t, reportFor(t, other, n1.Key()))},
		{"expired particle", "expired", body(t, reportFor(t, expired, n1.Key()))},
		{"garbage", "malformed", []byte("\x10this is not a hop report")},
		{"a particle", "malformed", frame(t, live)[:200]},
		{"oversize", "oversize", append(binary.AppendUvarint(nil, hopreport.MaxSize+1), make([]byte, 100)...)},
		{"declared a terabyte", "oversize", binary.AppendUvarint(nil, 1<<40)},
		{"empty stream", "malformed", nil},
	}
	want := map[string]uint64{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sendTraceRaw(t, n1, n0, tt.raw)
			want[tt.reason]++
			eventually(t, 5*time.Second, "dropped "+tt.reason, func() bool {
				return n0.HopReportStats().Dropped[tt.reason] == want[tt.reason]
			})
		})
	}
	// A genuine report for the live particle is still accepted, and published.
	sendTraceRaw(t, n1, n0, body(t, reportFor(t, live, n1.Key())))
	ev := waitEvent(t, sub, 5*time.Second, func(e events.HopReport) bool { return e.Report.ParticleID == live.ID })
	if ev.Report.Reporter != n1.ID() || ev.Via != n1.ID() {
		t.Fatalf("event %+v", ev)
	}
	if st := n0.HopReportStats(); st.Received != 1 {
		t.Fatalf("stats %+v", st)
	}
	// And the node still runs traced particles.
	p := n0.NewTracedParticle(chainScript(n1.ID(), n2.ID()), 10*time.Second)
	waitValue(t, execute(t, n0, p))
	collectReports(t, sub, p.ID, 10*time.Second, func(rs []events.HopReport) bool { return len(rs) == 4 })
}

// A relay forwards only reports for a connected client that named it as the trace
// destination.
func TestRelayForwardsOnlyForItsClients(t *testing.T) {
	dn := startDevnet(t, 2)
	relay, n1 := dn.Nodes[0], dn.Nodes[1]
	client := startClient(t, dn.Addr(0))
	p := client.NewTracedParticle(`(null)`, 30*time.Second)
	if p.Trace.To != relay.ID() {
		t.Fatalf("a client's trace destination is %s, want its relay", p.Trace.To)
	}
	cid, _ := lpeer.Decode(client.ID())
	eventually(t, 5*time.Second, "client connected", func() bool {
		return relay.Net().Host().Network().Connectedness(cid) == network.Connected
	})
	// The client has not started it: it drops the forwarded report as untraced.
	sendTraceRaw(t, n1, relay, body(t, reportFor(t, p, n1.Key())))
	eventually(t, 5*time.Second, "forwarded then dropped", func() bool {
		return relay.HopReportStats().Forwarded == 1 && client.HopReportStats().Dropped["untraced"] == 1
	})
	// A trace request naming the relay, made by a peer that is not connected to it.
	_, key, _ := ed25519.GenerateKey(nil)
	stranger := particle.New(`(null)`, key, 30*time.Second, time.Now())
	stranger.RequestTrace(key, relay.ID())
	sendTraceRaw(t, n1, relay, body(t, reportFor(t, stranger, n1.Key())))
	// A request to the relay by a client, redirected by someone else.
	forged := client.NewParticle(`(null)`, 30*time.Second)
	forged.RequestTrace(n1.Key(), relay.ID())
	sendTraceRaw(t, n1, relay, body(t, reportFor(t, forged, n1.Key())))
	eventually(t, 5*time.Second, "dropped", func() bool {
		st := relay.HopReportStats()
		return st.Dropped["no-client"] == 1 && st.Dropped["signature"] == 1
	})
}

// A particle that runs many times on one node is reported at most PerParticle times
// by that node.
func TestHopReportsPerParticleCap(t *testing.T) {
	if testing.Short() {
		t.Skip("600 runs")
	}
	dn := startDevnet(t, 2)
	n0, n1 := dn.Nodes[0], dn.Nodes[1]
	const calls = 600
	nums := make([]string, calls)
	for i := range nums {
		nums[i] = fmt.Sprint(i)
	}
	N1 := `"` + n1.ID() + `"`
	script := `(seq (seq (call ` + N1 + ` ("op" "array") [` + strings.Join(nums, " ") + `] xs)
	  (fold xs x (seq (call ` + N1 + ` ("op" "identity") [x]) (next x))))
	  (call %init_peer_id% ("res" "out") []))`
	p := n0.NewTracedParticle(script, 60*time.Second)
	waitValue(t, execute(t, n0, p))
	limit := uint64(DefaultHopReportLimits().PerParticle)
	eventually(t, 10*time.Second, "reports", func() bool { return n0.HopReportStats().Received == limit })
	st := n1.HopReportStats()
	if st.Sent != limit || st.Unsent["particle-cap"] != calls+2-limit {
		t.Fatalf("n1 stats %+v, want %d sent and %d capped", st, limit, calls+2-limit)
	}
	time.Sleep(50 * time.Millisecond)
	if got := n0.HopReportStats().Received; got != limit {
		t.Fatalf("received %d", got)
	}
}

// Incoming reports are rate-limited per sending peer.
func TestHopReportsReceiveRateLimit(t *testing.T) {
	dn := startDevnet(t, 2, WithHopReportLimits(HopReportLimits{ReceiveRate: 0.001, ReceiveBurst: 2}))
	n0, n1 := dn.Nodes[0], dn.Nodes[1]
	for range 5 {
		sendTraceRaw(t, n1, n0, []byte("\x03bad"))
	}
	eventually(t, 5*time.Second, "drops", func() bool {
		d := n0.HopReportStats().Dropped
		return d["malformed"] == 2 && d["rate-limit"] == 3
	})
}

func TestBuckets(t *testing.T) {
	b := newBuckets(10, 3)
	now := time.Unix(1000, 0)
	for i := range 3 {
		if !b.allow("a", now) {
			t.Fatalf("token %d refused", i)
		}
	}
	if b.allow("a", now) || !b.allow("b", now) {
		t.Fatal("buckets are not per key")
	}
	if !b.allow("a", now.Add(100*time.Millisecond)) || b.allow("a", now.Add(100*time.Millisecond)) {
		t.Fatal("refill at 10/s")
	}
	b.sweep(now.Add(time.Hour))
	if len(b.m) != 0 {
		t.Fatal("idle buckets kept")
	}
	for i := range maxBuckets {
		b.allow(fmt.Sprint(i), now)
	}
	if b.allow("one more", now) {
		t.Fatal("bucket table not bounded")
	}
	if !b.allow("later", now.Add(time.Hour)) {
		t.Fatal("full table not swept")
	}
}

func TestReportsSettled(t *testing.T) {
	c, r, x := "client", "relay", "x"
	hops := []Hop{
		{Peer: c, Source: HopLocal, NextPeers: []string{r}},
		{Peer: r, Source: HopReported, From: c, NextPeers: []string{x}},
		{Peer: x, Source: HopReported, From: r},
		{Peer: x, Source: HopReported, NextPeers: []string{r}},
	}
	if !reportsSettled(hops, c) {
		t.Fatal("settled hops")
	}
	back := append(hops, Hop{Peer: c, Source: HopLocal, From: r}) // the relay's second run not reported yet
	if reportsSettled(back, c) {
		t.Fatal("missing the relay's report")
	}
	if !reportsSettled(append(back, Hop{Peer: r, Source: HopReported, From: x, NextPeers: []string{c}}), c) {
		t.Fatal("complete hops")
	}
	// A run that applied a call result, without the run that issued the call.
	results := []Hop{{Peer: x, Source: HopReported, ResultsApplied: []HopResult{{ID: 1}}}}
	if reportsSettled(results, c) {
		t.Fatal("missing the run that issued call 1")
	}
	if !reportsSettled(append(results, Hop{Peer: x, Source: HopReported, From: x, CallsIssued: []HopCall{{ID: 1}}}), c) {
		t.Fatal("the call is issued")
	}
	// The client's own calls are local.
	if !reportsSettled([]Hop{{Peer: c, Source: HopLocal, ResultsApplied: []HopResult{{ID: 1}}}}, c) {
		t.Fatal("local results")
	}
}

// WithParticleStarted hands out the particle id before CallFunction returns; the id is
// the one the hops and the node's events carry.
func TestCallFunctionParticleStarted(t *testing.T) {
	dn := startDevnet(t, 2)
	client := startClient(t, dn.Addr(0))
	sub := client.Events().Subscribe(256)
	defer sub.Close()
	ids := make(chan string, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	res, err := client.CallFunction(ctx, readScript(t, "hop_to.air"), map[string]jsonv.Value{"peers": peerList(dn), "i": jsonv.IntValue(1)}, 10*time.Second,
		WithTracing(), WithParticleStarted(func(id string) { ids <- id }))
	if err != nil {
		t.Fatal(err)
	}
	id := <-ids
	waitEvent(t, sub, 5*time.Second, func(e events.ParticleReceived) bool { return e.Particle.ID == id && e.From == "" })
	if len(res.Hops) < 4 {
		t.Fatalf("hops:\n%s", hopLines(res.Hops))
	}
}
