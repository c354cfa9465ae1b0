package p2p

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
)

// Benchmarks for docs/performance.md. Run with, for example:
//
//	go test -run '^$' -bench . -benchtime 20x ./peer/p2p/
//
// Everything runs on 127.0.0.1 in one process, so the numbers measure libp2p and
// kad-dht work (handshakes, identify, lookups) on this machine, not network latency.

const benchDevnet = 30

func benchNet(b *testing.B) ([]*Node, []peer.ID) {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	start := time.Now()
	nodes, err := StartDevnet(ctx, benchDevnet, WithLogger(testLogger))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { CloseAll(nodes...) })
	b.Logf("devnet of %d ready in %v", benchDevnet, time.Since(start).Round(time.Millisecond))
	// Let the last refreshes started by StartDevnet finish before measuring.
	time.Sleep(2 * time.Second)
	ids := make([]peer.ID, len(nodes))
	for i, nd := range nodes {
		ids[i] = nd.ID()
	}
	return nodes, ids
}

// BenchmarkDevnetJoin: a fresh node bootstraps from node 0 of a 30-node devnet; the
// metric is the time from New to a routing table holding every node (ms/join), with the
// devnet's nudging (a forced refresh whenever the previous one ended short; normally the
// DHT's own refresh after bootstrap is enough). After each join the node is closed and
// forgotten by the others, so every iteration joins the same 30-node network.
func BenchmarkDevnetJoin(b *testing.B) {
	nodes, ids := benchNet(b)
	boot := addrsOf(nodes[0])
	var total time.Duration
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		ident, err := GenerateIdentity()
		if err != nil {
			b.Fatal(err)
		}
		want := ExpectedTableSize(ident.PeerID, ids, 20)
		b.StartTimer()
		start := time.Now()
		j, err := New(ident, withDefaultListen(DevnetListenAddrs...), WithMDNS(false), WithTestLimits(),
			WithLogger(testLogger), WithBootstrap(boot...))
		if err != nil {
			b.Fatal(err)
		}
		if err := j.Start(context.Background()); err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		err = fillTables(ctx, []*Node{j}, []int{want})
		cancel()
		if err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
		b.StopTimer()
		j.Close()
		for _, nd := range nodes {
			nd.dht.RoutingTable().RemovePeer(j.ID())
			nd.host.Peerstore().ClearAddrs(j.ID())
			nd.host.Peerstore().RemovePeer(j.ID())
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(total.Microseconds())/1e3/float64(b.N), "ms/join")
}

// BenchmarkFindPeer: a DHT lookup for a peer the searcher is not connected to (the
// connection is closed first), in a full 30-node devnet. kad-dht's FindPeer ends once
// the target is connected, so this is find-and-dial, what Connect does for a peer
// without known addresses. Metrics: p50 and p99 in ms, and peers queried per lookup.
func BenchmarkFindPeer(b *testing.B) {
	nodes, _ := benchNet(b)
	rng := rand.New(rand.NewPCG(1, 2))
	var durs []time.Duration
	queriedTotal := 0
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		i := rng.IntN(len(nodes))
		k := (i + 1 + rng.IntN(len(nodes)-1)) % len(nodes)
		a, t := nodes[i], nodes[k]
		a.host.Network().ClosePeer(t.ID())
		t.host.Network().ClosePeer(a.ID())
		for a.host.Network().Connectedness(t.ID()) == network.Connected {
			time.Sleep(100 * time.Microsecond)
		}
		b.StartTimer()
		start := time.Now()
		_, queried, err := a.findPeer(context.Background(), t.ID())
		d := time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		durs = append(durs, d)
		queriedTotal += queried
	}
	b.StopTimer()
	slices.Sort(durs)
	pct := func(p float64) float64 {
		return float64(durs[min(len(durs)-1, int(p*float64(len(durs))))].Microseconds()) / 1e3
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(queriedTotal)/float64(b.N), "queried/op")
}
