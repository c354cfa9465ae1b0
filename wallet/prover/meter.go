package prover

import (
	"sync"
	"sync/atomic"
	"time"
)

// Meter counts hashes and turns them into rates: Sample, called once per interval, records the
// rate since the previous sample; Rate averages the last `window` samples. Add is safe from any
// goroutine and cheap (one atomic add per round).
type Meter struct {
	total atomic.Uint64
	units []atomic.Uint64

	mu       sync.Mutex
	last     time.Time
	lastTot  uint64
	lastUnit []uint64
	samples  []float64 // total H/s per interval, oldest first
	unitRate [][]float64
	keep     int
	window   int
}

// NewMeter returns a meter for n units keeping `keep` samples and averaging the last `window`.
func NewMeter(n, keep, window int) *Meter {
	m := &Meter{units: make([]atomic.Uint64, n), lastUnit: make([]uint64, n), unitRate: make([][]float64, n), keep: keep, window: window}
	return m
}

// Add records n hashes for unit u.
func (m *Meter) Add(u int, n uint64) {
	m.total.Add(n)
	m.units[u].Add(n)
}

// Total is the number of hashes since the start.
func (m *Meter) Total() uint64 { return m.total.Load() }

// Sample records the rates since the previous call.
func (m *Meter) Sample(now time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	tot := m.total.Load()
	if m.last.IsZero() {
		m.last, m.lastTot = now, tot
		for i := range m.units {
			m.lastUnit[i] = m.units[i].Load()
		}
		return
	}
	dt := now.Sub(m.last).Seconds()
	if dt <= 0 {
		return
	}
	m.samples = appendKeep(m.samples, float64(tot-m.lastTot)/dt, m.keep)
	for i := range m.units {
		c := m.units[i].Load()
		m.unitRate[i] = appendKeep(m.unitRate[i], float64(c-m.lastUnit[i])/dt, m.window)
		m.lastUnit[i] = c
	}
	m.last, m.lastTot = now, tot
}

func appendKeep(s []float64, v float64, keep int) []float64 {
	s = append(s, v)
	if len(s) > keep {
		s = append(s[:0], s[len(s)-keep:]...)
	}
	return s
}

// Rate is the average total rate (H/s) over the last window samples.
func (m *Meter) Rate() float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return avgLast(m.samples, m.window)
}

// UnitRate is unit u's average rate (H/s) over the last window samples.
func (m *Meter) UnitRate(u int) float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return avgLast(m.unitRate[u], m.window)
}

// Samples returns a copy of the kept per-interval rates, oldest first (for a sparkline).
func (m *Meter) Samples() []float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]float64(nil), m.samples...)
}

func avgLast(s []float64, n int) float64 {
	if len(s) == 0 {
		return 0
	}
	if len(s) > n {
		s = s[len(s)-n:]
	}
	var sum float64
	for _, v := range s {
		sum += v
	}
	return sum / float64(len(s))
}
