package events

import (
	"time"

	"github.com/reefhq/reef/peer/hopreport"
)

// Event is anything the node reports. The concrete types below form a closed set; a
// type switch over them is exhaustive.
type Event interface {
	// At is when the event happened.
	At() time.Time
	isEvent()
}

// Base carries the time of an event.
type Base struct {
	Time time.Time
}

// At implements Event.
func (b Base) At() time.Time { return b.Time }
func (Base) isEvent()        {}

// Particle identifies a particle in events.
type Particle struct {
	ID         string
	InitPeerID string
	// Timestamp and TTL are in milliseconds.
	Timestamp uint64
	TTL       uint32
}

// Deadline returns when the particle expires.
func (p Particle) Deadline() time.Time {
	return time.UnixMilli(int64(p.Timestamp)).Add(time.Duration(p.TTL) * time.Millisecond)
}

// ParticleReceived: a particle arrived from a peer (From is empty for particles this node
// starts itself).
type ParticleReceived struct {
	Base
	Particle Particle
	From     string
	Size     int
}

// ParticleExecuted: one interpreter run of a particle on this node.
type ParticleExecuted struct {
	Base
	Particle     Particle
	Duration     time.Duration
	Instructions int
	// Calls is the number of call requests the run issued; Results the number of call
	// results it consumed.
	Calls, Results int
	NextPeers      []string
	RetCode        int64
	Error          string
}

// ParticleForwarded: the particle was sent to a peer.
type ParticleForwarded struct {
	Base
	Particle Particle
	To       string
	Size     int
	Duration time.Duration
}

// ParticleUnreachable: the particle could not be sent to a peer.
type ParticleUnreachable struct {
	Base
	Particle Particle
	To       string
	Reason   string
}

// ParticleCompleted: the particle's script has nothing left to do on this node (no
// pending calls and no further peers from this node's last run).
type ParticleCompleted struct {
	Base
	Particle Particle
}

// ParticleExpired: the particle's TTL ran out while this node held it. Pending names the
// calls it was still waiting for, LastPeers where this node last sent it.
type ParticleExpired struct {
	Base
	Particle  Particle
	Pending   []string
	LastPeers []string
}

// ParticleRejected: an incoming particle was refused before execution.
type ParticleRejected struct {
	Base
	ParticleID string
	From       string
	Reason     string // "signature", "expired", "oversize", "malformed", ...
	Detail     string
}

// HopReport: a node that ran a particle this node started with tracing on reported the
// run (docs/protocol.md, "Hop reports"). The report's signature has been verified.
// Via is the peer that delivered it: the reporter, or this client's relay.
type HopReport struct {
	Base
	Report hopreport.Report
	Via    string
}

// PeerConnected and PeerDisconnected report connection changes.
type PeerConnected struct {
	Base
	Peer      string
	Direction string // "inbound" or "outbound"
	Addr      string
}

// PeerDisconnected: the last connection to a peer closed.
type PeerDisconnected struct {
	Base
	Peer string
}

// RoutingTableChanged: a peer entered or left the routing table.
type RoutingTableChanged struct {
	Base
	Peer  string
	Added bool
	Size  int
}

// LookupEvent: one step of a DHT lookup (query sent, response, dial, error, final).
type LookupEvent struct {
	Base
	// LookupID groups the steps of one lookup.
	LookupID uint64
	Target   string
	Type     string // "sending", "response", "dialing", "adding", "error", "final"
	Peer     string
	Closer   []string
	Error    string
}

// ServiceCreated: a Wasm service was created on this node (srv.create, or a deploy).
type ServiceCreated struct {
	Base
	ID     string
	Module string // the module's sha256, hex
	Owner  string // the peer that created it
}

// ServiceDeployed: an alias was pointed at a service (srv.add_alias, or a deploy). When
// the alias pointed at another service before, Redeploy is true and Previous is that
// service's id: calls by the alias go to ID from now on, while calls already running on
// Previous finish there.
type ServiceDeployed struct {
	Base
	ID       string
	Alias    string
	Module   string
	Previous string
	Redeploy bool
}

// ServiceRemoved: a service was removed (srv.remove, or replaced by a deploy). It stops
// once the calls it is running finish.
type ServiceRemoved struct {
	Base
	ID      string
	Aliases []string
	Module  string
}
