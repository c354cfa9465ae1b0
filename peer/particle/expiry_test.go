package particle

import (
	"math"
	"testing"
	"time"
)

func TestDeadline(t *testing.T) {
	for _, tc := range []struct {
		name string
		ts   uint64
		ttl  uint32
		want time.Time
		ok   bool
	}{
		{"typical", 1700000000000, 7000, time.UnixMilli(1700000007000), true},
		{"zero", 0, 0, time.UnixMilli(0), true},
		{"largest", math.MaxInt64 - 5, 5, time.UnixMilli(math.MaxInt64), true},
		{"beyond int64 ms", math.MaxInt64 - 5, 6, time.Time{}, false},
		{"u64 overflow", math.MaxUint64 - 10, 100, time.Time{}, false},
		{"u64 max", math.MaxUint64, math.MaxUint32, time.Time{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, ok := (&Particle{Timestamp: tc.ts, TTL: tc.ttl}).Deadline()
			if ok != tc.ok || !d.Equal(tc.want) {
				t.Errorf("Deadline() = %v, %v; want %v, %v", d, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestCheckExpiry(t *testing.T) {
	const ts = 1700000000000 // 2023-11-14T22:13:20.000Z
	start := time.UnixMilli(ts)
	deadline := start.Add(7 * time.Second)
	for _, tc := range []struct {
		name string
		ts   uint64
		ttl  uint32
		now  time.Time
		skew time.Duration
		want Reason // 0: accepted
		subs []string
	}{
		{"fresh", ts, 7000, start.Add(time.Second), DefaultClockSkew, 0, nil},
		{"at creation", ts, 7000, start, DefaultClockSkew, 0, nil},
		{"at deadline", ts, 7000, deadline, DefaultClockSkew, 0, nil},
		{"late within skew", ts, 7000, deadline.Add(1500 * time.Millisecond), DefaultClockSkew, 0, nil},
		{"exactly at deadline+skew", ts, 7000, deadline.Add(DefaultClockSkew), DefaultClockSkew, 0, nil},
		{"just expired", ts, 7000, deadline.Add(DefaultClockSkew + time.Millisecond), DefaultClockSkew, ReasonExpired,
			[]string{"expired 2.001s ago", "deadline 2023-11-14T22:13:27.000Z", "now 2023-11-14T22:13:29.001Z", "ttl 7s", "clock-skew allowance 2s"}},
		{"expired by a nanosecond shows a millisecond more", ts, 7000, deadline.Add(DefaultClockSkew + time.Nanosecond), DefaultClockSkew, ReasonExpired,
			[]string{"expired 2.001s ago"}},
		{"expired without allowance", ts, 7000, deadline.Add(1234 * time.Millisecond), 0, ReasonExpired,
			[]string{"expired 1.234s ago", "clock-skew allowance 0s"}},
		{"negative skew counts as zero", ts, 7000, deadline.Add(time.Millisecond), -time.Hour, ReasonExpired,
			[]string{"expired 1ms ago", "clock-skew allowance 0s"}},
		{"long expired", ts, 7000, deadline.Add(90 * time.Minute), DefaultClockSkew, ReasonExpired, []string{"expired 1h30m0s ago"}},
		{"zero ttl within skew", ts, 0, start.Add(time.Second), DefaultClockSkew, 0, nil},
		{"zero ttl expired", ts, 0, start.Add(3 * time.Second), DefaultClockSkew, ReasonExpired, []string{"expired 3s ago", "ttl 0s"}},
		{"slightly ahead within skew", ts, 7000, start.Add(-1999 * time.Millisecond), DefaultClockSkew, 0, nil},
		{"ahead exactly by skew", ts, 7000, start.Add(-DefaultClockSkew), DefaultClockSkew, 0, nil},
		{"future beyond skew", ts, 7000, start.Add(-12500 * time.Millisecond), DefaultClockSkew, ReasonFuture,
			[]string{"timestamp is 12.5s in the future, beyond the 2s clock-skew allowance", "timestamp 2023-11-14T22:13:20.000Z", "now 2023-11-14T22:13:07.500Z"}},
		{"future by a millisecond over", ts, 7000, start.Add(-DefaultClockSkew - time.Millisecond), DefaultClockSkew, ReasonFuture,
			[]string{"2.001s in the future"}},
		{"future with larger allowance accepted", ts, 7000, start.Add(-12500 * time.Millisecond), 15 * time.Second, 0, nil},
		{"future without allowance", ts, 7000, start.Add(-time.Millisecond), 0, ReasonFuture, []string{"1ms in the future, beyond the 0s"}},
		{"far future", math.MaxInt64 - 7000, 7000, start, DefaultClockSkew, ReasonFuture, []string{"timestamp is more than 292 years in the future"}},
		{"deadline overflows u64", math.MaxUint64 - 10, 100, start, DefaultClockSkew, ReasonExpired,
			[]string{"deadline overflows", "18446744073709551605"}},
		{"deadline beyond int64 ms", math.MaxInt64, 1, start, DefaultClockSkew, ReasonExpired, []string{"deadline overflows"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &Particle{Timestamp: tc.ts, TTL: tc.ttl}
			err := p.CheckExpiry(tc.now, tc.skew)
			if tc.want == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantReason(t, err, tc.want, tc.subs...)
		})
	}
}
