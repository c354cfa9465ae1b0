// Package logbuf is where the console's logs go while it runs: a slog.Handler that fans
// every record out to a log file (written by a background goroutine) and to a bounded
// in-memory ring that the Logs pane reads. Handle never blocks on I/O: the file gets the
// formatted line through a bounded queue (lines are dropped, and counted, when the disk
// cannot keep up) and the ring overwrites its oldest record when full.
package logbuf

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"
)

// Attr is one attribute of a record, flattened: groups are joined to the key with dots
// and the value is rendered as text.
type Attr struct {
	Key, Value string
}

// Record is one log record as the Logs pane shows it.
type Record struct {
	// Seq numbers records in the order they were handled, from 1.
	Seq   uint64
	Time  time.Time
	Level slog.Level
	Msg   string
	// Logger is the value of the "logger" attribute (the library subsystem: "dht",
	// "swarm2", "stdlog"...), or "" for the node's own records.
	Logger string
	// Particle is the value of the "particle" attribute, if any.
	Particle string
	// Node is the value of the "node" attribute (which in-process peer logged it).
	Node  string
	Attrs []Attr
}

// Text is the record's message and attributes as one line (for search).
func (r *Record) Text() string {
	var b strings.Builder
	b.WriteString(r.Msg)
	for _, a := range r.Attrs {
		b.WriteByte(' ')
		b.WriteString(a.Key)
		b.WriteByte('=')
		b.WriteString(a.Value)
	}
	return b.String()
}

// Ring is a bounded buffer of the most recent records. It is safe for concurrent use.
type Ring struct {
	mu   sync.Mutex
	buf  []Record
	next uint64 // Seq of the next record
	head int    // index of the oldest record
	n    int
}

// NewRing returns a ring holding at most size records (at least 1).
func NewRing(size int) *Ring {
	return &Ring{buf: make([]Record, max(size, 1)), next: 1}
}

// Cap returns the ring's capacity.
func (r *Ring) Cap() int { return len(r.buf) }

// Add appends a record, assigning its Seq, and drops the oldest when full.
func (r *Ring) Add(rec Record) {
	r.mu.Lock()
	rec.Seq = r.next
	r.next++
	if r.n < len(r.buf) {
		r.buf[(r.head+r.n)%len(r.buf)] = rec
		r.n++
	} else {
		r.buf[r.head] = rec
		r.head = (r.head + 1) % len(r.buf)
	}
	r.mu.Unlock()
}

// Since returns the records with Seq > seq still held, oldest first, at most limit of
// them (the newest; 0: no limit), and the Seq to pass next time.
func (r *Ring) Since(seq uint64, limit int) ([]Record, uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.n == 0 {
		return nil, seq
	}
	oldest := r.buf[r.head].Seq
	start := 0
	if seq >= oldest {
		start = int(seq - oldest + 1)
	}
	if start >= r.n {
		return nil, r.next - 1
	}
	count := r.n - start
	if limit > 0 && count > limit {
		start += count - limit
		count = limit
	}
	out := make([]Record, count)
	for i := range count {
		out[i] = r.buf[(r.head+start+i)%len(r.buf)]
	}
	return out, r.next - 1
}

// Len returns how many records the ring holds.
func (r *Ring) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}

// Handler is a slog.Handler that fans records out to another handler (normally a text
// handler writing to a FileWriter) and to a Ring.
type Handler struct {
	level  slog.Leveler
	next   slog.Handler // may be nil
	ring   *Ring
	groups []string
	attrs  []Attr
	// logger, particle and node are the special attributes added with WithAttrs.
	logger, particle, node string
}

// NewHandler returns a handler for records at level or above, writing each one to next
// (nil: none) and to ring.
func NewHandler(level slog.Leveler, next slog.Handler, ring *Ring) *Handler {
	if level == nil {
		level = slog.LevelInfo
	}
	return &Handler{level: level, next: next, ring: ring}
}

// Enabled implements slog.Handler.
func (h *Handler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level.Level() }

// Handle implements slog.Handler. It never blocks on I/O.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	var err error
	if h.next != nil && h.next.Enabled(ctx, r.Level) {
		err = h.next.Handle(ctx, r)
	}
	if h.ring == nil {
		return err
	}
	rec := Record{Time: r.Time, Level: r.Level, Msg: r.Message, Logger: h.logger, Particle: h.particle, Node: h.node}
	rec.Attrs = make([]Attr, len(h.attrs), len(h.attrs)+r.NumAttrs())
	copy(rec.Attrs, h.attrs)
	prefix := groupPrefix(h.groups)
	r.Attrs(func(a slog.Attr) bool {
		rec.Attrs = appendAttr(rec.Attrs, prefix, a, &rec)
		return true
	})
	h.ring.Add(rec)
	return err
}

// WithAttrs implements slog.Handler.
func (h *Handler) WithAttrs(as []slog.Attr) slog.Handler {
	if len(as) == 0 {
		return h
	}
	c := *h
	if h.next != nil {
		c.next = h.next.WithAttrs(as)
	}
	rec := Record{Logger: h.logger, Particle: h.particle, Node: h.node}
	c.attrs = slices.Clip(h.attrs)
	prefix := groupPrefix(h.groups)
	for _, a := range as {
		c.attrs = appendAttr(c.attrs, prefix, a, &rec)
	}
	c.logger, c.particle, c.node = rec.Logger, rec.Particle, rec.Node
	return &c
}

// WithGroup implements slog.Handler.
func (h *Handler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	c := *h
	if h.next != nil {
		c.next = h.next.WithGroup(name)
	}
	c.groups = append(slices.Clip(h.groups), name)
	return &c
}

func groupPrefix(groups []string) string {
	if len(groups) == 0 {
		return ""
	}
	return strings.Join(groups, ".") + "."
}

// appendAttr flattens a into out; the top-level "logger", "particle" and "node"
// attributes are also stored in rec's fields.
func appendAttr(out []Attr, prefix string, a slog.Attr, rec *Record) []Attr {
	a.Value = a.Value.Resolve()
	if a.Equal(slog.Attr{}) {
		return out
	}
	if a.Value.Kind() == slog.KindGroup {
		p := prefix
		if a.Key != "" {
			p += a.Key + "."
		}
		for _, g := range a.Value.Group() {
			out = appendAttr(out, p, g, rec)
		}
		return out
	}
	v := valueText(a.Value)
	if prefix == "" {
		switch a.Key {
		case "logger":
			rec.Logger = v
			return out
		case "particle", "particle_id":
			rec.Particle = v
		case "node":
			rec.Node = v
		}
	}
	return append(out, Attr{Key: prefix + a.Key, Value: v})
}

func valueText(v slog.Value) string {
	switch v.Kind() {
	case slog.KindString:
		return v.String()
	case slog.KindTime:
		return v.Time().Format(time.RFC3339Nano)
	case slog.KindAny:
		if err, ok := v.Any().(error); ok {
			return err.Error()
		}
		return fmt.Sprint(v.Any())
	default:
		return v.String()
	}
}
