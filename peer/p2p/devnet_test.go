package p2p

import (
	"context"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/reefhq/reef/peer/events"
)

func TestDevnet(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	const n = 10
	brokers := make([]*events.Broker[events.Event], n)
	for i := range brokers {
		brokers[i] = events.NewBroker[events.Event]()
	}
	subs := make([]*events.Subscription[events.Event], n)
	for i := range subs {
		subs[i] = brokers[i].Subscribe(1024)
	}
	start := time.Now()
	nodes, err := StartDevnetFunc(ctxT(t, 60*time.Second), n, func(i int) []Option {
		return []Option{WithLogger(testLogger), WithEvents(brokers[i])}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("devnet of %d ready in %v", n, time.Since(start))
	for i, nd := range nodes {
		if nd.RoutingTable().Size != n-1 {
			t.Errorf("node %d: table holds %d peers, want %d", i, nd.RoutingTable().Size, n-1)
		}
		for j, o := range nodes {
			if i != j && !inTable(nd, o.ID()) {
				t.Errorf("node %d lacks node %d", i, j)
			}
		}
		if nd.mdns != nil {
			t.Errorf("node %d runs mDNS", i)
		}
		for _, a := range nd.Addrs() {
			if s := a.String(); len(s) < 14 || s[:14] != "/ip4/127.0.0.1" {
				t.Errorf("node %d address %s", i, s)
			}
		}
	}
	// Per-node brokers received their own node's events.
	time.Sleep(300 * time.Millisecond) // one routing table poll
	for i, s := range subs {
		if len(s.C) == 0 {
			t.Errorf("node %d published no events", i)
		}
	}
	if err := CloseAll(nodes...); err != nil {
		t.Fatal(err)
	}
	for _, s := range subs {
		s.Close()
	}
}

func TestDevnetArgs(t *testing.T) {
	if _, err := StartDevnet(context.Background(), 0); err == nil {
		t.Fatal("empty devnet accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := StartDevnet(ctx, 3, WithLogger(testLogger)); err == nil {
		t.Fatal("cancelled context accepted")
	}
}
