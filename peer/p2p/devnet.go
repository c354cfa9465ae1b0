package p2p

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	kb "github.com/libp2p/go-libp2p-kbucket"
	"github.com/libp2p/go-libp2p/core/peer"
)

// DevnetListenAddrs are the listen addresses of devnet nodes: TCP, QUIC and WebSocket
// on 127.0.0.1 with ports chosen by the kernel.
var DevnetListenAddrs = []string{
	"/ip4/127.0.0.1/tcp/0",
	"/ip4/127.0.0.1/udp/0/quic-v1",
	"/ip4/127.0.0.1/tcp/0/ws",
}

// StartDevnet starts n full nodes in this process on 127.0.0.1 with free ports, each
// with a fresh in-memory identity, mDNS off and infinite resource limits. Node 0 is the
// bootstrap peer of all others. It returns once every routing table holds every other
// node, or as many as its buckets can hold (see ExpectedTableSize), so the network is
// ready for lookups and neighbourhood queries.
//
// opts are applied to every node after the devnet defaults, so they can override them
// (WithEvents on all nodes, WithLogger, WithListen, ...). On error, including ctx
// ending first, every node started so far is closed. The caller closes the nodes
// (CloseAll).
func StartDevnet(ctx context.Context, n int, opts ...Option) ([]*Node, error) {
	return StartDevnetFunc(ctx, n, func(int) []Option { return opts })
}

// StartDevnetFunc is StartDevnet with per-node options: perNode(i) gives the options of
// node i (for example its own event broker or logger).
func StartDevnetFunc(ctx context.Context, n int, perNode func(i int) []Option) ([]*Node, error) {
	if n < 1 {
		return nil, fmt.Errorf("p2p: devnet of %d nodes", n)
	}
	nodes := make([]*Node, n)
	fail := func(err error) ([]*Node, error) {
		CloseAll(nodes...)
		return nil, fmt.Errorf("p2p: devnet: %w", err)
	}
	start := func(i int, extra ...Option) error {
		ident, err := GenerateIdentity()
		if err != nil {
			return err
		}
		opts := []Option{
			withDefaultListen(DevnetListenAddrs...),
			WithMDNS(false),
			WithDevnetLimits(),
			WithBootstrapBackoff(100*time.Millisecond, 2*time.Second),
		}
		opts = append(opts, perNode(i)...)
		opts = append(opts, extra...)
		nd, err := New(ident, opts...)
		if err != nil {
			return fmt.Errorf("node %d: %w", i, err)
		}
		nodes[i] = nd
		if err := nd.Start(ctx); err != nil {
			return fmt.Errorf("node %d: %w", i, err)
		}
		return nil
	}
	if err := start(0); err != nil {
		return fail(err)
	}
	if nodes[0].dht == nil {
		return fail(errors.New("devnet nodes cannot be clients"))
	}
	var boot []string
	for _, a := range nodes[0].Addrs() {
		boot = append(boot, a.String())
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := 1; i < n; i++ {
		wg.Go(func() { errs[i] = start(i, WithBootstrap(boot...)) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return fail(err)
	}
	if err := WaitFull(ctx, nodes...); err != nil {
		return fail(err)
	}
	return nodes, nil
}

// ExpectedTableSize is how many of others a full routing table of self holds with bucket
// size k: per common prefix length, all peers up to k. (kbucket's last bucket gathers
// all deeper CPLs but splits whenever it overflows, so the per-CPL cap is what counts.)
func ExpectedTableSize(self peer.ID, others []peer.ID, k int) int {
	sk := kb.ConvertPeerID(self)
	perCPL := map[int]int{}
	for _, p := range others {
		if p != self {
			perCPL[kb.CommonPrefixLen(sk, kb.ConvertPeerID(p))]++
		}
	}
	total := 0
	for _, c := range perCPL {
		total += min(c, k)
	}
	return total
}

// WaitFull waits until the routing table of every node holds every other node (up to
// ExpectedTableSize). It keeps one forced refresh of the DHT (a lookup for the node's
// own id and one per bucket) in flight for each node that lags: kad-dht refreshes by
// itself only while its table is small, and then skips buckets refreshed in the last
// refresh period, which they were, while the network was still assembling. Refreshes
// still running when WaitFull returns finish in the background (within a second or so
// on an idle machine). The error names the first node still short when ctx ends.
func WaitFull(ctx context.Context, nodes ...*Node) error {
	ids := make([]peer.ID, len(nodes))
	for i, nd := range nodes {
		if nd.dht == nil {
			return fmt.Errorf("node %d is a client", i)
		}
		ids[i] = nd.ID()
	}
	want := make([]int, len(nodes))
	for i, nd := range nodes {
		want[i] = ExpectedTableSize(nd.ID(), ids, nd.cfg.bucketSize)
	}
	return fillTables(ctx, nodes, want)
}

// fillTables waits until the routing table of nodes[i] holds want[i] peers, keeping one
// forced refresh in flight for each node that lags (once it has a peer to ask).
func fillTables(ctx context.Context, nodes []*Node, want []int) error {
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	inflight := make([]<-chan error, len(nodes))
	for {
		short := -1
		for i, nd := range nodes {
			size := nd.dht.RoutingTable().Size()
			if size >= want[i] {
				continue
			}
			if short < 0 {
				short = i
			}
			if size == 0 {
				continue // nobody to ask yet; bootstrap is under way
			}
			if inflight[i] != nil {
				select {
				case <-inflight[i]:
					inflight[i] = nil
				default:
				}
			}
			if inflight[i] == nil {
				inflight[i] = nd.dht.ForceRefresh() // buffered: safe to abandon
			}
		}
		if short < 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("node %d has %d of %d peers in its routing table: %w",
				short, nodes[short].dht.RoutingTable().Size(), want[short], ctx.Err())
		case <-tick.C:
		}
	}
}

// CloseAll closes nodes concurrently (nil entries are skipped) and joins the errors.
func CloseAll(nodes ...*Node) error {
	errs := make([]error, len(nodes))
	var wg sync.WaitGroup
	for i, nd := range nodes {
		if nd == nil {
			continue
		}
		wg.Go(func() { errs[i] = nd.Close() })
	}
	wg.Wait()
	return errors.Join(errs...)
}
