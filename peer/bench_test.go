package peer

import (
	"context"
	"testing"
	"time"

	"github.com/reefhq/reef/internal/perf"
)

// processCPU is the user and system CPU time this process has used so far.
func processCPU(tb testing.TB) time.Duration {
	d, err := cpuTime()
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// BenchmarkHopLatency measures one hop between two nodes on loopback: the particle
// leaves A, is received, verified, executed and forwarded by B, and is back on A. Each
// iteration is one particle A → B → A; the reported hop latency is half the round trip,
// from A's forward to A's execution of the returned particle (p50 and p99).
func BenchmarkHopLatency(b *testing.B) {
	dn := startDevnet(b, 2, WithLogger(testLogger(b)))
	a, peerB := dn.Nodes[0], dn.Nodes[1]
	b.ReportAllocs()
	b.ResetTimer()
	lat, err := HopLatency(context.Background(), a, peerB, b.N, 10*time.Second)
	if err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	b.ReportMetric(float64(perf.Percentile(lat, 0.5).Microseconds()), "p50-hop-µs")
	b.ReportMetric(float64(perf.Percentile(lat, 0.99).Microseconds()), "p99-hop-µs")
}

// BenchmarkThroughput measures one node serving a 2-hop script (client → node, a
// builtin call on the node, node → client) to many clients at once, all in this
// process on this machine's cores: particles completed per second.
func BenchmarkThroughput(b *testing.B) {
	const clients = 8
	const inFlight = 16 // per client
	dn := startDevnet(b, 1, WithLogger(testLogger(b)))
	relay := dn.Nodes[0]
	var cs []*Node
	for range clients {
		cs = append(cs, startClient(b, dn.Addr(0)))
	}
	b.ReportAllocs()
	b.ResetTimer()
	start, cpu0 := time.Now(), processCPU(b)
	res, err := RunLoad(context.Background(), cs, LoadOptions{InFlight: inFlight, Count: b.N})
	if err != nil {
		b.Fatal(err)
	}
	completed := int64(res.Completed)
	elapsed, cpu := time.Since(start), processCPU(b)-cpu0
	b.StopTimer()
	b.ReportMetric(float64(completed)/elapsed.Seconds(), "particles/s")
	// CPU time of the whole process (node and clients) per particle: unlike particles/s it
	// does not depend on what else the machine runs, and 2 cores / cpu-µs is the ceiling.
	b.ReportMetric(float64(cpu.Microseconds())/float64(completed), "cpu-µs/particle")
	// The default per-peer rate limit must not throttle this legitimate load.
	if r := relay.Stats().Rejected; r[reasonRateLimited] != 0 {
		b.Fatalf("the relay rate-limited particles: %v", r)
	}
}
