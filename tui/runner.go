package tui

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/internal/aquafn"
	"github.com/reefhq/reef/peer"
	"github.com/reefhq/reef/peer/events"
	"github.com/reefhq/reef/views"
)

// Runner runs compiled Aqua from the console through the embedded node, as a client
// would (Node.CallFunction with tracing on), without blocking: RunScript returns the
// particle's id as soon as the node has started the particle, and the outcome later.
//
// CallFunction does not hand out the particle id before it returns, so the runner learns
// it from the node's event stream: it starts one particle at a time and takes the first
// ParticleReceived event of a particle this node initiated with the run's TTL. Every
// particle the console starts goes through one Runner, so the match is exact. When the
// node gains a non-blocking call that returns the id, RunScript becomes a thin wrapper
// around it.
type Runner struct {
	node *peer.Node
	mu   sync.Mutex // one start at a time
	wg   sync.WaitGroup
}

// NewRunner returns a runner on node.
func NewRunner(node *peer.Node) *Runner { return &Runner{node: node} }

// startTimeout bounds how long RunScript waits for the node to start the particle.
const startTimeout = 5 * time.Second

type callOutcome struct {
	res *peer.FunctionResult
	err error
	dur time.Duration
}

// RunScript implements views.ScriptRunner. ctx bounds the whole run.
func (r *Runner) RunScript(ctx context.Context, script string, args map[string]jsonv.Value, ttl time.Duration) (string, <-chan views.ScriptResult, error) {
	if ttl <= 0 {
		return "", nil, errors.New("the TTL must be positive")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	sub := r.node.Events().Subscribe(1024)
	defer sub.Close()
	done := make(chan callOutcome, 1)
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		start := time.Now()
		res, err := r.node.CallFunction(ctx, script, args, ttl, peer.WithTracing())
		done <- callOutcome{res: res, err: err, dur: time.Since(start)}
	}()
	self, ttlMS := r.node.ID(), uint32(ttl.Milliseconds())
	mine := func(ev events.Event) (string, bool) {
		pr, ok := ev.(events.ParticleReceived)
		if ok && pr.From == "" && pr.Particle.InitPeerID == self && pr.Particle.TTL == ttlMS {
			return pr.Particle.ID, true
		}
		return "", false
	}
	timeout := time.NewTimer(startTimeout)
	defer timeout.Stop()
	var id string
	var early *callOutcome
wait:
	for {
		select {
		case ev, ok := <-sub.C:
			if !ok {
				return "", nil, errors.New("the node stopped")
			}
			if pid, ok := mine(ev); ok {
				id = pid
				break wait
			}
		case o := <-done:
			// Finished (or failed to start) before the event was read: look for it in
			// what is buffered.
			early = &o
			for {
				select {
				case ev := <-sub.C:
					if pid, ok := mine(ev); ok {
						id = pid
						break wait
					}
				default:
					if o.err != nil {
						return "", nil, o.err
					}
					break wait
				}
			}
		case <-timeout.C:
			return "", nil, fmt.Errorf("the node did not start the particle within %s", startTimeout)
		case <-ctx.Done():
			return "", nil, ctx.Err()
		}
	}
	out := make(chan views.ScriptResult, 1)
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		var o callOutcome
		if early != nil {
			o = *early
		} else {
			o = <-done
		}
		out <- scriptResult(o)
		close(out)
	}()
	return id, out, nil
}

// Wait waits for the runs in flight to end (after their contexts are cancelled).
func (r *Runner) Wait() { r.wg.Wait() }

func scriptResult(o callOutcome) views.ScriptResult {
	res := views.ScriptResult{Duration: o.dur}
	var te *peer.TimeoutError
	switch {
	case errors.As(o.err, &te):
		res.TimedOut, res.Error, res.Diagnosis = true, fmt.Sprintf("the particle expired after %s", te.TTL), te.Error()
	case o.err != nil:
		res.Error = o.err.Error()
	case o.res.ErrorObject != nil:
		res.Error = aquafn.ErrorMessage(*o.res.ErrorObject)
	default:
		res.Value = o.res.Value
	}
	return res
}

// lazyRunner is the ScriptRunner panes get before the node runs; it forwards to the real
// runner once set.
type lazyRunner struct {
	mu sync.Mutex
	r  views.ScriptRunner
}

func (l *lazyRunner) set(r views.ScriptRunner) {
	l.mu.Lock()
	l.r = r
	l.mu.Unlock()
}

// RunScript implements views.ScriptRunner.
func (l *lazyRunner) RunScript(ctx context.Context, script string, args map[string]jsonv.Value, ttl time.Duration) (string, <-chan views.ScriptResult, error) {
	l.mu.Lock()
	r := l.r
	l.mu.Unlock()
	if r == nil {
		return "", nil, errors.New("the node is still starting")
	}
	return r.RunScript(ctx, script, args, ttl)
}
