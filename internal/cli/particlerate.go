package cli

import (
	"github.com/spf13/cobra"

	"github.com/reefhq/reef/peer"
)

// particleRateOptions are the per-peer rate limit of incoming particles of `reef node`
// and `reef devnet`.
type particleRateOptions struct {
	rate  float64
	burst int
}

func (o *particleRateOptions) register(cmd *cobra.Command) {
	cmd.Flags().Float64Var(&o.rate, "particle-rate", peer.DefaultParticleRate, "particles per second one remote peer may send; beyond it they are rejected as rate-limited (0: no limit)")
	cmd.Flags().IntVar(&o.burst, "particle-burst", peer.DefaultParticleBurst, "how many particles one remote peer may send at once before --particle-rate applies (0: twice the rate)")
}

func (o *particleRateOptions) options() ([]peer.Option, error) {
	if !(o.rate >= 0 && o.rate <= 1e9) { // also NaN
		return nil, badInput("--particle-rate %g: want 0 (no limit) to 1e9", o.rate)
	}
	if o.burst < 0 {
		return nil, badInput("--particle-burst %d: want 0 or more", o.burst)
	}
	return []peer.Option{peer.WithParticleRateLimit(o.rate, o.burst)}, nil
}
