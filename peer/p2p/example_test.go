package p2p_test

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/reefhq/reef/peer/events"
	"github.com/reefhq/reef/peer/p2p"
)

// A node joins a small devnet through its bootstrap peer, finds a peer it was never
// told about, and reads its routing table.
func Example() {
	p2p.RouteLibraryLogs(slog.DiscardHandler) // keep libp2p's logs off the terminal
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	devnet, err := p2p.StartDevnet(ctx, 3)
	if err != nil {
		panic(err)
	}
	defer p2p.CloseAll(devnet...)

	ident, err := p2p.GenerateIdentity() // LoadOrCreateIdentity(p2p.DefaultDataDir()) for a real node
	if err != nil {
		panic(err)
	}
	broker := events.NewBroker[events.Event]()
	var boot []string
	for _, a := range devnet[0].Addrs() {
		boot = append(boot, a.String())
	}
	n, err := p2p.New(ident,
		p2p.WithListen("/ip4/127.0.0.1/tcp/0"),
		p2p.WithBootstrap(boot...),
		p2p.WithMDNS(false),
		p2p.WithEvents(broker),
	)
	if err != nil {
		panic(err)
	}
	defer n.Close()
	if err := n.Start(ctx); err != nil {
		panic(err)
	}
	// Bootstrap runs in the background; until it has connected, lookups fail with
	// ErrIsolated.
	if err := n.WaitForPeers(ctx, 1); err != nil {
		panic(err)
	}
	if err := n.Connect(ctx, devnet[2].ID()); err != nil {
		panic(err)
	}
	if err := n.WaitForPeers(ctx, 3); err != nil {
		panic(err)
	}
	snap := n.RoutingTable()
	fmt.Println("peers in the routing table:", snap.Size)
	fmt.Println("nearest to devnet node 2 is itself:", n.Neighborhood([]byte(devnet[2].ID()), 1)[0] == devnet[2].ID())
	// Output:
	// peers in the routing table: 3
	// nearest to devnet node 2 is itself: true
}
