package particle

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/mr-tron/base58"

	"github.com/reefhq/reef/aqua/data"
)

// testKey is the known-answer key: the Ed25519 key of 32 bytes of 0x01.
var testKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0x01}, 32))

var otherKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0x02}, 32))

var testNow = time.UnixMilli(1700000000000)

// fixture returns a signed particle with some data.
func fixture() *Particle {
	p := &Particle{
		ID:        "9a0e3f0c-4b7d-4e2a-8f61-2c5d7b1e3a90",
		Timestamp: 1700000000000,
		TTL:       7000,
		Script:    `(call %init_peer_id% ("op" "noop") [])`,
		Data:      []byte("RD\x01opaque"),
	}
	p.Sign(testKey)
	return p
}

// wantReason fails unless err is a *RejectError with reason r whose message contains
// every one of subs.
func wantReason(t *testing.T, err error, r Reason, subs ...string) *RejectError {
	t.Helper()
	var re *RejectError
	if !errors.As(err, &re) {
		t.Fatalf("error %v (%T) is not a *RejectError", err, err)
	}
	if re.Reason != r {
		t.Fatalf("reason %v, want %v (error: %v)", re.Reason, r, err)
	}
	for _, s := range subs {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %q", err, s)
		}
	}
	return re
}

func TestNewSignVerify(t *testing.T) {
	for _, script := range []string{"", "(null)", `(seq (call "x" ("s" "f") []) (null))`, "(null) ; ünïcødé ✓", strings.Repeat("(null)", 1000)} {
		p := New(script, testKey, 7*time.Second, testNow)
		if err := p.Verify(); err != nil {
			t.Fatalf("Verify(New(%q)): %v", script, err)
		}
		if u, err := uuid.Parse(p.ID); err != nil || u.Version() != 4 || u.String() != p.ID {
			t.Errorf("id %q is not a canonical uuid v4 (%v)", p.ID, err)
		}
		if p.InitPeerID != data.PeerIDFromKey(testKey) || p.Timestamp != 1700000000000 || p.TTL != 7000 || p.Script != script || p.Data != nil {
			t.Errorf("New set %+v", p)
		}
		if err := Check(p, testNow, DefaultClockSkew); err != nil {
			t.Errorf("Check: %v", err)
		}
	}
	if a, b := New("", testKey, 0, testNow), New("", testKey, 0, testNow); a.ID == b.ID {
		t.Errorf("two particles share id %s", a.ID)
	}
}

func TestNewClamps(t *testing.T) {
	for _, tc := range []struct {
		name string
		ttl  time.Duration
		now  time.Time
		ts   uint64
		ms   uint32
	}{
		{"sub-millisecond truncated", 7*time.Millisecond + 999*time.Microsecond, time.UnixMilli(5).Add(999 * time.Microsecond), 5, 7},
		{"negative ttl", -time.Second, testNow, 1700000000000, 0},
		{"ttl beyond u32 ms", 50 * 24 * time.Hour, testNow, 1700000000000, math.MaxUint32},
		{"before 1970", time.Second, time.UnixMilli(-5000), 0, 1000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := New("(null)", testKey, tc.ttl, tc.now)
			if p.Timestamp != tc.ts || p.TTL != tc.ms {
				t.Errorf("timestamp %d ttl %d, want %d %d", p.Timestamp, p.TTL, tc.ts, tc.ms)
			}
			if err := p.Verify(); err != nil {
				t.Error(err)
			}
		})
	}
}

// secpPeerID is a well-formed peer id of a secp256k1 key (identity multihash of the
// protobuf PublicKey{Type: Secp256k1, Data: 33 bytes}), which Verify must refuse.
var secpPeerID = base58.Encode(append([]byte{0x00, 0x25, 0x08, 0x02, 0x12, 0x21, 0x02}, bytes.Repeat([]byte{7}, 32)...))

func TestVerifyRejects(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(p *Particle)
		subs   []string
	}{
		{"id", func(p *Particle) { p.ID = "9a0e3f0c-4b7d-4e2a-8f61-2c5d7b1e3a91" }, []string{"does not verify"}},
		{"id empty", func(p *Particle) { p.ID = "" }, []string{"does not verify"}},
		{"timestamp", func(p *Particle) { p.Timestamp++ }, []string{"does not verify"}},
		{"ttl", func(p *Particle) { p.TTL = 7001 }, []string{"does not verify"}},
		{"script", func(p *Particle) { p.Script += " " }, []string{"does not verify"}},
		{"id and script boundary", func(p *Particle) { p.ID += "("; p.Script = p.Script[1:] }, []string{"does not verify"}},
		{"signature bit", func(p *Particle) { p.Signature[10] ^= 0x20 }, []string{"does not verify"}},
		{"signature last byte", func(p *Particle) { p.Signature[63] ^= 0x80 }, []string{"does not verify"}},
		{"signature short", func(p *Particle) { p.Signature = p.Signature[:63] }, []string{"63 bytes, want 64"}},
		{"signature long", func(p *Particle) { p.Signature = append(p.Signature, 0) }, []string{"65 bytes, want 64"}},
		{"signature missing", func(p *Particle) { p.Signature = nil }, []string{"0 bytes, want 64"}},
		{"signature by another key", func(p *Particle) { id := p.InitPeerID; p.Sign(otherKey); p.InitPeerID = id }, []string{"does not verify"}},
		{"init peer id of another key", func(p *Particle) { p.InitPeerID = data.PeerIDFromKey(otherKey) }, []string{"does not verify"}},
		{"init peer id not base58", func(p *Particle) { p.InitPeerID = "0OIl" + p.InitPeerID[4:] }, []string{"not base58"}},
		{"init peer id empty", func(p *Particle) { p.InitPeerID = "" }, []string{"init peer id is empty"}},
		{"init peer id secp256k1", func(p *Particle) { p.InitPeerID = secpPeerID }, []string{"does not embed an Ed25519 public key"}},
		{"init peer id sha256 multihash", func(p *Particle) { p.InitPeerID = "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N" }, []string{"does not embed an Ed25519"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := fixture()
			tc.mutate(p)
			wantReason(t, p.Verify(), ReasonSignature, tc.subs...)
		})
	}
	p := fixture()
	p.InitPeerID = secpPeerID
	if err := p.Verify(); !errors.Is(err, data.ErrNotEd25519PeerID) {
		t.Errorf("secp256k1 peer id: %v does not wrap data.ErrNotEd25519PeerID", err)
	}
}

func TestDataIsNotSigned(t *testing.T) {
	for _, d := range [][]byte{nil, {}, []byte("other"), bytes.Repeat([]byte{0xff}, 10000)} {
		p := fixture()
		p.Data = d
		if err := p.Verify(); err != nil {
			t.Errorf("data %q: %v", d[:min(len(d), 8)], err)
		}
	}
}

// Known answer: the signed bytes and the signature of a fixed particle under the key of
// 32 bytes of 0x01 (Ed25519 signatures are deterministic, RFC 8032).
const (
	katPublicKey   = "8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c"
	katPeerID      = "12D3KooWK99VoVxNE7XzyBwXEzW7xhK7Gpv85r9F3V3fyKSUKPH5"
	katSignedBytes = "39613065336630632d346237642d346532612d386636312d3263356437623165336139300068e5cf8b010000581b00002863616c6c2025696e69745f706565725f6964252028226f702220226e6f6f702229205b5d29"
	katSignature   = "4809f186e032fd9e5cdf6f0594cf1eaf43e23cf38ced0333319d33b89c7ea235f649a5c7b8562aaf0888082011a2e21481965a5180e55165590e938d569c9d05"
	// The fixture's trace request to its own init peer: the signed message and its
	// signature.
	katTraceSignedBytes = "726565662f74726163652d726571756573742f3100" + // "reef/trace-request/1" NUL
		"39613065336630632d346237642d346532612d386636312d326335643762316533613930" + "00" + // id NUL
		"313244334b6f6f574b3939566f56784e4537587a79427758457a573778684b37477076383572394633563366794b53554b504835" // to
	katTraceSignature = "3d3e3d3a2e0a2ea51f968de5ca309b0b737496029ea7725f7216210b7117c2c1451266f1acba121267c33c7cbc501e52e6acfe54474380fc9e0ce7c253e8fe00"
)

func TestTraceRequest(t *testing.T) {
	p := fixture()
	if err := p.VerifyTrace(); err != nil {
		t.Fatalf("untraced particle: %v", err)
	}
	p.RequestTrace(testKey, p.InitPeerID)
	if got := hex.EncodeToString(TraceSignedBytes(p.ID, p.InitPeerID)); got != katTraceSignedBytes {
		t.Fatalf("trace signed bytes %s, want %s", got, katTraceSignedBytes)
	}
	if got := hex.EncodeToString(p.Trace.Signature); got != katTraceSignature {
		t.Fatalf("trace signature %s, want %s", got, katTraceSignature)
	}
	if err := p.VerifyTrace(); err != nil {
		t.Fatal(err)
	}
	// The trace request is not covered by the particle's signature.
	if err := p.Verify(); err != nil {
		t.Fatal(err)
	}
	other := data.PeerIDFromKey(otherKey)
	for _, tc := range []struct {
		name   string
		mutate func(p *Particle)
		sub    string
	}{
		{"redirected by a relay", func(p *Particle) { p.Trace.To = other }, "does not verify for init peer"},
		{"signed by another key", func(p *Particle) { p.RequestTrace(otherKey, p.InitPeerID) }, "does not verify"},
		{"moved to another particle id", func(p *Particle) { p.ID = "another-id" }, "does not verify"},
		{"short signature", func(p *Particle) { p.Trace.Signature = p.Trace.Signature[:10] }, "trace request signature is 10 bytes, want 64"},
		{"no destination", func(p *Particle) { p.Trace.To = "" }, "no destination"},
		{"init peer not Ed25519", func(p *Particle) { p.InitPeerID = "16Uiu2HAm" }, "not an Ed25519 peer id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := fixture()
			q.RequestTrace(testKey, q.InitPeerID)
			tc.mutate(q)
			wantReason(t, q.VerifyTrace(), ReasonSignature, tc.sub)
		})
	}
}

func TestKnownAnswer(t *testing.T) {
	p := fixture()
	if got := hex.EncodeToString(testKey.Public().(ed25519.PublicKey)); got != katPublicKey {
		t.Fatalf("public key %s, want %s", got, katPublicKey)
	}
	if p.InitPeerID != katPeerID {
		t.Fatalf("peer id %s, want %s", p.InitPeerID, katPeerID)
	}
	// The layout, written out independently of the implementation: the id's ASCII bytes,
	// 1700000000000 = 0x0000018bcfe56800 as u64 little-endian, 7000 = 0x00001b58 as u32
	// little-endian, then the script's bytes.
	want := []byte("9a0e3f0c-4b7d-4e2a-8f61-2c5d7b1e3a90")
	want = append(want, 0x00, 0x68, 0xe5, 0xcf, 0x8b, 0x01, 0x00, 0x00)
	want = append(want, 0x58, 0x1b, 0x00, 0x00)
	want = append(want, `(call %init_peer_id% ("op" "noop") [])`...)
	if got := p.SignedBytes(); !bytes.Equal(got, want) {
		t.Fatalf("signed bytes\n %x\nwant\n %x", got, want)
	}
	if hex.EncodeToString(want) != katSignedBytes {
		t.Fatalf("katSignedBytes does not match the layout")
	}
	if got := hex.EncodeToString(p.Signature); got != katSignature {
		t.Fatalf("signature %s, want %s", got, katSignature)
	}
	// The pinned signature verifies with the standard library over the hand-built bytes,
	// under the key the peer id embeds.
	sig, _ := hex.DecodeString(katSignature)
	pk, err := data.PublicKeyFromPeerID(katPeerID)
	if err != nil || hex.EncodeToString(pk[:]) != katPublicKey {
		t.Fatalf("peer id key %x, %v", pk, err)
	}
	if !ed25519.Verify(pk[:], want, sig) {
		t.Fatal("pinned signature does not verify over the hand-built bytes")
	}
	q := &Particle{ID: p.ID, InitPeerID: katPeerID, Timestamp: p.Timestamp, TTL: p.TTL, Script: p.Script, Signature: sig}
	if err := q.Verify(); err != nil {
		t.Fatal(err)
	}
}

func TestCheck(t *testing.T) {
	bad := func(p *Particle) *Particle { p.Signature[0] ^= 1; return p }
	late := testNow.Add(10 * time.Second)
	for _, tc := range []struct {
		name string
		p    *Particle
		now  time.Time
		want Reason
	}{
		{"valid", fixture(), testNow, 0},
		{"bad signature", bad(fixture()), testNow, ReasonSignature},
		{"expired before signature", bad(fixture()), late, ReasonExpired},
		{"future before signature", bad(fixture()), testNow.Add(-time.Minute), ReasonFuture},
		{"nil", nil, testNow, ReasonMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Check(tc.p, tc.now, DefaultClockSkew)
			if tc.want == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantReason(t, err, tc.want)
		})
	}
}

func TestReasons(t *testing.T) {
	want := []string{"malformed", "oversize", "unsupported-version", "signature", "expired", "future", "transport"}
	rs := Reasons()
	if len(rs) != len(want) {
		t.Fatalf("%d reasons", len(rs))
	}
	for i, r := range rs {
		if r.String() != want[i] {
			t.Errorf("reason %d is %q, want %q", i, r, want[i])
		}
	}
	if s := Reason(0).String(); s != "reason(0)" {
		t.Errorf("zero reason %q", s)
	}
	err := error(&RejectError{Reason: ReasonTransport, Detail: "reading", Err: errors.New("reset")})
	if r, ok := ReasonOf(errors.Join(errors.New("x"), err)); !ok || r != ReasonTransport {
		t.Errorf("ReasonOf: %v %v", r, ok)
	}
	if _, ok := ReasonOf(errors.New("x")); ok {
		t.Error("ReasonOf of a plain error")
	}
	if got := err.Error(); got != "particle rejected (transport): reading: reset" {
		t.Errorf("Error() = %q", got)
	}
}
