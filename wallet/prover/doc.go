// Package prover is the capacity prover: Provider registers a peer's compute units on the
// Capacity contract, keeps a capacity commitment for them, and proves every unit every epoch
// by finding local nonces with keccak256(globalNonce ‖ unitId ‖ localNonce) ≤ target.
//
// Inside a Provider:
//
//   - workers: one goroutine per unit, at most WithThreads, fed by a scheduler that gives the
//     cores to the units with the fewest proofs this epoch and parks units at the maximum;
//   - a submitter batching found proofs into submitProofs transactions (txsend.Sender), dropping
//     batches on benign reverts (stale epoch, maximum reached, ...);
//   - a controller following the chain's head: it rotates the epoch's global nonce
//     (advanceEpoch), restarts the workers at each epoch, reads units, commitment, balances and
//     every provider's proofs, and renews an expired or failed commitment;
//   - a hash-rate Meter sampled every second.
//
// Capacity, Wallet and Status return snapshots for the console's capacity and balances panes
// and for the node's GET /status. The Provider keeps running while the chain is unreachable
// and shows it in the snapshots.
package prover
