package peer

import (
	"context"
	"testing"
	"time"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/internal/perf"
	"github.com/reefhq/reef/peer/hopreport"
	"github.com/reefhq/reef/peer/p2p"
)

// BenchmarkHopReport measures what a traced run costs the node that reports it, next
// to the run itself:
//
//   - run: the interpreter run being reported (it applies a call result, issues a call
//     and sends the particle on);
//   - record: the worker's part (recordHop: capture the run, check the per-particle cap
//     and the destination's token bucket, queue the report);
//   - build+seal: the sender's part, off the worker (build the report, Ed25519-sign
//     and encode it, frame it).
func BenchmarkHopReport(b *testing.B) {
	ident, err := p2p.GenerateIdentity()
	if err != nil {
		b.Fatal(err)
	}
	n, err := New(WithIdentity(ident), WithLogger(testLogger(b)),
		WithHopReportLimits(HopReportLimits{PerParticle: 1 << 30, SendRate: 1e12, SendBurst: 1 << 30}))
	if err != nil {
		b.Fatal(err)
	}
	defer n.Close()
	initKey := func() p2p.Identity { id, _ := p2p.GenerateIdentity(); return id }()
	next := func() string { id, _ := p2p.GenerateIdentity(); return id.PeerID.String() }()
	self := n.ID()
	script := `(seq (call "` + self + `" ("op" "identity") ["hello, world"] a)
	  (par (call "` + self + `" ("op" "concat_strings") [a "!"] b) (call "` + next + `" ("op" "noop") [a])))`
	vm, err := aqua.New()
	if err != nil {
		b.Fatal(err)
	}
	p := n.NewParticle(script, time.Minute)
	p.Sign(initKey.Ed25519)
	p.RequestTrace(initKey.Ed25519, initKey.PeerID.String())
	params := aqua.RunParams{InitPeerID: p.InitPeerID, CurrentPeerID: self, Timestamp: p.Timestamp, TTL: p.TTL, ParticleID: p.ID, Key: n.Key()}
	first := vm.Run(context.Background(), &aqua.Input{Script: script, Params: params})
	if len(first.CallRequests) != 1 {
		b.Fatalf("first run: %+v", first)
	}
	results := map[uint32]aqua.CallResult{first.CallRequests[0].ID: aqua.Ok(jsonv.StringValue("hello, world"))}
	in := &aqua.Input{Script: script, PrevData: first.Data, CallResults: results, Params: params}
	out := vm.Run(context.Background(), in)
	if len(out.CallRequests) != 1 || len(out.NextPeers) != 1 {
		b.Fatalf("second run: %+v", out)
	}
	deadline, _ := p.Deadline()
	a, _, err := n.actors.get(p, deadline)
	if err != nil {
		b.Fatal(err)
	}
	a.trace.req = p.Trace
	a.pending[first.CallRequests[0].ID] = pendingCall{service: "op", function: "identity"}
	w := work{results: results, arrived: time.Now()}

	b.Run("run", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			vm.Run(context.Background(), in)
		}
	})
	b.Run("record", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			start := time.Now()
			n.recordHop(a, w, start, start, out, false)
			<-n.trace.queue
		}
	})
	b.Run("build+seal", func(b *testing.B) {
		start := time.Now()
		n.recordHop(a, w, start, start, out, false)
		r := <-n.trace.queue
		b.ReportAllocs()
		var size int
		for b.Loop() {
			body, err := hopreport.Seal(r.rec.report(r.info, r.req), n.Key())
			if err != nil {
				b.Fatal(err)
			}
			size = len(hopreport.Frame(body))
		}
		b.ReportMetric(float64(size), "report-bytes")
	})
}

// BenchmarkHopLatencyTraced is BenchmarkHopLatency with tracing on: B reports its run to
// A while it forwards the particle back.
func BenchmarkHopLatencyTraced(b *testing.B) {
	dn := startDevnet(b, 2, WithLogger(testLogger(b)))
	a, peerB := dn.Nodes[0], dn.Nodes[1]
	script := `(seq (new $h (new #c (canon "` + peerB.ID() + `" $h #c))) (call %init_peer_id% ("bench" "done") []))`
	var lat []time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		done := make(chan time.Time, 1)
		p := a.NewTracedParticle(script, 10*time.Second)
		start := time.Now()
		err := a.Execute(p, func(_ context.Context, req aqua.CallRequest) (aqua.CallResult, bool) {
			if req.Service != "bench" {
				return aqua.CallResult{}, false
			}
			done <- time.Now()
			return aqua.Ok(jsonv.StringValue("")), true
		})
		if err != nil {
			b.Fatal(err)
		}
		select {
		case end := <-done:
			lat = append(lat, end.Sub(start)/2)
		case <-time.After(10 * time.Second):
			b.Fatal("particle did not come back")
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(perf.Percentile(lat, 0.5).Microseconds()), "p50-hop-µs")
	b.ReportMetric(float64(perf.Percentile(lat, 0.99).Microseconds()), "p99-hop-µs")
	if got := a.HopReportStats().Received; got == 0 {
		b.Fatal("no reports")
	}
}
