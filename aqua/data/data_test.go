package data

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
)

// Known vectors from AquaVM's CID tests: value CIDs must match byte for byte.
func TestValueCIDVectors(t *testing.T) {
	tests := []struct{ json, cid string }{
		{`"test"`, "bagaaihrarcyykpv4oj7zwdbepczyfthxya4og7s2rwvrzolm5kg2eu5dz3xa"},
		{`1`, "bagaaihra2y55tkbgv6i4d7vdoglfuzhbd3ra6e7ennpvfrmzaejwmbntusdq"},
		{`[1,2,3]`, "bagaaihram6sitn77tquub77n2jzjgttrlwkverv44pv3gns6qghm6hx6d36a"},
		{`{"key":42}`, "bagaaihracpzxhsrpviexa7k6glwdhyh3a4kvy6j7qlcqokzqbs3q424cmxyq"},
	}
	for _, tt := range tests {
		c := ValueCID([]byte(tt.json))
		if c.String() != tt.cid {
			t.Errorf("ValueCID(%s) = %s, want %s", tt.json, c, tt.cid)
		}
		back, err := ParseCID(tt.cid)
		if err != nil || back != c {
			t.Errorf("ParseCID(%s) = %v, %v", tt.cid, back, err)
		}
	}
}

func TestPeerIDRoundTrip(t *testing.T) {
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))
	id := PeerIDFromKey(key)
	if !strings.HasPrefix(id, "12D3KooW") {
		t.Fatalf("peer id %s does not look like an Ed25519 libp2p id", id)
	}
	pk, err := PublicKeyFromPeerID(id)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pk[:], key.Public().(ed25519.PublicKey)) {
		t.Fatal("public key mismatch")
	}
	if _, err := PublicKeyFromPeerID("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N"); !errors.Is(err, ErrNotEd25519PeerID) {
		t.Fatalf("RSA-style id: err = %v", err)
	}
	if _, err := PublicKeyFromPeerID("not-base58-0OIl"); err == nil {
		t.Fatal("garbage id accepted")
	}
}

func sampleData(t testing.TB) *Data {
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, 32))
	peer := PeerIDFromKey(key)
	d := New()
	v := d.AddValue([]byte(`{"a":[1,2]}`))
	tc := d.AddTetraplet(Tetraplet{PeerPK: peer, ServiceID: "s", FunctionName: "f"})
	sr := d.AddServiceResult(ServiceResult{Value: v, ArgHash: ValueCID([]byte(`[]`)), Tetraplet: tc})
	el := d.AddCanonElement(CanonElement{Value: v, Tetraplet: tc, Provenance: Provenance{Kind: ProvServiceResult, CID: sr}})
	ct := d.AddTetraplet(Tetraplet{PeerPK: peer})
	cr := d.AddCanonResult(CanonResult{Tetraplet: ct, Values: []CID{el}})
	d.LastCallID = 3
	d.Trace = []State{
		Par(2, 1),
		SentByWithID(peer, 1),
		{Kind: StateCall, Call: CallScalar, CID: sr},
		{Kind: StateCall, Call: CallStream, CID: sr, Generation: 4},
		SentBy(peer),
		{Kind: StateFold, Lore: []FoldLore{{ValuePos: 3, Before: SubTrace{5, 1}, After: SubTrace{6, 0}}}},
		Ap(2),
		{Kind: StateCanon, Canon: CanonExecuted, CID: cr},
		{Kind: StateCanon, Canon: CanonSentBy, Peer: peer},
		{Kind: StateCall, Call: CallUnused, CID: v},
		{Kind: StateCall, Call: CallFailed, CID: sr},
	}
	for p, cids := range d.SignedCIDs() {
		if p != peer {
			t.Fatalf("unexpected signer %s", p)
		}
		pk, sig := Sign(key, "particle-1", cids)
		d.Signatures[pk] = sig
	}
	return d
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	d := sampleData(t)
	enc, err := Encode(d, 0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(enc, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := got.Verify(); err != nil {
		t.Fatal(err)
	}
	again, err := Encode(got, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(enc, again) {
		t.Fatal("encoding is not deterministic across a round trip")
	}
	j1, _ := d.MarshalJSON()
	j2, _ := got.MarshalJSON()
	if !bytes.Equal(j1, j2) {
		t.Fatalf("decoded data differs:\n%s\n%s", j1, j2)
	}
	for pk, sig := range got.Signatures {
		cids := got.SignedCIDs()[pk.PeerID()]
		if !VerifySignature(pk, sig, "particle-1", cids) {
			t.Fatal("signature does not verify after round trip")
		}
		if VerifySignature(pk, sig, "particle-2", cids) {
			t.Fatal("signature verifies for another particle id")
		}
	}
}

func TestDecodeRejectsMalformed(t *testing.T) {
	enc, err := Encode(sampleData(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	if d, err := Decode(nil, 0); err != nil || len(d.Trace) != 0 {
		t.Fatalf("empty input: %v %v", d, err)
	}
	var de *DecodeError
	for i := 1; i < len(enc); i++ {
		if _, err := Decode(enc[:i], 0); err == nil {
			t.Fatalf("truncated input of %d bytes accepted", i)
		} else if !errors.As(err, &de) {
			t.Fatalf("truncated input: error %v is not a DecodeError", err)
		}
	}
	if _, err := Decode(append(append([]byte{}, enc...), 0), 0); err == nil {
		t.Fatal("trailing byte accepted")
	}
	if _, err := Decode(enc, len(enc)-1); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("size limit: %v", err)
	}
	if _, err := Decode([]byte("RD\x09"), 0); err == nil || !strings.Contains(err.Error(), "unsupported format version") {
		t.Fatalf("future version: %v", err)
	}
}

func TestVerifyDetectsTampering(t *testing.T) {
	d := sampleData(t)
	for c := range d.Values {
		d.Values[c] = []byte(`{"a":[1,3]}`)
	}
	if err := d.Verify(); !errors.Is(err, ErrIntegrity) {
		t.Fatalf("tampered value: %v", err)
	}
	d = sampleData(t)
	for c := range d.CanonResults {
		delete(d.CanonResults, c)
	}
	if err := d.Verify(); !errors.Is(err, ErrIntegrity) {
		t.Fatalf("missing canon result: %v", err)
	}
}

func TestIsSubMultiset(t *testing.T) {
	a, b, c := CID{1}, CID{2}, CID{3}
	tests := []struct {
		x, y []CID
		want bool
	}{
		{nil, nil, true},
		{[]CID{a}, []CID{a, b}, true},
		{[]CID{a, a}, []CID{a, b}, false},
		{[]CID{a, a}, []CID{a, a, c}, true},
		{[]CID{b, c}, []CID{a, c}, false},
	}
	for _, tt := range tests {
		if got := IsSubMultiset(tt.x, tt.y); got != tt.want {
			t.Errorf("IsSubMultiset(%v, %v) = %v", tt.x, tt.y, got)
		}
	}
}

func FuzzDecode(f *testing.F) {
	enc, err := Encode(sampleData(f), 0)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(enc)
	f.Add([]byte{})
	f.Add([]byte("RD\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Decode(b, 1<<20)
		if err != nil {
			return
		}
		_ = d.Verify()
		_ = d.SignedCIDs()
		if _, err := d.MarshalJSON(); err != nil {
			t.Fatal(err)
		}
		// Whatever decodes must re-encode to something that decodes to the same data.
		re, err := Encode(d, 1<<21)
		if err != nil {
			t.Fatal(err)
		}
		d2, err := Decode(re, 1<<21)
		if err != nil {
			t.Fatalf("re-encoded data does not decode: %v", err)
		}
		re2, _ := Encode(d2, 1<<21)
		if !bytes.Equal(re, re2) {
			t.Fatal("encoding not stable")
		}
	})
}

func BenchmarkDecode(b *testing.B) {
	enc, _ := Encode(sampleData(b), 0)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(enc, 0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	d := sampleData(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Encode(d, 0); err != nil {
			b.Fatal(err)
		}
	}
}
