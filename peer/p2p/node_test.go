package p2p

import (
	"bytes"
	"context"
	"errors"
	"net"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	dht "github.com/libp2p/go-libp2p-kad-dht"
	kb "github.com/libp2p/go-libp2p-kbucket"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/reefhq/reef/peer/events"
)

const kadProto = protocol.ID("/reef/kad/1.0.0")

// fiveNodes starts node 0 and four nodes bootstrapping from it, and waits until every
// routing table holds the four others.
func fiveNodes(t *testing.T, opts ...Option) []*Node {
	t.Helper()
	nodes := []*Node{newNode(t, opts...)}
	for range 4 {
		nodes = append(nodes, newNode(t, append([]Option{WithBootstrap(addrsOf(nodes[0])...)}, opts...)...))
	}
	if err := WaitFull(ctxT(t, 30*time.Second), nodes...); err != nil {
		t.Fatal(err)
	}
	return nodes
}

func TestBootstrapFillsRoutingTables(t *testing.T) {
	nodes := fiveNodes(t)
	for _, n := range nodes {
		if err := n.WaitForPeers(ctxT(t, time.Second), 4); err != nil {
			t.Fatal(err)
		}
	}
	a := nodes[1]
	// A ping measures latency into the peerstore average the snapshot shows.
	for _, o := range nodes {
		if o == a {
			continue
		}
		rtt, err := a.Ping(ctxT(t, 5*time.Second), o.ID())
		if err != nil {
			t.Fatalf("ping %s: %v", o.ID(), err)
		}
		if rtt <= 0 {
			t.Fatalf("ping rtt %v", rtt)
		}
	}
	snap := a.RoutingTable()
	if snap.Self != a.ID() || snap.Size != 4 || snap.BucketSize != 20 {
		t.Fatalf("snapshot header: self %s size %d K %d", snap.Self, snap.Size, snap.BucketSize)
	}
	self := kb.ConvertPeerID(a.ID())
	seen := map[peer.ID]bool{}
	for i, b := range snap.Buckets {
		if b.CPL != i {
			t.Fatalf("bucket %d has CPL %d", i, b.CPL)
		}
		var prev kb.ID
		for _, p := range b.Peers {
			if want := kb.CommonPrefixLen(self, kb.ConvertPeerID(p.ID)); p.CPL != want || p.CPL != b.CPL {
				t.Errorf("peer %s: CPL %d in bucket %d, kbucket.CommonPrefixLen says %d", p.ID, p.CPL, b.CPL, want)
			}
			d := kb.Xor(self, kb.ConvertPeerID(p.ID))
			if prev != nil && bytes.Compare(prev, d) > 0 {
				t.Errorf("bucket %d not sorted by distance", i)
			}
			prev = d
			seen[p.ID] = true
			if !p.InTable || !p.Connected || p.Conns < 1 || p.RemoteAddr == nil {
				t.Errorf("peer %s: in table %v connected %v conns %d addr %v", p.ID, p.InTable, p.Connected, p.Conns, p.RemoteAddr)
			}
			if p.Direction != "inbound" && p.Direction != "outbound" {
				t.Errorf("peer %s: direction %q", p.ID, p.Direction)
			}
			if p.Latency <= 0 {
				t.Errorf("peer %s: no latency after a ping", p.ID)
			}
			if !slices.Contains(p.Protocols, kadProto) {
				t.Errorf("peer %s: protocols %v lack %s", p.ID, p.Protocols, kadProto)
			}
			if p.AgentVersion != DefaultUserAgent {
				t.Errorf("peer %s: agent %q", p.ID, p.AgentVersion)
			}
			if p.AddedAt.IsZero() || p.AddedAt.After(snap.At) || p.LastSeen.IsZero() {
				t.Errorf("peer %s: added %v last seen %v", p.ID, p.AddedAt, p.LastSeen)
			}
		}
	}
	if len(seen) != 4 || len(snap.Peers()) != 4 {
		t.Fatalf("snapshot lists %d peers, want 4", len(seen))
	}
	if len(snap.Others) != 0 {
		t.Errorf("others: %v", snap.Others)
	}
	if snap.Connections < 4 {
		t.Errorf("connections %d", snap.Connections)
	}
	// Bootstrap peers are protected from trimming.
	if !a.cm.IsProtected(nodes[0].ID(), tagBootstrap) {
		t.Error("bootstrap peer not protected")
	}
	// Every address is a full /p2p/ multiaddr of the node on loopback.
	for _, ad := range a.Addrs() {
		ai, err := peer.AddrInfoFromP2pAddr(ad)
		if err != nil || ai.ID != a.ID() || !strings.HasPrefix(ad.String(), "/ip4/127.0.0.1/") {
			t.Errorf("address %s", ad)
		}
	}
}

func TestNeighborhoodAndClosestPeers(t *testing.T) {
	nodes := fiveNodes(t)
	a := nodes[2]
	key := []byte(nodes[4].ID()) // a peer id's bytes, as kad.neighborhood builds them
	got := a.Neighborhood(key, 3)
	// Independently: the table peers sorted by XOR distance of SHA-256(key).
	target := kb.ConvertKey(string(key))
	var all []peer.ID
	for _, o := range nodes {
		if o != a {
			all = append(all, o.ID())
		}
	}
	slices.SortFunc(all, func(x, y peer.ID) int {
		return bytes.Compare(kb.Xor(target, kb.ConvertPeerID(x)), kb.Xor(target, kb.ConvertPeerID(y)))
	})
	if !slices.Equal(got, all[:3]) {
		t.Fatalf("Neighborhood = %v, want %v", got, all[:3])
	}
	if got[0] != nodes[4].ID() {
		t.Fatal("a peer is not its own nearest neighbour")
	}
	if n := len(a.Neighborhood(key, 0)); n != 4 {
		t.Fatalf("default count gave %d peers, want all 4", n)
	}
	cp, err := a.ClosestPeers(ctxT(t, 10*time.Second), key)
	if err != nil {
		t.Fatal(err)
	}
	if len(cp) == 0 || cp[0] != nodes[4].ID() {
		t.Fatalf("ClosestPeers = %v", cp)
	}
}

func TestConnectThroughDHT(t *testing.T) {
	// B knows C; A knows only B. A and C run no lookups of their own (automatic
	// refreshes off, no bootstrap config), so A learns nothing about C until it asks.
	quiet := withDHTOptions(dht.DisableAutoRefresh())
	b := newNode(t)
	c := newNode(t, quiet)
	if err := b.host.Connect(ctxT(t, 5*time.Second), peer.AddrInfo{ID: c.ID(), Addrs: c.host.Addrs()}); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "C in B's table", func() bool { return inTable(b, c.ID()) && inTable(c, b.ID()) })

	broker := events.NewBroker[events.Event]()
	evs := collect(t, broker)
	a := newNode(t, WithEvents(broker), quiet)
	a.host.Peerstore().AddAddrs(b.ID(), b.host.Addrs(), time.Hour)
	if err := a.Connect(ctxT(t, 10*time.Second), b.ID()); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "B in A's table", func() bool { return inTable(a, b.ID()) })
	if a.connected(c.ID()) || len(a.host.Peerstore().Addrs(c.ID())) > 0 {
		t.Fatal("A already knows C; the test would not exercise the DHT")
	}

	if err := a.Connect(ctxT(t, 10*time.Second), c.ID()); err != nil {
		t.Fatalf("Connect via DHT: %v", err)
	}
	if !a.connected(c.ID()) {
		t.Fatal("not connected after Connect")
	}
	// The lookup's steps were published: a query sent to B and B's answer naming C.
	sending := evs.waitFor(t, 5*time.Second, "lookup sending", func(ev events.Event) bool {
		le, ok := ev.(events.LookupEvent)
		return ok && le.Type == "sending" && le.Peer == b.ID().String() && le.Target == c.ID().String()
	}).(events.LookupEvent)
	evs.waitFor(t, 5*time.Second, "lookup response", func(ev events.Event) bool {
		le, ok := ev.(events.LookupEvent)
		return ok && le.Type == "response" && le.LookupID == sending.LookupID && le.Peer == b.ID().String() &&
			slices.Contains(le.Closer, c.ID().String())
	})
	// Already connected: nil without a lookup.
	if err := a.Connect(ctxT(t, time.Second), c.ID()); err != nil {
		t.Fatal(err)
	}
}

func TestConnectErrors(t *testing.T) {
	b := newNode(t)
	a := newNode(t, WithBootstrap(addrsOf(b)...), withDHTOptions(dht.DisableAutoRefresh()))
	eventually(t, 10*time.Second, "B in A's table", func() bool { return inTable(a, b.ID()) })

	ghost, err := GenerateIdentity()
	if err != nil {
		t.Fatal(err)
	}
	err = a.Connect(ctxT(t, 10*time.Second), ghost.PeerID)
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "not found in the DHT after querying 1 peer") {
		t.Fatalf("unknown peer: %v", err)
	}
	t.Log(err)

	// Known but dead addresses: the dial fails, then the lookup fails; both are told.
	a.host.Peerstore().AddAddrs(ghost.PeerID, []ma.Multiaddr{deadAddr(t)}, time.Hour)
	err = a.Connect(ctxT(t, 10*time.Second), ghost.PeerID)
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "dial with known addresses failed") {
		t.Fatalf("dead addresses: %v", err)
	}
	t.Log(err)

	lonely := newNode(t)
	if err := lonely.Connect(ctxT(t, time.Second), ghost.PeerID); !errors.Is(err, ErrIsolated) {
		t.Fatalf("isolated node: %v", err)
	}
	if _, err := lonely.ClosestPeers(ctxT(t, time.Second), []byte("key")); !errors.Is(err, ErrIsolated) {
		t.Fatalf("isolated ClosestPeers: %v", err)
	}
	if err := a.Connect(ctxT(t, time.Second), a.ID()); !errors.Is(err, ErrSelf) {
		t.Fatalf("self: %v", err)
	}
	if err := a.Connect(ctxT(t, time.Second), peer.ID("junk")); err == nil {
		t.Fatal("invalid id accepted")
	}
}

func TestBootstrapPeerDownAtStart(t *testing.T) {
	// Reserve a port for the bootstrap peer, which starts only later.
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	bootIdent, err := GenerateIdentity()
	if err != nil {
		t.Fatal(err)
	}
	listen := "/ip4/127.0.0.1/tcp/" + itoa(port)
	bootAddr := listen + "/p2p/" + bootIdent.PeerID.String()

	broker := events.NewBroker[events.Event]()
	evs := collect(t, broker)
	a := newNode(t, WithBootstrap(bootAddr), WithEvents(broker),
		WithBootstrapBackoff(20*time.Millisecond, 100*time.Millisecond))
	time.Sleep(150 * time.Millisecond) // a few failed dials
	if a.connected(bootIdent.PeerID) {
		t.Fatal("connected to a peer that is not running")
	}

	boot, err := New(bootIdent, WithListen(listen), WithMDNS(false), WithTestLimits(), WithLogger(testLogger))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { boot.Close() })
	if err := boot.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := a.WaitForPeers(ctxT(t, 10*time.Second), 1); err != nil {
		t.Fatal(err)
	}
	if !inTable(a, boot.ID()) {
		t.Fatal("bootstrap peer not in the table")
	}
	evs.waitFor(t, 5*time.Second, "PeerConnected", func(ev events.Event) bool {
		pc, ok := ev.(events.PeerConnected)
		return ok && pc.Peer == boot.ID().String() && pc.Direction == "outbound"
	})

	// The bootstrap peer drops the connection: A redials.
	boot.host.Network().ClosePeer(a.ID())
	evs.waitFor(t, 5*time.Second, "PeerDisconnected", func(ev events.Event) bool {
		pd, ok := ev.(events.PeerDisconnected)
		return ok && pd.Peer == boot.ID().String()
	})
	eventually(t, 5*time.Second, "reconnection", func() bool { return a.connected(boot.ID()) })
}

func TestEvents(t *testing.T) {
	broker := events.NewBroker[events.Event]()
	evs := collect(t, broker)
	a := newNode(t, WithEvents(broker))
	b := newNode(t)
	if err := a.host.Connect(ctxT(t, 5*time.Second), peer.AddrInfo{ID: b.ID(), Addrs: b.host.Addrs()}); err != nil {
		t.Fatal(err)
	}
	pc := evs.waitFor(t, 5*time.Second, "PeerConnected", func(ev events.Event) bool {
		pc, ok := ev.(events.PeerConnected)
		return ok && pc.Peer == b.ID().String()
	}).(events.PeerConnected)
	if pc.Direction != "outbound" || !strings.HasPrefix(pc.Addr, "/ip4/127.0.0.1/") || pc.At().IsZero() {
		t.Errorf("PeerConnected %+v", pc)
	}
	rc := evs.waitFor(t, 5*time.Second, "RoutingTableChanged added", func(ev events.Event) bool {
		rc, ok := ev.(events.RoutingTableChanged)
		return ok && rc.Peer == b.ID().String() && rc.Added
	}).(events.RoutingTableChanged)
	if rc.Size != 1 {
		t.Errorf("RoutingTableChanged size %d", rc.Size)
	}
	// B stops speaking Kademlia: identify push tells A, which drops B from its table.
	b.host.RemoveStreamHandler(kadProto)
	evs.waitFor(t, 5*time.Second, "RoutingTableChanged removed", func(ev events.Event) bool {
		rc, ok := ev.(events.RoutingTableChanged)
		return ok && rc.Peer == b.ID().String() && !rc.Added && rc.Size == 0
	})
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	evs.waitFor(t, 5*time.Second, "PeerDisconnected", func(ev events.Event) bool {
		pd, ok := ev.(events.PeerDisconnected)
		return ok && pd.Peer == b.ID().String()
	})
}

func TestIdentifyAnnouncesStreamHandlers(t *testing.T) {
	const particleProto = protocol.ID("/reef/particle/1.0.0")
	a := newUnstarted(t)
	// Registered between New and Start, as the node does.
	a.Host().SetStreamHandler(particleProto, func(s network.Stream) { s.Close() })
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	b := newNode(t, WithBootstrap(addrsOf(a)...))
	eventually(t, 5*time.Second, "identify", func() bool {
		ps, _ := b.host.Peerstore().SupportsProtocols(a.ID(), particleProto, kadProto)
		return len(ps) == 2
	})
	// Registered later: identify push updates the peer.
	const later = protocol.ID("/reef/test/1.0.0")
	a.Host().SetStreamHandler(later, func(s network.Stream) { s.Close() })
	eventually(t, 5*time.Second, "identify push", func() bool {
		ps, _ := b.host.Peerstore().SupportsProtocols(a.ID(), later)
		return len(ps) == 1
	})
}

func TestClientMode(t *testing.T) {
	relay := newNode(t)
	other := newNode(t, WithBootstrap(addrsOf(relay)...))
	eventually(t, 10*time.Second, "relay and node tables", func() bool {
		return inTable(relay, other.ID()) && inTable(other, relay.ID())
	})

	relayAddr := addrsOf(relay)[0]
	ident, err := GenerateIdentity()
	if err != nil {
		t.Fatal(err)
	}
	client, err := New(ident, WithClientMode(relayAddr), WithLogger(testLogger),
		WithBootstrapBackoff(20*time.Millisecond, 100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	if err := client.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !client.ClientMode() || client.Relay() != relay.ID() || client.DHT() != nil {
		t.Fatal("not a client of the relay")
	}
	eventually(t, 5*time.Second, "client connected", func() bool { return client.connected(relay.ID()) })
	if len(client.host.Network().ListenAddresses()) != 0 {
		t.Fatal("client listens")
	}
	// The relay sees the client's protocols but no Kademlia among them, so it stays out
	// of the table and shows up among the other connected peers.
	eventually(t, 5*time.Second, "relay identified the client", func() bool {
		p, _ := relay.host.Peerstore().GetProtocols(client.ID())
		return len(p) > 0
	})
	if ps, _ := relay.host.Peerstore().SupportsProtocols(client.ID(), kadProto); len(ps) != 0 {
		t.Fatal("client speaks Kademlia")
	}
	time.Sleep(100 * time.Millisecond)
	snap := relay.RoutingTable()
	if slices.Contains(snap.Peers(), client.ID()) {
		t.Fatal("client in the relay's routing table")
	}
	if !slices.ContainsFunc(snap.Others, func(p PeerInfo) bool { return p.ID == client.ID() && p.Connected && p.Direction == "inbound" }) {
		t.Fatalf("client not among the relay's other peers: %+v", snap.Others)
	}
	if !client.cm.IsProtected(relay.ID(), tagRelay) {
		t.Error("relay not protected")
	}
	// The relay's table still works.
	if got := relay.Neighborhood([]byte(other.ID()), 1); len(got) != 1 || got[0] != other.ID() {
		t.Fatalf("relay neighborhood %v", got)
	}
	if err := relay.Connect(ctxT(t, 5*time.Second), other.ID()); err != nil {
		t.Fatal(err)
	}
	// The client has no DHT.
	cs := client.RoutingTable()
	if cs.Size != 0 || len(cs.Others) != 1 || cs.Others[0].ID != relay.ID() {
		t.Fatalf("client snapshot %+v", cs)
	}
	if err := client.Connect(ctxT(t, time.Second), other.ID()); !errors.Is(err, ErrNoDHT) {
		t.Fatalf("client Connect to an unknown peer: %v", err)
	}
	if client.Neighborhood([]byte("k"), 3) != nil {
		t.Fatal("client neighborhood")
	}
	if _, err := client.ClosestPeers(ctxT(t, time.Second), []byte("k")); !errors.Is(err, ErrNoDHT) {
		t.Fatal(err)
	}
	if err := client.WaitForPeers(ctxT(t, time.Second), 1); !errors.Is(err, ErrNoDHT) {
		t.Fatal(err)
	}
	// The relay drops the client: the client comes back.
	relay.host.Network().ClosePeer(client.ID())
	eventually(t, 5*time.Second, "client reconnected", func() bool { return relay.connected(client.ID()) })
}

func TestOptionsValidation(t *testing.T) {
	ident, err := GenerateIdentity()
	if err != nil {
		t.Fatal(err)
	}
	relay := "/ip4/127.0.0.1/tcp/1/p2p/" + ident.PeerID.String()
	cases := map[string][]Option{
		"bad listen":            {WithListen("not a multiaddr")},
		"bootstrap without id":  {WithBootstrap("/ip4/127.0.0.1/tcp/1")},
		"relay without id":      {WithClientMode("/ip4/127.0.0.1/tcp/1")},
		"client with listen":    {WithClientMode(relay), WithListen("/ip4/127.0.0.1/tcp/0")},
		"client with bootstrap": {WithClientMode(relay), WithBootstrap(relay)},
		"client with mdns":      {WithClientMode(relay), WithMDNS(true)},
		"conn manager":          {WithConnManager(10, 5)},
		"prefix":                {WithProtocolPrefix("reef")},
		"ipfs prefix":           {WithProtocolPrefix("/ipfs")},
		"refresh":               {WithRefreshPeriod(0)},
		"backoff":               {WithBootstrapBackoff(time.Second, time.Millisecond)},
		"limits":                {WithResourceLimits(Limits(7))},
		"bucket size":           {WithBucketSize(0)},
	}
	for name, opts := range cases {
		t.Run(name, func(t *testing.T) {
			n, err := New(ident, opts...)
			if err == nil {
				n.Close()
				t.Fatal("accepted")
			}
		})
	}
	// The relay being the node itself.
	if n, err := New(ident, WithClientMode(relay)); err == nil {
		n.Close()
		t.Fatal("self as relay accepted")
	}
	if _, err := New(Identity{}); err == nil {
		t.Fatal("empty identity accepted")
	}
}

func TestProtocolPrefixSeparatesNetworks(t *testing.T) {
	a := newNode(t, WithProtocolPrefix("/reef-a"))
	b := newNode(t, WithProtocolPrefix("/reef-b"), WithBootstrap(addrsOf(a)...))
	eventually(t, 5*time.Second, "connection", func() bool { return b.connected(a.ID()) })
	eventually(t, 5*time.Second, "identify", func() bool {
		ps, _ := b.host.Peerstore().SupportsProtocols(a.ID(), "/reef-a/kad/1.0.0")
		return len(ps) == 1
	})
	time.Sleep(100 * time.Millisecond)
	if inTable(a, b.ID()) || inTable(b, a.ID()) {
		t.Fatal("nodes of different networks share a routing table")
	}
	if a.ProtocolPrefix() != "/reef-a" {
		t.Fatal(a.ProtocolPrefix())
	}
}

func TestStartAndCloseLifecycle(t *testing.T) {
	// A listen address that is taken fails Start.
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	taken := "/ip4/127.0.0.1/tcp/" + itoa(l.Addr().(*net.TCPAddr).Port)
	n := newUnstarted(t, WithListen(taken))
	if err := n.Start(context.Background()); err == nil || !strings.Contains(err.Error(), taken) {
		t.Fatalf("Start on a taken port: %v", err)
	}

	// Duplicate listen addresses are merged (QUIC on port 0 twice would panic in libp2p).
	d := newNode(t, WithListen("/ip4/127.0.0.1/udp/0/quic-v1", "/ip4/127.0.0.1/udp/0/quic-v1"))
	if q := slices.DeleteFunc(d.Addrs(), func(a ma.Multiaddr) bool { return !strings.Contains(a.String(), "quic") }); len(q) != 1 {
		t.Fatalf("QUIC addrs %v", q)
	}
	if err := d.Start(context.Background()); err == nil {
		t.Fatal("second Start accepted")
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal("second Close:", err)
	}
	if err := d.Start(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("Start after Close: %v", err)
	}
	if err := d.Connect(context.Background(), n.ID()); !errors.Is(err, ErrClosed) {
		t.Fatalf("Connect after Close: %v", err)
	}
	// Close without Start.
	u := newUnstarted(t)
	if err := u.Close(); err != nil {
		t.Fatal(err)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// deadAddr is a loopback TCP address nobody listens on (connection refused).
func deadAddr(t *testing.T) ma.Multiaddr {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return ma.StringCast("/ip4/127.0.0.1/tcp/" + itoa(port))
}
