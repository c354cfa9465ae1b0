package p2p

import (
	"context"
	"log"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	golog "github.com/ipfs/go-log/v2"
	"github.com/libp2p/go-libp2p/gologshim"
)

// captureHandler records what reaches it, at or above level.
type captureHandler struct {
	level slog.Level
	mu    *sync.Mutex
	recs  *[]string
	attrs []slog.Attr
}

func newCapture(level slog.Level) *captureHandler {
	return &captureHandler{level: level, mu: new(sync.Mutex), recs: new([]string)}
}

func (c *captureHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= c.level }

func (c *captureHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Level.String() + " " + r.Message)
	for _, a := range c.attrs {
		b.WriteString(" " + a.String())
	}
	r.Attrs(func(a slog.Attr) bool { b.WriteString(" " + a.String()); return true })
	c.mu.Lock()
	*c.recs = append(*c.recs, b.String())
	c.mu.Unlock()
	return nil
}

func (c *captureHandler) WithAttrs(as []slog.Attr) slog.Handler {
	d := *c
	d.attrs = append(append([]slog.Attr(nil), c.attrs...), as...)
	return &d
}

func (c *captureHandler) WithGroup(string) slog.Handler { return c }

func (c *captureHandler) find(substrs ...string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range *c.recs {
		ok := true
		for _, s := range substrs {
			ok = ok && strings.Contains(r, s)
		}
		if ok {
			return true
		}
	}
	return false
}

func TestRouteLibraryLogs(t *testing.T) {
	capture := newCapture(slog.LevelWarn)
	RouteLibraryLogs(capture)
	t.Cleanup(func() { RouteLibraryLogs(slog.DiscardHandler) })

	// go-libp2p (gologshim), including a logger created before routing.
	gologshim.Logger("reef-test-shim").Warn("shim warning", "k", 1)
	gologshim.Logger("reef-test-shim").Info("shim info is below the level")
	// go-log v2 (kad-dht's logger), set to the handler's level.
	golog.Logger("reef-test-golog").Warnw("golog warning", "k", 2)
	golog.Logger("reef-test-golog").Infow("golog info is below the level")
	// The standard logger (quic-go).
	log.Printf("stdlog line %d", 3)

	for _, want := range [][]string{
		{"WARN shim warning", "logger=reef-test-shim", "k=1"},
		{"WARN golog warning", "logger=reef-test-golog", "k=2"},
		{"WARN stdlog line 3", "logger=stdlog"},
	} {
		if !capture.find(want...) {
			t.Errorf("no record with %q; got %q", want, *capture.recs)
		}
	}
	if capture.find("below the level") {
		t.Error("records below the handler's level got through")
	}

	// A real library line: kad-dht warns when its first refresh finds an empty table.
	n := newNode(t)
	eventually(t, 5*time.Second, "kad-dht refresh warning", func() bool {
		return capture.find("logger=dht/RtRefreshManager", "failed when refreshing routing table")
	})
	n.Close()

	// Switching handlers takes effect for loggers that already logged.
	second := newCapture(slog.LevelDebug)
	RouteLibraryLogs(second)
	gologshim.Logger("reef-test-shim").Info("after the switch")
	golog.Logger("reef-test-golog").Debugw("golog debug after the switch")
	if !second.find("after the switch", "logger=reef-test-shim") || !second.find("golog debug after the switch") {
		t.Errorf("switch: got %q", *second.recs)
	}
}
