package p2p

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	kb "github.com/libp2p/go-libp2p-kbucket"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	ma "github.com/multiformats/go-multiaddr"
)

// RoutingSnapshot is a copy of the routing table and the node's connections at one
// moment, for display. It shares nothing with the node.
type RoutingSnapshot struct {
	Self peer.ID
	At   time.Time
	// BucketSize is K, the capacity of each bucket.
	BucketSize int
	// Size is the number of peers in the routing table.
	Size int
	// Buckets holds one entry per common prefix length (CPL) with Self, from 0 to the
	// largest CPL present; Buckets[i].CPL == i, and empty buckets are included. Peers in
	// a bucket are sorted by XOR distance to Self, closest first.
	Buckets []Bucket
	// Others are connected peers that are not in the routing table: clients of this
	// node, peers still being identified or checked, peers whose bucket is full, and
	// peers of other networks. Sorted by id.
	Others []PeerInfo
	// Connections is the number of open connections.
	Connections int
}

// Bucket is the set of routing table peers sharing CPL leading bits with Self.
type Bucket struct {
	CPL   int
	Peers []PeerInfo
}

// PeerInfo describes one peer.
type PeerInfo struct {
	ID peer.ID
	// CPL is the common prefix length of SHA-256(ID) and SHA-256(Self), computed with
	// kbucket.CommonPrefixLen as kad-dht does.
	CPL int
	// InTable is true for routing table peers.
	InTable bool
	// Latency is the peerstore's moving average of round trips (ping, identify, DHT);
	// zero if never measured.
	Latency time.Duration
	// Connected, and for a connected peer the direction ("inbound"/"outbound") and remote
	// address of its first connection and the number of connections.
	Connected  bool
	Direction  string
	RemoteAddr ma.Multiaddr
	Conns      int
	// Protocols and AgentVersion are what identify reported, from the peerstore.
	Protocols    []protocol.ID
	AgentVersion string
	// AddedAt is when the peer entered the routing table, LastUsefulAt when it last
	// answered a query usefully (zero if never), LastSeen when it last answered any
	// query of ours. Zero for peers outside the table.
	AddedAt      time.Time
	LastUsefulAt time.Time
	LastSeen     time.Time
}

// RoutingTable returns a snapshot of the routing table (empty for a client) and of the
// other connected peers. It reads kad-dht's table under its lock and the peerstore; it
// does no I/O and is cheap enough for a UI tick.
func (n *Node) RoutingTable() RoutingSnapshot {
	s := RoutingSnapshot{Self: n.ident.PeerID, At: time.Now(), BucketSize: n.cfg.bucketSize}
	self := kb.ConvertPeerID(n.ident.PeerID)
	inTable := map[peer.ID]struct{}{}
	if n.dht != nil {
		infos := n.dht.RoutingTable().GetPeerInfos()
		s.Size = len(infos)
		for _, pi := range infos {
			p := n.peerInfo(pi.Id, self)
			p.InTable = true
			p.AddedAt, p.LastUsefulAt, p.LastSeen = pi.AddedAt, pi.LastUsefulAt, pi.LastSuccessfulOutboundQueryAt
			for len(s.Buckets) <= p.CPL {
				s.Buckets = append(s.Buckets, Bucket{CPL: len(s.Buckets)})
			}
			s.Buckets[p.CPL].Peers = append(s.Buckets[p.CPL].Peers, p)
			inTable[pi.Id] = struct{}{}
		}
		for i := range s.Buckets {
			slices.SortFunc(s.Buckets[i].Peers, func(a, b PeerInfo) int {
				return bytes.Compare(kb.Xor(self, kb.ConvertPeerID(a.ID)), kb.Xor(self, kb.ConvertPeerID(b.ID)))
			})
		}
	}
	s.Connections = len(n.host.Network().Conns())
	for _, p := range n.host.Network().Peers() {
		if _, ok := inTable[p]; ok {
			continue
		}
		s.Others = append(s.Others, n.peerInfo(p, self))
	}
	slices.SortFunc(s.Others, func(a, b PeerInfo) int { return cmp.Compare(a.ID, b.ID) })
	return s
}

func (n *Node) peerInfo(id peer.ID, self kb.ID) PeerInfo {
	ps := n.host.Peerstore()
	p := PeerInfo{
		ID:      id,
		CPL:     kb.CommonPrefixLen(self, kb.ConvertPeerID(id)),
		Latency: ps.LatencyEWMA(id),
	}
	if conns := n.host.Network().ConnsToPeer(id); len(conns) > 0 {
		p.Connected = n.host.Network().Connectedness(id) == network.Connected
		p.Direction = direction(conns[0].Stat().Direction)
		p.RemoteAddr = conns[0].RemoteMultiaddr()
		p.Conns = len(conns)
	}
	if protos, err := ps.GetProtocols(id); err == nil {
		p.Protocols = slices.Sorted(slices.Values(protos))
	}
	if av, err := ps.Get(id, "AgentVersion"); err == nil {
		if s, ok := av.(string); ok {
			p.AgentVersion = s
		}
	}
	return p
}

// Peers returns the ids of the routing table in bucket order.
func (s RoutingSnapshot) Peers() []peer.ID {
	out := make([]peer.ID, 0, s.Size)
	for _, b := range s.Buckets {
		for _, p := range b.Peers {
			out = append(out, p.ID)
		}
	}
	return out
}

// WaitForPeers blocks until the routing table holds at least count peers, or ctx ends
// (the error then says how many it had). For devnets and tests.
func (n *Node) WaitForPeers(ctx context.Context, count int) error {
	if n.dht == nil {
		return ErrNoDHT
	}
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for {
		size := n.dht.RoutingTable().Size()
		if size >= count {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("p2p: routing table has %d of %d peers: %w", size, count, ctx.Err())
		case <-n.ctx.Done():
			return ErrClosed
		case <-t.C:
		}
	}
}
