// Package wire is the bounded, position-reporting reader both wire formats share: the
// particle body (peer/particle) and the hop report body (peer/hopreport).
//
// A Decoder reads fixed-size values, minimally encoded uvarints and uvarint-length
// fields from a byte slice. It never reads past the end of the input, refuses a value
// over the limit it is given, and refuses a length or list count over the bytes left,
// so nothing is allocated on a sender's word. It records only the first failure, as
// the byte offset it concerns and a message; after a failure every read returns the
// zero value. Turning the failure into an error is left to the caller, so each format
// keeps its own error type.
package wire

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"time"
	"unicode/utf8"
)

// UvarintLen returns the number of bytes binary.AppendUvarint writes for x.
func UvarintLen(x uint64) int { return max(1, (bits.Len64(x)+6)/7) }

// Decoder reads b from a position on; the zero Decoder reads nothing. Make one with
// NewDecoder.
type Decoder struct {
	b     []byte
	pos   int
	start int // offset of the field being read (after a read: of the field just read)

	failed bool
	at     int // the first failure: offset and message
	msg    string
}

// NewDecoder returns a Decoder reading b from offset pos on (the bytes before pos are
// the caller's, e.g. a magic it has checked; offsets stay relative to b).
func NewDecoder(b []byte, pos int) Decoder { return Decoder{b: b, pos: pos, start: pos} }

// Failed reports whether a read or a check has failed.
func (d *Decoder) Failed() bool { return d.failed }

// Failure returns the first failure: the byte offset it concerns and what is wrong
// (0 and "" when nothing has failed).
func (d *Decoder) Failure() (at int, msg string) { return d.at, d.msg }

// Fail records a failure at byte offset at, unless one is recorded already.
func (d *Decoder) Fail(at int, msg string) {
	if !d.failed {
		d.failed, d.at, d.msg = true, at, msg
	}
}

// Check fails at the start of the last field read when msg is not empty: the caller's
// own rule for a value the Decoder returned.
func (d *Decoder) Check(msg string) {
	if msg != "" {
		d.Fail(d.start, msg)
	}
}

// End fails at the current position when input is left over.
func (d *Decoder) End() {
	if !d.failed && d.pos != len(d.b) {
		d.Fail(d.pos, fmt.Sprintf("%d trailing bytes", len(d.b)-d.pos))
	}
}

// Take reads n bytes (a sub-slice of the input).
func (d *Decoder) Take(name string, n int) []byte {
	if d.failed {
		return nil
	}
	d.start = d.pos
	if len(d.b)-d.pos < n {
		d.Fail(d.pos, fmt.Sprintf("unexpected end of input (%s: need %d bytes, %d left)", name, n, len(d.b)-d.pos))
		return nil
	}
	v := d.b[d.pos : d.pos+n]
	d.pos += n
	return v
}

// Uvarint reads a minimally encoded uvarint of at most limit.
func (d *Decoder) Uvarint(name string, limit uint64) uint64 { return d.uvarint(name, "", limit) }

// uvarint is Uvarint for the value called name+what in messages (concatenated only
// when one is written).
func (d *Decoder) uvarint(name, what string, limit uint64) uint64 {
	if d.failed {
		return 0
	}
	start := d.pos
	d.start = start
	n, k := binary.Uvarint(d.b[d.pos:])
	switch {
	case k == 0:
		d.Fail(start, fmt.Sprintf("unexpected end of input (%s%s)", name, what))
		return 0
	case k < 0:
		d.Fail(start, fmt.Sprintf("%s%s varint overflows 64 bits", name, what))
		return 0
	case k != UvarintLen(n):
		d.Fail(start, fmt.Sprintf("%s%s varint is not minimally encoded", name, what))
		return 0
	case n > limit:
		d.Fail(start, fmt.Sprintf("%s%s is %d, limit %d", name, what, n, limit))
		return 0
	}
	d.pos += k
	return n
}

// Field reads a uvarint length (minimally encoded, at most limit and at most the bytes
// left) and that many bytes (a sub-slice of the input). A limit of math.MaxInt means
// none: only the bytes left bound the length. Every failure is reported at the start
// of the length.
func (d *Decoder) Field(name string, limit int) []byte {
	if d.failed {
		return nil
	}
	start := d.pos
	n := d.uvarint(name, " length", math.MaxUint64)
	switch {
	case d.failed:
		return nil
	case limit != math.MaxInt && n > uint64(limit):
		d.Fail(start, fmt.Sprintf("%s is %d bytes, limit %d", name, n, limit))
		return nil
	case n > uint64(len(d.b)-d.pos):
		d.Fail(start, fmt.Sprintf("%s is %d bytes, only %d left", name, n, len(d.b)-d.pos))
		return nil
	}
	v := d.b[d.pos : d.pos+int(n)]
	d.pos += int(n)
	d.start = start
	return v
}

// Str reads a Field as a string (a copy).
func (d *Decoder) Str(name string, limit int) string { return string(d.Field(name, limit)) }

// Text reads a Field of UTF-8 text.
func (d *Decoder) Text(name string, limit int) string {
	s := d.Str(name, limit)
	if !d.failed && !utf8.ValidString(s) {
		d.Fail(d.start, name+" is not valid UTF-8")
	}
	return s
}

// Count reads a list length. Every entry takes at least one byte, so a count over the
// bytes left is refused, before the caller allocates anything.
func (d *Decoder) Count(name string) int {
	if d.failed {
		return 0
	}
	start := d.pos
	n := d.uvarint(name, " count", math.MaxUint64)
	if !d.failed && n > uint64(len(d.b)-d.pos) {
		d.Fail(start, fmt.Sprintf("%s count %d exceeds the %d bytes left", name, n, len(d.b)-d.pos))
		return 0
	}
	return int(n)
}

// Time reads 8 bytes of little-endian int64 nanoseconds since 1970 as time.Unix(0, n)
// (the zero Time after a failure).
func (d *Decoder) Time(name string) time.Time {
	v := d.Take(name, 8)
	if v == nil {
		return time.Time{}
	}
	return time.Unix(0, int64(binary.LittleEndian.Uint64(v)))
}
