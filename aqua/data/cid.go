package data

import (
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"lukechampine.com/blake3"
)

// CID is a content identifier: the BLAKE3-256 digest of an entry's canonical bytes.
// Its text form (String) is a CIDv1 with the json multicodec and a blake3 multihash in
// base32-lower multibase, exactly as AquaVM prints value CIDs ("bagaaihra...").
type CID [32]byte

// cidPrefix is CIDv1 (0x01), multicodec json (0x0200 as varint 0x80 0x04), multihash
// blake3 (0x1e) of 32 bytes (0x20).
var cidPrefix = []byte{0x01, 0x80, 0x04, 0x1e, 0x20}

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// IsZero reports whether c is the zero CID (used for "no CID").
func (c CID) IsZero() bool { return c == CID{} }

// String returns the CIDv1 text form.
func (c CID) String() string {
	buf := make([]byte, 0, len(cidPrefix)+32)
	buf = append(buf, cidPrefix...)
	buf = append(buf, c[:]...)
	return "b" + strings.ToLower(b32.EncodeToString(buf))
}

// ParseCID parses the text form written by String.
func ParseCID(s string) (CID, error) {
	var c CID
	if len(s) < 2 || s[0] != 'b' {
		return c, errors.New("cid: not a base32 multibase string")
	}
	raw, err := b32.DecodeString(strings.ToUpper(s[1:]))
	if err != nil {
		return c, fmt.Errorf("cid: %w", err)
	}
	if len(raw) != len(cidPrefix)+32 || string(raw[:len(cidPrefix)]) != string(cidPrefix) {
		return c, errors.New("cid: not a CIDv1 json/blake3-256 identifier")
	}
	copy(c[:], raw[len(cidPrefix):])
	return c, nil
}

// MarshalText implements encoding.TextMarshaler.
func (c CID) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *CID) UnmarshalText(b []byte) error {
	p, err := ParseCID(string(b))
	*c = p
	return err
}

// ValueCID is the CID of a JSON value given as canonical JSON text (the same recipe as
// AquaVM: BLAKE3 over the compact serde_json text).
func ValueCID(text []byte) CID { return blake3.Sum256(text) }

// Domain tags keep the hash inputs of different structured entries apart.
const (
	tagTetraplet     = 't'
	tagServiceResult = 's'
	tagCanonElement  = 'e'
	tagCanonResult   = 'c'
)

// hasher builds the canonical bytes of a structured entry.
type hasher struct{ buf []byte }

func (h *hasher) str(s string) {
	h.buf = binary.AppendUvarint(h.buf, uint64(len(s)))
	h.buf = append(h.buf, s...)
}
func (h *hasher) cid(c CID) { h.buf = append(h.buf, c[:]...) }
func (h *hasher) sum() CID  { return blake3.Sum256(h.buf) }

// TetrapletCID is the CID of a tetraplet.
func TetrapletCID(t Tetraplet) CID {
	var arr [128]byte
	h := hasher{buf: append(arr[:0], tagTetraplet)}
	h.str(t.PeerPK)
	h.str(t.ServiceID)
	h.str(t.FunctionName)
	h.str(t.Lens)
	return h.sum()
}

// ServiceResultCID is the CID of a service result.
func ServiceResultCID(r ServiceResult) CID {
	var arr [1 + 3*32]byte
	h := hasher{buf: append(arr[:0], tagServiceResult)}
	h.cid(r.Value)
	h.cid(r.ArgHash)
	h.cid(r.Tetraplet)
	return h.sum()
}

// CanonElementCID is the CID of a canon element.
func CanonElementCID(e CanonElement) CID {
	var arr [2 + 3*32]byte
	h := hasher{buf: append(arr[:0], tagCanonElement)}
	h.cid(e.Value)
	h.cid(e.Tetraplet)
	h.buf = append(h.buf, byte(e.Provenance.Kind))
	if e.Provenance.Kind != ProvLiteral {
		h.cid(e.Provenance.CID)
	}
	return h.sum()
}

// CanonResultCID is the CID of a canon result.
func CanonResultCID(r CanonResult) CID {
	h := hasher{buf: make([]byte, 0, 1+32+binary.MaxVarintLen64+32*len(r.Values))}
	h.buf = append(h.buf, tagCanonResult)
	h.cid(r.Tetraplet)
	h.buf = binary.AppendUvarint(h.buf, uint64(len(r.Values)))
	for _, v := range r.Values {
		h.cid(v)
	}
	return h.sum()
}
