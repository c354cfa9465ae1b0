package wasm

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reefhq/reef/aqua/jsonv"
)

func js(s string) jsonv.Value { return jsonv.MustParse(s) }

// callJSON calls fn with the JSON array args (a JSON text) and returns the result's
// canonical text.
func callJSON(t *testing.T, s *Service, fn, args string) (string, error) {
	t.Helper()
	v, err := CallJSON(context.Background(), s, fn, js(args).Elems())
	if err != nil {
		return "", err
	}
	return v.String(), nil
}

func mustCallJSON(t *testing.T, s *Service, fn, args, want string) {
	t.Helper()
	got, err := callJSON(t, s, fn, args)
	if err != nil {
		t.Fatalf("%s(%s): %v", fn, args, err)
	}
	if got != want {
		t.Fatalf("%s(%s) = %s, want %s", fn, args, got, want)
	}
}

// callError asserts that err is a *CallError of the kind and returns it.
func callError(t *testing.T, err error, kind ErrorKind) *CallError {
	t.Helper()
	var ce *CallError
	if !errors.As(err, &ce) {
		t.Fatalf("error %T %v, want *CallError", err, err)
	}
	if ce.Kind != kind {
		t.Fatalf("kind %q (%v), want %q", ce.Kind, err, kind)
	}
	return ce
}

func TestCallJSON(t *testing.T) {
	_, kv, ch := sharedRuntime(t)
	s := newTestService(t, kv)
	mustCallJSON(t, s, "greet", `["reef"]`, `"Hello, reef!"`)
	mustCallJSON(t, s, "add", `[40, 2]`, `42`)
	mustCallJSON(t, s, "add", `[-40, 2]`, `-38`)
	mustCallJSON(t, s, "version", `[]`, `"1"`)
	// The input is the canonical JSON array of the arguments (keys sorted, compact).
	mustCallJSON(t, s, "echo", `[{"b": 1, "a": [true, null]}, "é\n", 1.5]`, `[{"a":[true,null],"b":1},"é\n",1.5]`)
	mustCallJSON(t, s, "echo", `[]`, `[]`)

	c := newTestService(t, ch)
	mustCallJSON(t, c, "echo", `["from C", 7]`, `["from C",7]`)
	big := `["` + strings.Repeat("0123456789", 10000) + `"]`
	mustCallJSON(t, c, "echo", big, big)
	mustCallJSON(t, s, "echo", big, big)
}

func TestOutputThatIsNotJSON(t *testing.T) {
	_, kv, ch := sharedRuntime(t)
	s := newTestService(t, kv)
	mustCallJSON(t, s, "raw", `[]`, `"plain text, not JSON"`)
	mustCallJSON(t, newTestService(t, ch), "raw", `[]`, `"plain text, not JSON"`)
	mustCallJSON(t, newTestService(t, ch), "empty", `[]`, `null`)

	for out, want := range map[string]string{
		``:               `null`,
		` {"a" : 1} `:    `{"a":1}`,
		`{"a":1}{`:       `"{\"a\":1}{"`,
		"bad \xff utf-8": `"bad ` + "\uFFFD" + ` utf-8"`,
		`12abc`:          `"12abc"`,
	} {
		if got := OutputValue([]byte(out)).String(); got != want {
			t.Errorf("OutputValue(%q) = %s, want %s", out, got, want)
		}
	}
}

func TestGuestError(t *testing.T) {
	_, kv, ch := sharedRuntime(t)
	s := newTestService(t, kv, WithServicePoolSize(1))
	mustCallJSON(t, s, "incr", `[]`, `1`)
	_, err := callJSON(t, s, "fail", `["no such user"]`)
	ce := callError(t, err, KindGuest)
	if ce.Message != "kvgo: no such user" || ce.Code != 1 || ce.Function != "fail" {
		t.Errorf("CallError %+v", ce)
	}
	if err.Error() != "wasm: fail: kvgo: no such user" {
		t.Errorf("Error() = %q", err)
	}
	// A guest error (bad arguments too) keeps the instance and its state.
	_, err = callJSON(t, s, "add", `["x"]`)
	callError(t, err, KindGuest)
	mustCallJSON(t, s, "incr", `[]`, `2`)
	if st := s.Stats(); st.InstancesCreated != 1 || st.InstancesDiscarded != 0 || st.ErrorsByKind[KindGuest] != 2 {
		t.Errorf("stats %+v", st)
	}

	c := newTestService(t, ch)
	_, err = c.Call(context.Background(), "fail", nil)
	if ce := callError(t, err, KindGuest); ce.Message != "chaosc: failure requested" {
		t.Errorf("message %q", ce.Message)
	}
}

func TestNoSuchFunction(t *testing.T) {
	_, kv, _ := sharedRuntime(t)
	s := newTestService(t, kv)
	for _, fn := range []string{"nope", "_initialize", "memory", ""} {
		_, err := s.Call(context.Background(), fn, nil)
		ce := callError(t, err, KindNoSuchFunction)
		if !strings.Contains(ce.Message, "greet") {
			t.Errorf("message %q does not list the functions", ce.Message)
		}
	}
	if st := s.Stats(); st.InstancesCreated != 0 {
		t.Errorf("a call of a missing function created an instance: %+v", st)
	}
}

func TestTimeout(t *testing.T) {
	_, kv, ch := sharedRuntime(t)
	ctx := context.Background()
	s := newTestService(t, ch, WithServiceCallTimeout(100*time.Millisecond), WithServicePoolSize(1))
	mustCallJSON(t, s, "echo", `[1]`, `[1]`)

	start := time.Now()
	_, err := s.Call(ctx, "spin", nil)
	took := time.Since(start)
	ce := callError(t, err, KindTimeout)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(ce.Message, "100ms") {
		t.Errorf("timeout error %v", err)
	}
	if took < 100*time.Millisecond || took > 3*time.Second {
		t.Errorf("spin returned after %v, want about 100ms", took)
	}
	// The spinning instance is gone; a fresh one serves the next call.
	mustCallJSON(t, s, "echo", `[2]`, `[2]`)
	if st := s.Stats(); st.InstancesCreated != 2 || st.InstancesDiscarded != 1 || st.Instances != 1 {
		t.Errorf("stats %+v", st)
	}

	// The caller's deadline applies too, and so does cancellation.
	long := newTestService(t, ch, WithServiceCallTimeout(time.Minute))
	dctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	_, err = long.Call(dctx, "spin", nil)
	if ce := callError(t, err, KindTimeout); !strings.Contains(ce.Message, "caller's deadline") {
		t.Errorf("message %q", ce.Message)
	}
	cctx, cancel2 := context.WithCancel(ctx)
	time.AfterFunc(50*time.Millisecond, cancel2)
	_, err = long.Call(cctx, "spin", nil)
	callError(t, err, KindCanceled)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("%v is not context.Canceled", err)
	}
	_, err = long.Call(cctx, "echo", nil)
	callError(t, err, KindCanceled)

	// A Go guest is interrupted the same way.
	g := newTestService(t, kv, WithServiceCallTimeout(100*time.Millisecond))
	mustCallJSON(t, g, "incr", `[]`, `1`)
	_, err = callJSON(t, g, "busy", `[10000]`)
	callError(t, err, KindTimeout)
	mustCallJSON(t, g, "incr", `[]`, `1`) // fresh instance, fresh state
}

func TestMemoryLimit(t *testing.T) {
	_, kv, ch := sharedRuntime(t)
	ctx := context.Background()
	s := newTestService(t, ch, WithServiceMemoryLimit(16<<20), WithServicePoolSize(1))
	for range 2 {
		_, err := s.Call(ctx, "hog", nil)
		ce := callError(t, err, KindMemory)
		if !strings.Contains(ce.Message, "memory limit of 16 MiB") {
			t.Errorf("message %q", ce.Message)
		}
		mustCallJSON(t, s, "echo", `["still serving"]`, `["still serving"]`)
	}
	// Extism memory counts against the same limit: alloc past it traps.
	_, err := s.Call(ctx, "kalloc", nil)
	if ce := callError(t, err, KindMemory); !strings.Contains(ce.Message, "alloc of 1048576 bytes") {
		t.Errorf("message %q", ce.Message)
	}
	// An input that cannot fit is refused before the guest runs; the instance stays.
	_, err = s.Call(ctx, "echo", make([]byte, 17<<20))
	callError(t, err, KindMemory)
	mustCallJSON(t, s, "echo", `[3]`, `[3]`)
	if st := s.Stats(); st.MemoryBytes == 0 || st.MemoryBytes > 16<<20 || st.ErrorsByKind[KindMemory] != 4 {
		t.Errorf("stats %+v", st)
	}

	// A Go guest whose runtime cannot grow its heap dies with "out of memory".
	g := newTestService(t, kv, WithServiceMemoryLimit(24<<20), WithServicePoolSize(1))
	mustCallJSON(t, g, "grow", `[2]`, `2`)
	_, err = callJSON(t, g, "grow", `[64]`)
	ce := callError(t, err, KindMemory)
	t.Logf("Go guest out of memory: %v", ce)
	mustCallJSON(t, g, "grow", `[1]`, `1`)

	// A module that needs more memory than the limit to start is refused up front.
	r := kv.rt
	if _, err := r.NewService(kv, WithServiceMemoryLimit(1<<20)); err == nil || !strings.Contains(err.Error(), "over the service's limit of 1 MiB") {
		t.Errorf("NewService with a 1 MiB limit: %v", err)
	}
}

func TestTrap(t *testing.T) {
	_, kv, ch := sharedRuntime(t)
	ctx := context.Background()
	s := newTestService(t, ch, WithServicePoolSize(1))
	_, err := s.Call(ctx, "trap", nil)
	if ce := callError(t, err, KindTrap); !strings.Contains(ce.Message, "unreachable") {
		t.Errorf("message %q", ce.Message)
	}
	mustCallJSON(t, s, "echo", `[1]`, `[1]`)

	g := newTestService(t, kv, WithServicePoolSize(1))
	mustCallJSON(t, g, "incr", `[]`, `1`)
	mustCallJSON(t, g, "incr", `[]`, `2`)
	_, err = callJSON(t, g, "panic", `["boom"]`)
	if ce := callError(t, err, KindTrap); !strings.Contains(ce.Message, "panic: kvgo: boom") {
		t.Errorf("message %q does not carry the Go panic", ce.Message)
	}
	// The instance died with its state; the service carries on with a fresh one.
	mustCallJSON(t, g, "incr", `[]`, `1`)

	// http_request is not allowed: the call traps with a message that says so.
	// (No guest here imports it; the host function is checked directly.)
	in := &instance{svc: g}
	func() {
		defer func() {
			if p := recover(); p == nil || !strings.Contains(fmt.Sprint(p), "not allowed") {
				t.Errorf("http_request: recovered %v", p)
			}
		}()
		envSignatures["http_request"].fn(in, make([]uint64, 2))
	}()
}

func TestParallelCalls(t *testing.T) {
	_, _, ch := sharedRuntime(t)
	ctx := context.Background()
	const ms = 300
	run := func(s *Service, n int) time.Duration {
		var wg sync.WaitGroup
		start := time.Now()
		for range n {
			wg.Go(func() {
				if _, err := s.Call(ctx, "busy", []byte(fmt.Sprintf("[%d]", ms))); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		return time.Since(start)
	}
	p := newTestService(t, ch, WithServicePoolSize(2))
	if took := run(p, 2); took >= 2*ms*time.Millisecond-50*time.Millisecond {
		t.Errorf("two %dms calls on a pool of 2 took %v: they did not overlap", ms, took)
	}
	if st := p.Stats(); st.Instances != 2 || st.InstancesCreated != 2 {
		t.Errorf("stats %+v", st)
	}
	// A pool of one serializes them.
	one := newTestService(t, ch, WithServicePoolSize(1))
	if took := run(one, 2); took < 2*ms*time.Millisecond-20*time.Millisecond {
		t.Errorf("two %dms calls on a pool of 1 took %v", ms, took)
	}
	if st := one.Stats(); st.InstancesCreated != 1 {
		t.Errorf("stats %+v", st)
	}
}

func TestStateIsPerInstance(t *testing.T) {
	_, kv, _ := sharedRuntime(t)
	s := newTestService(t, kv, WithServicePoolSize(2))
	mustCallJSON(t, s, "incr", `[]`, `1`)
	mustCallJSON(t, s, "incr", `[5]`, `6`)
	mustCallJSON(t, s, "put", `["k", {"v": [1, 2]}]`, `null`)
	mustCallJSON(t, s, "put", `["k", "new"]`, `{"v":[1,2]}`)
	mustCallJSON(t, s, "get", `["k"]`, `"new"`)
	mustCallJSON(t, s, "get", `["other"]`, `null`)
	mustCallJSON(t, s, "keys", `[]`, `["k"]`)

	// Hold the only instance with a slow call: the next call gets a second instance,
	// with its own (empty) state.
	done := make(chan error)
	go func() {
		_, err := callJSON(t, s, "busy", `[400]`)
		done <- err
	}()
	waitBusy(t, s, 1)
	mustCallJSON(t, s, "incr", `[]`, `1`)
	mustCallJSON(t, s, "get", `["k"]`, `null`)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if st := s.Stats(); st.Instances != 2 {
		t.Errorf("stats %+v", st)
	}
}

// waitBusy waits until n of the service's instances are running calls.
func waitBusy(t *testing.T, s *Service, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for s.Stats().Busy < n {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %d busy instances: %+v", n, s.Stats())
		}
		time.Sleep(time.Millisecond)
	}
}

func TestConfigAndVars(t *testing.T) {
	_, kv, _ := sharedRuntime(t)
	s := newTestService(t, kv, WithConfig(map[string]string{"greeting": "hej", "empty": ""}), WithServicePoolSize(1))
	mustCallJSON(t, s, "config", `["greeting"]`, `"hej"`)
	mustCallJSON(t, s, "config", `["missing"]`, `null`)
	mustCallJSON(t, s, "config", `["empty"]`, `null`) // as go-sdk: an empty value reads as absent
	mustCallJSON(t, s, "getvar", `["a"]`, `null`)
	mustCallJSON(t, s, "setvar", `["a", "one"]`, `null`)
	mustCallJSON(t, s, "setvar", `["b", "two"]`, `null`)
	mustCallJSON(t, s, "getvar", `["a"]`, `"one"`)
	mustCallJSON(t, s, "setvar", `["a", "uno"]`, `null`)
	mustCallJSON(t, s, "getvar", `["a"]`, `"uno"`)
	mustCallJSON(t, s, "getvar", `["b"]`, `"two"`)

	small := newTestService(t, kv, WithMaxVarBytes(100))
	mustCallJSON(t, small, "setvar", `["a", "short"]`, `null`)
	_, err := callJSON(t, small, "setvar", `["b", "`+strings.Repeat("x", 100)+`"]`)
	if ce := callError(t, err, KindTrap); !strings.Contains(ce.Message, "var store is full (limit 100 bytes)") {
		t.Errorf("message %q", ce.Message)
	}
	off := newTestService(t, kv, WithMaxVarBytes(0))
	_, err = callJSON(t, off, "setvar", `["a", "b"]`)
	if ce := callError(t, err, KindTrap); !strings.Contains(ce.Message, "vars are disabled") {
		t.Errorf("message %q", ce.Message)
	}
}

func TestLogs(t *testing.T) {
	_, kv, ch := sharedRuntime(t)
	var mu sync.Mutex
	var sunk []LogEntry
	s := newTestService(t, kv, WithName("kv"), WithLogSink(func(e LogEntry) {
		mu.Lock()
		sunk = append(sunk, e)
		mu.Unlock()
	}))
	mustCallJSON(t, s, "log", `["hello"]`, `null`)
	got := map[string]string{}
	for _, e := range s.Logs() {
		got[e.Source] = e.Text
		if e.Instance != 1 {
			t.Errorf("entry %+v", e)
		}
	}
	want := map[string]string{SourceLog: "hello", SourceStdout: "stdout: hello", SourceStderr: "stderr: hello"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("logs %v, want %v", got, want)
	}
	mu.Lock()
	if len(sunk) != 3 {
		t.Errorf("sink got %d entries", len(sunk))
	}
	mu.Unlock()

	// Extism log messages below the guest log level are dropped.
	quiet := newTestService(t, kv, WithGuestLogLevel(slog.LevelWarn))
	mustCallJSON(t, quiet, "log", `["hello"]`, `null`)
	for _, e := range quiet.Logs() {
		if e.Source == SourceLog {
			t.Errorf("info message kept at warn level: %+v", e)
		}
	}

	// The log is bounded: the newest entries are kept.
	c := newTestService(t, ch, WithLogLimit(4096))
	mustCallJSON(t, c, "print", `[2000]`, `null`)
	logs := c.Logs()
	size := 0
	for _, e := range logs {
		size += len(e.Text)
	}
	if size > 4096 || len(logs) < 50 || logs[len(logs)-1].Text != "chaosc log line" {
		t.Errorf("%d entries, %d bytes, last %+v", len(logs), size, logs[len(logs)-1])
	}
}

func TestStats(t *testing.T) {
	_, _, ch := sharedRuntime(t)
	s := newTestService(t, ch, WithServicePoolSize(3))
	for range 10 {
		mustCallJSON(t, s, "echo", `[1]`, `[1]`)
	}
	_, _ = s.Call(context.Background(), "trap", nil)
	_, _ = s.Call(context.Background(), "nope", nil)
	st := s.Stats()
	if st.Calls != 12 || st.Errors != 2 || st.ErrorsByKind[KindTrap] != 1 || st.ErrorsByKind[KindNoSuchFunction] != 1 ||
		st.PoolSize != 3 || st.InFlight != 0 || st.Instances != 0 || st.InstancesCreated != 1 || st.InstancesDiscarded != 1 ||
		st.LatencyP50 <= 0 || st.LatencyP99 < st.LatencyP50 || st.LatencyMax < st.LatencyP99 || st.MemoryLimit != DefaultMemoryLimit {
		t.Errorf("stats %+v", st)
	}
	mustCallJSON(t, s, "echo", `[1]`, `[1]`)
	if st := s.Stats(); st.Instances != 1 || st.MemoryBytes == 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestCloseWaitsForCallsInFlight(t *testing.T) {
	r, kv, ch := sharedRuntime(t)
	ctx := context.Background()
	s, err := r.NewService(kv, WithServicePoolSize(1))
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		out string
		err error
	}
	inflight := make(chan result)
	go func() {
		out, err := callJSON(t, s, "busy", `[300]`)
		inflight <- result{out, err}
	}()
	waitBusy(t, s, 1)
	waiting := make(chan error)
	go func() { // waits for the pool's only instance
		_, err := s.Call(ctx, "incr", nil)
		waiting <- err
	}()
	start := time.Now()
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took < 150*time.Millisecond {
		t.Errorf("Close returned after %v, before the call in flight finished", took)
	}
	if res := <-inflight; res.err != nil || res.out != "300" {
		t.Errorf("call in flight: %v %v", res.out, res.err)
	}
	if err := <-waiting; !errors.Is(err, ErrClosed) {
		t.Errorf("waiting call: %v", err)
	}
	if _, err := s.Call(ctx, "incr", nil); !errors.Is(err, ErrClosed) {
		t.Errorf("call after Close: %v", err)
	}
	if err := s.Close(ctx); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if st := s.Stats(); st.Instances != 0 || st.MemoryBytes != 0 {
		t.Errorf("stats after Close %+v", st)
	}

	// When Close's context ends first, the calls in flight are aborted: a C guest
	// spinning in pure wasm, and a Go guest calling into WASI (the clock) as it spins.
	for _, c := range []struct {
		m      *Module
		fn, in string
	}{{ch, "spin", ""}, {kv, "busy", "[60000]"}} {
		s2, err := r.NewService(c.m, WithServiceCallTimeout(time.Minute), WithServicePoolSize(2))
		if err != nil {
			t.Fatal(err)
		}
		spun := make(chan error, 2)
		for range 2 {
			go func() {
				_, err := s2.Call(ctx, c.fn, []byte(c.in))
				spun <- err
			}()
		}
		waitBusy(t, s2, 2)
		time.Sleep(20 * time.Millisecond)
		cctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		start := time.Now()
		if err := s2.Close(cctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Close: %v", err)
		}
		cancel()
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("Close took %v", took)
		}
		for range 2 {
			if ce := callError(t, <-spun, KindCanceled); !strings.Contains(ce.Message, "service was closed") {
				t.Errorf("message %q", ce.Message)
			}
		}
	}
}

func TestModuleAndRuntimeClose(t *testing.T) {
	ctx := context.Background()
	r, err := New(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m, err := r.Compile(ctx, chaoscWasm)
	if err != nil {
		t.Fatal(err)
	}
	s, err := r.NewService(m)
	if err != nil {
		t.Fatal(err)
	}
	mustCallJSON(t, s, "echo", `[1]`, `[1]`)
	// Closing the module keeps its services running, but no new ones can be made.
	if err := m.Close(ctx); err != nil {
		t.Fatal(err)
	}
	mustCallJSON(t, s, "echo", `[2]`, `[2]`)
	if _, err := r.NewService(m); err == nil {
		t.Error("NewService on a closed module")
	}
	s2, err := r.NewService(mustCompile(t, r, chaoscWasm))
	if err != nil {
		t.Fatal(err)
	}
	mustCallJSON(t, s2, "echo", `[3]`, `[3]`)
	if err := r.Close(ctx); err != nil {
		t.Fatal(err)
	}
	for _, svc := range []*Service{s, s2} {
		if _, err := svc.Call(ctx, "echo", nil); !errors.Is(err, ErrClosed) {
			t.Errorf("call after Runtime.Close: %v", err)
		}
	}
	if _, err := r.Compile(ctx, chaoscWasm); !errors.Is(err, ErrClosed) {
		t.Errorf("Compile after Close: %v", err)
	}
	if _, err := r.NewService(m); err == nil {
		t.Error("NewService after Close")
	}
	if err := r.Close(ctx); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func mustCompile(t *testing.T, r *Runtime, wasm []byte) *Module {
	t.Helper()
	m, err := r.Compile(context.Background(), wasm)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCompilationCache(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir() + "/wasm-cache"
	for i := range 2 {
		r, err := New(ctx, WithCacheDir(dir))
		if err != nil {
			t.Fatal(err)
		}
		m := mustCompile(t, r, chaoscWasm)
		mustCallJSON(t, newTestService(t, m), "echo", `[1]`, `[1]`)
		if err := r.Close(ctx); err != nil {
			t.Fatal(err)
		}
		if n := countFiles(t, dir); n == 0 {
			t.Fatalf("round %d: the cache directory is empty", i)
		}
	}
}

func TestOptions(t *testing.T) {
	ctx := context.Background()
	for _, opt := range []Option{WithCacheDir(""), WithMemoryLimit(1), WithMemoryLimit(8 << 30), WithCallTimeout(0),
		WithPoolSize(0), WithPoolSize(5000), WithLogger(nil)} {
		if _, err := New(ctx, opt); err == nil {
			t.Error("New accepted a bad option")
		}
	}
	r, _, ch := sharedRuntime(t)
	for _, opt := range []ServiceOption{WithServiceMemoryLimit(0), WithServiceCallTimeout(-1), WithServicePoolSize(-1),
		WithMaxVarBytes(-1), WithLogLimit(10)} {
		if _, err := r.NewService(ch, opt); err == nil {
			t.Error("NewService accepted a bad option")
		}
	}
	if _, err := r.NewService(nil); err == nil {
		t.Error("NewService(nil)")
	}
}

func TestInitializerFailure(t *testing.T) {
	r, _, _ := sharedRuntime(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		body []byte
		kind ErrorKind
		want string
	}{
		{"trap", []byte{0x00}, KindTrap, "starting a new instance: _initialize: wasm error: unreachable"},
		{"spin", []byte{0x03, 0x40, 0x0c, 0x00, 0x0b}, KindTimeout, "starting a new instance: _initialize: the call ran past its deadline"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := extismModule()
			m.function("_initialize", nil, nil, nil, tc.body)
			mod := mustCompile(t, r, m.bytes())
			defer mod.Close(ctx)
			s := newTestService(t, mod, WithServiceCallTimeout(50*time.Millisecond))
			for range 2 { // every call retries with a new instance
				_, err := s.Call(ctx, "run", nil)
				if ce := callError(t, err, tc.kind); ce.Function != "run" || !strings.Contains(ce.Message, tc.want) {
					t.Errorf("error %+v", ce)
				}
			}
			if st := s.Stats(); st.Instances != 0 || st.InstancesCreated != 2 || st.InstancesDiscarded != 2 {
				t.Errorf("stats %+v", st)
			}
		})
	}
}
