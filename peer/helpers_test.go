package peer

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/reefhq/reef/peer/events"
	"github.com/reefhq/reef/peer/p2p"
)

// testLogger sends node logs to the test log (visible with -v or on failure).
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(string(p))
	return len(p), nil
}

func startDevnet(t testing.TB, n int, opts ...Option) *Devnet {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	dn, err := StartDevnet(ctx, n, append([]Option{WithLogger(testLogger(t))}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dn.Close() })
	return dn
}

func startClient(t testing.TB, relay string, opts ...Option) *Node {
	t.Helper()
	ident, err := p2p.GenerateIdentity()
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(append([]Option{WithIdentity(ident), WithClientMode(relay), WithLogger(testLogger(t))}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// waitEvent waits for an event matching pred.
func waitEvent[T events.Event](t testing.TB, sub *events.Subscription[events.Event], d time.Duration, pred func(T) bool) T {
	t.Helper()
	timer := time.NewTimer(d)
	defer timer.Stop()
	for {
		select {
		case ev := <-sub.C:
			if e, ok := ev.(T); ok && pred(e) {
				return e
			}
		case <-timer.C:
			var zero T
			t.Fatalf("no %T event within %s", zero, d)
			return zero
		}
	}
}
