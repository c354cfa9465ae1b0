package views

import (
	"context"

	"github.com/reefhq/reef/peer/services"
	"github.com/reefhq/reef/wallet/prover"
	"github.com/reefhq/reef/wasm"
)

// ServiceManager is what the Services pane needs of the node's Wasm services.
// *services.Manager (Node.Services()) implements it. Snapshot is a cheap read the
// bridge polls; the rest run in commands, never in Update.
type ServiceManager interface {
	Snapshot() services.Snapshot
	Deploy(ctx context.Context, alias string, module []byte) (services.Deployed, error)
	DeployFile(ctx context.Context, path, alias string) (services.Deployed, error)
	Remove(target string) error
	CallText(ctx context.Context, target, fn, argsJSON string) (string, error)
	Logs(target string) ([]wasm.LogEntry, error)
}

// CapacitySource is what the Capacity and Wallet panes read: the running capacity
// provider (*prover.Provider). Both methods return copies and never call the chain.
type CapacitySource interface {
	Capacity() prover.CapacitySnapshot
	Wallet() prover.WalletSnapshot
}

var _ ServiceManager = (*services.Manager)(nil)
