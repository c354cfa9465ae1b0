package particle

import (
	"crypto/ed25519"
	"encoding/binary"
	"fmt"
	"math"
	"unicode/utf8"

	"github.com/reefhq/reef/peer/internal/wire"
)

// Body format constants. See docs/protocol.md for the byte-level layout.
const (
	// FormatVersion is the body format version this build reads and writes (the third
	// byte of every body). Version 2 added the trace request.
	FormatVersion = 2
	// DefaultMaxSize is the default limit on a body (the frame length prefix excluded).
	DefaultMaxSize = 16 << 20
	// MaxIDLen bounds the particle id (bytes).
	MaxIDLen = 128
	// MaxPeerIDLen bounds the init peer id (bytes; an Ed25519 peer id is 52).
	MaxPeerIDLen = 128
)

// magic starts every body: "RP" then the format version.
var magic = [3]byte{'R', 'P', FormatVersion}

// fixedSize is the body size of an untraced particle with empty strings and data: the
// magic, four one-byte length prefixes, timestamp, ttl, the signature length and the
// signature, and the trace flag.
const fixedSize = len(magic) + 1 + 1 + 8 + 4 + 1 + 1 + ed25519.SignatureSize + 1 + 1

// Trace flag values (the byte after the signature).
const (
	traceAbsent  = 0x00
	tracePresent = 0x01
)

// ValidateID reports whether id is acceptable on the wire: 1 to MaxIDLen bytes of ASCII
// letters, digits, '-' and '_'. This admits uuid strings (what New and Fluence clients
// create) and Fluence-style spell ids ("spell_<uuid>_<n>"), and keeps ids safe to use in
// file names and log lines.
func ValidateID(id string) error {
	if msg := checkID(id); msg != "" {
		return reject(ReasonMalformed, "%s", msg)
	}
	return nil
}

func checkID(id string) string {
	if len(id) == 0 {
		return "id is empty"
	}
	if len(id) > MaxIDLen {
		return fmt.Sprintf("id is %d bytes, limit %d", len(id), MaxIDLen)
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return fmt.Sprintf("id has byte 0x%02x at offset %d (allowed: ASCII letters, digits, '-', '_')", c, i)
		}
	}
	return ""
}

// base58Alphabet marks the bytes of the Bitcoin base58 alphabet.
var base58Alphabet = func() (t [256]bool) {
	for _, c := range "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz" {
		t[c] = true
	}
	return t
}()

func checkPeerID(id string) string { return checkPeerIDNamed("init peer id", id) }

func checkPeerIDNamed(name, id string) string {
	if len(id) == 0 {
		return name + " is empty"
	}
	if len(id) > MaxPeerIDLen {
		return fmt.Sprintf("%s is %d bytes, limit %d", name, len(id), MaxPeerIDLen)
	}
	for i := 0; i < len(id); i++ {
		if !base58Alphabet[id[i]] {
			return fmt.Sprintf("%s has byte 0x%02x at offset %d (not base58)", name, id[i], i)
		}
	}
	return ""
}

func checkScript(s string) string {
	if utf8.ValidString(s) {
		return ""
	}
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				return fmt.Sprintf("script is not valid UTF-8 (bad byte at script offset %d)", i)
			}
		}
	}
	return "script is not valid UTF-8"
}

func checkSignature(sig []byte) string { return checkSignatureNamed("signature", sig) }

func checkSignatureNamed(name string, sig []byte) string {
	if len(sig) != ed25519.SignatureSize {
		return fmt.Sprintf("%s is %d bytes, want %d", name, len(sig), ed25519.SignatureSize)
	}
	return ""
}

// checkTrace applies the decoder's rules to a trace request.
func checkTrace(t *TraceRequest) string {
	if msg := checkPeerIDNamed("trace-to peer id", t.To); msg != "" {
		return msg
	}
	return checkSignatureNamed("trace signature", t.Signature)
}

// validate applies the decoder's field rules to p.
func validate(p *Particle) error {
	if p == nil {
		return reject(ReasonMalformed, "nil particle")
	}
	for _, msg := range [...]string{checkID(p.ID), checkPeerID(p.InitPeerID), checkScript(p.Script), checkSignature(p.Signature)} {
		if msg != "" {
			return reject(ReasonMalformed, "cannot encode: %s", msg)
		}
	}
	if p.Trace != nil {
		if msg := checkTrace(p.Trace); msg != "" {
			return reject(ReasonMalformed, "cannot encode: %s", msg)
		}
	}
	return nil
}

// uvarintLen is wire.UvarintLen (frame.go uses it too).
func uvarintLen(x uint64) int { return wire.UvarintLen(x) }

// bodySize returns the encoded body size of a valid particle.
func bodySize(p *Particle) int {
	n := fixedSize - 4 +
		uvarintLen(uint64(len(p.ID))) + len(p.ID) +
		uvarintLen(uint64(len(p.InitPeerID))) + len(p.InitPeerID) +
		uvarintLen(uint64(len(p.Script))) + len(p.Script) +
		uvarintLen(uint64(len(p.Data))) + len(p.Data)
	if p.Trace != nil {
		n += uvarintLen(uint64(len(p.Trace.To))) + len(p.Trace.To) + 1 + len(p.Trace.Signature)
	}
	return n
}

func appendBody(b []byte, p *Particle) []byte {
	b = append(b, magic[:]...)
	b = binary.AppendUvarint(b, uint64(len(p.ID)))
	b = append(b, p.ID...)
	b = binary.AppendUvarint(b, uint64(len(p.InitPeerID)))
	b = append(b, p.InitPeerID...)
	b = binary.LittleEndian.AppendUint64(b, p.Timestamp)
	b = binary.LittleEndian.AppendUint32(b, p.TTL)
	b = binary.AppendUvarint(b, uint64(len(p.Script)))
	b = append(b, p.Script...)
	b = binary.AppendUvarint(b, uint64(len(p.Signature)))
	b = append(b, p.Signature...)
	if p.Trace == nil {
		b = append(b, traceAbsent)
	} else {
		b = append(b, tracePresent)
		b = binary.AppendUvarint(b, uint64(len(p.Trace.To)))
		b = append(b, p.Trace.To...)
		b = binary.AppendUvarint(b, uint64(len(p.Trace.Signature)))
		b = append(b, p.Trace.Signature...)
	}
	b = binary.AppendUvarint(b, uint64(len(p.Data)))
	return append(b, p.Data...)
}

// Marshal encodes p's body (no frame length prefix). The encoding is deterministic: a
// particle has exactly one encoding, and Unmarshal accepts only that one. Marshal
// refuses, with a *RejectError of ReasonMalformed, a particle the decoder would refuse
// (bad id or init peer id, script not UTF-8, signature not 64 bytes, a trace request
// with a bad peer id or a signature not 64 bytes). It does not apply
// a size limit: the receiver does (DefaultMaxSize unless configured).
func Marshal(p *Particle) ([]byte, error) {
	if err := validate(p); err != nil {
		return nil, err
	}
	return appendBody(make([]byte, 0, bodySize(p)), p), nil
}

// Unmarshal decodes a body written by Marshal. A body over maxSize bytes (0 or less
// means DefaultMaxSize) is refused before parsing (ReasonOversize). Other errors are
// *RejectError with ReasonMalformed (the detail names the byte offset) or
// ReasonUnsupportedVersion. Unmarshal checks the format only, not the signature or the
// expiry (see Check). The particle does not share memory with b.
func Unmarshal(b []byte, maxSize int) (*Particle, error) {
	return unmarshal(b, maxSize, false)
}

// unmarshal decodes b; with alias, Signature, the trace signature and Data are
// sub-slices of b (capacity clipped) instead of copies.
func unmarshal(b []byte, maxSize int, alias bool) (*Particle, error) {
	if maxSize <= 0 {
		maxSize = DefaultMaxSize
	}
	if len(b) > maxSize {
		return nil, reject(ReasonOversize, "body is %d bytes, limit %d", len(b), maxSize)
	}
	if len(b) == 0 {
		return nil, reject(ReasonMalformed, "empty body")
	}
	for i := range 2 {
		if i >= len(b) || b[i] != magic[i] {
			return nil, reject(ReasonMalformed, "at byte 0: not a Reef particle (bad magic % x)", b[:min(len(b), 3)])
		}
	}
	if len(b) < 3 {
		return nil, reject(ReasonMalformed, "at byte 2: unexpected end of input (format version)")
	}
	if b[2] != FormatVersion {
		return nil, reject(ReasonUnsupportedVersion, "at byte 2: format version %d, this build reads %d", b[2], FormatVersion)
	}
	d := wire.NewDecoder(b, 3)
	p := &Particle{}
	p.ID = d.Str("id", MaxIDLen)
	d.Check(checkID(p.ID))
	p.InitPeerID = d.Str("init peer id", MaxPeerIDLen)
	d.Check(checkPeerID(p.InitPeerID))
	if ts := d.Take("timestamp", 8); ts != nil {
		p.Timestamp = binary.LittleEndian.Uint64(ts)
	}
	if ttl := d.Take("ttl", 4); ttl != nil {
		p.TTL = binary.LittleEndian.Uint32(ttl)
	}
	p.Script = d.Str("script", math.MaxInt)
	d.Check(checkScript(p.Script))
	sig := d.Field("signature", ed25519.SignatureSize)
	d.Check(checkSignature(sig))
	var traceTo string
	var traceSig []byte
	traced := false
	if flag := d.Take("trace flag", 1); flag != nil {
		switch flag[0] {
		case traceAbsent:
		case tracePresent:
			traced = true
			traceTo = d.Str("trace-to peer id", MaxPeerIDLen)
			d.Check(checkPeerIDNamed("trace-to peer id", traceTo))
			traceSig = d.Field("trace signature", ed25519.SignatureSize)
			d.Check(checkSignatureNamed("trace signature", traceSig))
		default:
			d.Check(fmt.Sprintf("trace flag is 0x%02x, want 0x00 (none) or 0x01 (trace request)", flag[0]))
		}
	}
	dat := d.Field("data", math.MaxInt)
	d.End()
	if d.Failed() {
		at, msg := d.Failure()
		return nil, reject(ReasonMalformed, "at byte %d: %s", at, msg)
	}
	if !alias {
		buf := make([]byte, len(sig)+len(traceSig)+len(dat))
		copy(buf, sig)
		copy(buf[len(sig):], traceSig)
		copy(buf[len(sig)+len(traceSig):], dat)
		sig, traceSig, dat = buf[:len(sig)], buf[len(sig):len(sig)+len(traceSig)], buf[len(sig)+len(traceSig):]
	}
	p.Signature = sig[:len(sig):len(sig)]
	if traced {
		p.Trace = &TraceRequest{To: traceTo, Signature: traceSig[:len(traceSig):len(traceSig)]}
	}
	if len(dat) > 0 {
		p.Data = dat[:len(dat):len(dat)]
	}
	return p, nil
}
