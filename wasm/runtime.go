package wasm

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

// Runtime compiles modules and runs services. It wraps one wazero runtime (compiler
// engine where the platform supports it, with close-on-context-done so calls can be
// interrupted) with the extism:host/env and wasi_snapshot_preview1 host modules.
//
// # Notes
//
//   - All methods are safe for concurrent use.
//   - One Runtime is one trust domain in wazero's sense; services cannot reach each
//     other because every guest import is checked at Compile (only extism:host/env and
//     wasi_snapshot_preview1 are allowed) and instances are anonymous.
type Runtime struct {
	rt    wazero.Runtime
	cache wazero.CompilationCache
	opts  options
	log   *slog.Logger
	wasi  map[string]api.FunctionDefinition

	mu       sync.Mutex
	closed   bool
	services map[*Service]struct{}
}

// New creates a Runtime.
func New(ctx context.Context, opts ...Option) (*Runtime, error) {
	o := options{svc: defaultServiceOptions()}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	r := &Runtime{
		opts:     o,
		log:      o.logger,
		services: make(map[*Service]struct{}),
	}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	cfg := wazero.NewRuntimeConfig().
		WithCloseOnContextDone(true).
		WithCustomSections(true)
	if o.cacheDir != "" {
		if err := os.MkdirAll(o.cacheDir, 0o700); err != nil {
			return nil, fmt.Errorf("wasm: cache dir: %w", err)
		}
		cache, err := wazero.NewCompilationCacheWithDir(o.cacheDir)
		if err != nil {
			return nil, fmt.Errorf("wasm: cache dir: %w", err)
		}
		r.cache = cache
		cfg = cfg.WithCompilationCache(cache)
	}
	r.rt = wazero.NewRuntimeWithConfig(ctx, cfg)
	_, err := wasi_snapshot_preview1.Instantiate(ctx, r.rt)
	if err == nil {
		r.wasi = r.rt.Module(wasi_snapshot_preview1.ModuleName).ExportedFunctionDefinitions()
		err = instantiateEnv(ctx, r.rt)
	}
	if err != nil {
		_ = r.rt.Close(ctx)
		if r.cache != nil {
			_ = r.cache.Close(ctx)
		}
		return nil, fmt.Errorf("wasm: host modules: %w", err)
	}
	return r, nil
}

// Compile validates and compiles a module. The binary must be an Extism plug-in; any
// other kind of binary is refused with an *ABIError that says what it is (see
// ModuleKind), and so is a plug-in whose imports Reef does not provide.
//
// # Notes
//
//   - Compiling is slow for large modules (1.7 s for a 3.4 MB Go guest) unless the
//     cache directory already holds the result (about 0.1 s then). Concurrent compiles
//     of the same bytes each do the work: compile once per hash.
//   - Binaries over MaxModuleSize, and binaries whose declared counts or sizes cannot
//     fit in their bytes, are refused as ModuleInvalid before wazero decodes them
//     (wazero allocates from declared counts).
//   - The Module's compiled code lives until Module.Close and every service made from
//     it are closed (or the Runtime is).
func (r *Runtime) Compile(ctx context.Context, wasm []byte) (m *Module, err error) {
	if r.isClosed() {
		return nil, ErrClosed
	}
	if err := checkHeader(wasm); err != nil {
		return nil, err
	}
	if err := checkStructure(wasm); err != nil {
		return nil, err
	}
	start := time.Now()
	var compiled wazero.CompiledModule
	func() {
		// wazero's decoder must not panic on hostile input; if it ever does, refuse
		// the module instead of taking the node down.
		defer func() {
			if p := recover(); p != nil {
				err = &ABIError{Kind: ModuleInvalid, Reason: fmt.Sprintf("wazero panicked decoding the module: %v", p)}
			}
		}()
		compiled, err = r.rt.CompileModule(ctx, wasm)
	}()
	if err != nil {
		var abiErr *ABIError
		if errors.As(err, &abiErr) {
			return nil, err
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("wasm: compile: %w", ctx.Err())
		}
		if r.isClosed() {
			return nil, ErrClosed
		}
		return nil, &ABIError{Kind: ModuleInvalid, Reason: err.Error(), err: err}
	}
	m, err = r.inspect(compiled)
	if err != nil {
		_ = compiled.Close(ctx)
		return nil, err
	}
	sum := sha256.Sum256(wasm)
	m.Hash = hex.EncodeToString(sum[:])
	m.Size = len(wasm)
	if r.isClosed() {
		_ = compiled.Close(ctx)
		return nil, ErrClosed
	}
	r.log.Info("wasm module compiled", "hash", m.Hash, "size", m.Size,
		"functions", len(m.Functions), "took", time.Since(start))
	return m, nil
}

// NewService makes a pooled service of a compiled module. Instances are created on
// demand, up to the pool size; none exists until the first call.
func (r *Runtime) NewService(m *Module, opts ...ServiceOption) (*Service, error) {
	if m == nil || m.rt != r {
		return nil, errors.New("wasm: NewService: module is not from this runtime")
	}
	o := r.opts.svc
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	if m.minMemory > o.memoryLimit {
		return nil, fmt.Errorf("wasm: module %s needs %s of memory to start, over the service's limit of %s",
			m.shortHash(), formatBytes(m.minMemory), formatBytes(o.memoryLimit))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, ErrClosed
	}
	if err := m.acquire(); err != nil {
		return nil, err
	}
	s := newService(r, m, o)
	r.services[s] = struct{}{}
	return s, nil
}

// Close closes every service (waiting for their in-flight calls until ctx ends, then
// aborting them), every module, the wazero runtime and the compilation cache.
func (r *Runtime) Close(ctx context.Context) error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	services := make([]*Service, 0, len(r.services))
	for s := range r.services {
		services = append(services, s)
	}
	r.mu.Unlock()

	var errs []error
	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, s := range services {
		wg.Go(func() {
			if err := s.Close(ctx); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	errs = append(errs, r.rt.Close(ctx))
	if r.cache != nil {
		errs = append(errs, r.cache.Close(ctx))
	}
	return errors.Join(errs...)
}

func (r *Runtime) isClosed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.closed
}

func (r *Runtime) forgetService(s *Service) {
	r.mu.Lock()
	delete(r.services, s)
	r.mu.Unlock()
}

func formatBytes(n uint64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
