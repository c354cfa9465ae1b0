package hopreport

import (
	"crypto/ed25519"
	"encoding/binary"
	"fmt"
	"math"
	"time"
	"unicode/utf8"

	"github.com/reefhq/reef/peer/internal/wire"
)

// magic starts every body: "RH" then the format version.
var magic = [3]byte{'R', 'H', FormatVersion}

const (
	maxInstructions = math.MaxUint32
	maxOmitted      = math.MaxUint32
	maxCallID       = math.MaxUint32
	// maxCountLen is the longest list count: a list cannot have more entries than a
	// body has bytes.
	maxCountLen   = 3 // uvarintLen(MaxSize)
	maxOmittedLen = 5 // uvarintLen(maxOmitted)
)

// uvarintLen is wire.UvarintLen (frame.go uses it too).
func uvarintLen(x uint64) int { return wire.UvarintLen(x) }

func strSize(s string) int { return uvarintLen(uint64(len(s))) + len(s) }

func callSize(c *Call) int {
	return uvarintLen(uint64(c.ID)) + strSize(c.Service) + strSize(c.Function) + strSize(c.Args)
}

func resultSize(x *Result) int {
	return uvarintLen(uint64(x.ID)) + strSize(x.Service) + strSize(x.Function) + 4 + strSize(x.Text)
}

// fixedPartSize is the size of everything in the unsigned body but the three lists,
// their counts and the omitted count.
func fixedPartSize(r *Report) int {
	return len(magic) + strSize(r.ParticleID) + strSize(r.InitPeerID) + 8 + 4 +
		strSize(r.TraceTo) + uvarintLen(uint64(len(r.TraceSignature))) + len(r.TraceSignature) +
		strSize(r.Reporter) + strSize(r.From) + 3*8 +
		uvarintLen(uint64(r.Instructions)) + 8 + strSize(r.Error)
}

func unsignedSize(r *Report) int {
	n := fixedPartSize(r) + uvarintLen(uint64(len(r.NextPeers))) + uvarintLen(uint64(len(r.Calls))) +
		uvarintLen(uint64(len(r.Results))) + uvarintLen(uint64(r.Omitted))
	for _, p := range r.NextPeers {
		n += strSize(p)
	}
	for i := range r.Calls {
		n += callSize(&r.Calls[i])
	}
	for i := range r.Results {
		n += resultSize(&r.Results[i])
	}
	return n
}

func bodySize(r *Report) int {
	return unsignedSize(r) + uvarintLen(uint64(len(r.Signature))) + len(r.Signature)
}

func appendStr(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendTime(b []byte, t time.Time) []byte {
	return binary.LittleEndian.AppendUint64(b, uint64(t.UnixNano()))
}

// appendUnsigned appends the body up to, not including, the signature field.
func appendUnsigned(b []byte, r *Report) []byte {
	b = append(b, magic[:]...)
	b = appendStr(b, r.ParticleID)
	b = appendStr(b, r.InitPeerID)
	b = binary.LittleEndian.AppendUint64(b, r.Timestamp)
	b = binary.LittleEndian.AppendUint32(b, r.TTL)
	b = appendStr(b, r.TraceTo)
	b = binary.AppendUvarint(b, uint64(len(r.TraceSignature)))
	b = append(b, r.TraceSignature...)
	b = appendStr(b, r.Reporter)
	b = appendStr(b, r.From)
	b = appendTime(b, r.TimeIn)
	b = appendTime(b, r.Start)
	b = appendTime(b, r.TimeOut)
	b = binary.AppendUvarint(b, uint64(r.Instructions))
	b = binary.LittleEndian.AppendUint64(b, uint64(r.RetCode))
	b = appendStr(b, r.Error)
	b = binary.AppendUvarint(b, uint64(len(r.NextPeers)))
	for _, p := range r.NextPeers {
		b = appendStr(b, p)
	}
	b = binary.AppendUvarint(b, uint64(len(r.Calls)))
	for _, c := range r.Calls {
		b = binary.AppendUvarint(b, uint64(c.ID))
		b = appendStr(b, c.Service)
		b = appendStr(b, c.Function)
		b = appendStr(b, c.Args)
	}
	b = binary.AppendUvarint(b, uint64(len(r.Results)))
	for _, x := range r.Results {
		b = binary.AppendUvarint(b, uint64(x.ID))
		b = appendStr(b, x.Service)
		b = appendStr(b, x.Function)
		b = binary.LittleEndian.AppendUint32(b, uint32(x.RetCode))
		b = appendStr(b, x.Text)
	}
	return binary.AppendUvarint(b, uint64(r.Omitted))
}

func appendSignature(b, sig []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(sig)))
	return append(b, sig...)
}

// Field checks shared by the encoder and the decoder: each returns "" or what is wrong.

func checkID(id string) string {
	if len(id) == 0 {
		return "particle id is empty"
	}
	if len(id) > MaxIDLen {
		return fmt.Sprintf("particle id is %d bytes, limit %d", len(id), MaxIDLen)
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return fmt.Sprintf("particle id has byte 0x%02x at offset %d (allowed: ASCII letters, digits, '-', '_')", c, i)
		}
	}
	return ""
}

var base58Alphabet = func() (t [256]bool) {
	for _, c := range "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz" {
		t[c] = true
	}
	return t
}()

// checkPeerID checks a base58 peer id of 1 to MaxPeerIDLen bytes (0 allowed when
// optional).
func checkPeerID(name, id string, optional bool) string {
	if len(id) == 0 {
		if optional {
			return ""
		}
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

// checkText checks UTF-8 text of at most limit bytes.
func checkText(name, s string, limit int) string {
	if len(s) > limit {
		return fmt.Sprintf("%s is %d bytes, limit %d", name, len(s), limit)
	}
	if !utf8.ValidString(s) {
		return name + " is not valid UTF-8"
	}
	return ""
}

func checkSig(name string, sig []byte) string {
	if len(sig) != ed25519.SignatureSize {
		return fmt.Sprintf("%s is %d bytes, want %d", name, len(sig), ed25519.SignatureSize)
	}
	return ""
}

func checkTime(name string, t time.Time) string {
	if !time.Unix(0, t.UnixNano()).Equal(t) {
		return fmt.Sprintf("%s %s is not representable as int64 nanoseconds since 1970", name, t.UTC().Format(time.RFC3339))
	}
	return ""
}

// validate applies the decoder's rules to r, and the size limit.
func validate(r *Report) error {
	if r == nil {
		return reject(ReasonMalformed, "nil report")
	}
	msgs := []string{
		checkID(r.ParticleID), checkPeerID("init peer id", r.InitPeerID, false),
		checkPeerID("trace-to peer id", r.TraceTo, false), checkSig("trace signature", r.TraceSignature),
		checkPeerID("reporter", r.Reporter, false), checkPeerID("from", r.From, true),
		checkTime("time in", r.TimeIn), checkTime("start", r.Start), checkTime("time out", r.TimeOut),
		checkText("error", r.Error, MaxErrorLen), checkSig("signature", r.Signature),
	}
	if r.Instructions < 0 || r.Instructions > maxInstructions {
		msgs = append(msgs, fmt.Sprintf("instructions %d out of range [0, %d]", r.Instructions, maxInstructions))
	}
	if r.Omitted < 0 || r.Omitted > maxOmitted {
		msgs = append(msgs, fmt.Sprintf("omitted %d out of range [0, %d]", r.Omitted, maxOmitted))
	}
	for _, p := range r.NextPeers {
		msgs = append(msgs, checkText("next peer", p, MaxPeerIDLen))
	}
	for _, c := range r.Calls {
		msgs = append(msgs, checkText("call service", c.Service, MaxNameLen), checkText("call function", c.Function, MaxNameLen),
			checkText("call arguments", c.Args, MaxArgsLen))
	}
	for _, x := range r.Results {
		msgs = append(msgs, checkText("result service", x.Service, MaxNameLen), checkText("result function", x.Function, MaxNameLen),
			checkText("result text", x.Text, MaxResultLen))
	}
	for _, m := range msgs {
		if m != "" {
			return reject(ReasonMalformed, "cannot encode: %s", m)
		}
	}
	if n := bodySize(r); n > MaxSize {
		return reject(ReasonMalformed, "cannot encode: the report is %d bytes, limit %d (call Fit)", n, MaxSize)
	}
	return nil
}

// Marshal encodes r's body (no frame length prefix). The encoding is deterministic and
// canonical: Unmarshal accepts only the bytes Marshal writes. Marshal refuses, with a
// *RejectError of ReasonMalformed, a report the decoder would refuse (a bad id or peer
// id, text that is not UTF-8 or over its limit, a signature that is not 64 bytes, a
// time outside int64 nanoseconds, a body over MaxSize). It does not check signatures.
func Marshal(r *Report) ([]byte, error) {
	if err := validate(r); err != nil {
		return nil, err
	}
	return appendSignature(appendUnsigned(make([]byte, 0, bodySize(r)), r), r.Signature), nil
}

// Unmarshal decodes a body written by Marshal. A body over MaxSize bytes is refused
// before parsing (ReasonOversize). Other errors are *RejectError with ReasonMalformed
// (the detail names the byte offset) or ReasonUnsupportedVersion. Unmarshal checks the
// format only, not the signatures or the expiry. The report does not share memory with
// b.
func Unmarshal(b []byte) (*Report, error) {
	if len(b) > MaxSize {
		return nil, reject(ReasonOversize, "body is %d bytes, limit %d", len(b), MaxSize)
	}
	if len(b) == 0 {
		return nil, reject(ReasonMalformed, "empty body")
	}
	for i := range 2 {
		if i >= len(b) || b[i] != magic[i] {
			return nil, reject(ReasonMalformed, "at byte 0: not a Reef hop report (bad magic % x)", b[:min(len(b), 3)])
		}
	}
	if len(b) < 3 {
		return nil, reject(ReasonMalformed, "at byte 2: unexpected end of input (format version)")
	}
	if b[2] != FormatVersion {
		return nil, reject(ReasonUnsupportedVersion, "at byte 2: format version %d, this build reads %d", b[2], FormatVersion)
	}
	d := wire.NewDecoder(b, 3)
	r := &Report{}
	r.ParticleID = d.Str("particle id", MaxIDLen)
	d.Check(checkID(r.ParticleID))
	r.InitPeerID = d.Str("init peer id", MaxPeerIDLen)
	d.Check(checkPeerID("init peer id", r.InitPeerID, false))
	if v := d.Take("timestamp", 8); v != nil {
		r.Timestamp = binary.LittleEndian.Uint64(v)
	}
	if v := d.Take("ttl", 4); v != nil {
		r.TTL = binary.LittleEndian.Uint32(v)
	}
	r.TraceTo = d.Str("trace-to peer id", MaxPeerIDLen)
	d.Check(checkPeerID("trace-to peer id", r.TraceTo, false))
	r.TraceSignature = clone(d.Field("trace signature", ed25519.SignatureSize))
	d.Check(checkSig("trace signature", r.TraceSignature))
	r.Reporter = d.Str("reporter", MaxPeerIDLen)
	d.Check(checkPeerID("reporter", r.Reporter, false))
	r.From = d.Str("from", MaxPeerIDLen)
	d.Check(checkPeerID("from", r.From, true))
	r.TimeIn, r.Start, r.TimeOut = d.Time("time in"), d.Time("start"), d.Time("time out")
	r.Instructions = int(d.Uvarint("instructions", maxInstructions))
	if v := d.Take("ret code", 8); v != nil {
		r.RetCode = int64(binary.LittleEndian.Uint64(v))
	}
	r.Error = d.Text("error", MaxErrorLen)
	if n := d.Count("next peers"); n > 0 {
		r.NextPeers = make([]string, 0, n)
		for range n {
			r.NextPeers = append(r.NextPeers, d.Text("next peer", MaxPeerIDLen))
		}
	}
	if n := d.Count("calls"); n > 0 {
		r.Calls = make([]Call, 0, n)
		for range n {
			var c Call
			c.ID = uint32(d.Uvarint("call id", maxCallID))
			c.Service = d.Text("call service", MaxNameLen)
			c.Function = d.Text("call function", MaxNameLen)
			c.Args = d.Text("call arguments", MaxArgsLen)
			r.Calls = append(r.Calls, c)
		}
	}
	if n := d.Count("results"); n > 0 {
		r.Results = make([]Result, 0, n)
		for range n {
			var x Result
			x.ID = uint32(d.Uvarint("result id", maxCallID))
			x.Service = d.Text("result service", MaxNameLen)
			x.Function = d.Text("result function", MaxNameLen)
			if v := d.Take("result ret code", 4); v != nil {
				x.RetCode = int32(binary.LittleEndian.Uint32(v))
			}
			x.Text = d.Text("result text", MaxResultLen)
			r.Results = append(r.Results, x)
		}
	}
	r.Omitted = int(d.Uvarint("omitted", maxOmitted))
	r.Signature = clone(d.Field("signature", ed25519.SignatureSize))
	d.Check(checkSig("signature", r.Signature))
	d.End()
	if d.Failed() {
		at, msg := d.Failure()
		return nil, reject(ReasonMalformed, "at byte %d: %s", at, msg)
	}
	return r, nil
}

func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte{}, b...)
}
