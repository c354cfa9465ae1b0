package p2p

import (
	"context"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/discovery/mdns"
)

// mdnsNotifee hands peers found by mDNS to the node's dialler without ever blocking
// the mDNS resolver (which calls HandlePeerFound in a goroutine per entry, also after
// Close).
type mdnsNotifee struct {
	found chan peer.AddrInfo
}

func (m mdnsNotifee) HandlePeerFound(ai peer.AddrInfo) {
	select {
	case m.found <- ai:
	default: // the dialler is busy; mDNS announces again soon
	}
}

// startMDNS announces the node under MDNSServiceName and dials the peers it finds. A
// found peer enters the routing table only if identify shows it speaks the node's
// Kademlia protocol; other peers are let go by the connection manager in due course.
func (n *Node) startMDNS() error {
	nf := mdnsNotifee{found: make(chan peer.AddrInfo, 64)}
	s := mdns.NewMdnsService(n.host, MDNSServiceName, nf)
	if err := s.Start(); err != nil {
		s.Close()
		return err
	}
	n.mdns = s
	n.wg.Go(func() {
		for {
			select {
			case <-n.ctx.Done():
				return
			case ai := <-nf.found:
				if n.host.Network().Connectedness(ai.ID) == network.Connected {
					continue
				}
				ctx, cancel := context.WithTimeout(n.ctx, n.cfg.dialTimeout)
				err := n.host.Connect(ctx, ai)
				cancel()
				if err != nil {
					n.log.Debug("mDNS peer unreachable", "remote", ai.ID, "err", err)
					continue
				}
				n.log.Info("connected to LAN peer found by mDNS", "remote", ai.ID)
			}
		}
	})
	return nil
}
