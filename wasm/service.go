package wasm

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tetratelabs/wazero"
)

// Service is a pool of instances of one module, created on demand up to the pool size.
// Calls run in parallel on different instances; each instance runs one call at a time.
//
// # Notes
//
//   - State is per instance: globals and heap (a Go guest's variables, a C guest's
//     statics) and the Extism var store persist across the calls one instance runs,
//     but instances do not share them, and which instance serves a call is not
//     specified (the most recently used idle one, in practice). A service that must
//     keep one consistent state should use a pool size of 1.
//   - An instance that times out, traps, runs out of memory or exits is discarded (and
//     its state with it); the next call that needs an instance creates a fresh one.
//     A guest error (a non-zero return code or an error_set message) keeps the instance.
//   - Guests get WASI with no filesystem, no environment, no network, one argument (the
//     service name), real clocks and crypto/rand; sleeping returns at once, so a guest
//     cannot hold a host thread past its deadline. Stdout, stderr and Extism log_*
//     calls go to the service log (Logs).
//   - All methods are safe for concurrent use.
type Service struct {
	rt     *Runtime
	mod    *Module
	opts   serviceOptions
	modCfg wazero.ModuleConfig
	logs   serviceLog

	slots chan struct{} // one token per call holding (or creating) an instance
	done  chan struct{} // closed when Close starts

	mu     sync.Mutex
	closed bool
	idle   []*instance            // LIFO
	live   map[*instance]struct{} // idle and busy
	nextID uint64

	closeMu   sync.Mutex
	finished  bool
	closeOnce sync.Once

	calls, errs, created, discarded atomic.Uint64
	byKind                          [len(errorKinds)]atomic.Uint64
	inflight                        atomic.Int64
	latency                         latencyWindow
}

var errorKinds = [...]ErrorKind{KindGuest, KindTimeout, KindCanceled, KindTrap, KindMemory, KindNoSuchFunction}

func newService(r *Runtime, m *Module, o serviceOptions) *Service {
	s := &Service{
		rt:    r,
		mod:   m,
		opts:  o,
		slots: make(chan struct{}, o.poolSize),
		done:  make(chan struct{}),
		live:  make(map[*instance]struct{}),
		modCfg: wazero.NewModuleConfig().
			WithName("").
			WithStartFunctions().
			WithArgs(o.name).
			WithSysWalltime().
			WithSysNanotime().
			WithRandSource(rand.Reader),
	}
	s.logs = serviceLog{svc: s, limit: o.logLimit}
	return s
}

// Module returns the module the service runs.
func (s *Service) Module() *Module { return s.mod }

// Name returns the service's name (WithName).
func (s *Service) Name() string { return s.opts.name }

// Call calls the export fn with input as the Extism input and returns the guest's
// output. A failed call returns a *CallError (see ErrorKind), or ErrClosed.
//
// The call may wait for a free instance (bounded by ctx) and may create one. Its
// execution is bounded by the service's call timeout and by ctx.
func (s *Service) Call(ctx context.Context, fn string, input []byte) (out []byte, err error) {
	start := time.Now()
	ran := false // reached an instance: only those calls count in the latency window
	s.inflight.Add(1)
	defer func() {
		s.inflight.Add(-1)
		s.record(start, ran, err)
	}()
	if !s.mod.HasFunction(fn) {
		return nil, &CallError{Kind: KindNoSuchFunction, Function: fn, Message: fmt.Sprintf(
			"the module has no callable function %q (it has %s)", fn, strings.Join(s.mod.Functions, ", "))}
	}
	if err := ctx.Err(); err != nil {
		return nil, ctxError(fn, err, "before the call started")
	}
	in, err := s.acquire(ctx, fn)
	if err != nil {
		return nil, err
	}
	ran = true
	out, keep, err := in.call(ctx, fn, input)
	s.release(in, keep, err)
	return out, err
}

// acquire takes a slot and an idle instance, or creates one.
func (s *Service) acquire(ctx context.Context, fn string) (*instance, error) {
	select {
	case s.slots <- struct{}{}:
	case <-s.done:
		return nil, ErrClosed
	case <-ctx.Done():
		return nil, ctxError(fn, ctx.Err(), "while waiting for a free instance")
	}
	for {
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			<-s.slots
			return nil, ErrClosed
		}
		n := len(s.idle)
		if n == 0 {
			break
		}
		in := s.idle[n-1]
		s.idle = s.idle[:n-1]
		s.mu.Unlock()
		if !in.mod.IsClosed() {
			return in, nil
		}
		s.discard(in, "closed while idle")
	}
	s.nextID++
	id := s.nextID
	s.mu.Unlock()
	in, err := s.newInstance(ctx, id, fn)
	if err != nil {
		<-s.slots
		return nil, err
	}
	return in, nil
}

// release returns an instance to the pool, or discards it.
func (s *Service) release(in *instance, keep bool, err error) {
	if keep && !in.mod.IsClosed() {
		s.mu.Lock()
		s.idle = append(s.idle, in)
		s.mu.Unlock()
	} else {
		reason := "exited"
		var ce *CallError
		if errors.As(err, &ce) {
			reason = string(ce.Kind) + ": " + ce.Message
		}
		s.discard(in, reason)
	}
	<-s.slots
}

// discard closes an instance and forgets it.
func (s *Service) discard(in *instance, reason string) {
	s.mu.Lock()
	delete(s.live, in)
	s.mu.Unlock()
	in.close()
	s.discarded.Add(1)
	s.rt.log.Info("wasm instance discarded", "service", s.opts.name, "module", s.mod.shortHash(),
		"instance", in.id, "reason", reason)
}

func (s *Service) record(start time.Time, ran bool, err error) {
	if ran {
		s.latency.add(time.Since(start))
	}
	s.calls.Add(1)
	if err == nil {
		return
	}
	s.errs.Add(1)
	var ce *CallError
	if errors.As(err, &ce) {
		for i, k := range errorKinds {
			if k == ce.Kind {
				s.byKind[i].Add(1)
			}
		}
	}
}

// Stats returns a snapshot of the service's counters.
func (s *Service) Stats() ServiceStats {
	st := ServiceStats{
		Calls:              s.calls.Load(),
		Errors:             s.errs.Load(),
		ErrorsByKind:       make(map[ErrorKind]uint64),
		InFlight:           int(s.inflight.Load()),
		PoolSize:           s.opts.poolSize,
		InstancesCreated:   s.created.Load(),
		InstancesDiscarded: s.discarded.Load(),
		MemoryLimit:        s.opts.memoryLimit,
	}
	for i, k := range errorKinds {
		if n := s.byKind[i].Load(); n > 0 {
			st.ErrorsByKind[k] = n
		}
	}
	s.mu.Lock()
	st.Instances = len(s.live)
	st.Busy = len(s.live) - len(s.idle)
	for in := range s.live {
		st.MemoryBytes += in.guestBytes.Load() + in.kernBytes.Load()
	}
	s.mu.Unlock()
	st.LatencyP50, st.LatencyP99, st.LatencyMax = s.latency.quantiles()
	return st
}

// Logs returns the service log, oldest entry first: guest stdout and stderr lines and
// Extism log_* messages, bounded by WithLogLimit.
func (s *Service) Logs() []LogEntry { return s.logs.snapshot() }

// Close stops the service: new calls fail with ErrClosed, calls waiting for an instance
// return ErrClosed, and Close waits for the calls in flight to finish (so a hot redeploy
// lets them complete on the old version). If ctx ends first, the calls in flight are
// aborted (they fail with KindCanceled) and Close returns ctx's error once they have
// stopped. Close is idempotent.
func (s *Service) Close(ctx context.Context) error {
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	if s.finished {
		return nil
	}
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.closeOnce.Do(func() { close(s.done) })

	var err error
	wait := ctx.Done()
	for held := 0; held < cap(s.slots); {
		select {
		case s.slots <- struct{}{}:
			held++
		case <-wait:
			err = ctx.Err()
			wait = nil
			s.mu.Lock()
			busy := make([]*instance, 0, len(s.live))
			for in := range s.live {
				busy = append(busy, in)
			}
			s.mu.Unlock()
			for _, in := range busy {
				in.abort()
			}
		}
	}
	s.mu.Lock()
	idle := s.idle
	s.idle = nil
	for _, in := range idle {
		delete(s.live, in)
	}
	s.mu.Unlock()
	for _, in := range idle {
		in.close()
	}
	for range cap(s.slots) {
		<-s.slots
	}
	s.finished = true
	s.mod.unref(context.Background())
	s.rt.forgetService(s)
	s.rt.log.Info("wasm service closed", "service", s.opts.name, "module", s.mod.shortHash(),
		"calls", s.calls.Load(), "errors", s.errs.Load())
	return err
}

// ctxError is the CallError of a call stopped by its caller's context.
func ctxError(fn string, err error, when string) *CallError {
	if errors.Is(err, context.DeadlineExceeded) {
		return &CallError{Kind: KindTimeout, Function: fn, Message: "the caller's deadline passed " + when}
	}
	return &CallError{Kind: KindCanceled, Function: fn, Message: "the caller canceled the call " + when, err: err}
}
