package particle

import (
	"errors"
	"fmt"
	"strconv"
)

// Reason classifies why a particle was rejected. The node counts rejections per Reason
// (the String values are stable metric and log labels).
type Reason uint8

// The rejection reasons. The zero Reason is not used by this package.
const (
	// ReasonMalformed: the frame or body breaks the format (truncated, trailing bytes,
	// bad magic, a field out of bounds, invalid UTF-8 script, bad id, bad signature
	// length, a stream that ended before any frame) or a particle given to Marshal is
	// invalid.
	ReasonMalformed Reason = iota + 1
	// ReasonOversize: the declared frame length or the body exceeds the size limit.
	ReasonOversize
	// ReasonUnsupportedVersion: the body has Reef's magic but another format version.
	ReasonUnsupportedVersion
	// ReasonSignature: the init peer id does not embed an Ed25519 key (or is not
	// base58), or the signature does not verify.
	ReasonSignature
	// ReasonExpired: timestamp + ttl + clock-skew allowance is before now, or
	// timestamp + ttl overflows.
	ReasonExpired
	// ReasonFuture: the timestamp is further ahead of now than the clock-skew allowance.
	ReasonFuture
	// ReasonTransport: reading the frame failed for a reason other than the stream
	// ending (a reset, a deadline); nothing is known about the particle. The cause is
	// in RejectError.Err.
	ReasonTransport
)

var reasonNames = [...]string{
	ReasonMalformed:          "malformed",
	ReasonOversize:           "oversize",
	ReasonUnsupportedVersion: "unsupported-version",
	ReasonSignature:          "signature",
	ReasonExpired:            "expired",
	ReasonFuture:             "future",
	ReasonTransport:          "transport",
}

// String returns the reason's stable label: "malformed", "oversize",
// "unsupported-version", "signature", "expired", "future" or "transport".
func (r Reason) String() string {
	if int(r) < len(reasonNames) && reasonNames[r] != "" {
		return reasonNames[r]
	}
	return "reason(" + strconv.Itoa(int(r)) + ")"
}

// Reasons returns every Reason in declaration order, e.g. to register one counter per
// reason up front.
func Reasons() []Reason {
	return []Reason{ReasonMalformed, ReasonOversize, ReasonUnsupportedVersion, ReasonSignature,
		ReasonExpired, ReasonFuture, ReasonTransport}
}

// RejectError is the error of every rejection by ReadFrame, Unmarshal, Marshal,
// WriteFrame (for an invalid particle), Verify, CheckExpiry and Check.
type RejectError struct {
	Reason Reason
	// Detail says what exactly is wrong, e.g. "at byte 41: script is not valid UTF-8
	// (bad byte at script offset 7)" or "expired 1.234s ago (deadline ..., now ...,
	// clock-skew allowance 2s)".
	Detail string
	// Err is the underlying cause when there is one (io.EOF for a stream that ended
	// before a frame, io.ErrUnexpectedEOF for a truncated frame, the reader's error for
	// ReasonTransport, data.ErrNotEd25519PeerID); nil otherwise. Unwrap returns it.
	Err error
}

func (e *RejectError) Error() string {
	s := "particle rejected (" + e.Reason.String() + "): " + e.Detail
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying cause, if any.
func (e *RejectError) Unwrap() error { return e.Err }

// ReasonOf returns the Reason of the *RejectError in err's chain, and false when there
// is none.
func ReasonOf(err error) (Reason, bool) {
	var re *RejectError
	if errors.As(err, &re) {
		return re.Reason, true
	}
	return 0, false
}

func reject(r Reason, format string, args ...any) *RejectError {
	return &RejectError{Reason: r, Detail: fmt.Sprintf(format, args...)}
}
