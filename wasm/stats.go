package wasm

import (
	"slices"
	"sync"
	"time"
)

// ServiceStats is a snapshot of a service's counters (Service.Stats).
type ServiceStats struct {
	Calls  uint64 // calls finished, failed ones included
	Errors uint64 // calls that failed, of any kind
	// ErrorsByKind counts failed calls by kind.
	ErrorsByKind map[ErrorKind]uint64

	InFlight           int    // calls running or waiting for an instance
	Instances          int    // live instances (idle or busy), at most the pool size
	Busy               int    // instances running a call (or starting up)
	PoolSize           int    // the service's pool size
	InstancesCreated   uint64 // instances created since the service started
	InstancesDiscarded uint64 // instances thrown away after a timeout, trap or exit

	// MemoryBytes is the memory held by live instances: their linear memories plus
	// their Extism (kernel) memory.
	MemoryBytes uint64
	MemoryLimit uint64 // per instance

	// Latency of the last (up to) 1024 calls, measured at Service.Call: waiting for an
	// instance (and creating one) included.
	LatencyP50, LatencyP99, LatencyMax time.Duration
}

// latencyWindow keeps the durations of the last len(ring) calls.
type latencyWindow struct {
	mu   sync.Mutex
	ring [1024]time.Duration
	next int
	n    int
}

func (w *latencyWindow) add(d time.Duration) {
	w.mu.Lock()
	w.ring[w.next] = d
	w.next = (w.next + 1) % len(w.ring)
	w.n = min(w.n+1, len(w.ring))
	w.mu.Unlock()
}

// quantiles returns the p50, p99 and max of the window.
func (w *latencyWindow) quantiles() (p50, p99, maxd time.Duration) {
	w.mu.Lock()
	d := slices.Clone(w.ring[:w.n])
	w.mu.Unlock()
	if len(d) == 0 {
		return 0, 0, 0
	}
	slices.Sort(d)
	at := func(q float64) time.Duration { return d[min(len(d)-1, int(q*float64(len(d))))] }
	return at(0.50), at(0.99), d[len(d)-1]
}
