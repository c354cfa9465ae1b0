// Package uitest builds deterministic data for the console's tests and benchmarks:
// peer ids from seeds, routing table snapshots, log records and a fixed clock.
package uitest

import (
	"bytes"
	"crypto/ed25519"
	"encoding/binary"
	"fmt"
	"log/slog"
	"slices"
	"time"

	kb "github.com/libp2p/go-libp2p-kbucket"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/reefhq/reef/internal/logbuf"
	"github.com/reefhq/reef/peer/p2p"
)

// Now is the fixed time of golden tests.
var Now = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// Clock returns Now.
func Clock() time.Time { return Now }

// PeerID returns a peer id derived from seed (the same for the same seed).
func PeerID(seed int) peer.ID {
	var s [ed25519.SeedSize]byte
	binary.BigEndian.PutUint64(s[:], uint64(seed)+1)
	id, err := p2p.IdentityFromKey(ed25519.NewKeyFromSeed(s[:]))
	if err != nil {
		panic(err)
	}
	return id.PeerID
}

// Protocols are what a Reef node speaks.
var Protocols = []protocol.ID{"/ipfs/id/1.0.0", "/ipfs/id/push/1.0.0", "/ipfs/ping/1.0.0", "/reef/kad/1.0.0", "/reef/particle/1.0.0"}

// Snapshot returns a routing table of self (seed 0) with n peers (seeds 1..n), every
// third one inbound, every seventh one not connected, and two connected peers outside
// the table.
func Snapshot(n int) p2p.RoutingSnapshot {
	self := PeerID(0)
	sk := kb.ConvertPeerID(self)
	s := p2p.RoutingSnapshot{Self: self, At: Now, BucketSize: 20, Size: n, Connections: n}
	info := func(i int) p2p.PeerInfo {
		id := PeerID(i)
		addr, _ := ma.NewMultiaddr(fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", 40000+i))
		p := p2p.PeerInfo{
			ID: id, CPL: kb.CommonPrefixLen(sk, kb.ConvertPeerID(id)), Latency: time.Duration(200+37*i) * time.Microsecond,
			Connected: i%7 != 0, Direction: "outbound", RemoteAddr: addr, Conns: 1, Protocols: Protocols,
			AgentVersion: "reef/dev", AddedAt: Now.Add(-time.Duration(90+i) * time.Second),
			LastUsefulAt: Now.Add(-time.Duration(i%30) * time.Second), LastSeen: Now.Add(-time.Duration(i%11) * time.Second),
		}
		if i%3 == 0 {
			p.Direction = "inbound"
		}
		if !p.Connected {
			p.Direction, p.RemoteAddr, p.Conns = "", nil, 0
		}
		return p
	}
	for i := 1; i <= n; i++ {
		p := info(i)
		p.InTable = true
		for len(s.Buckets) <= p.CPL {
			s.Buckets = append(s.Buckets, p2p.Bucket{CPL: len(s.Buckets)})
		}
		s.Buckets[p.CPL].Peers = append(s.Buckets[p.CPL].Peers, p)
	}
	for i := range s.Buckets {
		slices.SortFunc(s.Buckets[i].Peers, func(a, b p2p.PeerInfo) int {
			return bytes.Compare(kb.Xor(sk, kb.ConvertPeerID(a.ID)), kb.Xor(sk, kb.ConvertPeerID(b.ID)))
		})
	}
	for i := n + 1; i <= n+2; i++ {
		p := info(i)
		p.Connected, p.Direction, p.Conns = true, "inbound", 1
		p.AddedAt, p.LastUsefulAt, p.LastSeen = time.Time{}, time.Time{}, time.Time{}
		s.Others = append(s.Others, p)
	}
	slices.SortFunc(s.Others, func(a, b p2p.PeerInfo) int { return bytes.Compare([]byte(a.ID), []byte(b.ID)) })
	s.Connections = n + 2
	return s
}

// ParticleID returns a particle id for seed.
func ParticleID(seed int) string {
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", seed*2654435761&0xffffffff, seed&0xffff, seed&0xfff, (seed*7)&0xfff, seed*40503)
}

// Records returns n log records, one every 10 ms before Now, with a mix of levels,
// loggers and particle attributes.
func Records(n int) []logbuf.Record {
	out := make([]logbuf.Record, n)
	msgs := []string{"particle executed", "particle forwarded", "lookup", "connection opened", "particle expired", "dial failed"}
	for i := range out {
		r := logbuf.Record{
			Seq:  uint64(i + 1),
			Time: Now.Add(-time.Duration(n-i) * 10 * time.Millisecond),
			Msg:  msgs[i%len(msgs)],
		}
		switch i % 10 {
		case 0, 1, 2, 3:
			r.Level = slog.LevelDebug
		case 4, 5, 6, 7:
			r.Level = slog.LevelInfo
		case 8:
			r.Level = slog.LevelWarn
		default:
			r.Level = slog.LevelError
		}
		switch i % 4 {
		case 0:
			r.Logger = "dht"
			r.Attrs = []logbuf.Attr{{Key: "peer", Value: PeerID(i%5 + 1).String()}, {Key: "took", Value: "1.2ms"}}
		case 1:
			r.Particle = ParticleID(i % 13)
			r.Attrs = []logbuf.Attr{{Key: "particle", Value: r.Particle}, {Key: "to", Value: PeerID(i%5 + 1).String()}}
		case 2:
			r.Logger = "swarm2"
			r.Attrs = []logbuf.Attr{{Key: "remote", Value: fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", 40000+i%50)}}
		default:
			r.Logger = "node"
			r.Particle = ParticleID(i % 13)
			r.Attrs = []logbuf.Attr{{Key: "particle", Value: r.Particle}, {Key: "instructions", Value: fmt.Sprint(i % 97)}}
		}
		out[i] = r
	}
	return out
}
