package peer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/reefhq/reef/peer/p2p"
)

// Devnet is a set of full nodes in one process on 127.0.0.1, for development, demos and
// tests.
type Devnet struct {
	Nodes []*Node
}

// StartDevnet starts n nodes with fresh keys on free loopback ports (TCP and QUIC), all
// bootstrapped from the first, and returns once every routing table holds every other
// node. opts apply to every node. A devnet lets every peer deploy Wasm services
// (WithOpenDeploy), keeps them in memory, compiles modules through the shared cache in
// DefaultWasmCacheDir (unless opts say otherwise), and uses generous libp2p resource
// limits, since many hosts share one process.
func StartDevnet(ctx context.Context, n int, opts ...Option) (*Devnet, error) {
	if n < 1 {
		return nil, errors.New("peer: a devnet needs at least one node")
	}
	d := &Devnet{}
	var boot []string
	for i := 0; i < n; i++ {
		ident, err := p2p.GenerateIdentity()
		if err != nil {
			d.Close()
			return nil, err
		}
		nodeOpts := append([]Option{
			WithIdentity(ident),
			WithOpenDeploy(),
			WithWasmCacheDir(DefaultWasmCacheDir()),
			WithP2P(
				p2p.WithListen("/ip4/127.0.0.1/tcp/0"),
				p2p.WithBootstrap(boot...),
				p2p.WithMDNS(false),
				p2p.WithDevnetLimits(),
			),
		}, opts...)
		node, err := New(nodeOpts...)
		if err != nil {
			d.Close()
			return nil, fmt.Errorf("devnet node %d: %w", i, err)
		}
		if err := node.Start(ctx); err != nil {
			node.Close()
			d.Close()
			return nil, fmt.Errorf("devnet node %d: %w", i, err)
		}
		d.Nodes = append(d.Nodes, node)
		if i == 0 {
			for _, a := range node.Net().Addrs() {
				boot = append(boot, a.String())
			}
		}
	}
	wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	nets := make([]*p2p.Node, len(d.Nodes))
	for i, node := range d.Nodes {
		nets[i] = node.Net()
	}
	// WaitFull knows how full each table can get (buckets hold 20 peers), so it also
	// works for devnets of more than 21 nodes.
	if err := p2p.WaitFull(wctx, nets...); err != nil {
		d.Close()
		return nil, fmt.Errorf("devnet routing tables did not fill: %w", err)
	}
	return d, nil
}

// Close stops every node.
func (d *Devnet) Close() error {
	var errs []error
	for _, n := range d.Nodes {
		errs = append(errs, n.Close())
	}
	return errors.Join(errs...)
}

// Addrs returns the first full multiaddr (with /p2p/) of node i.
func (d *Devnet) Addr(i int) string {
	addrs := d.Nodes[i].Net().Addrs()
	if len(addrs) == 0 {
		return ""
	}
	return addrs[0].String()
}
