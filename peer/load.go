package peer

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/jsonv"
)

// Load generation shared by the node's benchmarks (bench_test.go) and `reef bench particles`.

// benchDone is the call that tells the init peer its particle is back.
const benchDone = `(call %init_peer_id% ("bench" "done") [])`

// sendAndWait starts a particle with script on n and returns when it calls bench.done on
// n, or fails after timeout.
func sendAndWait(ctx context.Context, n *Node, script string, timeout time.Duration) (time.Duration, error) {
	done := make(chan time.Time, 1)
	p := n.NewParticle(script, timeout)
	start := time.Now()
	err := n.Execute(p, func(_ context.Context, req aqua.CallRequest) (aqua.CallResult, bool) {
		if req.Service != "bench" {
			return aqua.CallResult{}, false
		}
		select {
		case done <- time.Now():
		default:
		}
		return aqua.Ok(jsonv.StringValue("")), true
	})
	if err != nil {
		return 0, err
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case end := <-done:
		return end.Sub(start), nil
	case <-timer.C:
		return 0, fmt.Errorf("particle %s did not come back within %s", p.ID, timeout)
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// HopLatency measures one hop between a and b on the network: particles go a → b → a one
// at a time (on b the particle is received, verified, executed and forwarded back); each
// latency is half the round trip, from a's start of the particle to a's execution of the
// returned one. It sends count particles, or, with count 0, sends them until ctx ends
// (that end is not an error). A particle not back within timeout is an error.
func HopLatency(ctx context.Context, a, b *Node, count int, timeout time.Duration) ([]time.Duration, error) {
	script := `(seq (new $h (new #c (canon "` + b.ID() + `" $h #c))) ` + benchDone + `)`
	var lat []time.Duration
	for i := 0; count == 0 || i < count; i++ {
		if count == 0 && ctx.Err() != nil {
			break
		}
		rtt, err := sendAndWait(ctx, a, script, timeout)
		if err != nil {
			if count == 0 && errors.Is(err, ctx.Err()) {
				break
			}
			return lat, err
		}
		lat = append(lat, rtt/2)
	}
	return lat, nil
}

// LoadOptions shape RunLoad.
type LoadOptions struct {
	// InFlight is how many particles each client keeps in flight (default 16).
	InFlight int
	// Count stops the load after this many particles in all; 0 runs until ctx ends.
	Count int
	// Timeout is how long a particle may take before it counts as lost (default 30 s).
	Timeout time.Duration
}

// LoadResult is what RunLoad measured.
type LoadResult struct {
	Completed  int             // particles that came back
	Elapsed    time.Duration   // from the first particle's start to the last one's return
	RoundTrips []time.Duration // of each completed particle, client → relay → client
}

// PerSecond is the throughput: completed particles per second.
func (r LoadResult) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Completed) / r.Elapsed.Seconds()
}

// RunLoad has every client (a node in client mode) keep o.InFlight particles in flight,
// each a 2-hop script: client → its relay, a builtin call there (op.noop), relay → client.
// It returns when o.Count particles came back or, with Count 0, when ctx ends; a lost
// particle (o.Timeout) or a failed start is an error.
func RunLoad(ctx context.Context, clients []*Node, o LoadOptions) (LoadResult, error) {
	if len(clients) == 0 {
		return LoadResult{}, errors.New("peer: RunLoad needs at least one client")
	}
	if o.InFlight <= 0 {
		o.InFlight = 16
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	var (
		issued   atomic.Int64
		mu       sync.Mutex
		rtts     []time.Duration
		firstErr error
		wg       sync.WaitGroup
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	take := func() bool {
		if ctx.Err() != nil {
			return false
		}
		return o.Count == 0 || issued.Add(1) <= int64(o.Count)
	}
	start := time.Now()
	for _, c := range clients {
		script := `(seq (call "` + c.RelayID() + `" ("op" "noop") []) ` + benchDone + `)`
		for range o.InFlight {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var local []time.Duration
				defer func() {
					mu.Lock()
					rtts = append(rtts, local...)
					mu.Unlock()
				}()
				for take() {
					rtt, err := sendAndWait(ctx, c, script, o.Timeout)
					if err != nil {
						if ctx.Err() == nil || o.Count > 0 {
							mu.Lock()
							if firstErr == nil {
								firstErr = err
							}
							mu.Unlock()
							cancel()
						}
						return
					}
					local = append(local, rtt)
				}
			}()
		}
	}
	wg.Wait()
	res := LoadResult{Completed: len(rtts), Elapsed: time.Since(start), RoundTrips: rtts}
	return res, firstErr
}
