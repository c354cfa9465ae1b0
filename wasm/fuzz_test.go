package wasm

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// FuzzCompile feeds arbitrary bytes to Compile: it must never panic, must refuse with an
// *ABIError that says why, and a module it accepts must be callable without harming the
// host (each export is called once, under tight limits).
func FuzzCompile(f *testing.F) {
	for _, seed := range [][]byte{
		nil, []byte("\x00asm"), []byte("\x00asm\x01\x00\x00\x00"), componentHeader, []byte("(module)"),
		extismModule().bytes(), wasiCommand(), marineModule(true, ""), marineModule(false, "host"),
		reactor(), coreModule(),
	} {
		f.Add(seed)
	}
	ctx := context.Background()
	r, err := New(ctx, WithCallTimeout(50*time.Millisecond), WithMemoryLimit(8<<20), WithPoolSize(1))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = r.Close(ctx) })
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := r.Compile(ctx, b)
		if err != nil {
			var abi *ABIError
			if !errors.As(err, &abi) || abi.Reason == "" {
				t.Fatalf("Compile error %T %v, want an *ABIError with a reason", err, err)
			}
			if strings.Contains(abi.Reason, "panicked") {
				t.Fatal(err)
			}
			return
		}
		defer m.Close(ctx)
		if m.Kind != ModuleExtism || len(m.Functions) == 0 {
			t.Fatalf("accepted module %+v", m)
		}
		s, err := r.NewService(m)
		if err != nil {
			return // e.g. a memory minimum over the limit
		}
		defer s.Close(ctx)
		for _, fn := range m.Functions {
			if _, err := s.Call(ctx, fn, []byte(`["fuzz"]`)); err != nil {
				var ce *CallError
				if !errors.As(err, &ce) {
					t.Fatalf("Call error %T %v", err, err)
				}
			}
		}
	})
}

// FuzzPrecheck feeds arbitrary bytes to Precheck, the loader's first pass (run by
// clients before an upload, by the node before storing a module, and by Compile): it
// must never panic, must refuse with an *ABIError that has a reason, and must agree
// with Compile, which refuses the same bytes with the same error.
func FuzzPrecheck(f *testing.F) {
	for _, seed := range [][]byte{
		nil, []byte("\x00asm"), []byte("\x00asm\x01\x00\x00\x00"), componentHeader, []byte("(module)"),
		extismModule().bytes(), wasiCommand(), marineModule(true, ""), marineModule(false, "host"),
		reactor(), coreModule(), append([]byte("\x00asm\x01\x00\x00\x00"), 0x01, 0xff, 0xff, 0xff, 0xff, 0x0f),
	} {
		f.Add(seed)
	}
	ctx := context.Background()
	r, err := New(ctx, WithCallTimeout(50*time.Millisecond), WithMemoryLimit(8<<20), WithPoolSize(1))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = r.Close(ctx) })
	f.Fuzz(func(t *testing.T, b []byte) {
		err := Precheck(b)
		if err == nil {
			return // Compile decides (FuzzCompile)
		}
		var abi *ABIError
		if !errors.As(err, &abi) || abi.Reason == "" {
			t.Fatalf("Precheck error %T %v, want an *ABIError with a reason", err, err)
		}
		m, cerr := r.Compile(ctx, b)
		if cerr == nil {
			_ = m.Close(ctx)
			t.Fatalf("Precheck refused (%v) what Compile accepts", err)
		}
		if cerr.Error() != err.Error() {
			t.Fatalf("Precheck: %v\nCompile: %v", err, cerr)
		}
	})
}
