package logbuf

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestRingBoundsAndSince(t *testing.T) {
	r := NewRing(5)
	if recs, seq := r.Since(0, 0); recs != nil || seq != 0 {
		t.Fatalf("empty ring: %v %d", recs, seq)
	}
	for i := range 12 {
		r.Add(Record{Msg: fmt.Sprint(i)})
	}
	if r.Len() != 5 || r.Cap() != 5 {
		t.Fatalf("len %d cap %d", r.Len(), r.Cap())
	}
	recs, seq := r.Since(0, 0)
	if len(recs) != 5 || recs[0].Msg != "7" || recs[4].Msg != "11" || recs[0].Seq != 8 || seq != 12 {
		t.Fatalf("since 0: %+v next %d", recs, seq)
	}
	recs, seq = r.Since(10, 0)
	if len(recs) != 2 || recs[0].Msg != "10" || seq != 12 {
		t.Fatalf("since 10: %+v next %d", recs, seq)
	}
	if recs, seq = r.Since(12, 0); len(recs) != 0 || seq != 12 {
		t.Fatalf("since 12: %+v next %d", recs, seq)
	}
	recs, _ = r.Since(0, 2)
	if len(recs) != 2 || recs[1].Msg != "11" {
		t.Fatalf("limit keeps the newest: %+v", recs)
	}
}

func TestHandlerAttributes(t *testing.T) {
	ring := NewRing(10)
	log := slog.New(NewHandler(slog.LevelDebug, nil, ring))
	log.With("logger", "dht").WithGroup("q").Info("lookup", "peer", "p1", slog.Group("g", "a", 1))
	log.Warn("particle rejected", "particle", "abc-123", "node", "12D3x", "error", errors.New("bad signature"))
	log.Debug("dbg", slog.Time("at", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)))
	recs, _ := ring.Since(0, 0)
	if len(recs) != 3 {
		t.Fatalf("%d records", len(recs))
	}
	if r := recs[0]; r.Logger != "dht" || r.Level != slog.LevelInfo || fmt.Sprint(r.Attrs) != "[{q.peer p1} {q.g.a 1}]" {
		t.Fatalf("record 0: %+v", r)
	}
	if r := recs[1]; r.Particle != "abc-123" || r.Node != "12D3x" || r.Text() != "particle rejected particle=abc-123 node=12D3x error=bad signature" {
		t.Fatalf("record 1: %+v %q", r, r.Text())
	}
	if r := recs[2]; r.Attrs[0].Value != "2026-01-02T03:04:05Z" {
		t.Fatalf("record 2: %+v", r)
	}
	// Below the level: nothing.
	h := NewHandler(slog.LevelWarn, nil, ring)
	if h.Enabled(context.Background(), slog.LevelInfo) {
		t.Fatal("info enabled at warn")
	}
}

// blockingWriter blocks every Write until released.
type blockingWriter struct{ release chan struct{} }

func (b *blockingWriter) Write(p []byte) (int, error) { <-b.release; return len(p), nil }

// The handler never blocks on the file: with the disk stuck, records still reach the
// ring at once and the file's queue drops (and counts) what it cannot hold.
func TestHandlerNeverBlocksAndBoundsMemory(t *testing.T) {
	// A "disk" that blocks: the queue fills up.
	bw := &blockingWriter{release: make(chan struct{})}
	fw := newWriterTo(bw, 16)
	ring := NewRing(1000)
	log := slog.New(NewHandler(slog.LevelInfo, slog.NewTextHandler(fw, nil), ring))
	big := strings.Repeat("x", 64<<10) // 64 KiB per record: the bufio buffer must write through
	done := make(chan struct{})
	var ms0, ms1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms0)
	go func() {
		defer close(done)
		var wg sync.WaitGroup
		for g := range 4 {
			wg.Go(func() {
				for i := range 2500 {
					log.Info("record", "g", g, "i", i, "pad", big[:64])
				}
			})
		}
		wg.Wait()
		log.Info("big", "pad", big)
		log.Info("big", "pad", big)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("logging blocked on a stuck file")
	}
	runtime.GC()
	runtime.ReadMemStats(&ms1)
	if ring.Len() != 1000 {
		t.Fatalf("ring holds %d, want its bound 1000", ring.Len())
	}
	if fw.Dropped() == 0 {
		t.Fatal("a stuck file dropped nothing")
	}
	if grew := int64(ms1.HeapAlloc) - int64(ms0.HeapAlloc); grew > 32<<20 {
		t.Fatalf("heap grew by %d bytes for a bounded ring and queue", grew)
	}
	close(bw.release)
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	// Writes after Close are ignored, not a panic.
	if _, err := fw.Write([]byte("late\n")); err != nil {
		t.Fatal(err)
	}
}

func TestFileRotation(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "logs", "reef.log")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("previous run\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fw, err := OpenFile(path, 200, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		fmt.Fprintf(fw, "line %02d %s\n", i, strings.Repeat("y", 40))
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	cur, _ := os.ReadFile(path)
	old, _ := os.ReadFile(path + ".1")
	if len(cur) == 0 || len(cur) > 200 || !strings.HasSuffix(string(cur), "line 09 "+strings.Repeat("y", 40)+"\n") {
		t.Fatalf("current file (%d bytes): %q", len(cur), cur)
	}
	if strings.Contains(string(old), "previous run") {
		t.Fatal("rotation by size should have replaced the previous run's file by now")
	}
	if len(old) == 0 || len(old) > 200 {
		t.Fatalf("rotated file (%d bytes)", len(old))
	}
}

func TestFileRotatesAtOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "reef.log")
	_ = os.WriteFile(path, []byte("previous run\n"), 0o644)
	fw, err := OpenFile(path, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(fw, "new run\n")
	fw.Close()
	cur, _ := os.ReadFile(path)
	old, _ := os.ReadFile(path + ".1")
	if string(cur) != "new run\n" || string(old) != "previous run\n" {
		t.Fatalf("current %q, previous %q", cur, old)
	}
}

func BenchmarkHandler(b *testing.B) {
	fw, err := OpenFile(filepath.Join(b.TempDir(), "reef.log"), 0, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer fw.Close()
	log := slog.New(NewHandler(slog.LevelInfo, slog.NewTextHandler(fw, nil), NewRing(10_000))).With("logger", "node")
	b.ReportAllocs()
	for b.Loop() {
		log.Info("particle executed", "particle", "0f3c-1", "instructions", 42, "took", time.Millisecond)
	}
}
