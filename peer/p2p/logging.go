package p2p

import (
	"context"
	"fmt"
	"log"
	"log/slog"
	"os"
	"slices"
	"sync"
	"sync/atomic"

	golog "github.com/ipfs/go-log/v2"
	"github.com/libp2p/go-libp2p/gologshim"
	"go.uber.org/zap/zapcore"
)

// The libraries under the node log through three process-wide sinks:
//
//   - go-libp2p through gologshim (slog), which binds each subsystem logger to its
//     handler on the logger's first line and writes to stderr unless told otherwise;
//   - kad-dht (and other IPFS code) through ipfs/go-log v2 (zap), stderr by default;
//   - quic-go through the standard log package (one warning about UDP buffers).
//
// This package installs, at init, a switchable handler into gologshim, so every libp2p
// logger binds to it whenever its first line comes. RouteLibraryLogs points that
// handler, go-log's primary core and the standard logger at the caller's handler.

// libTarget is where library logs go. Before RouteLibraryLogs it holds
// fallbackHandler.
var libTarget atomic.Pointer[slog.Handler]

// libRouted is set once RouteLibraryLogs has been called.
var libRouted atomic.Bool

func init() {
	var h slog.Handler = fallbackHandler{}
	libTarget.Store(&h)
	gologshim.SetDefaultHandler(&switchHandler{})
}

func currentLibHandler() slog.Handler { return *libTarget.Load() }

var routeMu sync.Mutex

// RouteLibraryLogs sends the logs of go-libp2p, kad-dht (go-log v2) and the standard
// library's log package (quic-go) to h, process-wide, so that nothing reaches the
// terminal behind a TUI. Every record carries a "logger" attribute naming the
// subsystem ("swarm2", "dht", "stdlog", ...). It can be called again to switch handlers
// (for example from a startup file to the TUI's log pane); a nil h discards.
//
// Levels: h decides for libp2p. For go-log, whose loggers filter before any handler
// sees a record, all loggers are set to the lowest level h accepts, unless the
// GOLOG_LOG_LEVEL environment variable is set, in which case go-log keeps its own
// levels. The standard logger's lines become Warn records and its flags are cleared (h
// stamps the time).
//
// h must not write to the standard log package itself (slog's built-in default handler
// does): in that case the standard logger is left alone to avoid a loop. Likewise a
// go-log bridge handler (golog.SlogHandler()) is accepted but go-log is then left to its
// own configuration.
//
// Without RouteLibraryLogs, libp2p's records at Error level go to slog.Default(),
// go-log writes errors to stderr as it does by default, and New sets
// QUIC_GO_DISABLE_RECEIVE_BUFFER_WARNING so quic-go stays quiet.
func RouteLibraryLogs(h slog.Handler) {
	if h == nil {
		h = slog.DiscardHandler
	}
	routeMu.Lock()
	defer routeMu.Unlock()
	libTarget.Store(&h)
	libRouted.Store(true)

	if _, isGoLog := h.(interface{ GoLogBridge() }); !isGoLog {
		golog.SetPrimaryCore(&zapSlogCore{})
		if os.Getenv("GOLOG_LOG_LEVEL") == "" {
			// "*" also sets the level of loggers created later.
			_ = golog.SetLogLevel("*", zapLevel(minLevel(h)).String())
		}
	}
	if fmt.Sprintf("%T", h) != "*slog.defaultHandler" {
		log.SetFlags(0)
		log.SetPrefix("")
		log.SetOutput(slog.NewLogLogger(h.WithAttrs([]slog.Attr{slog.String("logger", "stdlog")}), slog.LevelWarn).Writer())
	}
}

// minLevel is the lowest of the standard levels h is enabled for.
func minLevel(h slog.Handler) slog.Level {
	for _, l := range []slog.Level{slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError} {
		if h.Enabled(context.Background(), l) {
			return l
		}
	}
	return slog.LevelError + 4
}

// fallbackHandler sends Error records to whatever slog.Default() is at the time.
type fallbackHandler struct {
	attrs []slog.Attr
	group string
}

func (fallbackHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelError && slog.Default().Handler().Enabled(ctx, l)
}

func (f fallbackHandler) Handle(ctx context.Context, r slog.Record) error {
	var h slog.Handler = slog.Default().Handler()
	if f.group != "" {
		h = h.WithGroup(f.group)
	}
	if len(f.attrs) > 0 {
		h = h.WithAttrs(f.attrs)
	}
	return h.Handle(ctx, r)
}

func (f fallbackHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return fallbackHandler{attrs: append(slices.Clip(f.attrs), as...), group: f.group}
}

func (f fallbackHandler) WithGroup(name string) slog.Handler {
	if f.group != "" || len(f.attrs) > 0 {
		// Rare for library loggers; keep it simple and flat.
		return f
	}
	return fallbackHandler{group: name}
}

// switchHandler forwards to the current library target, replaying the WithAttrs and
// WithGroup calls made on it. The derived handler is cached per target.
type switchHandler struct {
	ops   []func(slog.Handler) slog.Handler
	cache atomic.Pointer[switchCache]
}

type switchCache struct {
	base    *slog.Handler
	derived slog.Handler
}

func (s *switchHandler) handler() slog.Handler {
	base := libTarget.Load()
	if c := s.cache.Load(); c != nil && c.base == base {
		return c.derived
	}
	h := *base
	for _, op := range s.ops {
		h = op(h)
	}
	s.cache.Store(&switchCache{base: base, derived: h})
	return h
}

func (s *switchHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return s.handler().Enabled(ctx, l)
}

func (s *switchHandler) Handle(ctx context.Context, r slog.Record) error {
	return s.handler().Handle(ctx, r)
}

func (s *switchHandler) WithAttrs(as []slog.Attr) slog.Handler {
	as = slices.Clone(as)
	return &switchHandler{ops: append(slices.Clip(s.ops), func(h slog.Handler) slog.Handler { return h.WithAttrs(as) })}
}

func (s *switchHandler) WithGroup(name string) slog.Handler {
	return &switchHandler{ops: append(slices.Clip(s.ops), func(h slog.Handler) slog.Handler { return h.WithGroup(name) })}
}

// zapSlogCore is a zap core writing to the current library target, for go-log.
type zapSlogCore struct {
	fields []zapcore.Field
}

func slogLevel(l zapcore.Level) slog.Level {
	switch {
	case l <= zapcore.DebugLevel:
		return slog.LevelDebug
	case l == zapcore.InfoLevel:
		return slog.LevelInfo
	case l == zapcore.WarnLevel:
		return slog.LevelWarn
	default:
		return slog.LevelError
	}
}

func zapLevel(l slog.Level) zapcore.Level {
	switch {
	case l <= slog.LevelDebug:
		return zapcore.DebugLevel
	case l <= slog.LevelInfo:
		return zapcore.InfoLevel
	case l <= slog.LevelWarn:
		return zapcore.WarnLevel
	case l <= slog.LevelError:
		return zapcore.ErrorLevel
	default:
		return zapcore.FatalLevel
	}
}

func (c *zapSlogCore) Enabled(l zapcore.Level) bool {
	return currentLibHandler().Enabled(context.Background(), slogLevel(l))
}

func (c *zapSlogCore) With(fs []zapcore.Field) zapcore.Core {
	return &zapSlogCore{fields: append(slices.Clip(c.fields), fs...)}
}

func (c *zapSlogCore) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if c.Enabled(e.Level) {
		return ce.AddCore(e, c)
	}
	return ce
}

func (c *zapSlogCore) Write(e zapcore.Entry, fs []zapcore.Field) error {
	r := slog.NewRecord(e.Time, slogLevel(e.Level), e.Message, e.Caller.PC)
	r.AddAttrs(slog.String("logger", e.LoggerName))
	enc := zapcore.NewMapObjectEncoder()
	for _, f := range c.fields {
		f.AddTo(enc)
	}
	for _, f := range fs {
		f.AddTo(enc)
	}
	keys := make([]string, 0, len(enc.Fields))
	for k := range enc.Fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		r.AddAttrs(slog.Any(k, enc.Fields[k]))
	}
	return currentLibHandler().Handle(context.Background(), r)
}

func (c *zapSlogCore) Sync() error { return nil }

// quietQUIC keeps quic-go's UDP buffer warning off stderr when library logs have not
// been routed. With routing, the warning is useful in the log file and is left on.
func quietQUIC() {
	if libRouted.Load() {
		return
	}
	if _, ok := os.LookupEnv("QUIC_GO_DISABLE_RECEIVE_BUFFER_WARNING"); !ok {
		os.Setenv("QUIC_GO_DISABLE_RECEIVE_BUFFER_WARNING", "true")
	}
}
