package builtins

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/mr-tron/base58"
)

// mr-tron/base58 (quadratic but well tested) is the oracle for our big.Int codec.

func TestBase58MatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	sizes := []int{0, 1, 2, 5, 31, 32, 33, 100, 373, 374, 375, 700, 1500, 4000}
	for _, n := range sizes {
		for _, zeros := range []int{0, 1, 3} {
			b := make([]byte, n)
			for i := range b {
				b[i] = byte(rng.Uint32())
			}
			for i := 0; i < zeros && i < n; i++ {
				b[i] = 0
			}
			got, err := base58Encode(b)
			if err != nil {
				t.Fatalf("encode %d bytes: %v", n, err)
			}
			if want := base58.Encode(b); got != want {
				t.Fatalf("encode %d bytes (%d zeros): got %q, want %q", n, zeros, got, want)
			}
			back, err := base58Decode(got)
			if err != nil || !bytes.Equal(back, b) {
				t.Fatalf("decode(encode(%d bytes)) = %x, %v", n, back, err)
			}
		}
	}
	// All zero bytes, and digits past the decode leaf size with leading '1's.
	for _, s := range []string{"1", "1111", strings.Repeat("z", 2000), "11" + strings.Repeat("2", 1025)} {
		got, err := base58Decode(s)
		want, werr := base58.Decode(s)
		if err != nil || werr != nil || !bytes.Equal(got, want) {
			t.Errorf("decode %.20q…: got %x, %v; want %x, %v", s, got, err, want, werr)
		}
	}
}

func TestBase58Limits(t *testing.T) {
	if _, err := base58Encode(make([]byte, maxBase58Bytes+1)); err == nil {
		t.Error("encoding more than maxBase58Bytes succeeded")
	}
	if _, err := base58Decode(strings.Repeat("2", maxBase58Text+1)); err == nil {
		t.Error("decoding more than maxBase58Text succeeded")
	}
	// The largest encodable input round-trips through text within the decode limit.
	b := bytes.Repeat([]byte{0xff}, maxBase58Bytes)
	if testing.Short() {
		b = b[:4096]
	}
	s, err := base58Encode(b)
	if err != nil || len(s) > maxBase58Text {
		t.Fatalf("encode %d bytes: len %d, %v", len(b), len(s), err)
	}
	back, err := base58Decode(s)
	if err != nil || !bytes.Equal(back, b) {
		t.Fatalf("round trip of %d bytes failed: %v", len(b), err)
	}
}

func FuzzBase58(f *testing.F) {
	for _, s := range []string{"", "1", "112", "Cn8eVZg", "0OIl", "1é", "zzzzzzzzzz"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		enc, err := base58Encode(data)
		if err != nil {
			t.Fatal(err)
		}
		if want := base58.Encode(data); enc != want {
			t.Fatalf("encode %x = %q, want %q", data, enc, want)
		}
		if back, err := base58Decode(enc); err != nil || !bytes.Equal(back, data) {
			t.Fatalf("round trip of %x: %x, %v", data, back, err)
		}
		// Decoding arbitrary text agrees with the oracle (which rejects "").
		s := string(data)
		got, err := base58Decode(s)
		want, werr := base58.Decode(s)
		switch {
		case s == "":
			if err != nil || len(got) != 0 {
				t.Fatalf(`decode "" = %x, %v`, got, err)
			}
		case (err == nil) != (werr == nil):
			t.Fatalf("decode %q: err %v, oracle err %v", s, err, werr)
		case err == nil && !bytes.Equal(got, want):
			t.Fatalf("decode %q = %x, want %x", s, got, want)
		}
	})
}
