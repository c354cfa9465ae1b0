package wasm

import (
	"context"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	extism "github.com/extism/go-sdk"
	"github.com/tetratelabs/wazero"

	"github.com/reefhq/reef/aqua/jsonv"
)

// benchInput is 101 bytes of JSON: a typical argument array.
const benchInput = `["reef-bench-01",42,-7,3.5,true,null,{"k":"v","n":[1,2,3]},"the quick brown fox jumps over the lazy"]`

// timer records per-iteration durations for quantiles.
type timer struct {
	b *testing.B
	d []time.Duration
}

func newTimer(b *testing.B) *timer { return &timer{b: b, d: make([]time.Duration, 0, b.N)} }

func (t *timer) report() {
	if len(t.d) == 0 {
		return
	}
	slices.Sort(t.d)
	q := func(p float64) float64 { return float64(t.d[min(len(t.d)-1, int(p*float64(len(t.d))))].Nanoseconds()) }
	t.b.ReportMetric(q(0.50)/1e3, "p50-µs")
	t.b.ReportMetric(q(0.99)/1e3, "p99-µs")
}

// BenchmarkCall is a warm call of a trivial function (echo) with ~100 bytes of JSON in
// and out, through Service.Call, for the Go and C guests. The goal is a p50 under 25 µs.
func BenchmarkCall(b *testing.B) {
	for _, g := range []string{"go", "c"} {
		b.Run(g, func(b *testing.B) {
			_, kv, ch := sharedRuntime(b)
			m := map[string]*Module{"go": kv, "c": ch}[g]
			s := newTestService(b, m)
			ctx := context.Background()
			in := []byte(benchInput)
			for range 100 {
				if _, err := s.Call(ctx, "echo", in); err != nil {
					b.Fatal(err)
				}
			}
			t := newTimer(b)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				t0 := time.Now()
				out, err := s.Call(ctx, "echo", in)
				t.d = append(t.d, time.Since(t0))
				if err != nil || len(out) != len(in) {
					b.Fatal(err, string(out))
				}
			}
			b.StopTimer()
			t.report()
		})
	}
}

// BenchmarkCallJSON is BenchmarkCall through CallJSON: the arguments are encoded as
// canonical JSON and the output parsed.
func BenchmarkCallJSON(b *testing.B) {
	_, kv, _ := sharedRuntime(b)
	s := newTestService(b, kv)
	ctx := context.Background()
	args := jsonv.MustParse(benchInput).Elems()
	t := newTimer(b)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		v, err := CallJSON(ctx, s, "echo", args)
		t.d = append(t.d, time.Since(t0))
		if err != nil || v.Len() != len(args) {
			b.Fatal(err, v)
		}
	}
	b.StopTimer()
	t.report()
}

// BenchmarkCallParallel runs warm calls from GOMAXPROCS goroutines on a pool of
// GOMAXPROCS instances (throughput; ns/op is per call across all goroutines).
func BenchmarkCallParallel(b *testing.B) {
	_, kv, _ := sharedRuntime(b)
	s := newTestService(b, kv, WithServicePoolSize(max(2, runtime.GOMAXPROCS(0))))
	ctx := context.Background()
	in := []byte(benchInput)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.Call(ctx, "echo", in); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkExtismGoSDK is BenchmarkCall through github.com/extism/go-sdk v1.7.1 on the
// same guests (WASI on, a 5 s timeout as Reef's default), for comparison.
func BenchmarkExtismGoSDK(b *testing.B) {
	for _, g := range []string{"go", "c"} {
		b.Run(g, func(b *testing.B) {
			ctx := context.Background()
			wasm := map[string][]byte{"go": kvgoWasm, "c": chaoscWasm}[g]
			cache := wazero.NewCompilationCache()
			defer cache.Close(ctx)
			cp, err := extism.NewCompiledPlugin(ctx, extism.Manifest{
				Wasm:    []extism.Wasm{extism.WasmData{Data: wasm}},
				Timeout: 5000,
				Memory:  &extism.ManifestMemory{MaxPages: 1024},
			}, extism.PluginConfig{EnableWasi: true, RuntimeConfig: wazero.NewRuntimeConfig().WithCompilationCache(cache)}, nil)
			if err != nil {
				b.Fatal(err)
			}
			defer cp.Close(ctx)
			p, err := cp.Instance(ctx, extism.PluginInstanceConfig{})
			if err != nil {
				b.Fatal(err)
			}
			defer p.Close(ctx)
			in := []byte(benchInput)
			for range 100 {
				if _, _, err := p.CallWithContext(ctx, "echo", in); err != nil {
					b.Fatal(err)
				}
			}
			t := newTimer(b)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				t0 := time.Now()
				rc, out, err := p.CallWithContext(ctx, "echo", in)
				t.d = append(t.d, time.Since(t0))
				if err != nil || rc != 0 || len(out) != len(in) {
					b.Fatal(rc, err, string(out))
				}
			}
			b.StopTimer()
			t.report()
		})
	}
}

// BenchmarkCompile compiles the ~3.4 MB Go guest: cold (empty cache directory) and
// cached (a new Runtime on a cache directory that already holds it).
func BenchmarkCompile(b *testing.B) {
	ctx := context.Background()
	b.Run("cold", func(b *testing.B) {
		for i := range b.N {
			r, err := New(ctx, WithCacheDir(filepath.Join(b.TempDir(), "c", string(rune('a'+i%26)))))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := r.Compile(ctx, kvgoWasm); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			_ = r.Close(ctx)
			b.StartTimer()
		}
	})
	b.Run("cached", func(b *testing.B) {
		dir := b.TempDir()
		r, err := New(ctx, WithCacheDir(dir))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.Compile(ctx, kvgoWasm); err != nil {
			b.Fatal(err)
		}
		_ = r.Close(ctx)
		b.ResetTimer()
		for range b.N {
			r, err := New(ctx, WithCacheDir(dir))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := r.Compile(ctx, kvgoWasm); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			_ = r.Close(ctx)
			b.StartTimer()
		}
	})
}

// BenchmarkNewInstance creates a service and makes its first call: instantiation,
// _initialize (the Go runtime's start-up for the Go guest) and one echo.
func BenchmarkNewInstance(b *testing.B) {
	for _, g := range []string{"go", "c"} {
		b.Run(g, func(b *testing.B) {
			r, kv, ch := sharedRuntime(b)
			m := map[string]*Module{"go": kv, "c": ch}[g]
			ctx := context.Background()
			in := []byte(benchInput)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				s, err := r.NewService(m)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := s.Call(ctx, "echo", in); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				_ = s.Close(ctx)
				b.StartTimer()
			}
		})
	}
}
