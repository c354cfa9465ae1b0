package p2p

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/reefhq/reef/peer/events"
)

// TestMain routes the libraries' logs away from the test output, or to the file named
// by REEF_P2P_TEST_LOG for debugging.
func TestMain(m *testing.M) {
	var h slog.Handler = slog.DiscardHandler
	if path := os.Getenv("REEF_P2P_TEST_LOG"); path != "" {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		h = slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelDebug})
		testLogger = slog.New(h)
	}
	RouteLibraryLogs(h)
	os.Exit(m.Run())
}

var testLogger = slog.New(slog.DiscardHandler)

// loopback are the listen addresses of test nodes.
var loopback = []string{"/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/udp/0/quic-v1"}

// newNode builds and starts a test node on loopback (TCP and QUIC), without mDNS and
// with infinite limits; opts come last and can override. Cleanup closes it.
func newNode(t testing.TB, opts ...Option) *Node {
	t.Helper()
	n := newUnstarted(t, opts...)
	if err := n.Start(context.Background()); err != nil {
		t.Fatalf("Start: %v", err)
	}
	return n
}

func newUnstarted(t testing.TB, opts ...Option) *Node {
	t.Helper()
	ident, err := GenerateIdentity()
	if err != nil {
		t.Fatal(err)
	}
	base := []Option{WithListen(loopback...), WithMDNS(false), WithTestLimits(), WithLogger(testLogger),
		WithBootstrapBackoff(20*time.Millisecond, 200*time.Millisecond)}
	n, err := New(ident, append(base, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		if err := n.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return n
}

func addrsOf(n *Node) []string {
	var out []string
	for _, a := range n.Addrs() {
		out = append(out, a.String())
	}
	return out
}

func ctxT(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// eventually polls cond every 5 ms until it holds or d passes.
func eventually(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func inTable(n *Node, p peer.ID) bool {
	return n.dht != nil && n.dht.RoutingTable().Find(p) != ""
}

// collector gathers events from a broker subscription in the background.
type collector struct {
	sub  *events.Subscription[events.Event]
	got  chan events.Event
	done chan struct{}
}

func collect(t testing.TB, b *events.Broker[events.Event]) *collector {
	c := &collector{sub: b.Subscribe(4096), got: make(chan events.Event, 4096), done: make(chan struct{})}
	go func() {
		defer close(c.done)
		for ev := range c.sub.C {
			c.got <- ev
		}
	}()
	t.Cleanup(func() { c.sub.Close(); <-c.done })
	return c
}

// waitFor returns the first event matching pred within d.
func (c *collector) waitFor(t testing.TB, d time.Duration, what string, pred func(events.Event) bool) events.Event {
	t.Helper()
	timer := time.NewTimer(d)
	defer timer.Stop()
	for {
		select {
		case ev := <-c.got:
			if pred(ev) {
				return ev
			}
		case <-timer.C:
			t.Fatalf("no %s event within %v", what, d)
			return nil
		}
	}
}
