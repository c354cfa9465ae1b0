package wasm

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// The example guests, built by testdata/build.sh and checked in.
var kvgoWasm, chaoscWasm []byte

// testCacheDir is the compilation cache of the shared test runtime. It persists across
// runs (under the user cache directory, like Go's build cache) because compiling the
// 3.4 MB Go guest takes half a minute under the race detector; wazero keys entries by
// its version, the CPU and the module's hash, so a stale entry is never used.
var testCacheDir string

func TestMain(m *testing.M) {
	var err error
	if kvgoWasm, err = os.ReadFile("testdata/guests/kvgo/kvgo.wasm"); err == nil {
		chaoscWasm, err = os.ReadFile("testdata/guests/chaosc/chaosc.wasm")
	}
	if err == nil {
		testCacheDir, err = persistentCacheDir()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	if shared.rt != nil {
		_ = shared.rt.Close(context.Background())
	}
	os.Exit(code)
}

func persistentCacheDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	dir := filepath.Join(base, "reef", "wasm-test-cache")
	return dir, os.MkdirAll(dir, 0o700)
}

var shared struct {
	once        sync.Once
	rt          *Runtime
	kvgo, chaos *Module
	err         error
}

// sharedRuntime returns a Runtime shared by the package's tests and the two compiled
// guests. Tests vary limits with service options.
func sharedRuntime(t testing.TB) (*Runtime, *Module, *Module) {
	t.Helper()
	shared.once.Do(func() {
		ctx := context.Background()
		shared.rt, shared.err = New(ctx, WithCacheDir(testCacheDir))
		if shared.err != nil {
			return
		}
		if shared.kvgo, shared.err = shared.rt.Compile(ctx, kvgoWasm); shared.err != nil {
			return
		}
		shared.chaos, shared.err = shared.rt.Compile(ctx, chaoscWasm)
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.rt, shared.kvgo, shared.chaos
}

// newTestService makes a service closed at the end of the test.
func newTestService(t testing.TB, m *Module, opts ...ServiceOption) *Service {
	t.Helper()
	s, err := m.rt.NewService(m, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(context.Background()); err != nil {
			t.Error(err)
		}
	})
	return s
}

// countFiles counts the regular files under dir.
func countFiles(t testing.TB, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
