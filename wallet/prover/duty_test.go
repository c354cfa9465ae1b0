package prover_test

import (
	"testing"
	"time"

	"github.com/reefhq/reef/wallet/chain"
	"github.com/reefhq/reef/wallet/internal/chaintest"
	"github.com/reefhq/reef/wallet/prover"
)

// TestDutyCycle: a throttled provider (the console's) still proves every unit to the
// maximum; the duty cycle must be in (0, 1].
func TestDutyCycle(t *testing.T) {
	c := chaintest.Start(t)
	for _, f := range []float64{0, -0.5, 1.5} {
		if _, err := prover.New(c, chain.DevKey(1), prover.WithPeerID([]byte("p")), prover.WithDutyCycle(f)); err == nil {
			t.Errorf("duty cycle %v accepted", f)
		}
	}
	p := start(t, c, 1, "peer-duty", prover.WithUnits(2), prover.WithThreads(1), prover.WithDutyCycle(0.25))
	chaintest.Eventually(t, 10*time.Second, "the commitment", func() bool { return p.Capacity().Phase == prover.PhaseWaitingStart })
	chaintest.NextEpoch(t, c, 1, chaintest.Epoch)
	max := chaintest.Params().MaxProofsPerEpoch
	chaintest.Eventually(t, 30*time.Second, "both units at the maximum", func() bool { return allAt(p.Capacity(), max) })
}
