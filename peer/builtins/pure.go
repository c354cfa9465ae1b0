package builtins

import (
	"time"

	"github.com/reefhq/reef/aqua/jsonv"
)

// Option configures RegisterPure.
type Option func(*config)

type config struct {
	now func() time.Time
}

// WithClock sets the clock of peer.timestamp_ms and peer.timestamp_sec. The default is
// time.Now; a nil now keeps the default.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}

// RegisterPure adds every pure builtin to r: the services op, math, cmp, array, json and
// debug, and peer.timestamp_ms / peer.timestamp_sec. Existing handlers of the same names
// are replaced.
func RegisterPure(r *Registry, opts ...Option) {
	cfg := config{now: time.Now}
	for _, o := range opts {
		o(&cfg)
	}
	registerOp(r)
	registerMath(r)
	registerJSON(r)
	registerPeerTime(r, cfg.now)
}

// registerPeerTime adds peer.timestamp_ms and peer.timestamp_sec.
func registerPeerTime(r *Registry, now func() time.Time) {
	ms := func() uint64 {
		t := now().UnixMilli()
		if t < 0 {
			return 0
		}
		return uint64(t)
	}
	r.Register("peer", "timestamp_ms", wrap("peer", "timestamp_ms", false, func(args []jsonv.Value) (jsonv.Value, error) {
		if err := wantArgs(args, 0); err != nil {
			return jsonv.Value{}, err
		}
		return jsonv.UintValue(ms()), nil
	}))
	r.Register("peer", "timestamp_sec", wrap("peer", "timestamp_sec", false, func(args []jsonv.Value) (jsonv.Value, error) {
		if err := wantArgs(args, 0); err != nil {
			return jsonv.Value{}, err
		}
		return jsonv.UintValue(ms() / 1000), nil
	}))
}
