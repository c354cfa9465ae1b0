package p2p

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	dht "github.com/libp2p/go-libp2p-kad-dht"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/reefhq/reef/peer/events"
)

// DefaultProtocolPrefix is the Kademlia protocol prefix of a Reef network: the DHT
// protocol is DefaultProtocolPrefix + "/kad/1.0.0".
const DefaultProtocolPrefix = "/reef"

// MDNSServiceName is the DNS-SD service Reef nodes announce and browse on the LAN. It
// differs from libp2p's "_p2p._udp" so that Reef nodes never meet IPFS nodes.
const MDNSServiceName = "_reef._udp"

// DefaultUserAgent is the identify agent version a node announces unless WithUserAgent
// says otherwise.
const DefaultUserAgent = "reef"

// DefaultListenAddrs are the addresses a node listens on unless WithListen is given: TCP
// and QUIC on port 7777 and WebSocket on port 9999 (the ports of nox's Docker image),
// on all IPv4 interfaces.
var DefaultListenAddrs = []string{
	"/ip4/0.0.0.0/tcp/7777",
	"/ip4/0.0.0.0/udp/7777/quic-v1",
	"/ip4/0.0.0.0/tcp/9999/ws",
}

// Defaults of the options below.
const (
	DefaultConnLow          = 160
	DefaultConnHigh         = 192
	DefaultRefreshPeriod    = 10 * time.Minute
	DefaultBackoffMin       = time.Second
	DefaultBackoffMax       = time.Minute
	DefaultBootstrapTimeout = 10 * time.Second
)

// Limits selects the resource manager limits of a node's host.
type Limits int

const (
	// LimitsScaled are libp2p's default limits (with the default service limits of
	// identify, ping, ...) scaled to the machine's memory and file descriptors. Right for
	// one node per process.
	LimitsScaled Limits = iota
	// LimitsInfinite turns resource accounting limits off. Meant for tests and devnets
	// that run many hosts in one process: scaled limits are computed per host from the
	// whole machine, so tens of hosts in one process exhaust them together.
	LimitsInfinite
)

func (l Limits) String() string {
	switch l {
	case LimitsScaled:
		return "scaled"
	case LimitsInfinite:
		return "infinite"
	}
	return fmt.Sprintf("Limits(%d)", int(l))
}

// Option configures a Node. Options are applied in order; a later option overrides an
// earlier one unless its doc says it appends.
type Option func(*config) error

// config is the assembled configuration. It is unexported so that only the Option
// functions can set it.
type config struct {
	listen      []ma.Multiaddr
	listenSet   bool
	listenDef   []string // defaults when WithListen is not given; nil: DefaultListenAddrs
	bootstrap   []ma.Multiaddr
	mdns        bool
	mdnsSet     bool
	relay       ma.Multiaddr // client mode when non-nil
	events      *events.Broker[events.Event]
	log         *slog.Logger
	limits      Limits
	connLow     int
	connHigh    int
	prefix      string
	refresh     time.Duration
	backoffMin  time.Duration
	backoffMax  time.Duration
	dialTimeout time.Duration
	userAgent   string
	rtPoll      time.Duration
	bucketSize  int
	dhtExtra    []dht.Option // tests only
}

func defaultConfig() config {
	return config{
		mdns:        true,
		limits:      LimitsScaled,
		connLow:     DefaultConnLow,
		connHigh:    DefaultConnHigh,
		prefix:      DefaultProtocolPrefix,
		refresh:     DefaultRefreshPeriod,
		backoffMin:  DefaultBackoffMin,
		backoffMax:  DefaultBackoffMax,
		dialTimeout: DefaultBootstrapTimeout,
		userAgent:   DefaultUserAgent,
		rtPoll:      250 * time.Millisecond,
		bucketSize:  20,
	}
}

func (c *config) clientMode() bool { return c.relay != nil }

// validate checks option combinations and fills defaults that depend on the mode.
func (c *config) validate() error {
	if c.clientMode() {
		if c.listenSet && len(c.listen) > 0 {
			return errors.New("p2p: client mode does not listen; drop WithListen")
		}
		if len(c.bootstrap) > 0 {
			return errors.New("p2p: client mode connects only to its relay; drop WithBootstrap")
		}
		if c.mdnsSet && c.mdns {
			return errors.New("p2p: mDNS is not available in client mode")
		}
		c.mdns = false
		c.listen = nil
		return nil
	}
	if !c.listenSet {
		def := c.listenDef
		if def == nil {
			def = DefaultListenAddrs
		}
		for _, s := range def {
			a, err := ma.NewMultiaddr(s)
			if err != nil {
				return fmt.Errorf("p2p: listen address %q: %w", s, err)
			}
			c.listen = append(c.listen, a)
		}
	}
	// Listening twice on one address fails, and for QUIC on port 0 it even panics
	// inside libp2p (quicreuse), so repeated flags are merged.
	c.listen = ma.Unique(c.listen)
	return nil
}

// WithListen adds listen multiaddrs such as "/ip4/0.0.0.0/tcp/7777",
// "/ip4/0.0.0.0/udp/7777/quic-v1" or "/ip4/0.0.0.0/tcp/9999/ws". It appends, so it can be
// given once per --listen flag. The first WithListen replaces DefaultListenAddrs; with
// no argument at all it makes the node listen nowhere (it can still dial). Not allowed in
// client mode.
func WithListen(addrs ...string) Option {
	return func(c *config) error {
		c.listenSet = true
		for _, s := range addrs {
			a, err := ma.NewMultiaddr(s)
			if err != nil {
				return fmt.Errorf("p2p: listen address %q: %w", s, err)
			}
			c.listen = append(c.listen, a)
		}
		return nil
	}
}

// WithBootstrap adds bootstrap peers, each a multiaddr ending in /p2p/<peer id>. It
// appends, so it can be given once per --bootstrap flag. Several addresses of one peer
// are merged. Default: none. The node dials every bootstrap peer at Start and keeps
// redialling it with backoff (see WithBootstrapBackoff) whenever it is not connected;
// the node runs meanwhile. Bootstrap peers are protected in the connection manager.
func WithBootstrap(addrs ...string) Option {
	return func(c *config) error {
		for _, s := range addrs {
			a, err := ma.NewMultiaddr(s)
			if err != nil {
				return fmt.Errorf("p2p: bootstrap address %q: %w", s, err)
			}
			if _, err := peer.AddrInfoFromP2pAddr(a); err != nil {
				return fmt.Errorf("p2p: bootstrap address %q has no /p2p/<peer id> part: %w", s, err)
			}
			c.bootstrap = append(c.bootstrap, a)
		}
		return nil
	}
}

// WithMDNS turns LAN discovery by multicast DNS on or off. Default: on for a node, off
// (and not allowed) in client mode. Peers found are dialled; they enter the routing
// table if they speak the same Kademlia protocol.
func WithMDNS(on bool) Option {
	return func(c *config) error {
		c.mdns = on
		c.mdnsSet = true
		return nil
	}
}

// WithClientMode makes the node a client, as js-client is: it connects to exactly one
// node, its relay (a multiaddr ending in /p2p/<relay id>), and keeps redialling it with
// backoff. A client runs no DHT (it does not speak the Kademlia protocol, so no node
// puts it in its routing table), does not listen and does no mDNS. Default: off.
func WithClientMode(relay string) Option {
	return func(c *config) error {
		a, err := ma.NewMultiaddr(relay)
		if err != nil {
			return fmt.Errorf("p2p: relay address %q: %w", relay, err)
		}
		if _, err := peer.AddrInfoFromP2pAddr(a); err != nil {
			return fmt.Errorf("p2p: relay address %q has no /p2p/<peer id> part: %w", relay, err)
		}
		c.relay = a
		return nil
	}
}

// WithEvents makes the node publish PeerConnected, PeerDisconnected,
// RoutingTableChanged and LookupEvent into b. Default: no events.
func WithEvents(b *events.Broker[events.Event]) Option {
	return func(c *config) error {
		c.events = b
		return nil
	}
}

// WithLogger sets the node's own logger. Default: discard. The libraries' logs (libp2p,
// kad-dht, quic-go) are routed separately, process-wide, by RouteLibraryLogs.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		c.log = l
		return nil
	}
}

// WithResourceLimits selects the resource manager limits. Default: LimitsScaled.
func WithResourceLimits(l Limits) Option {
	return func(c *config) error {
		switch l {
		case LimitsScaled, LimitsInfinite:
		default:
			return fmt.Errorf("p2p: unknown resource limits %d", int(l))
		}
		c.limits = l
		return nil
	}
}

// WithDevnetLimits is WithResourceLimits(LimitsInfinite), for devnets and tests with
// many hosts per process.
func WithDevnetLimits() Option { return WithResourceLimits(LimitsInfinite) }

// WithTestLimits is WithDevnetLimits.
func WithTestLimits() Option { return WithResourceLimits(LimitsInfinite) }

// WithConnManager sets the connection manager's watermarks: above high connections it
// trims down to low, sparing protected peers (bootstrap peers, the relay of a client,
// and the peers kad-dht protects in its closest buckets) and connections younger than a
// minute. Default: DefaultConnLow, DefaultConnHigh.
func WithConnManager(low, high int) Option {
	return func(c *config) error {
		if low < 0 || high <= 0 || low > high {
			return fmt.Errorf("p2p: connection manager watermarks low=%d high=%d: want 0 <= low <= high, high > 0", low, high)
		}
		c.connLow, c.connHigh = low, high
		return nil
	}
}

// WithProtocolPrefix sets the Kademlia protocol prefix: the DHT protocol is
// prefix + "/kad/1.0.0". Nodes with different prefixes never share routing tables.
// Default: DefaultProtocolPrefix ("/reef").
func WithProtocolPrefix(prefix string) Option {
	return func(c *config) error {
		if !strings.HasPrefix(prefix, "/") || strings.HasSuffix(prefix, "/") || strings.ContainsAny(prefix, " \t\n") {
			return fmt.Errorf("p2p: protocol prefix %q: want a path such as /reef", prefix)
		}
		if prefix == "/ipfs" {
			return errors.New("p2p: protocol prefix /ipfs is the public IPFS DHT; pick another")
		}
		c.prefix = prefix
		return nil
	}
}

// WithRefreshPeriod sets how often the DHT refreshes its routing table (a lookup per
// bucket). Default: DefaultRefreshPeriod (10 minutes, kad-dht's default).
func WithRefreshPeriod(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("p2p: refresh period %v: want > 0", d)
		}
		c.refresh = d
		return nil
	}
}

// WithBootstrapBackoff sets the delay between failed dials of a bootstrap peer (or of
// the relay in client mode): it starts at min, doubles after each failure up to max, and
// gets up to 10% of jitter. Default: DefaultBackoffMin (1 s) to DefaultBackoffMax (1 min).
func WithBootstrapBackoff(min, max time.Duration) Option {
	return func(c *config) error {
		if min <= 0 || max < min {
			return fmt.Errorf("p2p: bootstrap backoff %v..%v: want 0 < min <= max", min, max)
		}
		c.backoffMin, c.backoffMax = min, max
		return nil
	}
}

// WithUserAgent sets the agent version the node announces through identify. Default:
// DefaultUserAgent.
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		c.userAgent = ua
		return nil
	}
}

// WithBucketSize sets the Kademlia bucket size K (also the default count of
// Neighborhood). Default: 20.
func WithBucketSize(k int) Option {
	return func(c *config) error {
		if k < 1 {
			return fmt.Errorf("p2p: bucket size %d: want >= 1", k)
		}
		c.bucketSize = k
		return nil
	}
}

// withDHTOptions appends raw kad-dht options (tests only, e.g. to stop automatic
// refreshes so that a lookup is observable).
func withDHTOptions(opts ...dht.Option) Option {
	return func(c *config) error {
		c.dhtExtra = append(c.dhtExtra, opts...)
		return nil
	}
}

// withDefaultListen replaces DefaultListenAddrs as the addresses used when no WithListen
// is given (devnets).
func withDefaultListen(addrs ...string) Option {
	return func(c *config) error {
		c.listenDef = addrs
		return nil
	}
}
