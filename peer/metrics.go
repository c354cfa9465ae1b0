package peer

import (
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
)

// counter is a Prometheus counter whose value can also be read cheaply.
type counter struct {
	v atomic.Uint64
	c prometheus.Counter
}

func (c *counter) Inc()          { c.v.Add(1); c.c.Inc() }
func (c *counter) value() uint64 { return c.v.Load() }

// metrics are the node's counters, exported at /metrics in Prometheus format.
type metrics struct {
	reg          *prometheus.Registry
	received     *counter
	runs         *counter
	forwarded    *counter
	unreachable  *counter
	expired      *counter
	calls        *counter
	callTimeouts *counter
	rejected     *prometheus.CounterVec
	runSeconds   prometheus.Histogram

	mu       sync.Mutex
	rejectBy map[string]uint64
}

func newMetrics() *metrics {
	m := &metrics{reg: prometheus.NewRegistry(), rejectBy: map[string]uint64{}}
	mk := func(name, help string) *counter {
		c := &counter{c: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "reef", Name: name, Help: help})}
		m.reg.MustRegister(c.c)
		return c
	}
	m.received = mk("particles_received_total", "Particles received from peers and accepted.")
	m.runs = mk("particle_runs_total", "Interpreter runs.")
	m.forwarded = mk("particles_forwarded_total", "Particles sent to a next peer.")
	m.unreachable = mk("particles_unreachable_total", "Particles that could not be sent to a next peer.")
	m.expired = mk("particles_expired_total", "Particles whose TTL ran out on this node.")
	m.calls = mk("calls_total", "Service calls served.")
	m.callTimeouts = mk("call_timeouts_total", "Service calls that exceeded their timeout.")
	m.rejected = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "reef", Name: "particles_rejected_total", Help: "Particles refused, by reason."}, []string{"reason"})
	m.runSeconds = prometheus.NewHistogram(prometheus.HistogramOpts{
		Namespace: "reef", Name: "particle_run_seconds", Help: "Duration of one interpreter run.",
		Buckets: prometheus.ExponentialBuckets(10e-6, 2.5, 12),
	})
	m.reg.MustRegister(m.rejected, m.runSeconds, prometheus.NewGoCollector())
	return m
}

// reject counts a rejection by reason.
func (m *metrics) reject(reason string) {
	m.rejected.WithLabelValues(reason).Inc()
	m.mu.Lock()
	m.rejectBy[reason]++
	m.mu.Unlock()
}

func (m *metrics) rejectedByReason() map[string]uint64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]uint64, len(m.rejectBy))
	for k, v := range m.rejectBy {
		out[k] = v
	}
	return out
}
