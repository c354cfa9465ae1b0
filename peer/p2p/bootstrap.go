package p2p

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
)

// keepConnected keeps one bootstrap peer (or a client's relay) connected for the life of
// the node, like nox's reconnect_bootstraps: dial; on failure wait (backoff doubling from
// backoffMin to backoffMax, plus up to 10% jitter) and dial again; once connected, sleep
// until the peer disconnects, then start over with a fresh backoff.
//
// The dials force a direct dial, bypassing the swarm's own dial backoff (5 s and up per
// address after a failure), which would otherwise make short retries fail without
// dialling. After a successful dial a full node asks the DHT to refresh its routing
// table as soon as the peer has entered it, so lookups fill the table without waiting
// for the periodic refresh.
func (n *Node) keepConnected(ai peer.AddrInfo) {
	wake := n.wake[ai.ID]
	backoff := n.cfg.backoffMin
	attempt := 0
	for {
		if n.ctx.Err() != nil {
			return
		}
		if n.host.Network().Connectedness(ai.ID) != network.Connected {
			attempt++
			ctx, cancel := context.WithTimeout(n.ctx, n.cfg.dialTimeout)
			err := n.host.Connect(network.WithForceDirectDial(ctx, "reef bootstrap"), ai)
			cancel()
			if err != nil {
				if n.ctx.Err() != nil {
					return
				}
				wait := backoff + time.Duration(rand.Int64N(int64(backoff)/10+1))
				n.log.Warn("bootstrap peer unreachable", "remote", ai.ID, "attempt", attempt, "retry_in", wait.Round(time.Millisecond), "err", err)
				t := time.NewTimer(wait)
				select {
				case <-n.ctx.Done():
					t.Stop()
					return
				case <-t.C:
				}
				backoff = min(2*backoff, n.cfg.backoffMax)
				continue
			}
			n.log.Info("connected to bootstrap peer", "remote", ai.ID, "attempt", attempt)
			backoff, attempt = n.cfg.backoffMin, 0
			if n.dht != nil {
				n.refreshWhenInTable(ai.ID)
			}
		}
		select {
		case <-n.ctx.Done():
			return
		case <-wake:
		}
	}
}

// refreshWhenInTable waits (up to the dial timeout) for p to enter the routing table,
// which happens once identify has shown it speaks our Kademlia protocol and it answered
// a lookup, then triggers a routing table refresh without waiting for it.
func (n *Node) refreshWhenInTable(p peer.ID) {
	rt := n.dht.RoutingTable()
	deadline := time.NewTimer(n.cfg.dialTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for rt.Find(p) == "" {
		select {
		case <-n.ctx.Done():
			return
		case <-deadline.C:
			n.log.Warn("bootstrap peer did not enter the routing table; is it a Reef node with the same protocol prefix?", "remote", p, "prefix", n.cfg.prefix)
			return
		case <-tick.C:
		}
	}
	_ = n.dht.RefreshRoutingTable() // buffered; the result is not needed
}
