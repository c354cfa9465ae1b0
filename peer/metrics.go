package peer

import (
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
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

	// Hop reports (hopreport.go).
	reportsSent      *counter
	reportsForwarded *counter
	reportsReceived  *counter
	traceInvalid     *counter
	unsent           *labeledCounter
	dropped          *labeledCounter

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
	m.reg.MustRegister(m.rejected, m.runSeconds, collectors.NewGoCollector())
	m.reportsSent = mk("hop_reports_sent_total", "Hop reports of this node's runs delivered to the trace destination.")
	m.reportsForwarded = mk("hop_reports_forwarded_total", "Hop reports a relay delivered to its client.")
	m.reportsReceived = mk("hop_reports_received_total", "Hop reports accepted for particles this node started.")
	m.traceInvalid = mk("trace_requests_invalid_total", "Particles whose trace request did not verify (the request was ignored).")
	m.unsent = newLabeledCounter(m.reg, "hop_reports_unsent_total", "Hop reports not sent or forwarded, by reason.")
	m.dropped = newLabeledCounter(m.reg, "hop_reports_dropped_total", "Incoming hop reports refused, by reason.")
	return m
}

// reportUnsent counts a hop report this node did not send or forward.
func (m *metrics) reportUnsent(reason string) { m.unsent.inc(reason) }

// reportDropped counts an incoming hop report this node refused.
func (m *metrics) reportDropped(reason string) { m.dropped.inc(reason) }

// labeledCounter is a Prometheus counter vector with one "reason" label whose values
// can also be read.
type labeledCounter struct {
	vec *prometheus.CounterVec
	mu  sync.Mutex
	by  map[string]uint64
}

func newLabeledCounter(reg *prometheus.Registry, name, help string) *labeledCounter {
	c := &labeledCounter{
		vec: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "reef", Name: name, Help: help}, []string{"reason"}),
		by:  map[string]uint64{},
	}
	reg.MustRegister(c.vec)
	return c
}

func (c *labeledCounter) inc(reason string) {
	c.vec.WithLabelValues(reason).Inc()
	c.mu.Lock()
	c.by[reason]++
	c.mu.Unlock()
}

func (c *labeledCounter) snapshot() map[string]uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]uint64, len(c.by))
	for k, v := range c.by {
		out[k] = v
	}
	return out
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
