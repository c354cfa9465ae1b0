// Package chaintest starts embedded dev chains for tests: in memory, mining transactions at once,
// with parameters that make epochs easy to drive (a long epoch jumped with AdjustTime, a target
// of 2^248 so a proof takes about 256 hashes).
package chaintest

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/reefhq/reef/wallet"
	"github.com/reefhq/reef/wallet/chain"
	"github.com/reefhq/reef/wallet/contracts"
	"github.com/reefhq/reef/wallet/txsend"
)

// Epoch is the test epoch: long enough that instant blocks (1 s of chain time each) never end
// it by accident; tests end it with NextEpoch.
const Epoch = time.Hour

// Params are the test contract parameters: 1 h epochs, 2 to 5 proofs, target 2^248 (8 zero
// bits), 1 ETH collateral per unit, 0.1 ETH reward per unit-epoch, 10% slashed per missed epoch,
// failure after 3 misses per unit, a 1000 ETH reward pool.
func Params() contracts.Params {
	return contracts.Params{
		EpochDuration:      Epoch,
		MinProofsPerEpoch:  2,
		MaxProofsPerEpoch:  5,
		Target:             contracts.TargetForBits(8),
		CollateralPerUnit:  contracts.Ether(1),
		RewardPerUnitEpoch: new(big.Int).Div(contracts.Ether(1), big.NewInt(10)),
		SlashingRateBps:    1000,
		MaxFailedRatio:     3,
		MinDuration:        1,
		RewardPool:         contracts.Ether(1000),
		TokenSupply:        new(big.Int).Mul(big.NewInt(1_000_000), big.NewInt(1_000_000)),
	}
}

// Start opens an in-memory embedded chain with instant mining and Params (unless opts override
// them); it is closed when the test ends.
func Start(t testing.TB, opts ...chain.Option) *chain.Chain {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	all := append([]chain.Option{chain.WithInstantMining(), chain.WithDeployParams(Params())}, opts...)
	c, err := chain.OpenEmbedded(ctx, "", all...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// Sender returns a sender for key on c that knows our contracts' errors.
func Sender(t testing.TB, c *chain.Chain, key *wallet.Key) *txsend.Sender {
	t.Helper()
	s, err := txsend.New(c.Client(), key, c.ChainID(), txsend.WithDecoder(contracts.NewDecoder()), txsend.WithPollInterval(10*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// NextEpoch moves the chain clock forward by n epochs of d.
func NextEpoch(t testing.TB, c *chain.Chain, n int, d time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.AdjustTime(ctx, time.Duration(n)*d); err != nil {
		t.Fatal(err)
	}
}

// Eventually polls cond every 20 ms until it holds or timeout passes.
func Eventually(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
