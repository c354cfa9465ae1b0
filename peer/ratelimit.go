package peer

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/reefhq/reef/peer/events"
)

// Default rate of particles one remote peer may send to a node: a token bucket of
// DefaultParticleBurst tokens refilled at DefaultParticleRate per second. Well above
// what one peer sends in the devnet benchmarks and the demo (a relay forwarding many
// clients' particles to one node may need more: --particle-rate), well below what one
// peer can push over a loopback connection.
const (
	DefaultParticleRate  = 2000
	DefaultParticleBurst = 4000
)

// WithParticleRateLimit shapes the particles each remote peer may send to the node
// with a token bucket per peer: rate particles per second, bursts of up to burst
// (burst <= 0: twice the rate). A particle beyond it is refused before it is read,
// counted and reported as rejected with the reason "rate-limited", like any other
// rejection. rate <= 0 turns the limit off. Default DefaultParticleRate/s, burst
// DefaultParticleBurst.
func WithParticleRateLimit(rate float64, burst int) Option {
	return func(c *config) error {
		if !(rate <= 1e9) || burst < 0 { // also NaN
			return errors.New("peer: particle rate limit out of range")
		}
		if rate > 0 && burst <= 0 {
			burst = max(1, int(2*rate))
		}
		c.particleRate, c.particleBurst = rate, burst
		return nil
	}
}

// reasonRateLimited is the rejection reason of a particle beyond its sender's rate.
const reasonRateLimited = "rate-limited"

// rateLimiter holds the token buckets of incoming particles by remote peer, and keeps
// the log from repeating one flooding peer's rejections: the first is logged, then at
// most one line per peer per second, with the number left out.
type rateLimiter struct {
	rate    float64
	burst   int
	buckets *buckets

	mu     sync.Mutex
	logged map[string]*logThrottle
}

type logThrottle struct {
	last       time.Time
	suppressed uint64
}

// logEvery is how often a rate-limited peer's rejections are logged.
const logEvery = time.Second

func newRateLimiter(rate float64, burst int) *rateLimiter {
	if rate <= 0 {
		return nil
	}
	return &rateLimiter{rate: rate, burst: burst, buckets: newBuckets(rate, burst), logged: map[string]*logThrottle{}}
}

// allow takes a token for a particle from peer.
func (l *rateLimiter) allow(peer string, now time.Time) bool {
	return l.buckets.allow(peer, now)
}

// shouldLog reports whether a rejection of peer's particle is logged now, and how
// many of its rejections were not logged since the last line.
func (l *rateLimiter) shouldLog(peer string, now time.Time) (bool, uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	t, ok := l.logged[peer]
	if !ok {
		if len(l.logged) >= maxBuckets {
			l.sweepLogLocked(now)
		}
		l.logged[peer] = &logThrottle{last: now}
		return true, 0
	}
	if now.Sub(t.last) < logEvery {
		t.suppressed++
		return false, 0
	}
	n := t.suppressed
	t.last, t.suppressed = now, 0
	return true, n
}

// sweep forgets idle peers.
func (l *rateLimiter) sweep(now time.Time) {
	l.buckets.sweep(now)
	l.mu.Lock()
	l.sweepLogLocked(now)
	l.mu.Unlock()
}

func (l *rateLimiter) sweepLogLocked(now time.Time) {
	for p, t := range l.logged {
		if now.Sub(t.last) > 10*logEvery {
			delete(l.logged, p)
		}
	}
}

// rateLimited counts, logs (throttled) and reports a particle refused because its
// sender exceeded its rate. Nothing of it was read.
func (n *Node) rateLimited(from string) {
	now := time.Now()
	l := n.limiter
	detail := fmt.Sprintf("%s sends more than %g particles/s (burst %d); refused before reading", from, l.rate, l.burst)
	n.metrics.reject(reasonRateLimited)
	if ok, suppressed := l.shouldLog(from, now); ok {
		n.log.Warn("particle rejected", "particle", "", "from", from, "reason", reasonRateLimited,
			"error", "particle rejected ("+reasonRateLimited+"): "+detail, "not_logged_since_last", suppressed)
	}
	n.publish(events.ParticleRejected{Base: events.Base{Time: now}, From: from, Reason: reasonRateLimited, Detail: detail})
}

// rateSweeper forgets the buckets of idle peers now and then.
func (n *Node) rateSweeper() {
	defer n.wg.Done()
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-n.ctx.Done():
			return
		case now := <-t.C:
			n.limiter.sweep(now)
		}
	}
}
