// Package particle is the particle as Reef peers exchange it: the Particle type, the
// init peer's Ed25519 signature, expiry with a clock-skew allowance, and the wire format
// of the ProtocolID stream (docs/protocol.md is the specification).
//
// # Signature
//
// The init peer signs, with the Ed25519 key its peer id embeds, the same bytes as in
// Fluence (SignedBytes):
//
//	id (UTF-8) ‖ timestamp (u64 little-endian) ‖ ttl (u32 little-endian) ‖ script (UTF-8)
//
// Data is not signed (the interpreter signs its own contents), so peers can change it
// while the particle travels; neither is InitPeerID, which is bound by being the key the
// signature must verify under. New creates and signs a particle, Sign re-signs one,
// Verify checks it.
//
// # Trace request
//
// A particle may ask every node that runs it for hop reports (package hopreport):
// Trace names the peer reports go to and carries the init peer's signature over
// TraceSignedBytes ("reef/trace-request/1" NUL ‖ id ‖ NUL ‖ trace-to), set by
// RequestTrace and checked by VerifyTrace. It is not part of SignedBytes, so tracing
// does not change the particle's signature; an invalid request is ignored by nodes, not
// a reason to reject the particle.
//
// # Wire format
//
// A stream carries one frame: a uvarint body length, then the body. The body is
//
//	"RP" version=2 ‖ uvarint-prefixed id ‖ uvarint-prefixed init peer id ‖
//	timestamp (u64 LE) ‖ ttl (u32 LE) ‖ uvarint-prefixed script ‖
//	uvarint-prefixed signature (64) ‖
//	trace flag (0x00, or 0x01 ‖ uvarint-prefixed trace-to ‖ uvarint-prefixed trace signature (64)) ‖
//	uvarint-prefixed data
//
// Marshal/Unmarshal encode and decode the body, WriteFrame/ReadFrame a frame. The
// encoding is deterministic and canonical (minimal varints, no trailing bytes): a body
// decodes only if re-encoding gives the same bytes. The decoder checks every length
// against the bytes left and refuses oversize input before reading or allocating it.
//
// # Validation and rejections
//
// A receiver runs ReadFrame, then Check (CheckExpiry, then Verify). Every error those
// return is a *RejectError whose Reason ("malformed", "oversize", "unsupported-version",
// "signature", "expired", "future", "transport") is a stable label for counting, and
// whose Detail says exactly what is wrong (the byte offset of a format error, how long
// ago a particle expired, how far its timestamp is ahead, with the skew allowance).
// Nothing is sent back to the sender.
//
// Field rules: ID is 1 to MaxIDLen bytes of ASCII letters, digits, '-' and '_' (a uuid
// from New, or a spell-style id); InitPeerID is 1 to MaxPeerIDLen base58 characters
// (Verify then requires an Ed25519 peer id); Script is valid UTF-8; Signature is
// exactly 64 bytes; a trace request's To is 1 to MaxPeerIDLen base58 characters and its
// Signature exactly 64 bytes. Timestamp and TTL are not range-checked by the decoder: CheckExpiry
// judges them.
package particle
