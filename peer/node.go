// Package peer is Reef's full node: a libp2p host in a private Kademlia DHT that receives
// signed particles, runs them through the AIR interpreter, serves their calls with
// builtins (and services) and forwards them to the next peers.
//
// Execution pipeline: one actor per particle (id + signature) keeps the particle's runs
// serial while different particles run in parallel on a bounded worker pool; a particle's
// data stays in memory between runs until its TTL ends (bounded in count and bytes); calls
// are served concurrently with per-call timeouts and their results fed back; next peers
// are reached directly when connected, otherwise found through the DHT and dialled.
// Everything the node does is published as typed events (package events) through a
// broker that never blocks the node.
package peer

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	lpeer "github.com/libp2p/go-libp2p/core/peer"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/peer/builtins"
	"github.com/reefhq/reef/peer/events"
	"github.com/reefhq/reef/peer/p2p"
	"github.com/reefhq/reef/peer/particle"
	"github.com/reefhq/reef/peer/services"
)

// Version is the node version reported by peer.identify and /status; main sets it.
var Version = "dev"

// AIRVersion is the AIR semantics the node's interpreter implements.
const AIRVersion = "0.62.0"

type config struct {
	dataDir         string
	identity        *p2p.Identity
	p2pOpts         []p2p.Option
	clientRelay     string
	logger          *slog.Logger
	broker          *events.Broker[events.Event]
	maxParticleSize int
	clockSkew       time.Duration
	callTimeout     time.Duration
	sendTimeout     time.Duration
	readTimeout     time.Duration
	workers         int
	maxParticles    int
	maxDataBytes    int
	limits          aqua.Limits
	reapInterval    time.Duration
	runObserver     func(p events.Particle, from string) aqua.Observer
	runHooks        []func(*Run)
	registry        *builtins.Registry
	hopReports      HopReportLimits // hopreport.go
	particleRate    float64         // ratelimit.go
	particleBurst   int             // ratelimit.go
	services        servicesConfig  // services.go
}

// Option configures a Node.
type Option func(*config) error

// WithDataDir keeps the node's identity, its Wasm services (dir/services, compiled code
// in dir/wasm-cache) and, later, its wallet in dir.
// Default: p2p.DefaultDataDir().
func WithDataDir(dir string) Option { return func(c *config) error { c.dataDir = dir; return nil } }

// WithIdentity uses id instead of loading one from the data directory (devnets, tests).
func WithIdentity(id p2p.Identity) Option {
	return func(c *config) error { c.identity = &id; return nil }
}

// WithP2P passes options to the libp2p layer (listen addresses, bootstrap peers, mDNS,
// limits...).
func WithP2P(opts ...p2p.Option) Option {
	return func(c *config) error { c.p2pOpts = append(c.p2pOpts, opts...); return nil }
}

// WithClientMode makes the node a client of relay (a multiaddr with /p2p/): it connects
// to that node only, is not in the DHT, and sends every particle through it.
func WithClientMode(relay string) Option {
	return func(c *config) error { c.clientRelay = relay; return nil }
}

// WithLogger sets the logger (default: discard).
func WithLogger(l *slog.Logger) Option { return func(c *config) error { c.logger = l; return nil } }

// WithEvents publishes the node's events to b instead of a broker of its own.
func WithEvents(b *events.Broker[events.Event]) Option {
	return func(c *config) error { c.broker = b; return nil }
}

// WithMaxParticleSize bounds an incoming particle frame (default 16 MiB).
func WithMaxParticleSize(n int) Option {
	return func(c *config) error {
		if n <= 0 {
			return errors.New("peer: max particle size must be positive")
		}
		c.maxParticleSize = n
		return nil
	}
}

// WithClockSkew sets how far a particle's clock may differ from ours (default 2 s).
func WithClockSkew(d time.Duration) Option {
	return func(c *config) error { c.clockSkew = d; return nil }
}

// WithCallTimeout bounds each service call (default 30 s; never past the particle's
// deadline).
func WithCallTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return errors.New("peer: call timeout must be positive")
		}
		c.callTimeout = d
		return nil
	}
}

// WithWorkers sets how many particles run in parallel (default 2 × CPUs).
func WithWorkers(n int) Option {
	return func(c *config) error {
		if n <= 0 {
			return errors.New("peer: workers must be positive")
		}
		c.workers = n
		return nil
	}
}

// WithMaxParticles bounds the particles held at once and the bytes of their data
// (defaults 10,000 and 512 MiB); beyond them new particles are rejected ("overload").
func WithMaxParticles(count, bytes int) Option {
	return func(c *config) error { c.maxParticles, c.maxDataBytes = count, bytes; return nil }
}

// WithInterpreterLimits sets the interpreter's limits.
func WithInterpreterLimits(l aqua.Limits) Option {
	return func(c *config) error { c.limits = l; return nil }
}

// WithRunObserver attaches an interpreter observer to runs: f is called for every run
// with the particle and the peer its data came from ("" for call results) and may return
// nil.
func WithRunObserver(f func(p events.Particle, from string) aqua.Observer) Option {
	return func(c *config) error { c.runObserver = f; return nil }
}

// Run is one interpreter run of a particle on a node, handed to run hooks.
type Run struct {
	Node     string // the peer that ran it
	Particle events.Particle
	// From is the peer whose data the run merged ("" for call results or local starts).
	From     string
	Start    time.Time
	Duration time.Duration
	// Input is exactly what the interpreter consumed: running it again gives the same
	// outcome (this is how the console replays a run step by step). Do not modify it.
	Input   *aqua.Input
	Outcome *aqua.Outcome
}

// WithRunHook calls f after every run, on the worker that ran it: f must be quick and
// must not block (hand the run to a queue if there is work to do).
func WithRunHook(f func(*Run)) Option {
	return func(c *config) error { c.runHooks = append(c.runHooks, f); return nil }
}

// WithRegistry serves calls from r (default: a registry with the pure and node builtins).
// The node adds its own builtins to it.
func WithRegistry(r *builtins.Registry) Option {
	return func(c *config) error { c.registry = r; return nil }
}

// Node is a running peer.
type Node struct {
	cfg      config
	log      *slog.Logger
	net      *p2p.Node
	key      ed25519.PrivateKey
	peerID   string
	relayID  string
	vm       *aqua.VM
	registry *builtins.Registry
	events   *events.Broker[events.Event]
	ownsBus  bool
	actors   *actors
	ready    chan *actor
	metrics  *metrics
	started  time.Time

	sections statusSections
	// ownSigned holds the signatures of particles NewParticle made and Execute has not
	// started yet.
	ownSigned sync.Map

	callSlots chan struct{}
	sendSlots chan struct{}
	trace     *tracer           // hop reports (hopreport.go)
	limiter   *rateLimiter      // incoming particles per peer (ratelimit.go); nil: no limit
	services  *services.Manager // Wasm services (services.go); nil on clients

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	once   sync.Once
}

// New builds a node; Start brings it up.
func New(opts ...Option) (*Node, error) {
	cfg := config{
		maxParticleSize: particle.DefaultMaxSize,
		clockSkew:       particle.DefaultClockSkew,
		callTimeout:     30 * time.Second,
		sendTimeout:     10 * time.Second,
		readTimeout:     10 * time.Second,
		workers:         2 * runtime.NumCPU(),
		maxParticles:    10_000,
		maxDataBytes:    512 << 20,
		reapInterval:    200 * time.Millisecond,
		particleRate:    DefaultParticleRate,
		particleBurst:   DefaultParticleBurst,
	}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	log := cfg.logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	var ident p2p.Identity
	dataDir := cfg.dataDir // "" for a node given its identity and no data directory
	if cfg.identity != nil {
		ident = *cfg.identity
	} else {
		if dataDir == "" {
			dataDir = p2p.DefaultDataDir()
		}
		var err error
		if ident, err = p2p.LoadOrCreateIdentity(dataDir); err != nil {
			return nil, err
		}
	}
	n := &Node{cfg: cfg, log: log, key: ident.Ed25519, peerID: ident.PeerID.String(), started: time.Now()}
	n.events = cfg.broker
	if n.events == nil {
		n.events, n.ownsBus = events.NewBroker[events.Event](), true
	}
	p2pOpts := append([]p2p.Option{p2p.WithLogger(log), p2p.WithEvents(n.events)}, cfg.p2pOpts...)
	if cfg.clientRelay != "" {
		info, err := lpeer.AddrInfoFromString(cfg.clientRelay)
		if err != nil {
			return nil, fmt.Errorf("peer: relay address %q: %w", cfg.clientRelay, err)
		}
		n.relayID = info.ID.String()
		p2pOpts = append(p2pOpts, p2p.WithClientMode(cfg.clientRelay))
	}
	net, err := p2p.New(ident, p2pOpts...)
	if err != nil {
		return nil, err
	}
	n.net = net
	if n.vm, err = aqua.New(aqua.WithLimits(cfg.limits)); err != nil {
		net.Close()
		return nil, err
	}
	n.registry = cfg.registry
	if n.registry == nil {
		n.registry = builtins.NewRegistry()
		builtins.RegisterPure(n.registry)
	}
	n.registerNodeBuiltins(n.registry)
	if err := n.setupServices(dataDir); err != nil {
		net.Close()
		return nil, err
	}
	n.actors = newActors(cfg.maxParticles, cfg.maxDataBytes)
	n.ready = make(chan *actor, 4096)
	n.callSlots = make(chan struct{}, 1024)
	n.sendSlots = make(chan struct{}, 256)
	n.metrics = newMetrics()
	n.trace = newTracer(cfg.hopReports)
	n.limiter = newRateLimiter(cfg.particleRate, cfg.particleBurst)
	return n, nil
}

// Start listens, joins the network and starts executing particles. ctx bounds only the
// start itself; the node runs until Close.
func (n *Node) Start(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	n.ctx, n.cancel = context.WithCancel(context.WithoutCancel(ctx))
	n.net.Host().SetStreamHandler(particle.ProtocolID, n.handleStream)
	if err := n.net.Start(n.ctx); err != nil {
		n.cancel()
		return err
	}
	n.startTracing()
	if n.services != nil {
		// A service that cannot be restored stays listed with its error (Restore logs
		// it); the node starts anyway.
		_ = n.services.Restore(ctx)
	}
	for range n.cfg.workers {
		n.wg.Add(1)
		go n.worker(n.ctx)
	}
	n.wg.Add(1)
	go n.reaper(n.ctx)
	if n.limiter != nil {
		n.wg.Add(1)
		go n.rateSweeper()
	}
	n.log.Info("node started", "peer_id", n.peerID, "addrs", n.net.Addrs(), "client", n.relayID != "")
	return nil
}

// Close stops the node: it stops accepting particles, drops the ones in flight and closes
// the network.
func (n *Node) Close() error {
	var err error
	n.once.Do(func() {
		if n.cancel != nil {
			n.cancel()
		}
		n.net.Host().RemoveStreamHandler(particle.ProtocolID)
		n.stopTracing()
		err = n.net.Close()
		n.wg.Wait()
		if n.services != nil {
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			_ = n.services.Close(sctx)
			cancel()
		}
		n.actors.closeAll()
		if n.ownsBus {
			n.events.Close()
		}
	})
	return err
}

// ID returns the node's peer id.
func (n *Node) ID() string { return n.peerID }

// Key returns the node's Ed25519 key.
func (n *Node) Key() ed25519.PrivateKey { return n.key }

// Net returns the node's libp2p layer.
func (n *Node) Net() *p2p.Node { return n.net }

// Events returns the node's event broker.
func (n *Node) Events() *events.Broker[events.Event] { return n.events }

// Registry returns the registry the node serves calls from.
func (n *Node) Registry() *builtins.Registry { return n.registry }

// RelayID returns the relay's peer id in client mode, else "".
func (n *Node) RelayID() string { return n.relayID }

func (n *Node) publish(ev events.Event) { n.events.Publish(ev) }

// handleStream reads one particle per stream.
func (n *Node) handleStream(s network.Stream) {
	from := s.Conn().RemotePeer().String()
	if n.limiter != nil && !n.limiter.allow(from, time.Now()) {
		_ = s.Reset()
		n.rateLimited(from)
		return
	}
	_ = s.SetReadDeadline(time.Now().Add(n.cfg.readTimeout))
	// No bufio: ReadFrame reads the length byte by byte and the body in chunks, straight
	// from yamux's buffer, and a 4 KiB reader per stream was a fifth of a particle's garbage.
	p, err := particle.ReadFrame(s, n.cfg.maxParticleSize)
	if err != nil {
		_ = s.Reset()
		n.reject("", from, err)
		return
	}
	_ = s.Close()
	n.accept(p, from)
}

// reject counts, logs and reports a refused particle.
func (n *Node) reject(id, from string, err error) {
	reason := "malformed"
	var re *particle.RejectError
	if errors.As(err, &re) {
		reason = re.Reason.String()
	} else if errors.Is(err, errOverloaded) {
		reason = "overload"
	}
	n.metrics.reject(reason)
	n.log.Warn("particle rejected", "particle", id, "from", from, "reason", reason, "error", err)
	n.publish(events.ParticleRejected{Base: events.Base{Time: time.Now()}, ParticleID: id, From: from, Reason: reason, Detail: err.Error()})
}

// accept validates a particle that arrived from a peer and queues it on its actor.
func (n *Node) accept(p *particle.Particle, from string) {
	if err := p.CheckExpiry(time.Now(), n.cfg.clockSkew); err != nil {
		n.reject(p.ID, from, err)
		return
	}
	if !n.actors.verified(p) {
		if err := p.Verify(); err != nil {
			n.reject(p.ID, from, err)
			return
		}
	}
	deadline, _ := p.Deadline()
	a, _, err := n.actors.get(p, deadline)
	if err != nil {
		n.reject(p.ID, from, err)
		return
	}
	n.adoptTrace(a, p)
	n.metrics.received.Inc()
	n.publish(events.ParticleReceived{Base: events.Base{Time: time.Now()}, Particle: a.info, From: from, Size: len(p.Data) + len(p.Script)})
	n.submit(a, work{data: p.Data, from: from})
}

// Execute starts a particle created by this node (its init peer must be this node).
// services, if not nil, serves the particle's calls before the node's registry. A
// particle with a trace request (NewTracedParticle) must ask for reports to this node
// or its relay; they are published as events.HopReport.
func (n *Node) Execute(p *particle.Particle, services ServiceFunc) error {
	return n.executeLocal(p, localParticle{services: services})
}

func (n *Node) executeLocal(p *particle.Particle, lp localParticle) error {
	if n.ctx == nil {
		return errors.New("peer: the node is not started")
	}
	if p.InitPeerID != n.peerID {
		return fmt.Errorf("peer: particle %s was initiated by %s, not by this node", p.ID, p.InitPeerID)
	}
	if err := p.CheckExpiry(time.Now(), n.cfg.clockSkew); err != nil {
		return err
	}
	// Particles made by NewParticle were signed here a moment ago; others are verified.
	if _, own := n.ownSigned.LoadAndDelete(string(p.Signature)); !own {
		if err := p.Verify(); err != nil {
			return err
		}
	}
	if err := n.checkOwnTrace(p); err != nil {
		return err
	}
	deadline, _ := p.Deadline()
	a, created, err := n.actors.get(p, deadline)
	if err != nil {
		return err
	}
	if !created {
		return fmt.Errorf("peer: particle %s is already running", p.ID)
	}
	a.mu.Lock()
	a.services, a.onRun = lp.services, lp.onRun
	a.mu.Unlock()
	n.startOwnTrace(a, p, lp.onReport)
	n.publish(events.ParticleReceived{Base: events.Base{Time: time.Now()}, Particle: a.info, Size: len(p.Data) + len(p.Script)})
	n.submit(a, work{data: p.Data})
	return nil
}

// NewParticle creates a particle signed by this node.
func (n *Node) NewParticle(script string, ttl time.Duration) *particle.Particle {
	p := particle.New(script, n.key, ttl, time.Now())
	n.ownSigned.Store(string(p.Signature), struct{}{})
	return p
}

// forward sends the particle with its new data to a peer, asynchronously.
func (n *Node) forward(a *actor, to string, data []byte) {
	p := *a.p
	p.Data = data
	p.Trace = a.traceRequest() // verified, or nil: an invalid request is not passed on
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		select {
		case n.sendSlots <- struct{}{}:
		case <-n.ctx.Done():
			return
		}
		defer func() { <-n.sendSlots }()
		start := time.Now()
		if err := n.send(&p, to, a.deadline); err != nil {
			n.metrics.unreachable.Inc()
			n.log.Debug("particle not delivered", "particle", p.ID, "to", to, "error", err)
			n.publish(events.ParticleUnreachable{Base: events.Base{Time: time.Now()}, Particle: a.info, To: to, Reason: err.Error()})
			return
		}
		n.metrics.forwarded.Inc()
		n.publish(events.ParticleForwarded{Base: events.Base{Time: time.Now()}, Particle: a.info, To: to, Size: len(data) + len(p.Script), Duration: time.Since(start)})
	}()
}

// send delivers p to a peer: directly when connected, otherwise after finding it through
// the DHT. A client only talks to its relay.
func (n *Node) send(p *particle.Particle, to string, deadline time.Time) error {
	if time.Now().After(deadline) {
		return fmt.Errorf("the particle expired before it could be sent")
	}
	if n.relayID != "" && to != n.relayID {
		return fmt.Errorf("a client only sends to its relay %s; route through it (Aqua: on PEER via RELAY)", n.relayID)
	}
	pid, err := lpeer.Decode(to)
	if err != nil {
		return fmt.Errorf("%q is not a peer id: %w", to, err)
	}
	timeout := n.cfg.sendTimeout
	if left := time.Until(deadline); left < timeout {
		timeout = left
	}
	ctx, cancel := context.WithTimeout(n.ctx, timeout)
	defer cancel()
	if err := n.net.Connect(ctx, pid); err != nil {
		return err
	}
	s, err := n.net.Host().NewStream(ctx, pid, particle.ProtocolID)
	if err != nil {
		return fmt.Errorf("opening a particle stream: %w", err)
	}
	_ = s.SetWriteDeadline(time.Now().Add(timeout))
	// WriteFrame builds the frame in one buffer and writes it once.
	if err := particle.WriteFrame(s, p); err != nil {
		_ = s.Reset()
		return fmt.Errorf("writing the particle: %w", err)
	}
	return s.Close()
}

// Stats is a snapshot of the node's particle counters.
type Stats struct {
	InFlight    int
	DataBytes   int
	Received    uint64
	Executed    uint64
	Forwarded   uint64
	Unreachable uint64
	Expired     uint64
	Rejected    map[string]uint64
}

// Stats returns the node's counters.
func (n *Node) Stats() Stats {
	count, bytes := n.actors.stats()
	return Stats{
		InFlight: count, DataBytes: bytes,
		Received: n.metrics.received.value(), Executed: n.metrics.runs.value(),
		Forwarded: n.metrics.forwarded.value(), Unreachable: n.metrics.unreachable.value(),
		Expired: n.metrics.expired.value(), Rejected: n.metrics.rejectedByReason(),
	}
}

// peersOf returns sorted peer ids (for status output).
func peersOf(ids []lpeer.ID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id.String()
	}
	slices.Sort(out)
	return out
}
