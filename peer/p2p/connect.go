package p2p

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	kb "github.com/libp2p/go-libp2p-kbucket"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/routing"
	"github.com/libp2p/go-libp2p/p2p/protocol/ping"
	"github.com/mr-tron/base58"

	"github.com/reefhq/reef/peer/events"
)

// Errors of Connect, ClosestPeers and Ping; check them with errors.Is. The returned
// errors say which step failed and wrap one of these.
var (
	// ErrNotFound: the DHT lookup ended without finding the peer.
	ErrNotFound = errors.New("not found in the DHT")
	// ErrDialFailed: the peer's addresses are known but no dial succeeded.
	ErrDialFailed = errors.New("dial failed")
	// ErrIsolated: the routing table is empty, so there is nobody to ask (the node is
	// waiting for its bootstrap peers or has none).
	ErrIsolated = errors.New("routing table is empty (isolated, waiting for bootstrap)")
	// ErrNoDHT: the node is a client and has no DHT to look peers up in.
	ErrNoDHT = errors.New("client mode has no DHT")
	// ErrSelf: the target is this node.
	ErrSelf = errors.New("target is this node itself")
)

// Connect makes sure the node is connected to id:
//
//  1. already connected: nil;
//  2. addresses in the peerstore (from identify, earlier lookups, mDNS, bootstrap
//     config): dial them;
//  3. otherwise (or if those dials fail) look id up in the DHT, publishing LookupEvent
//     steps, and dial the addresses found.
//
// Errors name the failed step: "dial failed: ...", "not found in the DHT after querying
// N peers", "routing table is empty ...", wrapping ErrDialFailed, ErrNotFound,
// ErrIsolated or ErrNoDHT. Dials bypass the swarm's dial backoff: a Connect is an
// explicit request.
func (n *Node) Connect(ctx context.Context, id peer.ID) error {
	if n.ctx.Err() != nil {
		return ErrClosed
	}
	if id == n.ident.PeerID {
		return fmt.Errorf("p2p: connect %s: %w", id, ErrSelf)
	}
	if err := id.Validate(); err != nil {
		return fmt.Errorf("p2p: connect: %w", err)
	}
	if n.connected(id) {
		return nil
	}
	var dialErr error
	if addrs := n.host.Peerstore().Addrs(id); len(addrs) > 0 {
		dialErr = n.dial(ctx, peer.AddrInfo{ID: id, Addrs: addrs})
		if dialErr == nil {
			return nil
		}
		if ctx.Err() != nil || n.dht == nil {
			return fmt.Errorf("p2p: connect %s: %w: %w", id, ErrDialFailed, dialErr)
		}
		n.log.Debug("dial with known addresses failed; looking the peer up", "remote", id, "err", dialErr)
	} else if n.dht == nil {
		return fmt.Errorf("p2p: connect %s: no known addresses and %w", id, ErrNoDHT)
	}

	ai, queried, err := n.findPeer(ctx, id)
	if err != nil {
		if dialErr != nil {
			return fmt.Errorf("p2p: connect %s: dial with known addresses failed (%v), then %w", id, dialErr, err)
		}
		return fmt.Errorf("p2p: connect %s: %w", id, err)
	}
	if n.connected(id) { // the lookup itself may have dialled the peer
		return nil
	}
	if err := n.dial(ctx, ai); err != nil {
		return fmt.Errorf("p2p: connect %s: found in the DHT after querying %s, but %w: %w", id, peersN(queried), ErrDialFailed, err)
	}
	return nil
}

func (n *Node) connected(id peer.ID) bool {
	return n.host.Network().Connectedness(id) == network.Connected
}

// dial connects to ai directly. Callers come from any goroutine, so a dial can race
// with Close: the dial is cancelled with the node's context, and Close waits for dials
// in flight before it closes the host (a forced direct dial on a closed swarm
// dereferences a transport the swarm has already dropped, in libp2p v0.51).
func (n *Node) dial(ctx context.Context, ai peer.AddrInfo) error {
	n.dialMu.RLock()
	defer n.dialMu.RUnlock()
	if n.dialsClosed {
		return ErrClosed
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(n.ctx, cancel)
	defer stop()
	return n.host.Connect(network.WithForceDirectDial(ctx, "reef connect"), ai)
}

// findPeer runs a DHT FindPeer with lookup tracing and returns the peer's addresses
// and the number of peers queried.
func (n *Node) findPeer(ctx context.Context, id peer.ID) (peer.AddrInfo, int, error) {
	if n.dht == nil {
		return peer.AddrInfo{}, 0, ErrNoDHT
	}
	if n.dht.RoutingTable().Size() == 0 {
		return peer.AddrInfo{}, 0, ErrIsolated
	}
	var ai peer.AddrInfo
	queried, err := n.traceLookup(ctx, id.String(), func(ctx context.Context) error {
		var err error
		ai, err = n.dht.FindPeer(ctx, id)
		return err
	})
	switch {
	case err == nil:
		return ai, queried, nil
	case errors.Is(err, routing.ErrNotFound):
		return ai, queried, fmt.Errorf("%w after querying %s", ErrNotFound, peersN(queried))
	case errors.Is(err, kb.ErrLookupFailure):
		return ai, queried, ErrIsolated
	default:
		return ai, queried, fmt.Errorf("DHT lookup failed after querying %s: %w", peersN(queried), err)
	}
}

// ClosestPeers runs a DHT lookup for the peers closest to key (raw key bytes, hashed
// with SHA-256 into the Kademlia keyspace as kad-dht does; a peer id's bytes for a
// peer), publishing LookupEvent steps. With an empty routing table it returns an error
// wrapping ErrIsolated. If ctx ends first it returns what it found with ctx's error.
func (n *Node) ClosestPeers(ctx context.Context, key []byte) ([]peer.ID, error) {
	if n.dht == nil {
		return nil, ErrNoDHT
	}
	if n.dht.RoutingTable().Size() == 0 {
		return nil, fmt.Errorf("p2p: closest peers: %w", ErrIsolated)
	}
	var out []peer.ID
	_, err := n.traceLookup(ctx, keyString(key), func(ctx context.Context) error {
		var err error
		out, err = n.dht.GetClosestPeers(ctx, string(key))
		return err
	})
	if errors.Is(err, kb.ErrLookupFailure) {
		return out, fmt.Errorf("p2p: closest peers: %w", ErrIsolated)
	}
	if err != nil {
		return out, fmt.Errorf("p2p: closest peers: %w", err)
	}
	return out, nil
}

// Neighborhood returns up to count peers of the local routing table closest to key, by
// XOR distance of SHA-256(key) — the kbucket key of a peer id's bytes or of a multihash,
// which is also what rust-libp2p's kbucket::Key computes. It runs no network query,
// like nox's kad.neighborhood. count <= 0 means the bucket size (20). A client returns
// nil.
func (n *Node) Neighborhood(key []byte, count int) []peer.ID {
	if n.dht == nil {
		return nil
	}
	if count <= 0 {
		count = n.cfg.bucketSize
	}
	return n.dht.RoutingTable().NearestPeers(kb.ConvertKey(string(key)), count)
}

func peersN(n int) string {
	if n == 1 {
		return "1 peer"
	}
	return fmt.Sprintf("%d peers", n)
}

// keyString renders a lookup key for events: a peer id if it is one, else base58.
func keyString(key []byte) string {
	if id, err := peer.IDFromBytes(key); err == nil {
		return id.String()
	}
	return base58.Encode(key)
}

// traceLookup runs fn with a context registered for query events, publishes each event
// as a LookupEvent and returns how many distinct peers were sent a query. The event
// channel is drained until it closes, so the DHT never blocks on it.
func (n *Node) traceLookup(ctx context.Context, target string, fn func(context.Context) error) (int, error) {
	lookupID := n.lookups.Add(1)
	qctx, cancel := context.WithCancel(ctx)
	qctx, ch := routing.RegisterForQueryEvents(qctx)
	queried := map[peer.ID]struct{}{}
	var wg sync.WaitGroup
	wg.Go(func() {
		for ev := range ch {
			if ev.Type == routing.SendingQuery {
				queried[ev.ID] = struct{}{}
			}
			if n.events == nil {
				continue
			}
			le := events.LookupEvent{
				Base:     events.Base{Time: time.Now()},
				LookupID: lookupID,
				Target:   target,
				Type:     queryEventType(ev.Type),
				Peer:     ev.ID.String(),
			}
			for _, r := range ev.Responses {
				if r != nil {
					le.Closer = append(le.Closer, r.ID.String())
				}
			}
			if ev.Type == routing.QueryError {
				le.Error = ev.Extra
			}
			n.publish(le)
		}
	})
	start := time.Now()
	err := fn(qctx)
	cancel() // closes ch once the publisher is done with it
	wg.Wait()
	n.log.Debug("lookup", "id", lookupID, "target", target, "queried", len(queried),
		"took", time.Since(start).Round(time.Microsecond), "err", err)
	return len(queried), err
}

func queryEventType(t routing.QueryEventType) string {
	switch t {
	case routing.SendingQuery:
		return "sending"
	case routing.PeerResponse:
		return "response"
	case routing.FinalPeer:
		return "final"
	case routing.QueryError:
		return "error"
	case routing.AddingPeer:
		return "adding"
	case routing.DialingPeer:
		return "dialing"
	case routing.Provider:
		return "provider"
	case routing.Value:
		return "value"
	}
	return fmt.Sprintf("type%d", int(t))
}

// Ping sends one libp2p ping to id (dialling it if needed) and returns the round-trip
// time. The result also updates the peerstore's latency average shown by RoutingTable.
func (n *Node) Ping(ctx context.Context, id peer.ID) (time.Duration, error) {
	if n.ctx.Err() != nil {
		return 0, ErrClosed
	}
	if id == n.ident.PeerID {
		return 0, fmt.Errorf("p2p: ping: %w", ErrSelf)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	select {
	case res, ok := <-ping.Ping(ctx, n.host, id):
		if !ok {
			return 0, fmt.Errorf("p2p: ping %s: %w", id, ctx.Err())
		}
		if res.Error != nil {
			return 0, fmt.Errorf("p2p: ping %s: %w", id, res.Error)
		}
		return res.RTT, nil
	case <-ctx.Done():
		return 0, fmt.Errorf("p2p: ping %s: %w", id, ctx.Err())
	}
}
