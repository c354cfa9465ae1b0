package wasm

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Log sources.
const (
	SourceStdout = "stdout" // the guest's WASI stdout
	SourceStderr = "stderr" // the guest's WASI stderr
	SourceLog    = "log"    // Extism log_* calls
)

// maxLogLine bounds one log entry's text; longer lines are cut.
const maxLogLine = 4 << 10

// LogEntry is one line of a service's log.
type LogEntry struct {
	Time     time.Time
	Instance uint64     // which instance of the service wrote it (1, 2, ...)
	Source   string     // SourceStdout, SourceStderr or SourceLog
	Level    slog.Level // Info for stdout, Warn for stderr, the call's level for log_*
	Text     string     // one line, without the newline
}

// serviceLog is a service's bounded log: a ring of entries holding at most limit bytes
// of text.
type serviceLog struct {
	svc     *Service
	mu      sync.Mutex
	entries []LogEntry // ring
	head    int        // index of the oldest entry
	n       int        // entries held
	bytes   int        // text bytes held
	limit   int
	dropped uint64
}

func (l *serviceLog) add(in *instance, source string, level slog.Level, text string) {
	if len(text) > maxLogLine {
		text = strings.ToValidUTF8(text[:maxLogLine], "") + "…"
	}
	e := LogEntry{Time: time.Now(), Instance: in.id, Source: source, Level: level, Text: text}
	l.mu.Lock()
	for l.n > 0 && l.bytes+len(text) > l.limit {
		l.bytes -= len(l.entries[l.head].Text)
		l.entries[l.head] = LogEntry{}
		l.head = (l.head + 1) % len(l.entries)
		l.n--
		l.dropped++
	}
	if l.n == len(l.entries) {
		l.grow()
	}
	l.entries[(l.head+l.n)%len(l.entries)] = e
	l.n++
	l.bytes += len(text)
	l.mu.Unlock()

	s := l.svc
	if s.opts.logSink != nil {
		s.opts.logSink(e)
	}
	if lg := s.rt.log; lg.Enabled(context.Background(), slog.LevelDebug) {
		lg.Debug("wasm guest output", "service", s.opts.name, "instance", in.id, "source", source,
			"level", level.String(), "text", text)
	}
}

func (l *serviceLog) grow() {
	n := max(16, 2*len(l.entries))
	entries := make([]LogEntry, n)
	for i := range l.n {
		entries[i] = l.entries[(l.head+i)%len(l.entries)]
	}
	l.entries, l.head = entries, 0
}

func (l *serviceLog) snapshot() []LogEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]LogEntry, l.n)
	for i := range l.n {
		out[i] = l.entries[(l.head+i)%len(l.entries)]
	}
	return out
}

// lineWriter turns an instance's stdout or stderr into log entries, one per line.
// Only the goroutine running the instance's current call writes to it.
type lineWriter struct {
	in      *instance
	source  string
	level   slog.Level
	pending []byte
	// What was written during the current call, to explain a guest that exits: the
	// first Go panic or fatal error line, and the last non-empty line.
	panicLine, lastLine string
}

func (w *lineWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			room := maxLogLine + 1 - len(w.pending)
			w.pending = append(w.pending, p[:min(len(p), max(room, 0))]...)
			break
		}
		line := p[:i]
		if len(w.pending) > 0 {
			line = append(w.pending, line[:min(len(line), max(maxLogLine+1-len(w.pending), 0))]...)
		}
		w.emit(line)
		w.pending = w.pending[:0]
		p = p[i+1:]
	}
	return n, nil
}

func (w *lineWriter) emit(line []byte) {
	text := string(line)
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	if w.panicLine == "" && (strings.HasPrefix(text, "panic: ") || strings.HasPrefix(text, "fatal error: ")) {
		w.panicLine = text
	}
	if strings.TrimSpace(text) != "" {
		w.lastLine = text
	}
	w.in.svc.logs.add(w.in, w.source, w.level, text)
}

// flush emits a pending partial line.
func (w *lineWriter) flush() {
	if len(w.pending) > 0 {
		w.emit(w.pending)
		w.pending = w.pending[:0]
	}
}

// exitHint picks the stderr line that best explains an exit: a Go panic or fatal error,
// else the last line.
func (w *lineWriter) exitHint() string {
	w.flush()
	if w.panicLine != "" {
		return w.panicLine
	}
	return strings.TrimSpace(w.lastLine)
}

// panicHint is the first Go panic or fatal error line written during the call, or "".
func (w *lineWriter) panicHint() string {
	w.flush()
	return w.panicLine
}

// startCall forgets what earlier calls wrote.
func (w *lineWriter) startCall() { w.panicLine, w.lastLine = "", "" }
