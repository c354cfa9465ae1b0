package wire

import (
	"encoding/binary"
	"math"
	"testing"
)

func TestUvarintLen(t *testing.T) {
	for _, x := range []uint64{0, 1, 127, 128, 16383, 16384, 1<<32 - 1, 1<<63 - 1, 1 << 63, math.MaxUint64} {
		if got, want := UvarintLen(x), len(binary.AppendUvarint(nil, x)); got != want {
			t.Errorf("UvarintLen(%d) = %d, want %d", x, got, want)
		}
	}
}

// TestDecoderFailure checks the offset and message of each failure. Every input starts
// with two bytes the Decoder skips, so offsets are not confused with field offsets.
func TestDecoderFailure(t *testing.T) {
	overflow := []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}
	tests := []struct {
		name string
		in   []byte
		read func(d *Decoder)
		at   int
		msg  string
	}{
		{"take: end of input", []byte{1, 2, 3}, func(d *Decoder) { d.Take("ttl", 4) },
			2, "unexpected end of input (ttl: need 4 bytes, 1 left)"},
		{"time: end of input", []byte{0, 0}, func(d *Decoder) { d.Time("start") },
			2, "unexpected end of input (start: need 8 bytes, 0 left)"},
		{"uvarint: end of input", []byte{0, 0, 0x80}, func(d *Decoder) { d.Uvarint("omitted", 10) },
			2, "unexpected end of input (omitted)"},
		{"uvarint: not minimal", []byte{0, 0, 0x81, 0x00}, func(d *Decoder) { d.Uvarint("call id", 10) },
			2, "call id varint is not minimally encoded"},
		{"uvarint: overflow", append([]byte{0, 0}, overflow...), func(d *Decoder) { d.Uvarint("call id", 10) },
			2, "call id varint overflows 64 bits"},
		{"uvarint: over limit", []byte{0, 0, 0x0b}, func(d *Decoder) { d.Uvarint("call id", 10) },
			2, "call id is 11, limit 10"},
		{"field: end of input", []byte{0, 0}, func(d *Decoder) { d.Field("id", 8) },
			2, "unexpected end of input (id length)"},
		{"field: not minimal", []byte{0, 0, 0x80, 0x00}, func(d *Decoder) { d.Field("id", 8) },
			2, "id length varint is not minimally encoded"},
		{"field: overflow", append([]byte{0, 0}, overflow...), func(d *Decoder) { d.Field("id", 8) },
			2, "id length varint overflows 64 bits"},
		{"field: over limit", []byte{0, 0, 9, 'a'}, func(d *Decoder) { d.Field("id", 8) },
			2, "id is 9 bytes, limit 8"},
		{"field: over bytes left", []byte{0, 0, 3, 'a', 'b'}, func(d *Decoder) { d.Field("id", 8) },
			2, "id is 3 bytes, only 2 left"},
		{"field: no limit, over bytes left", []byte{0, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01},
			func(d *Decoder) { d.Field("data", math.MaxInt) },
			2, "data is 9223372036854775808 bytes, only 0 left"},
		{"second field", []byte{0, 0, 1, 'a', 5, 'b'}, func(d *Decoder) { d.Field("id", 8); d.Field("script", math.MaxInt) },
			4, "script is 5 bytes, only 1 left"},
		{"count: over bytes left", []byte{0, 0, 3, 1, 1}, func(d *Decoder) { d.Count("calls") },
			2, "calls count 3 exceeds the 2 bytes left"},
		{"count: end of input", []byte{0, 0}, func(d *Decoder) { d.Count("calls") },
			2, "unexpected end of input (calls count)"},
		{"text: invalid UTF-8", []byte{0, 0, 1, 'a', 3, 'x', 0xff, 'y'}, func(d *Decoder) { d.Str("id", 8); d.Text("error", 8) },
			4, "error is not valid UTF-8"},
		{"check: at the last field", []byte{0, 0, 1, 'a', 2, 'b', 'c'}, func(d *Decoder) { d.Str("id", 8); d.Str("name", 8); d.Check("bad name") },
			4, "bad name"},
		{"check: after take", []byte{0, 0, 1, 'a', 7}, func(d *Decoder) { d.Str("id", 8); d.Take("flag", 1); d.Check("bad flag") },
			4, "bad flag"},
		{"end: trailing bytes", []byte{0, 0, 1, 'a', 7, 7}, func(d *Decoder) { d.Str("id", 8); d.End() },
			4, "2 trailing bytes"},
		{"first failure wins", []byte{0, 0, 9}, func(d *Decoder) {
			d.Field("id", 8)
			d.Fail(0, "later")
			d.Check("later")
			if d.Take("ttl", 1) != nil || d.Uvarint("n", 10) != 0 || d.Count("calls") != 0 || d.Text("t", 8) != "" {
				d.Fail(0, "a read after a failure returned something")
			}
			d.End()
		}, 2, "id is 9 bytes, limit 8"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := NewDecoder(tc.in, 2)
			tc.read(&d)
			if !d.Failed() {
				t.Fatalf("no failure, want at byte %d: %s", tc.at, tc.msg)
			}
			if at, msg := d.Failure(); at != tc.at || msg != tc.msg {
				t.Errorf("failure at byte %d: %q, want at byte %d: %q", at, msg, tc.at, tc.msg)
			}
		})
	}
}

func TestDecoderReads(t *testing.T) {
	b := []byte{'R', 'P', 2, 'i', 'd', 0x80, 0x01}
	b = append(b, make([]byte, 128)...)
	b = append(b, 1, 0x02, 'h', 'i', 0)
	b = binary.LittleEndian.AppendUint64(b, 1_500_000_000)
	d := NewDecoder(b, 3)
	if v := d.Take("tag", 2); string(v) != "id" {
		t.Errorf("Take = %q", v)
	}
	if v := d.Field("blob", 128); len(v) != 128 {
		t.Errorf("Field returned %d bytes, want 128", len(v))
	}
	if n := d.Count("list"); n != 1 {
		t.Errorf("Count = %d, want 1", n)
	}
	if s := d.Text("text", 2); s != "hi" {
		t.Errorf("Text = %q", s)
	}
	if s := d.Str("empty", 0); s != "" {
		t.Errorf("Str = %q", s)
	}
	if tm := d.Time("time"); tm.UnixNano() != 1_500_000_000 {
		t.Errorf("Time = %v", tm)
	}
	d.End()
	if d.Failed() {
		at, msg := d.Failure()
		t.Fatalf("failure at byte %d: %s", at, msg)
	}
}
