package chain_test

import (
	"context"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/reefhq/reef/wallet/chain"
)

// TestNoGoroutineLeaks: closing an embedded chain and an RPC connection stops their goroutines.
// go-ethereum keeps a process-wide sender cache and closes an in-memory LevelDB lazily; those
// are ignored.
func TestNoGoroutineLeaks(t *testing.T) {
	defer goleak.VerifyNone(t,
		goleak.IgnoreCurrent(),
		goleak.IgnoreTopFunction("github.com/ethereum/go-ethereum/core.(*txSenderCacher).cache"),
		goleak.IgnoreTopFunction("github.com/syndtr/goleveldb/leveldb.(*DB).mpoolDrain"),
	)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for range 2 {
		c, err := chain.OpenEmbedded(ctx, "", chain.WithInstantMining(), chain.WithHTTP("127.0.0.1:0"))
		if err != nil {
			t.Fatal(err)
		}
		r, err := chain.Dial(ctx, c.URL())
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	}
	dead, err := chain.Connect("http://127.0.0.1:1", chain.WithBackoff(10*time.Millisecond, 20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	dead.Close()
}
