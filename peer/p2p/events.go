package p2p

import (
	"slices"
	"time"

	"github.com/libp2p/go-libp2p/core/event"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/reefhq/reef/peer/events"
)

// connectednessLoop drains the host's connectedness events, publishes PeerConnected
// and PeerDisconnected, and wakes the keeper of a bootstrap peer that disconnected. It
// never blocks on anything but the subscription, so libp2p's emitter is never stalled.
func (n *Node) connectednessLoop() {
	for e := range n.sub.Out() {
		ev, ok := e.(event.EvtPeerConnectednessChanged)
		if !ok {
			continue
		}
		switch ev.Connectedness {
		case network.Connected, network.Limited:
			pc := events.PeerConnected{Base: events.Base{Time: time.Now()}, Peer: ev.Peer.String()}
			if conns := n.host.Network().ConnsToPeer(ev.Peer); len(conns) > 0 {
				pc.Direction = direction(conns[0].Stat().Direction)
				pc.Addr = conns[0].RemoteMultiaddr().String()
			}
			n.log.Debug("peer connected", "remote", ev.Peer, "dir", pc.Direction, "addr", pc.Addr)
			n.publish(pc)
		case network.NotConnected:
			n.log.Debug("peer disconnected", "remote", ev.Peer)
			n.publish(events.PeerDisconnected{Base: events.Base{Time: time.Now()}, Peer: ev.Peer.String()})
			if c, ok := n.wake[ev.Peer]; ok {
				select {
				case c <- struct{}{}:
				default:
				}
			}
		}
	}
}

func direction(d network.Direction) string {
	switch d {
	case network.DirInbound:
		return "inbound"
	case network.DirOutbound:
		return "outbound"
	}
	return "unknown"
}

// routingTableLoop diffs the routing table every rtPoll and publishes
// RoutingTableChanged for each peer that entered or left it. kad-dht owns the table's
// PeerAdded/PeerRemoved hooks (it protects peers in the connection manager and repairs
// the table from them), so the node must not replace them; a 4 Hz diff of at most a few
// hundred ids costs microseconds.
func (n *Node) routingTableLoop() {
	t := time.NewTicker(n.cfg.rtPoll)
	defer t.Stop()
	prev := map[peer.ID]struct{}{}
	for {
		select {
		case <-n.ctx.Done():
			return
		case <-t.C:
		}
		cur := n.dht.RoutingTable().ListPeers()
		set := make(map[peer.ID]struct{}, len(cur))
		var added []peer.ID
		for _, p := range cur {
			set[p] = struct{}{}
			if _, ok := prev[p]; !ok {
				added = append(added, p)
			}
		}
		var removed []peer.ID
		for p := range prev {
			if _, ok := set[p]; !ok {
				removed = append(removed, p)
			}
		}
		if len(added) == 0 && len(removed) == 0 {
			continue
		}
		slices.Sort(added)
		slices.Sort(removed)
		now := time.Now()
		size := len(prev)
		for _, p := range removed {
			size--
			n.publish(events.RoutingTableChanged{Base: events.Base{Time: now}, Peer: p.String(), Added: false, Size: size})
		}
		for _, p := range added {
			size++
			n.publish(events.RoutingTableChanged{Base: events.Base{Time: now}, Peer: p.String(), Added: true, Size: size})
		}
		prev = set
	}
}
