package data

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// DefaultMaxSize bounds encoded particle data (Decode refuses larger input, Encode
// refuses to produce it).
const DefaultMaxSize = 16 << 20

// magic starts every encoding; the third byte is the format version.
var magic = [3]byte{'R', 'D', FormatVersion}

// ErrTooLarge is returned when data exceeds the size bound.
var ErrTooLarge = errors.New("particle data exceeds the size limit")

// DecodeError describes malformed particle data.
type DecodeError struct {
	Offset int
	Msg    string
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("malformed particle data at byte %d: %s", e.Offset, e.Msg)
}

// Encode serializes d deterministically: the same logical data always yields the same
// bytes (store entries and signatures are written in CID / key order). It fails when the
// result would exceed maxSize (0 means DefaultMaxSize).
func Encode(d *Data, maxSize int) ([]byte, error) {
	if maxSize <= 0 {
		maxSize = DefaultMaxSize
	}
	// Encode into a pooled scratch buffer and return an exact-size copy: the result is
	// kept for a particle's lifetime (on every peer it visits, and in the console's
	// replay history), and growing it by append left up to a quarter of it unused.
	w := scratch.Get().(*writer)
	defer w.release()
	w.buf = append(w.buf[:0], magic[:]...)
	w.str(d.Version)
	w.uv(uint64(d.LastCallID))
	w.uv(uint64(len(d.Trace)))
	for i := range d.Trace {
		w.state(&d.Trace[i])
	}
	w.uv(uint64(len(d.Values)))
	for _, c := range sortedKeys(d.Values) {
		w.cid(c)
		w.bytes(d.Values[c])
	}
	w.uv(uint64(len(d.Tetraplets)))
	for _, c := range sortedKeys(d.Tetraplets) {
		t := d.Tetraplets[c]
		w.cid(c)
		w.str(t.PeerPK)
		w.str(t.ServiceID)
		w.str(t.FunctionName)
		w.str(t.Lens)
	}
	w.uv(uint64(len(d.ServiceResults)))
	for _, c := range sortedKeys(d.ServiceResults) {
		r := d.ServiceResults[c]
		w.cid(c)
		w.cid(r.Value)
		w.cid(r.ArgHash)
		w.cid(r.Tetraplet)
	}
	w.uv(uint64(len(d.CanonElements)))
	for _, c := range sortedKeys(d.CanonElements) {
		e := d.CanonElements[c]
		w.cid(c)
		w.cid(e.Value)
		w.cid(e.Tetraplet)
		w.buf = append(w.buf, byte(e.Provenance.Kind))
		if e.Provenance.Kind != ProvLiteral {
			w.cid(e.Provenance.CID)
		}
	}
	w.uv(uint64(len(d.CanonResults)))
	for _, c := range sortedKeys(d.CanonResults) {
		r := d.CanonResults[c]
		w.cid(c)
		w.cid(r.Tetraplet)
		w.uv(uint64(len(r.Values)))
		for _, v := range r.Values {
			w.cid(v)
		}
	}
	keys := make([]PublicKey, 0, len(d.Signatures))
	for k := range d.Signatures {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b PublicKey) int { return strings.Compare(string(a[:]), string(b[:])) })
	w.uv(uint64(len(keys)))
	for _, k := range keys {
		s := d.Signatures[k]
		w.buf = append(w.buf, k[:]...)
		w.buf = append(w.buf, s[:]...)
	}
	if len(w.buf) > maxSize {
		return nil, fmt.Errorf("%w: %d bytes > %d", ErrTooLarge, len(w.buf), maxSize)
	}
	return bytes.Clone(w.buf), nil
}

// scratch holds Encode's buffers between calls.
var scratch = sync.Pool{New: func() any { return &writer{buf: make([]byte, 0, 4<<10)} }}

// maxScratch is the largest buffer kept for reuse; a rare huge particle's buffer is
// left to the collector.
const maxScratch = 1 << 20

func (w *writer) release() {
	if cap(w.buf) <= maxScratch {
		scratch.Put(w)
	}
}

func sortedKeys[V any](m map[CID]V) []CID {
	keys := make([]CID, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b CID) int { return strings.Compare(string(a[:]), string(b[:])) })
	return keys
}

type writer struct{ buf []byte }

func (w *writer) uv(x uint64)    { w.buf = binary.AppendUvarint(w.buf, x) }
func (w *writer) str(s string)   { w.uv(uint64(len(s))); w.buf = append(w.buf, s...) }
func (w *writer) bytes(b []byte) { w.uv(uint64(len(b))); w.buf = append(w.buf, b...) }
func (w *writer) cid(c CID)      { w.buf = append(w.buf, c[:]...) }
func (w *writer) sub(s SubTrace) { w.uv(uint64(s.Pos)); w.uv(uint64(s.Len)) }
func (w *writer) state(s *State) {
	switch s.Kind {
	case StatePar:
		w.buf = append(w.buf, tagPar)
		w.uv(uint64(s.Left))
		w.uv(uint64(s.Right))
	case StateCall:
		switch s.Call {
		case CallSentBy:
			w.buf = append(w.buf, tagCallSentBy)
			w.str(s.Peer)
		case CallSentByWithID:
			w.buf = append(w.buf, tagCallSentByID)
			w.str(s.Peer)
			w.uv(uint64(s.CallID))
		case CallScalar:
			w.buf = append(w.buf, tagCallScalar)
			w.cid(s.CID)
		case CallStream:
			w.buf = append(w.buf, tagCallStream)
			w.cid(s.CID)
			w.uv(uint64(s.Generation))
		case CallUnused:
			w.buf = append(w.buf, tagCallUnused)
			w.cid(s.CID)
		case CallFailed:
			w.buf = append(w.buf, tagCallFailed)
			w.cid(s.CID)
		}
	case StateFold:
		w.buf = append(w.buf, tagFold)
		w.uv(uint64(len(s.Lore)))
		for _, l := range s.Lore {
			w.uv(uint64(l.ValuePos))
			w.sub(l.Before)
			w.sub(l.After)
		}
	case StateAp:
		w.buf = append(w.buf, tagAp)
		w.uv(uint64(s.Generation))
	case StateCanon:
		if s.Canon == CanonSentBy {
			w.buf = append(w.buf, tagCanonSentBy)
			w.str(s.Peer)
		} else {
			w.buf = append(w.buf, tagCanonExecuted)
			w.cid(s.CID)
		}
	}
}

// State tags of the binary encoding.
const (
	tagPar byte = iota + 1
	tagCallSentBy
	tagCallSentByID
	tagCallScalar
	tagCallStream
	tagCallUnused
	tagCallFailed
	tagFold
	tagAp
	tagCanonSentBy
	tagCanonExecuted
)

// Decode parses data written by Encode. Empty input is valid and means "no data" (a nil
// *Data is never returned for it: the result is New()). Input larger than maxSize (0
// means DefaultMaxSize) is refused before parsing. Decode checks structure only; call
// Verify for content integrity.
func Decode(b []byte, maxSize int) (*Data, error) {
	if maxSize <= 0 {
		maxSize = DefaultMaxSize
	}
	if len(b) > maxSize {
		return nil, fmt.Errorf("%w: %d bytes > %d", ErrTooLarge, len(b), maxSize)
	}
	d := New()
	if len(b) == 0 {
		return d, nil
	}
	r := reader{buf: b}
	if len(b) < len(magic) || b[0] != magic[0] || b[1] != magic[1] {
		return nil, &DecodeError{0, "not Reef particle data (bad magic)"}
	}
	if b[2] != FormatVersion {
		return nil, &DecodeError{2, fmt.Sprintf("unsupported format version %d (this build reads %d)", b[2], FormatVersion)}
	}
	r.pos = len(magic)
	d.Version = r.str()
	d.LastCallID = r.u32()
	n := r.count(2)
	if r.err == nil {
		d.Trace = make([]State, 0, n)
	}
	for i := 0; i < n && r.err == nil; i++ {
		d.Trace = append(d.Trace, r.state())
	}
	for i, n := 0, r.count(33); i < n && r.err == nil; i++ {
		c := r.cid()
		v := r.bytesv()
		if r.err == nil {
			if _, dup := d.Values[c]; dup {
				r.fail("duplicate value entry")
			}
			d.Values[c] = v
		}
	}
	for i, n := 0, r.count(36); i < n && r.err == nil; i++ {
		c := r.cid()
		t := Tetraplet{PeerPK: r.str(), ServiceID: r.str(), FunctionName: r.str(), Lens: r.str()}
		if r.err == nil {
			d.Tetraplets[c] = t
		}
	}
	for i, n := 0, r.count(128); i < n && r.err == nil; i++ {
		c := r.cid()
		sr := ServiceResult{Value: r.cid(), ArgHash: r.cid(), Tetraplet: r.cid()}
		if r.err == nil {
			d.ServiceResults[c] = sr
		}
	}
	for i, n := 0, r.count(97); i < n && r.err == nil; i++ {
		c := r.cid()
		e := CanonElement{Value: r.cid(), Tetraplet: r.cid()}
		e.Provenance.Kind = ProvenanceKind(r.byte1())
		switch e.Provenance.Kind {
		case ProvLiteral:
		case ProvServiceResult, ProvCanon:
			e.Provenance.CID = r.cid()
		default:
			r.fail("unknown provenance kind")
		}
		if r.err == nil {
			d.CanonElements[c] = e
		}
	}
	for i, n := 0, r.count(65); i < n && r.err == nil; i++ {
		c := r.cid()
		cr := CanonResult{Tetraplet: r.cid()}
		m := r.count(32)
		for i := 0; i < m && r.err == nil; i++ {
			cr.Values = append(cr.Values, r.cid())
		}
		if r.err == nil {
			d.CanonResults[c] = cr
		}
	}
	ns := r.count(ed25519Size)
	for i := 0; i < ns && r.err == nil; i++ {
		var k PublicKey
		var s Signature
		copy(k[:], r.take(len(k)))
		copy(s[:], r.take(len(s)))
		if r.err == nil {
			d.Signatures[k] = s
		}
	}
	if r.err == nil && r.pos != len(b) {
		r.fail("trailing bytes")
	}
	if r.err != nil {
		return nil, r.err
	}
	return d, nil
}

const ed25519Size = 32 + 64

type reader struct {
	buf []byte
	pos int
	err error
}

func (r *reader) fail(msg string) {
	if r.err == nil {
		r.err = &DecodeError{r.pos, msg}
	}
}

func (r *reader) uv() uint64 {
	if r.err != nil {
		return 0
	}
	x, n := binary.Uvarint(r.buf[r.pos:])
	if n <= 0 {
		r.fail("bad varint")
		return 0
	}
	r.pos += n
	return x
}

func (r *reader) u32() uint32 {
	x := r.uv()
	if x > 1<<32-1 {
		r.fail("number does not fit 32 bits")
	}
	return uint32(x)
}

// count reads an element count and checks it against the bytes left, given the
// minimal encoded size of one element, so a forged count cannot force a huge allocation.
func (r *reader) count(minSize int) int {
	x := r.uv()
	if r.err == nil && x > uint64((len(r.buf)-r.pos)/minSize) {
		r.fail("count exceeds remaining input")
		return 0
	}
	return int(x)
}

func (r *reader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || len(r.buf)-r.pos < n {
		r.fail("unexpected end of input")
		return nil
	}
	b := r.buf[r.pos : r.pos+n]
	r.pos += n
	return b
}

func (r *reader) byte1() byte {
	b := r.take(1)
	if b == nil {
		return 0
	}
	return b[0]
}

func (r *reader) str() string {
	n := r.uv()
	if r.err == nil && n > uint64(len(r.buf)-r.pos) {
		r.fail("string longer than input")
		return ""
	}
	return string(r.take(int(n)))
}

func (r *reader) bytesv() []byte {
	n := r.uv()
	if r.err == nil && n > uint64(len(r.buf)-r.pos) {
		r.fail("value longer than input")
		return nil
	}
	return append([]byte(nil), r.take(int(n))...)
}

func (r *reader) cid() CID {
	var c CID
	copy(c[:], r.take(32))
	return c
}

func (r *reader) sub() SubTrace { return SubTrace{Pos: r.u32(), Len: r.u32()} }

func (r *reader) state() State {
	switch tag := r.byte1(); tag {
	case tagPar:
		return State{Kind: StatePar, Left: r.u32(), Right: r.u32()}
	case tagCallSentBy:
		return State{Kind: StateCall, Call: CallSentBy, Peer: r.str()}
	case tagCallSentByID:
		return State{Kind: StateCall, Call: CallSentByWithID, Peer: r.str(), CallID: r.u32()}
	case tagCallScalar:
		return State{Kind: StateCall, Call: CallScalar, CID: r.cid()}
	case tagCallStream:
		return State{Kind: StateCall, Call: CallStream, CID: r.cid(), Generation: r.u32()}
	case tagCallUnused:
		return State{Kind: StateCall, Call: CallUnused, CID: r.cid()}
	case tagCallFailed:
		return State{Kind: StateCall, Call: CallFailed, CID: r.cid()}
	case tagFold:
		n := r.count(5)
		s := State{Kind: StateFold, Lore: make([]FoldLore, 0, n)}
		for i := 0; i < n && r.err == nil; i++ {
			s.Lore = append(s.Lore, FoldLore{ValuePos: r.u32(), Before: r.sub(), After: r.sub()})
		}
		return s
	case tagAp:
		return State{Kind: StateAp, Generation: r.u32()}
	case tagCanonSentBy:
		return State{Kind: StateCanon, Canon: CanonSentBy, Peer: r.str()}
	case tagCanonExecuted:
		return State{Kind: StateCanon, Canon: CanonExecuted, CID: r.cid()}
	default:
		r.fail(fmt.Sprintf("unknown state tag %d", tag))
		return State{}
	}
}
