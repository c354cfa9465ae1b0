package peer

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/peer/events"
	"github.com/reefhq/reef/peer/particle"
)

// The token bucket behind the particle rate limit, on an explicit clock: a burst, then
// the rate, one bucket per peer.
func TestParticleRateLimiter(t *testing.T) {
	l := newRateLimiter(10, 20)
	now := time.Unix(1_700_000_000, 0)
	allowed := 0
	for range 100 {
		if l.allow("a", now) {
			allowed++
		}
	}
	if allowed != 20 {
		t.Fatalf("a burst of 100 let %d through, want the burst of 20", allowed)
	}
	if !l.allow("b", now) {
		t.Fatal("another peer was limited by the first one's flood")
	}
	now = now.Add(time.Second) // 10 tokens back
	allowed = 0
	for range 100 {
		if l.allow("a", now) {
			allowed++
		}
	}
	if allowed != 10 {
		t.Fatalf("after 1 s, %d let through, want the rate of 10", allowed)
	}
	// The log is throttled per peer: the first rejection, then one line a second
	// with the count left out.
	if ok, _ := l.shouldLog("a", now); !ok {
		t.Fatal("the first rejection was not logged")
	}
	for range 5 {
		if ok, _ := l.shouldLog("a", now.Add(time.Millisecond)); ok {
			t.Fatal("logged twice within a second")
		}
	}
	if ok, n := l.shouldLog("a", now.Add(time.Second)); !ok || n != 5 {
		t.Fatalf("a second later: logged %v with %d left out, want true and 5", ok, n)
	}
	// Idle peers are forgotten.
	l.sweep(now.Add(time.Hour))
	if len(l.buckets.m) != 0 || len(l.logged) != 0 {
		t.Fatalf("after an idle hour %d buckets and %d log states remain", len(l.buckets.m), len(l.logged))
	}
	if newRateLimiter(0, 0) != nil {
		t.Fatal("a zero rate made a limiter")
	}
	if _, err := New(WithParticleRateLimit(10, -1)); err == nil {
		t.Fatal("a negative burst was accepted")
	}
}

// lineCounter counts log records with a message and an attribute value.
type lineCounter struct {
	msg, key, value string
	n               *atomic.Int64
}

func (h lineCounter) Enabled(context.Context, slog.Level) bool { return true }
func (h lineCounter) Handle(_ context.Context, r slog.Record) error {
	if r.Message != h.msg {
		return nil
	}
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == h.key && a.Value.String() == h.value {
			h.n.Add(1)
		}
		return true
	})
	return nil
}
func (h lineCounter) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h lineCounter) WithGroup(string) slog.Handler      { return h }

// A peer floods a node with valid, signed particles as fast as it can, over real libp2p
// streams, while a well-behaved client of the same node runs its functions. The flood
// is refused beyond the flooder's token bucket ("rate-limited": counted in Stats, in
// /metrics and as events, logged without flooding the log), the good client is never
// limited and every one of its functions completes with the right value.
func TestFloodIsRateLimitedAndTheNodeStaysResponsive(t *testing.T) {
	const (
		rate       = 100
		burst      = 100
		floodTotal = 4000
		senders    = 16
		goodCalls  = 24
	)
	var logged atomic.Int64
	log := slog.New(lineCounter{msg: "particle rejected", key: "reason", value: reasonRateLimited, n: &logged})
	dn := startDevnet(t, 1, WithParticleRateLimit(rate, burst), WithLogger(log))
	node := dn.Nodes[0]
	sub := node.Events().Subscribe(1 << 16)
	defer sub.Close()
	flooder := startClient(t, dn.Addr(0))
	good := startClient(t, dn.Addr(0))

	var rejectedEvents, goodLimited atomic.Int64
	evDone := make(chan struct{})
	go func() {
		defer close(evDone)
		for ev := range sub.C {
			if e, ok := ev.(events.ParticleRejected); ok && e.Reason == reasonRateLimited {
				rejectedEvents.Add(1)
				if e.From == good.ID() {
					goodLimited.Add(1)
				}
			}
		}
	}()

	// The flood: valid particles, each on its own stream, from many goroutines.
	var sent, sendErrs atomic.Int64
	var next atomic.Int64
	var fwg sync.WaitGroup
	for range senders {
		fwg.Go(func() {
			for next.Add(1) <= floodTotal {
				p := particle.New(`(null)`, flooder.Key(), time.Minute, time.Now())
				if err := flooder.send(p, node.ID(), time.Now().Add(time.Minute)); err != nil {
					sendErrs.Add(1)
				}
				sent.Add(1)
			}
		})
	}

	// Meanwhile the good client calls through the node, a few at a time.
	script, err := os.ReadFile("../testdata/air/greet_relay.air")
	if err != nil {
		t.Fatal(err)
	}
	var gwg sync.WaitGroup
	var completed atomic.Int64
	errs := make(chan error, goodCalls)
	for w := range 4 {
		gwg.Go(func() {
			for k := w; k < goodCalls; k += 4 {
				ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
				name := fmt.Sprintf("good %d", k)
				res, err := good.CallFunction(ctx, string(script), map[string]jsonv.Value{"name": jsonv.StringValue(name)}, 30*time.Second)
				cancel()
				switch {
				case err != nil:
					errs <- fmt.Errorf("call %d: %w", k, err)
				case res.Value.String() != `"hello, `+name+`"`:
					errs <- fmt.Errorf("call %d returned %s", k, res.Value)
				default:
					completed.Add(1)
				}
			}
		})
	}
	gwg.Wait()
	goodDuringFlood := sent.Load() < floodTotal
	fwg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// One more call once the flood is over: the node is still serving.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if res, err := good.CallFunction(ctx, string(script), map[string]jsonv.Value{"name": jsonv.StringValue("after")}, 15*time.Second); err != nil || res.Value.String() != `"hello, after"` {
		t.Errorf("after the flood: %v, %v", res, err)
	}

	st := node.Stats()
	limited := st.Rejected[reasonRateLimited]
	t.Logf("flood: %d particles sent (%d send errors), %d rate-limited, %d accepted; good client: %d/%d completed (all while the flood ran: %v); %d rejections logged; node stats %+v",
		sent.Load(), sendErrs.Load(), limited, st.Received-uint64(goodCalls+1), completed.Load(), goodCalls, goodDuringFlood, logged.Load(), st)
	if completed.Load() != goodCalls {
		t.Errorf("the good client completed %d of %d functions", completed.Load(), goodCalls)
	}
	if limited == 0 || limited > uint64(sent.Load()) {
		t.Fatalf("%d particles rate-limited out of %d sent", limited, sent.Load())
	}
	// The flooder got through at most its burst plus what the rate refilled; the
	// rest was refused. Everything sent is accounted for as received or refused.
	if st.Received+limited < uint64(sent.Load()-sendErrs.Load()) {
		t.Errorf("received %d + rate-limited %d < %d delivered sends", st.Received, limited, sent.Load()-sendErrs.Load())
	}
	for _, r := range []string{"malformed", "transport", "overload", "signature"} {
		if st.Rejected[r] != 0 {
			t.Errorf("%d particles rejected as %q", st.Rejected[r], r)
		}
	}
	// The log has a line for the first rejection and then at most one a second.
	if l := logged.Load(); l == 0 || uint64(l) >= limited {
		t.Errorf("%d log lines for %d rate-limited particles", l, limited)
	}
	// /metrics has the counter; the events name the flooder, never the good client.
	rec := httptest.NewRecorder()
	node.APIHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	if want := fmt.Sprintf(`reef_particles_rejected_total{reason="rate-limited"} %d`, limited); !strings.Contains(string(body), want) {
		t.Errorf("/metrics lacks %q", want)
	}
	waitFor(t, 5*time.Second, "the rejection events", func() bool { return rejectedEvents.Load() == int64(limited) })
	if goodLimited.Load() != 0 {
		t.Errorf("the good client was rate-limited %d times", goodLimited.Load())
	}
	sub.Close()
	<-evDone
}

// waitFor polls cond until it holds or fails the test after d.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
