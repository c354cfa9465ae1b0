package wasm

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestCompileDetectsABI(t *testing.T) {
	r, _, _ := sharedRuntime(t)
	ctx := context.Background()

	userImport := extismModule()
	userImport.importFunc(extismUser, "lookup", vt(vI64), vt(vI64))
	unknownEnv := extismModule()
	unknownEnv.importFunc(extismEnv, "teleport", vt(vI64), vt(vI64))
	badSig := newWmod()
	badSig.importFunc(extismEnv, "alloc", vt(vI32), vt(vI32))
	badSig.function("run", nil, vt(vI32), nil, i32c(0))
	envImport := extismModule()
	envImport.importFunc("env", "abort", nil, nil)
	badWASI := extismModule()
	badWASI.importFunc("wasi_snapshot_preview1", "sock_teleport", nil, nil)
	noFuncs := newWmod()
	noFuncs.importFunc(extismEnv, "alloc", vt(vI64), vt(vI64))
	noFuncs.function("run", vt(vI32), vt(vI32), nil, i32c(0))
	marineImport := newWmod()
	marineImport.importFunc("__marine_host_api_v3", "log_utf8_string", vt(vI32, vI32, vI32, vI32), nil)
	marineImport.function("greeting", nil, nil, nil, nil)

	tests := []struct {
		name string
		wasm []byte
		kind ModuleKind
		want []string // substrings of the error
	}{
		{"empty", nil, ModuleInvalid, []string{"empty"}},
		{"text", []byte("hello, world"), ModuleInvalid, []string{"not a WebAssembly binary"}},
		{"wat", []byte("(module (func))"), ModuleInvalid, []string{"WebAssembly text"}},
		{"truncated", []byte("\x00as"), ModuleInvalid, []string{"truncated"}},
		{"version", []byte("\x00asm\x02\x00\x00\x00"), ModuleInvalid, []string{"unsupported WebAssembly version"}},
		{"garbage", append([]byte("\x00asm\x01\x00\x00\x00"), 0xff, 0x01, 0x02), ModuleInvalid, []string{"invalid module"}},
		{"truncated-section", extismModule().bytes()[:40], ModuleInvalid, []string{"invalid module"}},
		{"component", append(componentHeader, 0x01, 0x00), ModuleComponent, []string{"component", "wasip1", "Extism"}},
		{"wasi-command", wasiCommand(), ModuleWASICommand, []string{"WASI command", "_start", "reactor", "Extism"}},
		{"marine-section", marineModule(true, ""), ModuleMarine, []string{"Marine", "__m_generated_section__greeting", "Extism"}},
		{"marine-exports", marineModule(false, "host"), ModuleMarine, []string{"Marine", "host.log_utf8_string"}},
		{"marine-import", marineImport.bytes(), ModuleMarine, []string{"Marine", "__marine_host_api_v3"}},
		{"reactor", reactor(), ModuleUnknown, []string{"WASI reactor", "no known service ABI", "compute", "Extism"}},
		{"core", coreModule(), ModuleUnknown, []string{"core WebAssembly module", "add"}},
		{"user-host-function", userImport.bytes(), ModuleExtism, []string{"extism:host/user.lookup", "no user host functions"}},
		{"unknown-env-function", unknownEnv.bytes(), ModuleExtism, []string{"extism:host/env.teleport", "does not implement"}},
		{"bad-signature", badSig.bytes(), ModuleExtism, []string{"extism:host/env.alloc", "(i32) -> (i32)", "(i64) -> (i64)"}},
		{"env-import", envImport.bytes(), ModuleExtism, []string{"env.abort", "only extism:host/env and wasi_snapshot_preview1"}},
		{"bad-wasi", badWASI.bytes(), ModuleExtism, []string{"sock_teleport", "not a WASI preview 1 function"}},
		{"no-functions", noFuncs.bytes(), ModuleExtism, []string{"no callable", "() -> i32"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := r.Compile(ctx, tc.wasm)
			if err == nil {
				_ = m.Close(ctx)
				t.Fatalf("Compile accepted %s", tc.name)
			}
			var abi *ABIError
			if !errors.As(err, &abi) {
				t.Fatalf("error %T %v, want *ABIError", err, err)
			}
			if abi.Kind != tc.kind {
				t.Errorf("kind %q, want %q (%v)", abi.Kind, tc.kind, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestCompileAcceptsExtism(t *testing.T) {
	r, kv, ch := sharedRuntime(t)
	ctx := context.Background()

	if kv.Kind != ModuleExtism || kv.Size != len(kvgoWasm) || len(kv.Hash) != 64 {
		t.Errorf("kvgo module %+v", kv)
	}
	wantGo := []string{"add", "busy", "config", "echo", "fail", "get", "getvar", "greet", "grow", "incr",
		"keys", "log", "panic", "put", "raw", "setvar", "version"}
	if !slices.Equal(kv.Functions, wantGo) {
		t.Errorf("kvgo functions %v, want %v", kv.Functions, wantGo)
	}
	wantC := []string{"busy", "echo", "empty", "fail", "hog", "kalloc", "print", "raw", "spin", "trap"}
	if !slices.Equal(ch.Functions, wantC) {
		t.Errorf("chaosc functions %v, want %v", ch.Functions, wantC)
	}
	if kv.HasFunction("_initialize") || kv.HasFunction("memory") || !kv.HasFunction("greet") {
		t.Error("HasFunction")
	}

	// The hand-written minimal plug-in: compiled, callable, output "x" (not JSON).
	m, err := r.Compile(ctx, extismModule().bytes())
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close(ctx)
	if !slices.Equal(m.Functions, []string{"run"}) {
		t.Fatalf("functions %v", m.Functions)
	}
	s := newTestService(t, m)
	v, err := CallJSON(ctx, s, "run", nil)
	if err != nil || v.String() != `"x"` {
		t.Fatalf("run = %v, %v", v, err)
	}
}

// TestCompileRefusesAllocationBombs: tiny binaries that declare huge counts are refused
// before wazero sizes anything from them.
func TestCompileRefusesAllocationBombs(t *testing.T) {
	r, _, _ := sharedRuntime(t)
	hdr := "\x00asm\x01\x00\x00\x00"
	section := func(id byte, body ...byte) []byte { return append(uleb([]byte{id}, uint64(len(body))), body...) }
	huge := uleb(nil, 0xfffffff0)
	locals := newWmod()
	locals.function("f", nil, nil, nil, nil)
	body := locals.bytes()
	bombs := map[string][]byte{
		"functions":      append([]byte(hdr), section(3, huge...)...),
		"imports":        append([]byte(hdr), section(2, huge...)...),
		"type params":    append([]byte(hdr), section(1, append([]byte{1, 0x60}, huge...)...)...),
		"data bytes":     append([]byte(hdr), section(11, append([]byte{1, 1}, huge...)...)...),
		"custom section": append([]byte(hdr), append([]byte{0}, huge...)...),
		"names":          append([]byte(hdr), section(0, append(append([]byte{4, 'n', 'a', 'm', 'e', 1, 5}, huge...), 0)...)...),
		"locals": func() []byte {
			// Replace the code section with one whose function declares 2^32-16 locals.
			code := section(10, append(append([]byte{1, 8, 1}, huge...), 0x7f, 0x0b)...)
			i := strings.LastIndex(string(body), "\x0a")
			return append(append([]byte{}, body[:i]...), code...)
		}(),
		"oversized": append([]byte(hdr), make([]byte, MaxModuleSize)...),
	}
	for name, b := range bombs {
		t.Run(name, func(t *testing.T) {
			_, err := r.Compile(context.Background(), b)
			var abi *ABIError
			if !errors.As(err, &abi) || abi.Kind != ModuleInvalid {
				t.Fatalf("Compile: %v", err)
			}
			t.Log(err)
		})
	}
}
