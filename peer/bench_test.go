package peer

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/jsonv"
)

// processCPU is the user and system CPU time this process has used so far.
func processCPU(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func percentile(d []time.Duration, p float64) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[int(float64(len(s)-1)*p)]
}

// BenchmarkHopLatency measures one hop between two nodes on loopback: the particle
// leaves A, is received, verified, executed and forwarded by B, and is back on A. Each
// iteration is one particle A → B → A; the reported hop latency is half the round trip,
// from A's forward to A's execution of the returned particle (p50 and p99).
func BenchmarkHopLatency(b *testing.B) {
	dn := startDevnet(b, 2, WithLogger(testLogger(b)))
	a, peerB := dn.Nodes[0], dn.Nodes[1]
	script := `(seq (new $h (new #c (canon "` + peerB.ID() + `" $h #c))) (call %init_peer_id% ("bench" "done") []))`
	var lat []time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		done := make(chan time.Time, 1)
		p := a.NewParticle(script, 10*time.Second)
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
	b.ReportMetric(float64(percentile(lat, 0.5).Microseconds()), "p50-hop-µs")
	b.ReportMetric(float64(percentile(lat, 0.99).Microseconds()), "p99-hop-µs")
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
	script := `(seq (call "` + relay.ID() + `" ("op" "noop") []) (call %init_peer_id% ("bench" "done") []))`
	var completed atomic.Int64
	work := make(chan struct{}, b.N)
	for range b.N {
		work <- struct{}{}
	}
	close(work)
	b.ReportAllocs()
	b.ResetTimer()
	start, cpu0 := time.Now(), processCPU(b)
	var wg sync.WaitGroup
	for _, c := range cs {
		for range inFlight {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range work {
					done := make(chan struct{})
					p := c.NewParticle(script, 30*time.Second)
					err := c.Execute(p, func(_ context.Context, req aqua.CallRequest) (aqua.CallResult, bool) {
						if req.Service != "bench" {
							return aqua.CallResult{}, false
						}
						close(done)
						return aqua.Ok(jsonv.StringValue("")), true
					})
					if err != nil {
						b.Error(err)
						return
					}
					select {
					case <-done:
						completed.Add(1)
					case <-time.After(30 * time.Second):
						b.Error("particle lost")
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	elapsed, cpu := time.Since(start), processCPU(b)-cpu0
	b.StopTimer()
	b.ReportMetric(float64(completed.Load())/elapsed.Seconds(), "particles/s")
	// CPU time of the whole process (node and clients) per particle: unlike particles/s it
	// does not depend on what else the machine runs, and 2 cores / cpu-µs is the ceiling.
	b.ReportMetric(float64(cpu.Microseconds())/float64(completed.Load()), "cpu-µs/particle")
}
