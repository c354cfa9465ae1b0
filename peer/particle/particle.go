package particle

import (
	"crypto/ed25519"
	"encoding/binary"
	"errors"
	"math"
	"time"

	"github.com/google/uuid"

	"github.com/reefhq/reef/aqua/data"
)

// Particle is one particle as it travels between peers.
type Particle struct {
	// ID identifies the particle: a uuid v4 string from New; on the wire any 1 to
	// MaxIDLen bytes of ASCII letters, digits, '-' and '_' (see ValidateID).
	ID string
	// InitPeerID is the base58 libp2p peer id of the peer that created and signed the
	// particle; it must embed an Ed25519 public key for Verify to succeed.
	InitPeerID string
	// Timestamp is the creation time in milliseconds since the Unix epoch.
	Timestamp uint64
	// TTL is the time to live in milliseconds, counted from Timestamp.
	TTL uint32
	// Script is the AIR source (valid UTF-8).
	Script string
	// Signature is the init peer's Ed25519 signature (64 bytes) over SignedBytes.
	Signature []byte
	// Data is the opaque particle data the interpreter produced (aqua/data encoding). It
	// is not covered by Signature: the interpreter signs its own contents. Empty data
	// decodes as nil.
	Data []byte
	// Trace, when not nil, asks every node that runs the particle to send a signed hop
	// report to Trace.To (docs/protocol.md, "Hop reports"). It is not covered by
	// Signature: the init peer signs it separately (see RequestTrace), so it can be
	// added to a particle without changing the particle's signed bytes. nil means not
	// traced.
	Trace *TraceRequest
}

// TraceRequest is a particle's request for hop reports, authorised by the init peer.
type TraceRequest struct {
	// To is the base58 peer id reports go to: the init peer itself, or the relay a client
	// init peer is connected to (which forwards them to the client).
	To string
	// Signature is the init peer's Ed25519 signature (64 bytes) over
	// TraceSignedBytes(particle id, To): no other peer can point a particle's reports at
	// a victim.
	Signature []byte
}

// traceDomain separates trace-request signatures from every other use of the key.
const traceDomain = "reef/trace-request/1\x00"

// TraceSignedBytes returns the bytes an init peer signs to request hop reports for the
// particle id to be sent to the peer to:
//
//	"reef/trace-request/1" 0x00 ‖ id (UTF-8) ‖ 0x00 ‖ to (UTF-8)
//
// Neither a particle id nor a base58 peer id can contain the NUL byte, so the message
// is unambiguous.
func TraceSignedBytes(id, to string) []byte {
	b := make([]byte, 0, len(traceDomain)+len(id)+1+len(to))
	b = append(b, traceDomain...)
	b = append(b, id...)
	b = append(b, 0)
	return append(b, to...)
}

// RequestTrace sets Trace: reports for the particle are to go to the peer to, signed
// with key, which must be the init peer's (RequestTrace does not check it; VerifyTrace
// does). It panics if key is not ed25519.PrivateKeySize bytes long.
func (p *Particle) RequestTrace(key ed25519.PrivateKey, to string) {
	p.Trace = &TraceRequest{To: to, Signature: ed25519.Sign(key, TraceSignedBytes(p.ID, to))}
}

// VerifyTrace checks the trace request's signature against the Ed25519 key embedded in
// InitPeerID. A particle without a trace request has nothing to verify (nil). Every
// failure is a *RejectError with ReasonSignature. A node that finds an invalid trace
// request still runs the particle; it only ignores (and drops) the request.
func (p *Particle) VerifyTrace() error {
	if p.Trace == nil {
		return nil
	}
	return VerifyTraceRequest(p.ID, p.InitPeerID, p.Trace.To, p.Trace.Signature)
}

// VerifyTraceRequest checks sig, a trace-request signature for particle id and
// destination to, against the Ed25519 key embedded in initPeerID (as VerifyTrace does
// for a particle; hop report receivers use it on the request a report carries).
func VerifyTraceRequest(id, initPeerID, to string, sig []byte) error {
	if len(sig) != ed25519.SignatureSize {
		return reject(ReasonSignature, "trace request signature is %d bytes, want %d", len(sig), ed25519.SignatureSize)
	}
	if to == "" {
		return reject(ReasonSignature, "trace request has no destination")
	}
	pk, err := data.PublicKeyFromPeerID(initPeerID)
	if err != nil {
		re := reject(ReasonSignature, "init peer id %q is not an Ed25519 peer id", truncate(initPeerID))
		if errors.Is(err, data.ErrNotEd25519PeerID) {
			re.Err = data.ErrNotEd25519PeerID
		}
		return re
	}
	if !ed25519.Verify(pk[:], TraceSignedBytes(id, to), sig) {
		return reject(ReasonSignature, "trace request to %s does not verify for init peer %s", truncate(to), initPeerID)
	}
	return nil
}

// New creates a particle with a fresh uuid v4 id, the timestamp now (milliseconds,
// truncated; clamped to 0 before 1970) and ttl (milliseconds, truncated; clamped to
// [0, 2^32-1 ms ≈ 49.7 days]), and signs it with key, which also sets InitPeerID. Data
// is empty. New panics if key is not ed25519.PrivateKeySize bytes long.
func New(script string, key ed25519.PrivateKey, ttl time.Duration, now time.Time) *Particle {
	p := &Particle{
		ID:        uuid.NewString(),
		Timestamp: uint64(max(now.UnixMilli(), 0)),
		TTL:       uint32(min(max(ttl.Milliseconds(), 0), math.MaxUint32)),
		Script:    script,
	}
	p.Sign(key)
	return p
}

// SignedBytes returns the bytes the init peer signs, the layout of Fluence:
//
//	id (UTF-8) ‖ timestamp (u64 little-endian) ‖ ttl (u32 little-endian) ‖ script (UTF-8)
//
// InitPeerID, Signature and Data are not covered.
func (p *Particle) SignedBytes() []byte {
	return p.appendSigned(make([]byte, 0, len(p.ID)+8+4+len(p.Script)))
}

func (p *Particle) appendSigned(b []byte) []byte {
	b = append(b, p.ID...)
	b = binary.LittleEndian.AppendUint64(b, p.Timestamp)
	b = binary.LittleEndian.AppendUint32(b, p.TTL)
	return append(b, p.Script...)
}

// Sign sets InitPeerID to the peer id of key and Signature to key's signature over
// SignedBytes. It panics if key is not ed25519.PrivateKeySize bytes long.
func (p *Particle) Sign(key ed25519.PrivateKey) {
	p.InitPeerID = data.PeerIDFromKey(key)
	p.Signature = ed25519.Sign(key, p.SignedBytes())
}

// Verify checks Signature against the Ed25519 public key embedded in InitPeerID. Every
// failure is a *RejectError with ReasonSignature: a signature that is not 64 bytes, an
// init peer id that is not base58 or does not embed an Ed25519 key (Err is then
// data.ErrNotEd25519PeerID), or a signature that does not verify.
func (p *Particle) Verify() error {
	if len(p.Signature) != ed25519.SignatureSize {
		return reject(ReasonSignature, "signature is %d bytes, want %d", len(p.Signature), ed25519.SignatureSize)
	}
	if p.InitPeerID == "" {
		return reject(ReasonSignature, "init peer id is empty")
	}
	pk, err := data.PublicKeyFromPeerID(p.InitPeerID)
	if err != nil {
		re := reject(ReasonSignature, "init peer id %q is not base58", truncate(p.InitPeerID))
		if errors.Is(err, data.ErrNotEd25519PeerID) {
			re = reject(ReasonSignature, "init peer id %q", truncate(p.InitPeerID))
			re.Err = data.ErrNotEd25519PeerID
		}
		return re
	}
	if !ed25519.Verify(pk[:], p.SignedBytes(), p.Signature) {
		return reject(ReasonSignature, "signature does not verify for init peer %s", p.InitPeerID)
	}
	return nil
}

// Check runs the checks a receiver applies to a decoded particle, cheapest first:
// CheckExpiry(now, skew), then Verify. A nil particle is malformed.
func Check(p *Particle, now time.Time, skew time.Duration) error {
	if p == nil {
		return reject(ReasonMalformed, "nil particle")
	}
	if err := p.CheckExpiry(now, skew); err != nil {
		return err
	}
	return p.Verify()
}

// truncate shortens s for an error message.
func truncate(s string) string {
	const limit = 80
	if len(s) <= limit {
		return s
	}
	return s[:limit] + "..."
}
