package tui

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/reefhq/reef/themes"
)

// soakSample is one measurement of the process.
type soakSample struct {
	at         time.Duration
	heap       uint64 // live heap after a GC
	sys        uint64 // memory obtained from the OS
	goroutines int
	started    uint64
	ok         uint64
	failed     uint64
}

// floor is the lowest value of y over the samples: the live heap right after a GC
// still holds whatever particles are in flight, so single samples are noisy, but a
// leak raises the floor.
func floor(s []soakSample, y func(soakSample) float64) float64 {
	m := y(s[0])
	for _, p := range s[1:] {
		m = min(m, y(p))
	}
	return m
}

// slope is the least-squares growth per second of y over the samples' times.
func slope(s []soakSample, y func(soakSample) float64) float64 {
	var n, sx, sy, sxx, sxy float64
	for _, p := range s {
		x := p.at.Seconds()
		v := y(p)
		n++
		sx += x
		sy += v
		sxx += x * x
		sxy += x * v
	}
	d := n*sxx - sx*sx
	if d == 0 {
		return 0
	}
	return (n*sxy - sx*sy) / d
}

// TestSoakDemo runs the whole console of `reef demo` headless — a 12-peer devnet, the
// node, the recorder, the demo traffic, the bridge and the root model rendering frames
// at its tick — and samples the live heap and the goroutines every few seconds. After
// a warm-up (the bounded histories fill) neither may grow: the lowest value of the last
// half of the rest of the run stays within a tolerance of the lowest of its first half
// (single samples swing with the particles in flight; a leak raises the floor). The
// least-squares trend is logged too.
//
// By default it runs 60 s with small histories and traffic every 250 ms, so the bounds
// are reached in the warm-up. REEF_SOAK=10m runs it for that long with `reef demo`'s
// defaults (history 10,000 particles, 10,000 log records, a script every 700 ms); the
// trend is then checked over the second half of the run (at that rate the recorder's
// replay inputs reach their bound in about 2 minutes and its timelines in about 7), and
// REEF_SOAK_HEAPPROFILE=FILE writes a heap profile at the end.
func TestSoakDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("a 60 s soak; skipped with -short")
	}
	dur, every, long := 60*time.Second, 2*time.Second, false
	if v := os.Getenv("REEF_SOAK"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Minute {
			t.Fatalf("REEF_SOAK=%q: want a duration of at least 1m", v)
		}
		dur, every, long = d, 15*time.Second, true
	}
	th, _ := themes.Builtin("dark")
	cfg := Config{Theme: th, DataDir: t.TempDir(), Devnet: 12, LogLevel: slog.LevelInfo,
		Demo: &TrafficOptions{Interval: 250 * time.Millisecond, Seed: 7}, History: 60, LogBuffer: 500}
	warm := 20 * time.Second
	if long {
		cfg.Demo, cfg.History, cfg.LogBuffer = &TrafficOptions{Interval: 700 * time.Millisecond}, 10_000, 10_000
		warm = dur / 2
	}
	cfg.ProgramOptions = []tea.ProgramOption{tea.WithInput(nil), tea.WithOutput(io.Discard), tea.WithWindowSize(200, 60),
		tea.WithoutSignalHandler(), tea.WithColorProfile(colorprofile.ANSI256)}
	con, err := NewConsole(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- con.Run(ctx) }()
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			cancel()
			if err := <-done; err != nil {
				t.Errorf("the console: %v", err)
			}
		}
	}
	defer stop()

	backend := func() *Backend {
		con.holder.mu.Lock()
		defer con.holder.mu.Unlock()
		return con.holder.b
	}
	startWait := time.Now()
	for backend() == nil || backend().Traffic == nil {
		if time.Since(startWait) > 60*time.Second {
			t.Fatal("the demo did not start within 60 s")
		}
		time.Sleep(100 * time.Millisecond)
	}
	traffic := backend().Traffic

	var samples []soakSample
	start := time.Now()
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		started, ok, failed := traffic.Stats()
		s := soakSample{at: time.Since(start), heap: ms.HeapAlloc, sys: ms.Sys, goroutines: runtime.NumGoroutine(), started: started, ok: ok, failed: failed}
		samples = append(samples, s)
		if long || testing.Verbose() {
			rs := con.Recorder.Stats()
			t.Logf("%6s heap %6.1f MiB  sys %6.1f MiB  goroutines %5d  scripts %d started, %d ok, %d failed; recorder %d particles (%d replayable, %.1f MiB), timelines %.1f MiB",
				s.at.Round(time.Second), mib(s.heap), mib(s.sys), s.goroutines, s.started, s.ok, s.failed,
				rs.Particles, rs.Replayable, mib(uint64(rs.ReplayBytes)), mib(uint64(rs.TimelineBytes)))
		}
		if s.at >= dur {
			if path := os.Getenv("REEF_SOAK_HEAPPROFILE"); path != "" {
				writeHeapProfile(t, path)
			}
			break
		}
		<-tick.C
	}
	stop()

	var after []soakSample
	for _, s := range samples {
		if s.at >= warm {
			after = append(after, s)
		}
	}
	first, last := samples[0], samples[len(samples)-1]
	window := (after[len(after)-1].at - after[0].at).Seconds()
	heapSlope := slope(after, func(s soakSample) float64 { return float64(s.heap) })
	gSlope := slope(after, func(s soakSample) float64 { return float64(s.goroutines) })
	var heapMean, gMean float64
	for _, s := range after {
		heapMean += float64(s.heap) / float64(len(after))
		gMean += float64(s.goroutines) / float64(len(after))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "soak %s: %d scripts started, %d succeeded, %d failed (the demo's unreachable-peer scenario times out by design); ",
		last.at.Round(time.Second), last.started, last.ok, last.failed)
	fmt.Fprintf(&b, "heap %.1f MiB at start, %.1f MiB at the end (trend after the %s warm-up %+.2f MiB/min); ",
		mib(first.heap), mib(last.heap), warm, heapSlope*60/(1<<20))
	fmt.Fprintf(&b, "goroutines %d at start, %d at the end (trend %+.1f/min); sys %.1f MiB at the end",
		first.goroutines, last.goroutines, gSlope*60, mib(last.sys))
	t.Log(b.String())

	if last.ok == 0 || last.ok < last.started/2 {
		t.Errorf("the demo traffic did not run: %d started, %d succeeded", last.started, last.ok)
	}
	// The floor of the second half may exceed the first half's by at most 10 % of the
	// level (plus 4 MiB of heap and 20 goroutines for noise).
	h1, h2 := after[:len(after)/2], after[len(after)/2:]
	heapOf := func(s soakSample) float64 { return float64(s.heap) }
	gOf := func(s soakSample) float64 { return float64(s.goroutines) }
	t.Logf("after the warm-up: heap floor %.1f MiB then %.1f MiB, goroutine floor %.0f then %.0f (over %.0f s, %d samples)",
		floor(h1, heapOf)/(1<<20), floor(h2, heapOf)/(1<<20), floor(h1, gOf), floor(h2, gOf), window, len(after))
	if grow := floor(h2, heapOf) - floor(h1, heapOf); grow > 0.10*heapMean+4<<20 {
		t.Errorf("the heap grows: its floor rose %.1f MiB (mean %.1f MiB)", grow/(1<<20), heapMean/(1<<20))
	}
	if grow := floor(h2, gOf) - floor(h1, gOf); grow > 0.10*gMean+20 {
		t.Errorf("the goroutines grow: their floor rose by %.0f (mean %.0f)", grow, gMean)
	}
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }

// writeHeapProfile writes the live heap (go tool pprof -sample_index=inuse_space).
func writeHeapProfile(t *testing.T, path string) {
	f, err := os.Create(path)
	if err != nil {
		t.Error(err)
		return
	}
	defer f.Close()
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		t.Error(err)
	}
	t.Logf("heap profile in %s", path)
}
