package p2p

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/libp2p/go-libp2p"
	dht "github.com/libp2p/go-libp2p-kad-dht"
	"github.com/libp2p/go-libp2p/core/event"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"
	"github.com/libp2p/go-libp2p/core/protocol"
	"github.com/libp2p/go-libp2p/p2p/discovery/mdns"
	"github.com/libp2p/go-libp2p/p2p/host/eventbus"
	"github.com/libp2p/go-libp2p/p2p/muxer/yamux"
	"github.com/libp2p/go-libp2p/p2p/net/connmgr"
	"github.com/libp2p/go-libp2p/p2p/security/noise"
	libp2ptls "github.com/libp2p/go-libp2p/p2p/security/tls"
	quic "github.com/libp2p/go-libp2p/p2p/transport/quic"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"
	"github.com/libp2p/go-libp2p/p2p/transport/websocket"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/reefhq/reef/peer/events"
)

// Connection manager tags.
const (
	tagBootstrap = "reef-bootstrap"
	tagRelay     = "reef-relay"
)

// ErrClosed is returned by operations on a closed node.
var ErrClosed = errors.New("p2p: node closed")

// Node is a libp2p host with Reef's transports and, unless it is a client, a Kademlia
// DHT in server mode, mDNS discovery and bootstrap maintenance. Its methods are safe for
// concurrent use.
type Node struct {
	cfg    config
	ident  Identity
	log    *slog.Logger
	events *events.Broker[events.Event]

	host host.Host
	dht  *dht.IpfsDHT // nil in client mode
	cm   *connmgr.BasicConnMgr

	// keep are the bootstrap peers (or the relay of a client) the node keeps connected.
	keep []peer.AddrInfo
	// wake is signalled (non-blocking) when a kept peer disconnects.
	wake map[peer.ID]chan struct{}

	ctx    context.Context // lifetime of background loops; cancelled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup
	sub    event.Subscription

	// dialMu guards dialsClosed: dial holds it shared, Close exclusively (connect.go).
	dialMu      sync.RWMutex
	dialsClosed bool

	startMu  sync.Mutex
	started  bool
	closed   bool
	mdns     mdns.Service
	lookups  atomic.Uint64
	closeErr error
}

// New builds a node from an identity and options. It creates the host (not yet
// listening) and, for a full node, the DHT, so that the caller can register stream
// handlers on Host before Start; identify announces them to peers. New takes no context
// and does no I/O: Start does.
func New(ident Identity, opts ...Option) (*Node, error) {
	if ident.PrivKey == nil {
		return nil, errors.New("p2p: New: empty identity")
	}
	cfg := defaultConfig()
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	quietQUIC()

	n := &Node{cfg: cfg, ident: ident, events: cfg.events, log: cfg.log}
	if n.log == nil {
		n.log = slog.New(slog.DiscardHandler)
	}
	n.log = n.log.With("peer", shortID(ident.PeerID))

	if cfg.clientMode() {
		ai, err := peer.AddrInfoFromP2pAddr(cfg.relay)
		if err != nil {
			return nil, err
		}
		n.keep = []peer.AddrInfo{*ai}
	} else if len(cfg.bootstrap) > 0 {
		ais, err := peer.AddrInfosFromP2pAddrs(cfg.bootstrap...)
		if err != nil {
			return nil, fmt.Errorf("p2p: bootstrap peers: %w", err)
		}
		for _, ai := range ais {
			if ai.ID == ident.PeerID {
				n.log.Debug("skipping self in bootstrap list")
				continue
			}
			n.keep = append(n.keep, ai)
		}
	}
	for _, ai := range n.keep {
		if ai.ID == ident.PeerID {
			return nil, errors.New("p2p: the relay is this node itself")
		}
	}

	rm, err := newResourceManager(cfg.limits)
	if err != nil {
		return nil, err
	}
	cm, err := newConnManager(cfg.connLow, cfg.connHigh)
	if err != nil {
		rm.Close()
		return nil, err
	}
	n.cm = cm

	h, err := libp2p.New(
		libp2p.Identity(ident.PrivKey),
		// Transports are given explicitly, so libp2p adds no default listen addresses:
		// Start listens.
		libp2p.Transport(tcp.NewTCPTransport),
		libp2p.Transport(quic.NewTransport),
		libp2p.Transport(websocket.New),
		// Noise first: nox and js-client speak only Noise.
		libp2p.Security(noise.ID, noise.New),
		libp2p.Security(libp2ptls.ID, libp2ptls.New),
		libp2p.Muxer(yamux.ID, yamux.DefaultTransport),
		libp2p.ResourceManager(rm),
		libp2p.ConnectionManager(cm),
		libp2p.Ping(true),
		libp2p.UserAgent(cfg.userAgent),
		// A Reef "relay" is the node a client is connected to, not circuit relay v2.
		libp2p.DisableRelay(),
		// No Prometheus registration: many hosts per process would collide, and Reef
		// reports through its own event stream.
		libp2p.DisableMetrics(),
	)
	if err != nil {
		return nil, fmt.Errorf("p2p: host: %w", err)
	}
	n.host = h

	for _, ai := range n.keep {
		h.Peerstore().AddAddrs(ai.ID, ai.Addrs, peerstore.PermanentAddrTTL)
		tag := tagBootstrap
		if cfg.clientMode() {
			tag = tagRelay
		}
		cm.Protect(ai.ID, tag)
	}

	if !cfg.clientMode() {
		dopts := []dht.Option{
			dht.Mode(dht.ModeServer),
			dht.ProtocolPrefix(protocol.ID(cfg.prefix)),
			dht.BucketSize(cfg.bucketSize),
			dht.RoutingTableRefreshPeriod(cfg.refresh),
			// Kademlia is a peer router only, as in nox: no provider records, no values.
			dht.DisableProviders(),
			dht.DisableValues(),
		}
		d, err := dht.New(h, append(dopts, cfg.dhtExtra...)...)
		if err != nil {
			h.Close()
			return nil, fmt.Errorf("p2p: dht: %w", err)
		}
		n.dht = d
	}

	n.ctx, n.cancel = context.WithCancel(context.Background())
	n.wake = make(map[peer.ID]chan struct{}, len(n.keep))
	for _, ai := range n.keep {
		n.wake[ai.ID] = make(chan struct{}, 1)
	}
	// Subscribe now and drain from now on: a subscriber that falls behind stalls
	// libp2p's event bus.
	sub, err := h.EventBus().Subscribe(new(event.EvtPeerConnectednessChanged),
		eventbus.BufSize(256), eventbus.Name("reef-p2p"))
	if err != nil {
		n.closeAll()
		return nil, fmt.Errorf("p2p: event bus: %w", err)
	}
	n.sub = sub
	n.wg.Go(n.connectednessLoop)
	return n, nil
}

// Start listens on the configured addresses, starts keeping bootstrap peers (or the
// relay) connected, mDNS and the routing-table event loop. It does not wait for any
// peer: bootstrap dials retry in the background with backoff, so a node whose bootstrap
// peers are down still starts (see WaitForPeers). ctx bounds only the start itself; the
// background work lasts until Close. Start fails if any listen address cannot be bound.
func (n *Node) Start(ctx context.Context) error {
	n.startMu.Lock()
	defer n.startMu.Unlock()
	if n.closed {
		return ErrClosed
	}
	if n.started {
		return errors.New("p2p: node already started")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var errs []error
	for _, a := range n.cfg.listen {
		if err := n.host.Network().Listen(a); err != nil {
			errs = append(errs, fmt.Errorf("listen %s: %w", a, err))
		}
	}
	if len(errs) > 0 {
		if lc, ok := n.host.Network().(interface{ ListenClose(...ma.Multiaddr) }); ok {
			lc.ListenClose(n.host.Network().ListenAddresses()...)
		}
		return fmt.Errorf("p2p: start: %w", errors.Join(errs...))
	}
	n.started = true

	if n.dht != nil && n.events != nil {
		n.wg.Go(n.routingTableLoop)
	}
	for _, ai := range n.keep {
		n.wg.Go(func() { n.keepConnected(ai) })
	}
	if n.cfg.mdns {
		if err := n.startMDNS(); err != nil {
			// LAN discovery is a convenience: a host without multicast still runs.
			n.log.Warn("mDNS unavailable", "err", err)
		}
	}
	n.log.Info("node started", "addrs", addrStrings(n.Addrs()), "client", n.cfg.clientMode(),
		"bootstrap", len(n.keep), "mdns", n.mdns != nil)
	return nil
}

// Host returns the libp2p host, for registering stream handlers and opening streams.
// The node owns it: do not close it.
func (n *Node) Host() host.Host { return n.host }

// DHT returns the Kademlia DHT, or nil for a client. The node owns it.
func (n *Node) DHT() *dht.IpfsDHT { return n.dht }

// ID returns the node's peer id.
func (n *Node) ID() peer.ID { return n.ident.PeerID }

// Identity returns the node's identity (including the Ed25519 key for the interpreter).
func (n *Node) Identity() Identity { return n.ident }

// ClientMode reports whether the node is a client of a relay.
func (n *Node) ClientMode() bool { return n.cfg.clientMode() }

// Relay returns the relay's peer id in client mode, else "".
func (n *Node) Relay() peer.ID {
	if n.cfg.clientMode() {
		return n.keep[0].ID
	}
	return ""
}

// ProtocolPrefix returns the Kademlia protocol prefix.
func (n *Node) ProtocolPrefix() string { return n.cfg.prefix }

// Addrs returns the node's advertised addresses, each ending in /p2p/<id>: what another
// node passes to WithBootstrap or a client to WithClientMode. Empty before Start and in
// client mode.
func (n *Node) Addrs() []ma.Multiaddr {
	addrs, err := peer.AddrInfoToP2pAddrs(&peer.AddrInfo{ID: n.ident.PeerID, Addrs: n.host.Addrs()})
	if err != nil {
		return nil
	}
	return addrs
}

// Close stops the background loops, mDNS, the DHT and the host, in that order. It is
// safe to call more than once; later calls return the first result.
func (n *Node) Close() error {
	n.startMu.Lock()
	defer n.startMu.Unlock()
	if n.closed {
		return n.closeErr
	}
	n.closed = true
	n.closeErr = n.closeAll()
	return n.closeErr
}

func (n *Node) closeAll() error {
	var errs []error
	if n.cancel != nil {
		n.cancel()
	}
	n.dialMu.Lock() // waits for dials in flight, which the cancel above ends
	n.dialsClosed = true
	n.dialMu.Unlock()
	if n.mdns != nil {
		if err := n.mdns.Close(); err != nil {
			errs = append(errs, fmt.Errorf("mdns: %w", err))
		}
	}
	if n.sub != nil {
		// Closing the subscription ends connectednessLoop.
		n.sub.Close()
	}
	n.wg.Wait()
	if n.dht != nil {
		if err := n.dht.Close(); err != nil {
			errs = append(errs, fmt.Errorf("dht: %w", err))
		}
	}
	if err := n.host.Close(); err != nil {
		errs = append(errs, fmt.Errorf("host: %w", err))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("p2p: close: %w", err)
	}
	n.log.Debug("node closed")
	return nil
}

func (n *Node) publish(ev events.Event) {
	if n.events != nil {
		n.events.Publish(ev)
	}
}

func shortID(id peer.ID) string {
	s := id.String()
	if len(s) > 8 {
		return s[len(s)-8:]
	}
	return s
}

func addrStrings(as []ma.Multiaddr) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.String()
	}
	slices.Sort(out)
	return out
}
