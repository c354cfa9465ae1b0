package particle

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"reflect"
	"testing"
)

// knownReason fails unless err is a *RejectError with one of the package's reasons.
func knownReason(t *testing.T, err error) Reason {
	t.Helper()
	r, ok := ReasonOf(err)
	if !ok {
		t.Fatalf("error %v (%T) is not a *RejectError", err, err)
	}
	for _, k := range Reasons() {
		if r == k {
			return r
		}
	}
	t.Fatalf("unknown reason %d: %v", r, err)
	return 0
}

func fuzzSeeds() [][]byte {
	var seeds [][]byte
	for _, p := range particles()[:2] {
		b, _ := Marshal(p)
		seeds = append(seeds, b)
	}
	p := fixture()
	p.Script = "(null) ; ✓"
	p.ID = "spell_x_1"
	b, _ := Marshal(p)
	seeds = append(seeds, b, b[:40], splice(b, 2, 1, 1), append(bytes.Clone(b), 0), []byte("RP\x02"), []byte("RD\x01"), nil)
	traced := fixture()
	traced.RequestTrace(testKey, traced.InitPeerID)
	tb, _ := Marshal(traced)
	seeds = append(seeds, tb, tb[:len(tb)-20])
	traced.RequestTrace(otherKey, "z")
	traced.Data = nil
	tb, _ = Marshal(traced)
	return append(seeds, tb)
}

// FuzzUnmarshal: arbitrary bytes never panic, every error is a RejectError, and
// whatever decodes re-encodes to the identical bytes (the encoding is canonical).
func FuzzUnmarshal(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Unmarshal(b, 0)
		if err != nil {
			if p != nil {
				t.Fatal("particle and error")
			}
			knownReason(t, err)
			return
		}
		again, err := Marshal(p)
		if err != nil {
			t.Fatalf("decoded particle does not encode: %v", err)
		}
		if !bytes.Equal(again, b) {
			t.Fatalf("re-encoding differs:\n %x\n %x", b, again)
		}
		// The aliasing decoder ReadFrame uses agrees.
		q, err := unmarshal(bytes.Clone(b), 0, true)
		if err != nil || !reflect.DeepEqual(p, q) {
			t.Fatalf("aliasing decode differs: %v", err)
		}
		// Verification and expiry checks on decoded particles never panic.
		knownOrNil(t, p.Verify())
		knownOrNil(t, p.VerifyTrace())
		knownOrNil(t, Check(p, testNow, DefaultClockSkew))
	})
}

func knownOrNil(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		knownReason(t, err)
	}
}

// FuzzReadFrame reads frames from arbitrary bytes with an arbitrary size limit until the
// first error: no panic, every error is a RejectError (io.EOF only when the input is
// used up at a frame boundary), and every frame read re-encodes to the bytes consumed.
func FuzzReadFrame(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(append(binary.AppendUvarint(nil, uint64(len(s))), s...), uint32(0))
	}
	two := append(frame(f, fixture()), frame(f, particles()[1])...)
	f.Add(two, uint32(0))
	f.Add(two, uint32(100))
	f.Add(binary.AppendUvarint(nil, 1<<40), uint32(0))
	f.Add([]byte{0x80, 0x00}, uint32(0))
	f.Fuzz(func(t *testing.T, in []byte, maxSize uint32) {
		limit := int(maxSize % (1 << 20)) // keep the fuzzer's allocations bounded
		r := bytes.NewReader(in)
		for {
			before := r.Len()
			p, err := ReadFrame(r, limit)
			if err != nil {
				knownReason(t, err)
				if errors.Is(err, io.EOF) && before != 0 {
					t.Fatalf("io.EOF with %d bytes left", before)
				}
				return
			}
			consumed := in[len(in)-before : len(in)-r.Len()]
			var w bytes.Buffer
			if err := WriteFrame(&w, p); err != nil {
				t.Fatalf("decoded particle does not encode: %v", err)
			}
			if !bytes.Equal(w.Bytes(), consumed) {
				t.Fatalf("re-encoding differs:\n %x\n %x", consumed, w.Bytes())
			}
		}
	})
}
