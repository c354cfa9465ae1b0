package aqua_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/memnet"
	"github.com/reefhq/reef/internal/conformance"
	"github.com/reefhq/reef/peer/builtins"
)

// recordRuns executes a corpus case and returns every interpreter run it took.
func recordRuns(b *testing.B, name string) []*memnet.RunRecord {
	b.Helper()
	cases, err := conformance.Load(corpusDir)
	if err != nil {
		b.Fatal(err)
	}
	var c *conformance.Case
	for _, cc := range cases {
		if cc.Name == name {
			c = cc
		}
	}
	if c == nil {
		b.Fatalf("no case %s", name)
	}
	reg := builtins.NewRegistry()
	builtins.RegisterPure(reg)
	var runs []*memnet.RunRecord
	net, _ := memnet.New(memnet.OnRun(func(r *memnet.RunRecord) { runs = append(runs, r) }))
	var client *conformance.Client
	var clientID string
	serve := func(p *memnet.Peer, pt *memnet.Particle, req aqua.CallRequest) aqua.CallResult {
		if p.ID == clientID {
			if r, ok := client.Handle(req); ok {
				return r
			}
		}
		return reg.Call(context.Background(), builtins.NewCall(req, builtins.Particle{InitPeerID: pt.InitPeerID, CurrentPeerID: p.ID}))
	}
	var peers []string
	for i := range conformance.NumPeers {
		peers = append(peers, net.AddPeer(fmt.Sprintf("peer%d", i), serve).ID)
	}
	clientID = net.AddPeer("client", serve).ID
	client = conformance.NewClient(c, peers)
	if err := net.Start(&memnet.Particle{ID: "bench", InitPeerID: clientID, TTL: 20000, Script: c.AIR}); err != nil {
		b.Fatal(err)
	}
	if _, err := net.Run(context.Background()); err != nil {
		b.Fatal(err)
	}
	if err := client.Check(); err != nil {
		b.Fatal(err)
	}
	return runs
}

// firstHop returns the first run on peer0 (the relay) that merged data from another peer.
func firstHop(runs []*memnet.RunRecord) *memnet.RunRecord {
	for _, r := range runs {
		if r.Peer.Name == "peer0" && r.FromPeer != "" {
			return r
		}
	}
	return nil
}

func benchRun(b *testing.B, rec *memnet.RunRecord, opts ...aqua.Option) {
	vm, err := aqua.New(opts...)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if out := vm.Run(ctx, rec.Input); out.RetCode != rec.Outcome.RetCode {
		b.Fatalf("replay ret %d, recorded %d", out.RetCode, rec.Outcome.RetCode)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		vm.Run(ctx, rec.Input)
	}
	b.ReportMetric(float64(rec.Outcome.Instructions), "instrs/run")
}

// BenchmarkRun measures single interpreter runs of compiled Aqua functions, replaying the
// inputs a real execution produced. "hop" is the relay's first run on data arriving from
// the client; "warm" keeps the VM's signature cache (a signature seen earlier on the same
// particle), "cold" verifies every signature in the incoming data.
func BenchmarkRun(b *testing.B) {
	for _, name := range []string{"basic_string_concat", "hop_chain_3", "par_for_fanout"} {
		runs := recordRuns(b, name)
		b.Run(name+"/client-first-run", func(b *testing.B) { benchRun(b, runs[0]) })
		if hop := firstHop(runs); hop != nil {
			b.Run(name+"/hop-warm", func(b *testing.B) { benchRun(b, hop) })
			b.Run(name+"/hop-cold", func(b *testing.B) { benchRun(b, hop, aqua.WithSignatureCache(0)) })
		}
		last := runs[len(runs)-1]
		b.Run(name+"/last-run", func(b *testing.B) { benchRun(b, last) })
	}
}

// BenchmarkFunction measures the whole distributed execution of a function on the
// in-memory network: every run on every peer, with the builtins answering.
func BenchmarkFunction(b *testing.B) {
	for _, name := range []string{"basic_string_concat", "hop_chain_3", "par_for_fanout"} {
		b.Run(name, func(b *testing.B) {
			runs := recordRuns(b, name)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				recordRuns(b, name)
			}
			b.ReportMetric(float64(len(runs)), "runs")
		})
	}
}

// BenchmarkRunUnsigned is BenchmarkRun's hop without the Ed25519 signature of the peer's
// own results, to separate interpreter work from signing.
func BenchmarkRunUnsigned(b *testing.B) {
	for _, name := range []string{"hop_chain_3", "par_for_fanout"} {
		hop := firstHop(recordRuns(b, name))
		in := *hop.Input
		in.Params.Key = nil
		b.Run(name+"/hop-warm", func(b *testing.B) { benchRun(b, &memnet.RunRecord{Input: &in, Outcome: hop.Outcome}) })
	}
}
