package hopreport

import (
	"errors"
	"fmt"

	"github.com/reefhq/reef/peer/particle"
)

// Reason classifies why a hop report was refused: the same reasons, with the same stable
// labels, as a refused particle (particle.Reason). For a report they mean:
//
//   - ReasonMalformed: the frame or body breaks the format (truncated, trailing bytes,
//     bad magic, a field out of bounds, text that is not UTF-8, a bad id, a signature
//     that is not 64 bytes, a stream that ended before any frame) or a report given to
//     Marshal is invalid;
//   - ReasonOversize: the declared frame length or the body exceeds MaxSize;
//   - ReasonUnsupportedVersion: the body has the report magic but another format version;
//   - ReasonSignature: the reporter's signature, or the init peer's trace request the
//     report carries, does not verify (or a peer id does not embed an Ed25519 key);
//   - ReasonExpired: the reported particle is past its deadline (with the clock-skew
//     allowance), or its deadline overflows;
//   - ReasonFuture: the reported particle's timestamp is further ahead of now than the
//     clock-skew allowance;
//   - ReasonTransport: reading the frame failed for a reason other than the stream
//     ending (a reset, a deadline); the cause is in RejectError.Err.
type Reason = particle.Reason

// The rejection reasons (see Reason).
const (
	ReasonMalformed          = particle.ReasonMalformed
	ReasonOversize           = particle.ReasonOversize
	ReasonUnsupportedVersion = particle.ReasonUnsupportedVersion
	ReasonSignature          = particle.ReasonSignature
	ReasonExpired            = particle.ReasonExpired
	ReasonFuture             = particle.ReasonFuture
	ReasonTransport          = particle.ReasonTransport
)

// Reasons returns every Reason in declaration order.
func Reasons() []Reason { return particle.Reasons() }

// RejectError is the error of every refusal by ReadFrame, Unmarshal, Marshal, Seal,
// Verify, VerifyTrace and CheckExpiry.
type RejectError struct {
	Reason Reason
	// Detail says what exactly is wrong, e.g. "at byte 41: error is not valid UTF-8".
	Detail string
	// Err is the underlying cause when there is one (io.EOF for a stream that ended
	// before a frame, io.ErrUnexpectedEOF for a truncated frame, the reader's error for
	// ReasonTransport, the particle package's error for a trace request or an expiry);
	// nil otherwise. Unwrap returns it.
	Err error
}

func (e *RejectError) Error() string {
	s := "hop report rejected (" + e.Reason.String() + "): " + e.Detail
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
