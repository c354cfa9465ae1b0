package aqua

import (
	"crypto/ed25519"

	"github.com/reefhq/reef/aqua/data"
	"github.com/reefhq/reef/aqua/jsonv"
)

// Tetraplet is the security tetraplet of a value: the peer that produced it, the service
// and function that returned it, and the lens applied to it.
type Tetraplet = data.Tetraplet

// RunParams are the per-run parameters of the host (AquaVM's RunParameters).
type RunParams struct {
	// InitPeerID is the particle's initiator: the value of %init_peer_id% and the owner
	// of literal tetraplets.
	InitPeerID string
	// CurrentPeerID is the executing peer; it decides which calls and canons run here.
	CurrentPeerID string
	// Timestamp is the particle's creation time in milliseconds (%timestamp%).
	Timestamp uint64
	// TTL is the particle's time to live in milliseconds (%ttl%).
	TTL uint32
	// ParticleID is the particle's id; it salts the data signatures.
	ParticleID string
	// Key is the current peer's Ed25519 key, used to sign the call and canon results it
	// produces. It must match CurrentPeerID. A nil Key leaves the data unsigned, which
	// other peers refuse; use it only for single-peer runs.
	Key ed25519.PrivateKey
}

// Input is everything one run consumes.
type Input struct {
	// Script is the AIR text.
	Script string
	// PrevData is the data this peer produced the last time it ran this particle
	// (empty on first contact). It is trusted.
	PrevData []byte
	// CurrentData is the data that just arrived from another peer, or empty when the
	// run only feeds call results. It is verified before it is merged.
	CurrentData []byte
	// CallResults are the results of call requests this peer issued earlier, keyed by
	// call id.
	CallResults map[uint32]CallResult
	Params      RunParams
}

// CallRequest asks the host to call a service on this peer. The host answers with a
// CallResult under the same ID in a later run.
type CallRequest struct {
	ID       uint32
	Service  string
	Function string
	// Args are the resolved argument values, in order.
	Args []jsonv.Value
	// Tetraplets has one list per argument: a single tetraplet, or one per element for
	// a whole canon stream or canon map passed as an argument.
	Tetraplets [][]Tetraplet
}

// CallResult is the host's answer to a CallRequest.
type CallResult struct {
	// RetCode is 0 for success; anything else is a service error.
	RetCode int32
	// Result is the JSON text of the returned value for success, or the error text
	// (conventionally a JSON string) for a service error.
	Result string
}

// Ok returns a successful CallResult carrying v.
func Ok(v jsonv.Value) CallResult { return CallResult{Result: v.String()} }

// Fail returns a failed CallResult whose result is msg as a JSON string (the convention of
// Fluence hosts, which is why AquaVM error messages show the text in quotes).
func Fail(retCode int32, msg string) CallResult {
	return CallResult{RetCode: retCode, Result: jsonv.Quote(msg)}
}
