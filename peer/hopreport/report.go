// Package hopreport is the hop report of a traced particle: what one node did in one
// run of the particle, signed by that node and sent to the particle's trace destination
// over ProtocolID. docs/protocol.md ("Hop reports") is the specification.
//
// A report names the particle (id, init peer, timestamp, ttl) and carries the init
// peer's trace request (destination and signature), so that any receiver can check that
// the init peer asked for reports to go where they are going. It then describes the
// run: the reporter, the peer the data came from, when the input arrived, when the run
// started and ended, instructions executed, calls issued (service, function, arguments
// truncated), call results applied (ret code, text truncated), next peers, and the ret
// code and error message. The reporter signs it with the Ed25519 key its peer id
// embeds.
//
// The encoding is deterministic and canonical (a body decodes only if re-encoding gives
// the same bytes) and bounded: a body is at most MaxSize bytes. Fit truncates texts to
// their limits and drops list entries that do not fit, counting them in Omitted; Seal
// fits, signs and encodes in one step.
package hopreport

import (
	"crypto/ed25519"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/reefhq/reef/aqua/data"
	"github.com/reefhq/reef/peer/particle"
)

// Limits of the format. Texts longer than their limit are cut by Fit (see Truncate);
// the decoder refuses longer ones.
const (
	// FormatVersion is the body format version this build reads and writes.
	FormatVersion = 1
	// MaxSize bounds a whole body (the frame length prefix excluded).
	MaxSize = 32 << 10
	// MaxIDLen bounds the particle id, as in a particle.
	MaxIDLen = particle.MaxIDLen
	// MaxPeerIDLen bounds every peer id: init peer, trace destination, reporter, from
	// and each next peer.
	MaxPeerIDLen = particle.MaxPeerIDLen
	// MaxNameLen bounds a service or function name.
	MaxNameLen = 256
	// MaxArgsLen bounds a call's arguments (the JSON text of the argument array).
	MaxArgsLen = 1024
	// MaxResultLen bounds a call result's text (the JSON value, or the error).
	MaxResultLen = 256
	// MaxErrorLen bounds the run's error message.
	MaxErrorLen = 1024
)

// Report is one run of a traced particle on one node.
type Report struct {
	// ParticleID, InitPeerID, Timestamp and TTL (milliseconds) identify the particle
	// and bound the report's lifetime: receivers refuse reports for expired particles.
	ParticleID string
	InitPeerID string
	Timestamp  uint64
	TTL        uint32
	// TraceTo and TraceSignature are the particle's trace request: the init peer's
	// Ed25519 signature over particle.TraceSignedBytes(ParticleID, TraceTo).
	TraceTo        string
	TraceSignature []byte

	// Reporter is the peer that ran the particle and signs the report.
	Reporter string
	// From is the peer whose data the run merged ("" when the run only applied call
	// results; the reporter itself when it sent the particle to itself).
	From string
	// TimeIn is when the run's input (data or a call result) arrived at the reporter,
	// Start when the run started, TimeOut when it ended (the reporter's clock).
	TimeIn, Start, TimeOut time.Time
	// Instructions is the number of AIR instructions the run executed.
	Instructions int
	// RetCode and Error are the run's interpreter outcome (0 and "" on success).
	RetCode int64
	Error   string
	// NextPeers are the peers the run sent the particle to.
	NextPeers []string
	// Calls are the call requests the run issued, Results the call results it applied.
	Calls   []Call
	Results []Result
	// Omitted counts the next peers, calls and results left out to keep the report
	// within MaxSize.
	Omitted int
	// Signature is the reporter's Ed25519 signature (64 bytes) over SignedBytes.
	Signature []byte
}

// Call is a call request a run issued.
type Call struct {
	ID                uint32
	Service, Function string
	// Args is the JSON text of the argument array, cut to MaxArgsLen.
	Args string
}

// Result is a call result a run applied.
type Result struct {
	ID uint32
	// Service and Function name the call the result answers ("" when the node no
	// longer knew it).
	Service, Function string
	// RetCode is 0 for success; anything else is a service error.
	RetCode int32
	// Text is the JSON text of the value for success, the error text otherwise, cut to
	// MaxResultLen.
	Text string
}

// OK reports whether the call succeeded.
func (r Result) OK() bool { return r.RetCode == 0 }

// ellipsis marks a cut text.
const ellipsis = "…"

// Truncate returns s as valid UTF-8 of at most n bytes: unchanged when it fits,
// otherwise cut at a character boundary and ended with "…" (within the n bytes).
// Invalid UTF-8 is replaced by U+FFFD first.
func Truncate(s string, n int) string {
	if len(s) <= n && utf8.ValidString(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= n {
		return s
	}
	if n < len(ellipsis) {
		return ""
	}
	cut := n - len(ellipsis)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + ellipsis
}

// Fit makes r fit the format: it cuts the error, next peers, names, arguments and
// result texts to their limits (Truncate), then keeps as many next peers, calls and
// results (in that order of priority, each list from its start) as fit in MaxSize,
// adding the number left out to Omitted. Fit replaces the lists rather than changing
// their elements, so slices shared with the caller are not modified.
func (r *Report) Fit() {
	r.Error = Truncate(r.Error, MaxErrorLen)
	r.Instructions = min(max(r.Instructions, 0), maxInstructions)
	r.Omitted = max(r.Omitted, 0)
	budget := MaxSize - fixedPartSize(r) - 1 - ed25519.SignatureSize - 3*maxCountLen - maxOmittedLen
	if len(r.NextPeers) > 0 {
		peers := make([]string, 0, len(r.NextPeers))
		for _, p := range r.NextPeers {
			p = Truncate(p, MaxPeerIDLen)
			if n := strSize(p); n <= budget {
				budget -= n
				peers = append(peers, p)
				continue
			}
			r.Omitted++
		}
		r.NextPeers = peers
	}
	if len(r.Calls) > 0 {
		calls := make([]Call, 0, len(r.Calls))
		for _, c := range r.Calls {
			c.Service, c.Function, c.Args = Truncate(c.Service, MaxNameLen), Truncate(c.Function, MaxNameLen), Truncate(c.Args, MaxArgsLen)
			if n := callSize(&c); n <= budget {
				budget -= n
				calls = append(calls, c)
				continue
			}
			r.Omitted++
		}
		r.Calls = calls
	}
	if len(r.Results) > 0 {
		results := make([]Result, 0, len(r.Results))
		for _, x := range r.Results {
			x.Service, x.Function, x.Text = Truncate(x.Service, MaxNameLen), Truncate(x.Function, MaxNameLen), Truncate(x.Text, MaxResultLen)
			if n := resultSize(&x); n <= budget {
				budget -= n
				results = append(results, x)
				continue
			}
			r.Omitted++
		}
		r.Results = results
	}
	r.Omitted = min(r.Omitted, maxOmitted)
}

// reportDomain separates report signatures from every other use of the key.
const reportDomain = "reef/hop-report/1\x00"

// SignedBytes returns the bytes the reporter signs: "reef/hop-report/1" NUL followed by
// the body up to, not including, the signature field. It does not validate r.
func (r *Report) SignedBytes() []byte {
	b := make([]byte, 0, len(reportDomain)+unsignedSize(r))
	b = append(b, reportDomain...)
	return appendUnsigned(b, r)
}

// Seal completes a report for sending: it sets Reporter to key's peer id, fits r
// (Fit), signs it and returns the body. A report Marshal would refuse is refused with
// a *RejectError of ReasonMalformed. Seal panics if key is not
// ed25519.PrivateKeySize bytes long.
func Seal(r *Report, key ed25519.PrivateKey) ([]byte, error) {
	r.Reporter = data.PeerIDFromKey(key)
	r.Fit()
	r.Signature = make([]byte, ed25519.SignatureSize) // placeholder for validation
	if err := validate(r); err != nil {
		r.Signature = nil
		return nil, err
	}
	body := make([]byte, 0, len(reportDomain)+bodySize(r))
	body = append(body, reportDomain...)
	body = appendUnsigned(body, r)
	r.Signature = ed25519.Sign(key, body)
	body = appendSignature(body, r.Signature)
	return body[len(reportDomain):], nil
}

// Verify checks Signature against the Ed25519 key embedded in Reporter. Every failure
// is a *RejectError with ReasonSignature.
func (r *Report) Verify() error {
	if len(r.Signature) != ed25519.SignatureSize {
		return reject(ReasonSignature, "signature is %d bytes, want %d", len(r.Signature), ed25519.SignatureSize)
	}
	pk, err := data.PublicKeyFromPeerID(r.Reporter)
	if err != nil {
		re := reject(ReasonSignature, "reporter %q is not an Ed25519 peer id", truncate(r.Reporter))
		if errors.Is(err, data.ErrNotEd25519PeerID) {
			re.Err = data.ErrNotEd25519PeerID
		}
		return re
	}
	if !ed25519.Verify(pk[:], r.SignedBytes(), r.Signature) {
		return reject(ReasonSignature, "signature does not verify for reporter %s", r.Reporter)
	}
	return nil
}

// VerifyTrace checks the trace request the report carries: the init peer's signature
// over particle.TraceSignedBytes(ParticleID, TraceTo). A failure is a *RejectError
// with ReasonSignature whose Err is the particle package's error.
func (r *Report) VerifyTrace() error {
	if err := particle.VerifyTraceRequest(r.ParticleID, r.InitPeerID, r.TraceTo, r.TraceSignature); err != nil {
		return &RejectError{Reason: ReasonSignature, Detail: "trace request", Err: err}
	}
	return nil
}

// CheckExpiry checks the reported particle's lifetime as particle.CheckExpiry does
// (ReasonExpired, ReasonFuture; Err is the particle package's error).
func (r *Report) CheckExpiry(now time.Time, skew time.Duration) error {
	p := particle.Particle{Timestamp: r.Timestamp, TTL: r.TTL}
	if err := p.CheckExpiry(now, skew); err != nil {
		reason := ReasonExpired
		if pr, _ := particle.ReasonOf(err); pr == particle.ReasonFuture {
			reason = ReasonFuture
		}
		return &RejectError{Reason: reason, Detail: "particle " + r.ParticleID, Err: err}
	}
	return nil
}

// Deadline returns the particle's deadline (false when it overflows).
func (r *Report) Deadline() (time.Time, bool) {
	p := particle.Particle{Timestamp: r.Timestamp, TTL: r.TTL}
	return p.Deadline()
}

// truncate shortens s for an error message.
func truncate(s string) string {
	const limit = 80
	if len(s) <= limit {
		return s
	}
	return s[:limit] + "..."
}
