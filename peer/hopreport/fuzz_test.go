package hopreport

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"

	"github.com/reefhq/reef/peer/particle"
)

func knownReason(t *testing.T, err error) {
	t.Helper()
	r, ok := ReasonOf(err)
	if !ok {
		t.Fatalf("error %v (%T) is not a *RejectError", err, err)
	}
	for _, k := range Reasons() {
		if r == k {
			return
		}
	}
	t.Fatalf("unknown reason %d: %v", r, err)
}

func fuzzSeeds(f *testing.F) [][]byte {
	a := fixture()
	b := fixture()
	b.NextPeers, b.Calls, b.Results, b.From, b.Error, b.RetCode = nil, nil, nil, "", "boom ✗", 10000
	seeds := [][]byte{sealed(f, a), sealed(f, b)}
	v := seeds[0]
	return append(seeds, v[:60], splice(v, 2, 1, 2), append(bytes.Clone(v), 0), []byte("RH\x01"), []byte("RP\x02"), nil)
}

// FuzzUnmarshal: arbitrary bytes never panic, every error is a RejectError, and
// whatever decodes re-encodes to the identical bytes (the encoding is canonical);
// signature and expiry checks on decoded reports never panic.
func FuzzUnmarshal(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := Unmarshal(b)
		if err != nil {
			if r != nil {
				t.Fatal("report and error")
			}
			knownReason(t, err)
			return
		}
		again, err := Marshal(r)
		if err != nil {
			t.Fatalf("decoded report does not encode: %v", err)
		}
		if !bytes.Equal(again, b) {
			t.Fatalf("re-encoding differs:\n %x\n %x", b, again)
		}
		for _, err := range []error{r.Verify(), r.VerifyTrace(), r.CheckExpiry(testNow, particle.DefaultClockSkew)} {
			if err != nil {
				knownReason(t, err)
			}
		}
		// Fit never grows a valid report beyond the limit.
		r.Fit()
		if _, err := Marshal(r); err != nil {
			t.Fatalf("a decoded report no longer encodes after Fit: %v", err)
		}
	})
}

// FuzzReadFrame reads frames until the first error: no panic, every error is a
// RejectError (io.EOF only at a frame boundary), and every frame read is the bytes
// consumed.
func FuzzReadFrame(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(append(binary.AppendUvarint(nil, uint64(len(s))), s...))
	}
	f.Add(binary.AppendUvarint(nil, 1<<40))
	f.Add([]byte{0x80, 0x00})
	f.Fuzz(func(t *testing.T, in []byte) {
		rd := bytes.NewReader(in)
		for {
			before := rd.Len()
			r, raw, err := ReadFrame(rd)
			if err != nil {
				knownReason(t, err)
				if errors.Is(err, io.EOF) && before != 0 {
					t.Fatalf("io.EOF with %d bytes left", before)
				}
				return
			}
			consumed := in[len(in)-before : len(in)-rd.Len()]
			body, err := Marshal(r)
			if err != nil || !bytes.Equal(Frame(body), consumed) || !bytes.Equal(raw, body) {
				t.Fatalf("re-encoding differs (%v)", err)
			}
		}
	})
}
