package wasm

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/sys"
)

// instance is one instantiation of a service's module with its Extism kernel memory,
// var store and output writers. It runs one call at a time.
type instance struct {
	svc   *Service
	id    uint64
	mod   api.Module
	fns   map[string]api.Function
	stack [1]uint64

	k        kernel
	vars     map[string][]byte
	varBytes int

	mem        *linearMemory
	memRefused bool // a memory.grow or alloc was refused during this call
	guestBytes atomic.Uint64
	kernBytes  atomic.Uint64

	// Aborting a running call (Service.Close) cancels its context, so that wazero stops
	// it the way it stops a timed-out call.
	abortMu sync.Mutex
	aborted atomic.Bool
	cancel  context.CancelFunc // of the running call or initializer

	stdout, stderr *lineWriter
}

// newInstance instantiates the module and runs its initializers, for a call of fn. Its
// errors are CallErrors of fn whose messages say that starting the instance failed.
func (s *Service) newInstance(ctx context.Context, id uint64, fn string) (*instance, error) {
	in, err := s.startInstance(ctx, id)
	if err != nil {
		var ce *CallError
		if errors.As(err, &ce) {
			ce.Message = "starting a new instance: " + ce.Function + ": " + ce.Message
			ce.Function = fn
		}
		return nil, err
	}
	return in, nil
}

func (s *Service) startInstance(ctx context.Context, id uint64) (*instance, error) {
	start := time.Now()
	in := &instance{svc: s, id: id, fns: make(map[string]api.Function)}
	in.k.init()
	in.kernBytes.Store(uint64(cap(in.k.mem)))
	in.mem = &linearMemory{in: in}
	in.stdout = &lineWriter{in: in, source: SourceStdout, level: slog.LevelInfo}
	in.stderr = &lineWriter{in: in, source: SourceStderr, level: slog.LevelWarn}

	ictx := experimental.WithMemoryAllocator(ctx, in.mem)
	mod, err := s.rt.rt.InstantiateModule(ictx, s.mod.compiled, s.modCfg.WithStdout(in.stdout).WithStderr(in.stderr))
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctxError("instantiate", ctx.Err(), "while instantiating")
		}
		return nil, &CallError{Kind: KindTrap, Function: "instantiate", Message: firstLine(err), err: err}
	}
	in.mod = mod
	in.mem.started = true
	s.mu.Lock()
	s.live[in] = struct{}{}
	s.mu.Unlock()
	s.created.Add(1)

	fail := func(err error) (*instance, error) {
		s.discard(in, "initialization failed")
		return nil, err
	}
	if g := in.guestBytes.Load(); g > s.opts.memoryLimit {
		return fail(&CallError{Kind: KindMemory, Function: "instantiate", Message: fmt.Sprintf(
			"the module starts with %s of memory, over the service's limit of %s", formatBytes(g), formatBytes(s.opts.memoryLimit))})
	}
	for _, name := range s.mod.initFuncs {
		if err := in.initCall(ctx, name); err != nil {
			return fail(err)
		}
	}
	if s.mod.hsInit {
		if err := in.initCall(ctx, "hs_init", 0, 0); err != nil {
			return fail(err)
		}
	}
	s.rt.log.Debug("wasm instance created", "service", s.opts.name, "module", s.mod.shortHash(),
		"instance", id, "took", time.Since(start))
	return in, nil
}

// initCall runs an initializer under the call timeout.
func (in *instance) initCall(ctx context.Context, name string, params ...uint64) error {
	f := in.mod.ExportedFunction(name)
	tctx, cancel := in.callContext(ctx)
	defer in.endCall(cancel)
	in.memRefused = false
	_, err := f.Call(&callCtx{Context: tctx, inst: in}, params...)
	if err != nil {
		return in.classify(ctx, name, err)
	}
	if in.mod.IsClosed() {
		return &CallError{Kind: KindTrap, Function: name, Message: "the guest exited during initialization"}
	}
	return nil
}

// call runs one Extism call. keep reports whether the instance may serve more calls.
func (in *instance) call(ctx context.Context, fn string, input []byte) (out []byte, keep bool, err error) {
	f := in.fns[fn]
	if f == nil {
		f = in.mod.ExportedFunction(fn)
		in.fns[fn] = f
	}
	k := &in.k
	k.reset()
	in.memRefused = false
	in.stderr.startCall()
	defer func() {
		// Leave no call data (and at most kernelShrink bytes) behind in an idle instance.
		k.reset()
		in.kernBytes.Store(uint64(cap(k.mem)))
	}()
	if !k.setInput(input, in.kernelBudget()) {
		return nil, true, &CallError{Kind: KindMemory, Function: fn, Message: fmt.Sprintf(
			"the input (%d bytes) does not fit in the memory limit of %s", len(input), formatBytes(in.svc.opts.memoryLimit))}
	}
	in.kernBytes.Store(uint64(cap(k.mem)))

	tctx, cancel := in.callContext(ctx)
	in.stack[0] = 0
	err = f.CallWithStack(&callCtx{Context: tctx, inst: in}, in.stack[:])
	in.endCall(cancel)
	if err != nil {
		var exit *sys.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 0 {
			return nil, false, in.classify(ctx, fn, err)
		}
		// proc_exit(0) during a call: like go-sdk, the call succeeded, but the
		// instance is gone.
		in.stack[0] = 0
	}
	keep = err == nil && !in.mod.IsClosed()
	rc := uint32(in.stack[0])
	if msg, set := k.errorMessage(); rc != 0 || set {
		if !set {
			msg = fmt.Sprintf("the guest returned %d without an error message", rc)
		}
		return nil, keep, &CallError{Kind: KindGuest, Function: fn, Message: msg, Code: rc}
	}
	return k.outputBytes(), keep, nil
}

// classify turns a failed guest call into a CallError. ctx is the caller's context.
func (in *instance) classify(ctx context.Context, fn string, err error) *CallError {
	limit := formatBytes(in.svc.opts.memoryLimit)
	var exit *sys.ExitError
	if errors.As(err, &exit) {
		switch code := exit.ExitCode(); code {
		case sys.ExitCodeDeadlineExceeded:
			if ctx.Err() != nil {
				return &CallError{Kind: KindTimeout, Function: fn, Message: "the caller's deadline passed during the call", err: err}
			}
			return &CallError{Kind: KindTimeout, Function: fn, Message: fmt.Sprintf(
				"the call ran past its deadline of %v", in.svc.opts.callTimeout), err: err}
		case sys.ExitCodeContextCanceled:
			if in.aborted.Load() {
				return &CallError{Kind: KindCanceled, Function: fn, Message: "the service was closed with the call in flight", err: err}
			}
			return &CallError{Kind: KindCanceled, Function: fn, Message: "the caller canceled the call", err: err}
		default:
			msg := fmt.Sprintf("the guest exited with code %d", code)
			if hint := in.stderr.exitHint(); hint != "" {
				msg += ": " + hint
			}
			if in.memRefused {
				return &CallError{Kind: KindMemory, Function: fn, Message: fmt.Sprintf(
					"the instance reached the memory limit of %s (%s)", limit, msg), Code: code, err: err}
			}
			return &CallError{Kind: KindTrap, Function: fn, Message: msg, Code: code, err: err}
		}
	}
	msg := firstLine(err)
	if hint := in.stderr.panicHint(); hint != "" {
		msg += " after " + hint
	}
	if in.memRefused {
		return &CallError{Kind: KindMemory, Function: fn, Message: fmt.Sprintf(
			"the instance reached the memory limit of %s (%s)", limit, msg), err: err}
	}
	return &CallError{Kind: KindTrap, Function: fn, Message: msg, err: err}
}

// firstLine is the first line of an error (wazero appends the wasm stack trace), without
// wazero's note that it recovered a host function's panic.
func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return strings.TrimSuffix(strings.TrimSpace(s), " (recovered by wazero)")
}

// kernelBudget is how many bytes the Extism memory may hold: what the guest's linear
// memory leaves of the limit.
func (in *instance) kernelBudget() uint64 {
	limit, g := in.svc.opts.memoryLimit, in.guestBytes.Load()
	if g >= limit {
		return 0
	}
	return limit - g
}

// kernelAlloc is Extism's alloc. An allocation past the memory limit traps (KindMemory)
// instead of returning 0: no PDK checks alloc's result, and a 0 handle would turn into
// silently lost data.
func (in *instance) kernelAlloc(n uint64) uint64 {
	h := in.k.alloc(n, in.kernelBudget())
	if h == 0 && n != 0 {
		in.memRefused = true
		panic(fmt.Errorf("extism: alloc of %d bytes exceeds the memory limit of %s", n, formatBytes(in.svc.opts.memoryLimit)))
	}
	in.kernBytes.Store(uint64(cap(in.k.mem)))
	return h
}

// kernelWrite copies b into a new Extism block (0 for empty b).
func (in *instance) kernelWrite(b []byte) uint64 {
	h := in.kernelAlloc(uint64(len(b)))
	copy(in.k.mem[h:], b)
	return h
}

// callContext derives the context of one guest call: the call timeout, and
// cancellation by abort. endCall must be called with cancel when the call returns.
func (in *instance) callContext(ctx context.Context) (context.Context, context.CancelFunc) {
	tctx, cancel := context.WithTimeout(ctx, in.svc.opts.callTimeout)
	in.abortMu.Lock()
	aborted := in.aborted.Load()
	if !aborted {
		in.cancel = cancel
	}
	in.abortMu.Unlock()
	if aborted {
		cancel()
	}
	return tctx, cancel
}

func (in *instance) endCall(cancel context.CancelFunc) {
	in.abortMu.Lock()
	in.cancel = nil
	in.abortMu.Unlock()
	cancel()
}

// abort stops the running call (or the next one), which then fails with KindCanceled.
// It cancels the call's context rather than closing the module from this goroutine:
// wazero then stops the guest and releases the module's resources on the calling
// goroutine, as for a timeout.
func (in *instance) abort() {
	in.abortMu.Lock()
	in.aborted.Store(true)
	cancel := in.cancel
	in.abortMu.Unlock()
	if cancel != nil {
		cancel()
	}
}

func (in *instance) close() {
	_ = in.mod.Close(context.Background())
	in.stdout.flush()
	in.stderr.flush()
	in.guestBytes.Store(0)
	in.kernBytes.Store(0)
}

// linearMemory backs an instance's linear memory (wazero's experimental
// MemoryAllocator), so the memory limit can be per service and a refused memory.grow
// is known: the guest's memory plus its Extism memory must stay within the limit.
type linearMemory struct {
	in      *instance
	buf     []byte
	started bool // the initial allocation is never refused (NewService checked it)
}

// Allocate implements experimental.MemoryAllocator; an instance has one memory.
func (m *linearMemory) Allocate(capacity, _ uint64) experimental.LinearMemory {
	m.buf = make([]byte, 0, min(capacity, m.in.svc.opts.memoryLimit))
	return m
}

// Reallocate implements experimental.LinearMemory: it refuses to grow past the limit.
func (m *linearMemory) Reallocate(size uint64) []byte {
	in := m.in
	limit := in.svc.opts.memoryLimit
	if m.started && size+in.kernBytes.Load() > limit {
		in.memRefused = true
		return nil
	}
	if size <= uint64(cap(m.buf)) {
		m.buf = m.buf[:size]
	} else {
		c := max(size, min(2*uint64(cap(m.buf)), limit))
		nb := make([]byte, size, c)
		copy(nb, m.buf)
		m.buf = nb
	}
	in.guestBytes.Store(size)
	return m.buf
}

// Free implements experimental.LinearMemory.
func (m *linearMemory) Free() {
	m.buf = nil
	m.in.guestBytes.Store(0)
}
