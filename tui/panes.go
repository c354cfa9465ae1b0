package tui

import "github.com/reefhq/reef/views"

// ParticlePanes builds the particle panes with their slots, in focus order (they come
// before Topology and Logs):
//
//	1 Particles  the particle list (main slot)            fed the recorder's list
//	2 Trace      one particle's hops (detail slot)          fed its trace on OpenTraceMsg
//	3 Replay     one hop step by step (detail slot)         opened on OpenReplayMsg
//	4 Runner     run an .air file (detail slot)             through runner
//
// The detail slot shows one of Trace, Replay and Runner at a time: the last one focused.
// The root feeds the panes through small interfaces (particleLister, traceViewer,
// replayer in model.go), so a pane that changes shape only needs its methods kept.
func ParticlePanes(c *views.Common, src views.TraceSource, runner views.ScriptRunner) []SlotPane {
	return []SlotPane{
		{views.NewParticles(c), SlotMain},
		{views.NewTrace(c), SlotDetail},
		{views.NewReplay(c, src), SlotDetail},
		{views.NewRunner(c, runner), SlotDetail},
	}
}

// NodePanes builds the panes of what the node runs besides particles, in focus order
// (they come after Topology and Logs, so 7, 8 and 9 jump to them):
//
//	7 Services   the Wasm services: deploy, watch, call, remove   fed Snapshot (2 Hz, and on service events)
//	8 Capacity   the capacity prover and its chain                fed prover.CapacitySnapshot (2 Hz)
//	9 Wallet     the provider's balances, rewards, deals, txs     fed prover.WalletSnapshot (2 Hz)
//
// They live in the wide slot (the whole left column of the split layout): it shows the
// last one focused, until a particle pane is focused again.
func NodePanes(c *views.Common) []SlotPane {
	return []SlotPane{
		{views.NewServices(c), SlotWide},
		{views.NewCapacity(c), SlotWide},
		{views.NewWallet(c), SlotWide},
	}
}
