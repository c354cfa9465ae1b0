// Package data is the particle data of the AIR interpreter: the execution trace a peer
// leaves in a particle, the content-addressed stores its states point into, and the
// per-peer signatures over those stores.
//
// The logical structure follows AquaVM 0.62 (see docs/particle-data.md): a flat trace of
// executed states in pre-order of the AST, the last call request id, five CID stores
// (values, tetraplets, service results, canon elements, canon results) and a signature
// per peer over the CIDs that peer produced. The serialization is Reef's own: a compact,
// deterministic binary encoding (Encode/Decode) with a size bound, and a human-readable
// JSON form (MarshalJSON) shaped like AquaVM's to_human_readable_data.
package data

import (
	"slices"
	"strings"
)

// FormatVersion is the version of the binary encoding written by Encode.
const FormatVersion = 1

// InterpreterVersion is the AIR semantics this interpreter implements; it is written
// into every particle's data.
const InterpreterVersion = "0.62.0"

// Tetraplet is the security tetraplet of a value: which peer produced it, through which
// service and function, and which lens was applied.
type Tetraplet struct {
	PeerPK       string `json:"peer_pk"`
	ServiceID    string `json:"service_id"`
	FunctionName string `json:"function_name"`
	Lens         string `json:"lens"`
}

// StateKind tells which kind of executed state a State is.
type StateKind uint8

// State kinds.
const (
	StatePar StateKind = iota + 1
	StateCall
	StateFold
	StateAp
	StateCanon
)

// CallKind tells which form a call state has.
type CallKind uint8

// Call state forms.
const (
	// CallSentBy: the call was routed to another peer by Peer.
	CallSentBy CallKind = iota + 1
	// CallSentByWithID: a local call awaiting the host's result for CallID.
	CallSentByWithID
	// CallScalar: executed, the result (a service result CID) bound to a scalar.
	CallScalar
	// CallStream: executed, the result appended to a stream in Generation.
	CallStream
	// CallUnused: executed without output; CID is the value's CID.
	CallUnused
	// CallFailed: the service returned an error; CID is a service result holding
	// {"message": ..., "ret_code": ...}.
	CallFailed
)

// CanonKind tells which form a canon state has.
type CanonKind uint8

// Canon state forms.
const (
	CanonSentBy   CanonKind = iota + 1 // routed to the canon's peer by Peer
	CanonExecuted                      // executed; CID is a canon result
)

// State is one executed state of the trace. Which fields are meaningful depends on Kind
// (and Call/Canon for those kinds).
type State struct {
	Kind StateKind

	// Par: number of states produced by the left and right branch.
	Left, Right uint32

	// Call and Canon.
	Call  CallKind
	Canon CanonKind
	// Peer is the sender of a SentBy state.
	Peer   string
	CallID uint32
	CID    CID
	// Generation of a stream call or an ap.
	Generation uint32

	// Fold: one lore entry per iterated value.
	Lore []FoldLore
}

// FoldLore describes one iteration of a fold over a stream: the position of the state
// that produced the iterated value, and the ranges of states the iteration body wrote
// before and after its `next`.
type FoldLore struct {
	ValuePos      uint32
	Before, After SubTrace
}

// SubTrace is a range of trace positions.
type SubTrace struct {
	Pos, Len uint32
}

// Convenience constructors, mostly for tests.

// Par returns a par state.
func Par(l, r uint32) State { return State{Kind: StatePar, Left: l, Right: r} }

// Ap returns an ap state in generation g.
func Ap(g uint32) State { return State{Kind: StateAp, Generation: g} }

// SentBy returns a call state routed by peer.
func SentBy(peer string) State { return State{Kind: StateCall, Call: CallSentBy, Peer: peer} }

// SentByWithID returns a call state awaiting a local result.
func SentByWithID(peer string, id uint32) State {
	return State{Kind: StateCall, Call: CallSentByWithID, Peer: peer, CallID: id}
}

// ServiceResult ties a call's value to its argument hash and tetraplet.
type ServiceResult struct {
	Value     CID
	ArgHash   CID
	Tetraplet CID
}

// ProvenanceKind tells where a canon element's value came from.
type ProvenanceKind uint8

// Provenance kinds.
const (
	ProvLiteral ProvenanceKind = iota + 1
	ProvServiceResult
	ProvCanon
)

// Provenance is a value's origin: a literal, a service result or a canon result.
type Provenance struct {
	Kind ProvenanceKind
	CID  CID // zero for literals
}

// CanonElement is one value of a canonicalized stream.
type CanonElement struct {
	Value      CID
	Tetraplet  CID
	Provenance Provenance
}

// CanonResult is the snapshot a canon instruction took.
type CanonResult struct {
	Tetraplet CID
	Values    []CID // canon element CIDs
}

// Data is the whole particle data written by one run on one peer.
type Data struct {
	// Version is the interpreter version that wrote the data.
	Version    string
	Trace      []State
	LastCallID uint32

	Values         map[CID][]byte // canonical JSON text
	Tetraplets     map[CID]Tetraplet
	ServiceResults map[CID]ServiceResult
	CanonElements  map[CID]CanonElement
	CanonResults   map[CID]CanonResult

	// Signatures maps a peer's Ed25519 public key to its signature over the CIDs it
	// produced (see SignedCIDs).
	Signatures map[PublicKey]Signature
}

// New returns empty data with initialised stores.
func New() *Data {
	return &Data{
		Version:        InterpreterVersion,
		Values:         map[CID][]byte{},
		Tetraplets:     map[CID]Tetraplet{},
		ServiceResults: map[CID]ServiceResult{},
		CanonElements:  map[CID]CanonElement{},
		CanonResults:   map[CID]CanonResult{},
		Signatures:     map[PublicKey]Signature{},
	}
}

// AddValue stores a canonical JSON text and returns its CID.
func (d *Data) AddValue(text []byte) CID {
	c := ValueCID(text)
	if _, ok := d.Values[c]; !ok {
		d.Values[c] = text
	}
	return c
}

// AddTetraplet stores a tetraplet and returns its CID.
func (d *Data) AddTetraplet(t Tetraplet) CID {
	c := TetrapletCID(t)
	if _, ok := d.Tetraplets[c]; !ok {
		d.Tetraplets[c] = t
	}
	return c
}

// AddServiceResult stores a service result and returns its CID.
func (d *Data) AddServiceResult(r ServiceResult) CID {
	c := ServiceResultCID(r)
	d.ServiceResults[c] = r
	return c
}

// AddCanonElement stores a canon element and returns its CID.
func (d *Data) AddCanonElement(e CanonElement) CID {
	c := CanonElementCID(e)
	d.CanonElements[c] = e
	return c
}

// AddCanonResult stores a canon result and returns its CID.
func (d *Data) AddCanonResult(r CanonResult) CID {
	c := CanonResultCID(r)
	if _, ok := d.CanonResults[c]; !ok {
		d.CanonResults[c] = r
	}
	return c
}

// MergeStores adds every store entry of o to d (the stores of the output are the union
// of both inputs plus what a run created). Signatures are not merged here.
func (d *Data) MergeStores(o *Data) {
	for k, v := range o.Values {
		d.Values[k] = v
	}
	for k, v := range o.Tetraplets {
		d.Tetraplets[k] = v
	}
	for k, v := range o.ServiceResults {
		d.ServiceResults[k] = v
	}
	for k, v := range o.CanonElements {
		d.CanonElements[k] = v
	}
	for k, v := range o.CanonResults {
		d.CanonResults[k] = v
	}
}

// SignedCIDs returns, for every peer that produced a service result or canon result
// referenced from the trace, the sorted multiset of those CIDs. A peer's signature covers
// exactly its list. Tetraplets that cannot be resolved are skipped (Verify reports them).
func (d *Data) SignedCIDs() map[string][]CID {
	out := map[string][]CID{}
	for i := range d.Trace {
		s := &d.Trace[i]
		var peer string
		switch {
		case s.Kind == StateCall && (s.Call == CallScalar || s.Call == CallStream || s.Call == CallFailed):
			sr, ok := d.ServiceResults[s.CID]
			if !ok {
				continue
			}
			t, ok := d.Tetraplets[sr.Tetraplet]
			if !ok {
				continue
			}
			peer = t.PeerPK
		case s.Kind == StateCanon && s.Canon == CanonExecuted:
			cr, ok := d.CanonResults[s.CID]
			if !ok {
				continue
			}
			t, ok := d.Tetraplets[cr.Tetraplet]
			if !ok {
				continue
			}
			peer = t.PeerPK
		default:
			continue
		}
		out[peer] = append(out[peer], s.CID)
	}
	for _, l := range out {
		slices.SortFunc(l, func(a, b CID) int { return strings.Compare(string(a[:]), string(b[:])) })
	}
	return out
}

// IsSubMultiset reports whether sorted list a is contained (with multiplicity) in sorted
// list b.
func IsSubMultiset(a, b []CID) bool {
	j := 0
	for _, x := range a {
		for j < len(b) && string(b[j][:]) < string(x[:]) {
			j++
		}
		if j >= len(b) || b[j] != x {
			return false
		}
		j++
	}
	return true
}
