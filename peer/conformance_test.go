package peer

import (
	"context"
	"testing"
	"time"

	"github.com/reefhq/reef/internal/conformance"
)

// The conformance corpus (Aqua compiled by the real compiler, outcomes recorded from the
// reference AquaVM network) on 5 real nodes on loopback, called through the client code
// that reef run uses: hop chains, fold/par fan-outs with join, remote errors caught.
func TestConformanceOverNetwork(t *testing.T) {
	cases, err := conformance.Load("../testdata/conformance")
	if err != nil {
		t.Fatal(err)
	}
	dn := startDevnet(t, conformance.NumPeers)
	peers := make([]string, len(dn.Nodes))
	for i, n := range dn.Nodes {
		peers[i] = n.ID()
	}
	client := startClient(t, dn.Addr(0))
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			res, err := client.CallFunction(ctx, c.AIR, c.ArgsFor(peers), 20*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Check(peers, res.Value, res.ErrorObject); err != nil {
				t.Error(err)
			}
		})
	}
}
