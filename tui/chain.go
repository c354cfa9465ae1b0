package tui

import (
	"context"
	"log/slog"

	"github.com/reefhq/reef/internal/provider"
)

// openChain starts the chain the console's nodes share (Config.Chain). A chain that does not
// start (another reef process holds <data-dir>/chain, an endpoint URL is malformed) is logged
// and the console runs without it: the chain is not what the rest of the console needs.
func (b *Backend) openChain(ctx context.Context, cfg Config, log *slog.Logger) {
	if cfg.Chain == nil {
		return
	}
	cc := *cfg.Chain
	cc.Log = log.With("logger", "chain")
	s, err := provider.Open(ctx, cc)
	if err != nil {
		log.Error("the chain did not start; the console runs without it", "error", err)
		return
	}
	b.Chain = s
}

// attachChain gives every node of the process the chain's /status section and makes the
// embedded node a capacity provider when Config.Provider says so.
func (b *Backend) attachChain(ctx context.Context, cfg Config, log *slog.Logger) {
	if b.Chain == nil {
		return
	}
	if b.Devnet != nil {
		for _, n := range b.Devnet.Nodes {
			if _, err := b.Chain.Attach(ctx, n, provider.Role{}); err != nil {
				log.Error("attaching a devnet node to the chain", "error", err)
			}
		}
	}
	var role provider.Role
	if cfg.Provider != nil {
		role = *cfg.Provider
		role.Log = log.With("logger", "prover")
	}
	p, err := b.Chain.Attach(ctx, b.Node, role)
	if err != nil {
		log.Error("the capacity provider did not start", "error", err)
		return
	}
	b.Provider = p
}

// capacity is Live.Capacity: the provider, or nil (no provider, not a nil pointer in an
// interface).
func (b *Backend) capacity() CapacitySource {
	if b.Provider == nil {
		return nil
	}
	return b.Provider
}
