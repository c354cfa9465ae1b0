package particle

import (
	"math"
	"time"
)

// DefaultClockSkew is the default clock-skew allowance: how far a particle may be past
// its deadline, or its timestamp ahead of the receiver's clock, and still be accepted.
const DefaultClockSkew = 2 * time.Second

// Deadline returns Timestamp + TTL as a time. It returns false when the sum overflows
// (does not fit the int64 milliseconds a time.Time can be built from, which includes
// uint64 overflow); such a particle counts as expired, as in Fluence.
func (p *Particle) Deadline() (time.Time, bool) {
	d := p.Timestamp + uint64(p.TTL)
	if d < p.Timestamp || d > math.MaxInt64 {
		return time.Time{}, false
	}
	return time.UnixMilli(int64(d)), true
}

// CheckExpiry checks the particle's lifetime against the receiver's clock now, allowing
// skew for clocks that disagree (a negative skew counts as 0; pass DefaultClockSkew
// unless configured otherwise). It returns a *RejectError with
//
//   - ReasonExpired when the deadline overflows (see Deadline) or when
//     timestamp + ttl + skew < now; the detail reports how long ago the particle
//     expired, e.g. "expired 1.234s ago (deadline 2024-11-14T22:13:21.000Z, now
//     2024-11-14T22:13:22.234Z, ttl 7s, clock-skew allowance 2s)";
//   - ReasonFuture when timestamp > now + skew (the sender's clock is far ahead); the
//     detail reports by how much, e.g. "timestamp is 12.5s in the future, beyond the 2s
//     clock-skew allowance (timestamp ..., now ...)".
//
// Reported durations are rounded up to the millisecond, so they always exceed the
// allowance they are compared with.
func (p *Particle) CheckExpiry(now time.Time, skew time.Duration) error {
	skew = max(skew, 0)
	deadline, ok := p.Deadline()
	if !ok {
		return reject(ReasonExpired, "deadline overflows: timestamp %d ms + ttl %d ms is beyond the last representable time (2^63-1 ms)", p.Timestamp, p.TTL)
	}
	ts := time.UnixMilli(int64(p.Timestamp)) // fits: Timestamp <= deadline <= MaxInt64
	if ahead := ts.Sub(now); ahead > skew {
		return reject(ReasonFuture, "timestamp is %v in the future, beyond the %v clock-skew allowance (timestamp %s, now %s)",
			fmtDur(ahead), skew, fmtTime(ts), fmtTime(now))
	}
	if late := now.Sub(deadline); late > skew {
		return reject(ReasonExpired, "expired %v ago (deadline %s, now %s, ttl %v, clock-skew allowance %v)",
			fmtDur(late), fmtTime(deadline), fmtTime(now), time.Duration(p.TTL)*time.Millisecond, skew)
	}
	return nil
}

// fmtDur prints d rounded up to a whole millisecond; time.Time.Sub saturates at about
// 292 years.
func fmtDur(d time.Duration) string {
	if d >= math.MaxInt64-time.Millisecond {
		return "more than 292 years"
	}
	if r := d % time.Millisecond; r > 0 {
		d += time.Millisecond - r
	}
	return d.String()
}

func fmtTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
