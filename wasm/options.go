package wasm

import (
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"time"
)

// Defaults.
const (
	DefaultMemoryLimit = 64 << 20        // bytes per instance
	DefaultCallTimeout = 5 * time.Second // per call
	DefaultPoolSize    = 4               // instances per service
	DefaultMaxVarBytes = 1 << 20         // Extism var store, per instance
	DefaultLogLimit    = 64 << 10        // service log ring, bytes
)

// maxMemoryLimit is wasm32's address space.
const maxMemoryLimit = 4 << 30

// Option configures a Runtime (New).
type Option func(*options) error

type options struct {
	cacheDir string
	logger   *slog.Logger
	svc      serviceOptions // defaults for every service
}

// WithCacheDir keeps wazero's compilation cache in dir (created if missing, mode 0700),
// so a module compiled once is loaded from disk by later runtimes. The node passes
// <data-dir>/wasm-cache. Default: no cache (every Compile compiles).
//
// # Notes
//
//   - Entries are specific to the wazero version and CPU; stale ones are ignored.
//   - The directory must not be writable by anyone who should not inject native code.
func WithCacheDir(dir string) Option {
	return func(o *options) error {
		if dir == "" {
			return errors.New("wasm: WithCacheDir: empty directory")
		}
		o.cacheDir = dir
		return nil
	}
}

// WithMemoryLimit sets the default memory limit of an instance: its linear memory plus
// its Extism (kernel) memory. Default DefaultMemoryLimit (64 MiB). A service's worst case
// is its pool size times this limit. NewService can override it with
// WithServiceMemoryLimit.
func WithMemoryLimit(bytes uint64) Option {
	return func(o *options) error { return setMemoryLimit(&o.svc, bytes) }
}

// WithCallTimeout sets the default deadline of one call. Default DefaultCallTimeout (5 s).
// NewService can override it with WithServiceCallTimeout.
func WithCallTimeout(d time.Duration) Option {
	return func(o *options) error { return setCallTimeout(&o.svc, d) }
}

// WithPoolSize sets the default number of instances a service runs calls on in
// parallel. Default DefaultPoolSize (4). NewService can override it with
// WithServicePoolSize.
func WithPoolSize(n int) Option {
	return func(o *options) error { return setPoolSize(&o.svc, n) }
}

// WithLogger sets the logger for the runtime's own events (compiles, instances created
// and discarded, services closed) and, at debug level, guest output. Default: discard.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error {
		if l == nil {
			return errors.New("wasm: WithLogger: nil logger")
		}
		o.logger = l
		return nil
	}
}

// ServiceOption configures a Service (Runtime.NewService).
type ServiceOption func(*serviceOptions) error

type serviceOptions struct {
	name          string
	config        map[string]string
	memoryLimit   uint64
	callTimeout   time.Duration
	poolSize      int
	maxVarBytes   int
	logLimit      int
	guestLogLevel slog.Level
	logSink       func(LogEntry)
}

func defaultServiceOptions() serviceOptions {
	return serviceOptions{
		name:          "service",
		memoryLimit:   DefaultMemoryLimit,
		callTimeout:   DefaultCallTimeout,
		poolSize:      DefaultPoolSize,
		maxVarBytes:   DefaultMaxVarBytes,
		logLimit:      DefaultLogLimit,
		guestLogLevel: slog.LevelInfo,
	}
}

// WithName names the service in logs; the guest sees it as its only argument (argv[0]).
// Default "service".
func WithName(name string) ServiceOption {
	return func(o *serviceOptions) error {
		o.name = name
		return nil
	}
}

// WithConfig sets the read-only string map the guest reads with Extism's config_get
// (pdk.GetConfig). The map is copied.
func WithConfig(config map[string]string) ServiceOption {
	return func(o *serviceOptions) error {
		o.config = maps.Clone(config)
		return nil
	}
}

// WithServiceMemoryLimit overrides the runtime's WithMemoryLimit for this service.
func WithServiceMemoryLimit(bytes uint64) ServiceOption {
	return func(o *serviceOptions) error { return setMemoryLimit(o, bytes) }
}

// WithServiceCallTimeout overrides the runtime's WithCallTimeout for this service.
func WithServiceCallTimeout(d time.Duration) ServiceOption {
	return func(o *serviceOptions) error { return setCallTimeout(o, d) }
}

// WithServicePoolSize overrides the runtime's WithPoolSize for this service.
func WithServicePoolSize(n int) ServiceOption {
	return func(o *serviceOptions) error { return setPoolSize(o, n) }
}

// WithMaxVarBytes bounds each instance's Extism var store (var_set). 0 disables vars
// (var_set traps, as in go-sdk). Default DefaultMaxVarBytes (1 MiB).
func WithMaxVarBytes(n int) ServiceOption {
	return func(o *serviceOptions) error {
		if n < 0 {
			return fmt.Errorf("wasm: WithMaxVarBytes: negative size %d", n)
		}
		o.maxVarBytes = n
		return nil
	}
}

// WithLogLimit bounds the service log (Service.Logs): the oldest entries are dropped
// beyond n bytes of text. Default DefaultLogLimit (64 KiB).
func WithLogLimit(n int) ServiceOption {
	return func(o *serviceOptions) error {
		if n < 1024 {
			return fmt.Errorf("wasm: WithLogLimit: %d bytes is below the minimum of 1024", n)
		}
		o.logLimit = n
		return nil
	}
}

// WithGuestLogLevel sets the lowest level of Extism log_* messages kept (LevelTrace for
// log_trace); the guest reads it with get_log_level. Default slog.LevelInfo.
func WithGuestLogLevel(l slog.Level) ServiceOption {
	return func(o *serviceOptions) error {
		o.guestLogLevel = l
		return nil
	}
}

// WithLogSink calls f with every entry added to the service log (guest stdout, stderr
// and log_* lines). f runs on the calling goroutine of the guest call: it must be quick
// and must not call the service.
func WithLogSink(f func(LogEntry)) ServiceOption {
	return func(o *serviceOptions) error {
		o.logSink = f
		return nil
	}
}

func setMemoryLimit(o *serviceOptions, bytes uint64) error {
	if bytes < 1<<20 || bytes > maxMemoryLimit {
		return fmt.Errorf("wasm: memory limit %d out of range [1 MiB, 4 GiB]", bytes)
	}
	o.memoryLimit = bytes
	return nil
}

func setCallTimeout(o *serviceOptions, d time.Duration) error {
	if d <= 0 {
		return fmt.Errorf("wasm: call timeout %v must be positive", d)
	}
	o.callTimeout = d
	return nil
}

func setPoolSize(o *serviceOptions, n int) error {
	if n < 1 || n > 1024 {
		return fmt.Errorf("wasm: pool size %d out of range [1, 1024]", n)
	}
	o.poolSize = n
	return nil
}
