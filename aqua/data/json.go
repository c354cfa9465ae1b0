package data

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/mr-tron/base58"
)

// MarshalJSON renders a State the way AquaVM's to_human_readable_data prints it, e.g.
// {"par":[1,1]}, {"call":{"executed":{"scalar":"bagaa..."}}}, {"ap":{"gens":[0]}}.
func (s State) MarshalJSON() ([]byte, error) {
	type m = map[string]any
	var v any
	switch s.Kind {
	case StatePar:
		v = m{"par": []uint32{s.Left, s.Right}}
	case StateCall:
		switch s.Call {
		case CallSentBy:
			v = m{"call": m{"sent_by": m{"PeerId": s.Peer}}}
		case CallSentByWithID:
			v = m{"call": m{"sent_by": m{"PeerIdWithCallId": m{"call_id": s.CallID, "peer_id": s.Peer}}}}
		case CallScalar:
			v = m{"call": m{"executed": m{"scalar": s.CID.String()}}}
		case CallStream:
			v = m{"call": m{"executed": m{"stream": m{"cid": s.CID.String(), "generation": s.Generation}}}}
		case CallUnused:
			v = m{"call": m{"executed": m{"unused": s.CID.String()}}}
		case CallFailed:
			v = m{"call": m{"failed": s.CID.String()}}
		}
	case StateFold:
		lore := make([]any, len(s.Lore))
		for i, l := range s.Lore {
			lore[i] = m{"pos": l.ValuePos, "desc": []any{
				m{"pos": l.Before.Pos, "len": l.Before.Len},
				m{"pos": l.After.Pos, "len": l.After.Len},
			}}
		}
		v = m{"fold": m{"lore": lore}}
	case StateAp:
		v = m{"ap": m{"gens": []uint32{s.Generation}}}
	case StateCanon:
		if s.Canon == CanonSentBy {
			v = m{"canon": m{"sent_by": s.Peer}}
		} else {
			v = m{"canon": m{"executed": s.CID.String()}}
		}
	}
	return json.Marshal(v)
}

// MarshalJSON renders the whole data in a readable form: version, trace, stores (values
// as JSON, keyed by CID text) and signatures (base58, keyed by peer id).
func (d *Data) MarshalJSON() ([]byte, error) {
	type m = map[string]any
	values := m{}
	for c, v := range d.Values {
		if json.Valid(v) {
			values[c.String()] = json.RawMessage(v)
		} else {
			values[c.String()] = m{"invalid_json": string(v)}
		}
	}
	tetraplets := m{}
	for c, t := range d.Tetraplets {
		tetraplets[c.String()] = t
	}
	srs := m{}
	for c, r := range d.ServiceResults {
		srs[c.String()] = m{"value_cid": r.Value.String(), "argument_hash": r.ArgHash.String(), "tetraplet_cid": r.Tetraplet.String()}
	}
	elems := m{}
	for c, e := range d.CanonElements {
		prov := m{"type": "literal"}
		switch e.Provenance.Kind {
		case ProvServiceResult:
			prov = m{"type": "service_result", "cid": e.Provenance.CID.String()}
		case ProvCanon:
			prov = m{"type": "canon", "cid": e.Provenance.CID.String()}
		}
		elems[c.String()] = m{"value": e.Value.String(), "tetraplet": e.Tetraplet.String(), "provenance": prov}
	}
	canons := m{}
	for c, r := range d.CanonResults {
		vals := make([]string, len(r.Values))
		for i, v := range r.Values {
			vals[i] = v.String()
		}
		canons[c.String()] = m{"tetraplet": r.Tetraplet.String(), "values": vals}
	}
	sigs := m{}
	keys := make([]PublicKey, 0, len(d.Signatures))
	for k := range d.Signatures {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b PublicKey) int { return strings.Compare(string(a[:]), string(b[:])) })
	for _, k := range keys {
		s := d.Signatures[k]
		sigs[k.PeerID()] = base58.Encode(s[:])
	}
	trace := d.Trace
	if trace == nil {
		trace = []State{}
	}
	return json.Marshal(m{
		"version":              d.Version,
		"trace":                trace,
		"last_call_request_id": d.LastCallID,
		"cid_info": m{
			"value_store":          values,
			"tetraplet_store":      tetraplets,
			"service_result_store": srs,
			"canon_element_store":  elems,
			"canon_result_store":   canons,
		},
		"signatures": sigs,
	})
}
