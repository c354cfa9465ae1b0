package tui

import (
	"reflect"
	"slices"
	"sync"
	"time"

	"github.com/reefhq/reef/internal/logbuf"
	"github.com/reefhq/reef/peer"
	"github.com/reefhq/reef/peer/events"
	"github.com/reefhq/reef/peer/p2p"
	"github.com/reefhq/reef/peer/recorder"
	"github.com/reefhq/reef/peer/services"
	"github.com/reefhq/reef/views"
	"github.com/reefhq/reef/wallet/prover"
	"github.com/reefhq/reef/wasm"
)

// NodeSource is what the header and the topology pane poll: *peer.Node through
// NodeAdapter.
type NodeSource interface {
	Status() peer.Status
	RoutingTable() p2p.RoutingSnapshot
}

// NodeAdapter adapts *peer.Node to NodeSource.
type NodeAdapter struct{ N *peer.Node }

// Status implements NodeSource.
func (a NodeAdapter) Status() peer.Status { return a.N.Status() }

// RoutingTable implements NodeSource.
func (a NodeAdapter) RoutingTable() p2p.RoutingSnapshot { return a.N.Net().RoutingTable() }

// Live is what the console reads once the node runs.
type Live struct {
	Node NodeSource
	// Probe pings and looks peers up (the embedded node's libp2p layer).
	Probe views.PeerProbe
	// Events are the brokers whose events reach the panes (the embedded node's).
	Events []*events.Broker[events.Event]
	// Rate is the particles received per second (recorder.Rate over a window).
	Rate func() float64
	// Services are the embedded node's Wasm services (Node.Services()); nil: none.
	Services views.ServiceManager
	// Capacity is the running capacity provider (*prover.Provider); nil: no provider.
	Capacity CapacitySource
}

// CapacitySource is what the Capacity and Wallet panes poll: *prover.Provider.
type CapacitySource = views.CapacitySource

// BridgeOptions bound the bridge.
type BridgeOptions struct {
	// Buffer is the size of each event subscription (default 4096). A full buffer
	// drops events in the broker (counted), never blocking the node.
	Buffer int
	// MaxEvents bounds the events one batch takes (default 2048); the rest wait for
	// the next batch.
	MaxEvents int
	// MaxLogs bounds the log records one batch takes (default 4096; older ones are
	// skipped, the Logs pane could not show them anyway).
	MaxLogs int
	// PollEvery is how many batches pass between two polls of the routing table and
	// status (default 5: 2 Hz at the default 10 Hz tick). A batch with connection or
	// routing table events polls at once.
	PollEvery int
	// ParticlesEvery is how many batches pass between two reads of the particle list
	// (default 2: 5 Hz), and ParticleLimit bounds it (default 2000, the most recently
	// active first).
	ParticlesEvery int
	ParticleLimit  int
}

func (o *BridgeOptions) defaults() {
	if o.Buffer <= 0 {
		o.Buffer = 4096
	}
	if o.MaxEvents <= 0 {
		o.MaxEvents = 2048
	}
	if o.MaxLogs <= 0 {
		o.MaxLogs = 4096
	}
	if o.PollEvery <= 0 {
		o.PollEvery = 5
	}
	if o.ParticlesEvery <= 0 {
		o.ParticlesEvery = 2
	}
	if o.ParticleLimit <= 0 {
		o.ParticleLimit = 2000
	}
}

// Bridge is the one path from the node to the UI. It subscribes to the node's event
// brokers and, when the root model's tick asks (in a command, off the UI goroutine),
// drains what arrived since the last batch, takes the new log records, and polls the
// pollable state, returning everything as one Batch message. Only one Collect runs at
// a time (the root asks for the next batch after applying the previous one).
type Bridge struct {
	live   Live
	logs   *logbuf.Ring
	trace  views.TraceSource
	opts   BridgeOptions
	subs   []*events.Subscription[events.Event]
	logSeq uint64
	n      int

	mu      sync.Mutex
	pending *Live
	closed  bool
}

// NewBridge subscribes to live's brokers (live may be nil before the node runs: the
// bridge then only carries logs and particle history). trace may be nil.
func NewBridge(live *Live, logs *logbuf.Ring, trace views.TraceSource, o BridgeOptions) *Bridge {
	o.defaults()
	b := &Bridge{logs: logs, trace: trace, opts: o, pending: live}
	b.adopt()
	return b
}

// adopt subscribes to a live attached since the last Collect.
func (b *Bridge) adopt() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.pending == nil || b.closed {
		return
	}
	b.live, b.pending = *b.pending, nil
	b.live.Services, b.live.Capacity = nilIfNil(b.live.Services), nilIfNil(b.live.Capacity)
	for _, br := range b.live.Events {
		b.subs = append(b.subs, br.Subscribe(b.opts.Buffer))
	}
	b.n = 0 // poll at once
}

// Close unsubscribes.
func (b *Bridge) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	for _, s := range b.subs {
		s.Close()
	}
}

// Batch is what changed since the previous batch.
type Batch struct {
	At     time.Time
	Events []events.Event
	// Dropped counts the events the brokers dropped for the console so far.
	Dropped uint64
	Logs    []logbuf.Record
	// Status and Routing are set when polled.
	Status  *peer.Status
	Routing *p2p.RoutingSnapshot
	Rate    float64
	// Particles is the particle list, when read (nil otherwise).
	Particles []recorder.Summary
	// Trace is the trace asked for, when there was one.
	Trace *recorder.Trace
	// Services is the node's services, when polled (with the status, or at once after
	// a service event); ServiceLogs the log asked for.
	Services    *services.Snapshot
	ServiceLogs *ServiceLogs
	// Capacity and Wallet are the provider's snapshots, when polled (with the status).
	Capacity *prover.CapacitySnapshot
	Wallet   *prover.WalletSnapshot
}

// ServiceLogs is one service's log, read for the Services pane.
type ServiceLogs struct {
	Target  string
	Entries []wasm.LogEntry
	Err     error
}

// Request is what the root wants in the next batch besides the streams.
type Request struct {
	// Particles asks for the particle list with this filter (nil: not needed).
	Particles *recorder.Filter
	// Trace asks for one particle's trace ("": none).
	Trace string
	// ServiceLogs asks for a service's log, by id ("": none); read when the services
	// are polled.
	ServiceLogs string
}

// Collect assembles the next batch.
func (b *Bridge) Collect(now time.Time, req Request) Batch {
	b.adopt()
	bt := Batch{At: now}
	if b.trace != nil {
		if req.Particles != nil && b.n%b.opts.ParticlesEvery == 0 {
			f := *req.Particles
			if f.Limit <= 0 {
				f.Limit = b.opts.ParticleLimit
			}
			bt.Particles = b.trace.Particles(f)
			if bt.Particles == nil {
				bt.Particles = []recorder.Summary{}
			}
		}
		if req.Trace != "" {
			if tr, ok := b.trace.Trace(req.Trace); ok {
				bt.Trace = tr
			}
		}
	}
	poll := b.n%b.opts.PollEvery == 0
	pollServices := poll
	b.n++
	for _, s := range b.subs {
	drain:
		for len(bt.Events) < b.opts.MaxEvents {
			select {
			case ev, ok := <-s.C:
				if !ok {
					break drain
				}
				bt.Events = append(bt.Events, ev)
				switch ev.(type) {
				case events.PeerConnected, events.PeerDisconnected, events.RoutingTableChanged:
					poll = true
				case events.ServiceCreated, events.ServiceDeployed, events.ServiceRemoved:
					pollServices = true
				}
			default:
				break drain
			}
		}
		bt.Dropped += s.Dropped()
	}
	if b.logs != nil {
		bt.Logs, b.logSeq = b.logs.Since(b.logSeq, b.opts.MaxLogs)
	}
	if b.live.Node != nil && poll {
		st := b.live.Node.Status()
		rt := b.live.Node.RoutingTable()
		bt.Status, bt.Routing = &st, &rt
	}
	if b.live.Rate != nil {
		bt.Rate = b.live.Rate()
	}
	b.pollNodePanes(&bt, req, poll, pollServices)
	slices.SortStableFunc(bt.Events, func(x, y events.Event) int { return x.At().Compare(y.At()) })
	return bt
}

// Attach starts reading live (once the node runs). It may be called while a Collect
// runs: the next Collect subscribes.
func (b *Bridge) Attach(live *Live) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pending = live
}

// pollNodePanes reads what the Services, Capacity and Wallet panes show: the services
// (and the log asked for) at the poll rate or after a service event, the provider's
// snapshots at the poll rate. All are copies taken under the owners' locks; nothing here
// calls the chain.
func (b *Bridge) pollNodePanes(bt *Batch, req Request, poll, pollServices bool) {
	if m := b.live.Services; m != nil && pollServices {
		snap := m.Snapshot()
		bt.Services = &snap
		if req.ServiceLogs != "" {
			entries, err := m.Logs(req.ServiceLogs)
			bt.ServiceLogs = &ServiceLogs{Target: req.ServiceLogs, Entries: entries, Err: err}
		}
	}
	if c := b.live.Capacity; c != nil && poll {
		cs, ws := c.Capacity(), c.Wallet()
		bt.Capacity, bt.Wallet = &cs, &ws
	}
}

// nilIfNil turns an interface holding a nil pointer (a *prover.Provider that was never
// started, say) into a nil interface.
func nilIfNil[T any](v T) T {
	if rv := reflect.ValueOf(&v).Elem(); rv.Kind() == reflect.Interface && !rv.IsNil() {
		if e := rv.Elem(); e.Kind() == reflect.Pointer && e.IsNil() {
			var zero T
			return zero
		}
	}
	return v
}
