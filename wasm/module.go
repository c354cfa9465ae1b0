package wasm

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// Module is a compiled, validated Extism plug-in. Make services of it with
// Runtime.NewService.
type Module struct {
	Hash      string     // sha256 of the binary, lower-case hex
	Size      int        // bytes
	Kind      ModuleKind // always ModuleExtism
	Functions []string   // callable exports (type () -> i32), sorted: the module's interface

	rt        *Runtime
	compiled  wazero.CompiledModule
	funcs     map[string]struct{}
	initFuncs []string // run once per instance, in order: _initialize or __wasm_call_ctors
	hsInit    bool     // Haskell: hs_init(0, 0) after the init functions
	minMemory uint64   // bytes the exported memory starts with (0 if not exported)

	mu       sync.Mutex
	refs     int  // open services
	closed   bool // Close called
	released bool // compiled code released
}

// HasFunction reports whether fn is one of m.Functions.
func (m *Module) HasFunction(fn string) bool {
	_, ok := m.funcs[fn]
	return ok
}

// Close releases the module's compiled code once every service made from it is closed.
// Services already made keep working; NewService on a closed module fails.
func (m *Module) Close(ctx context.Context) error {
	m.mu.Lock()
	m.closed = true
	release := m.refs == 0 && !m.released
	if release {
		m.released = true
	}
	m.mu.Unlock()
	if release {
		return m.release(ctx)
	}
	return nil
}

func (m *Module) acquire() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return fmt.Errorf("wasm: module %s is closed", m.shortHash())
	}
	m.refs++
	return nil
}

// unref drops a service's reference.
func (m *Module) unref(ctx context.Context) {
	m.mu.Lock()
	m.refs--
	release := m.refs == 0 && m.closed && !m.released
	if release {
		m.released = true
	}
	m.mu.Unlock()
	if release {
		_ = m.release(ctx)
	}
}

func (m *Module) release(ctx context.Context) error {
	return m.compiled.Close(ctx)
}

func (m *Module) shortHash() string {
	if len(m.Hash) > 12 {
		return m.Hash[:12]
	}
	return m.Hash
}

// The binary header: magic and version.
var (
	wasmMagic   = []byte("\x00asm")
	coreVersion = []byte{1, 0, 0, 0}
)

// supported is appended to every refusal.
const supported = "Reef runs Extism plug-ins: core wasm32-wasip1 modules that import extism:host/env " +
	"and export functions of type () -> i32 (built with an Extism PDK: Go, Rust, C, AssemblyScript, ...)"

// checkHeader refuses what is not a core WebAssembly binary before wazero sees it.
func checkHeader(b []byte) error {
	switch {
	case len(b) == 0:
		return &ABIError{Kind: ModuleInvalid, Reason: "empty binary"}
	case len(b) < 8 || !bytes.Equal(b[:4], wasmMagic):
		reason := "not a WebAssembly binary (no \\0asm magic)"
		if t := bytes.TrimLeft(b, " \t\r\n"); bytes.HasPrefix(t, []byte("(module")) || bytes.HasPrefix(t, []byte("(component")) {
			reason = "this is WebAssembly text (.wat), not a binary; assemble it first (wat2wasm)"
		} else if len(b) < 8 && bytes.HasPrefix(wasmMagic, b[:min(len(b), 4)]) {
			reason = fmt.Sprintf("truncated: %d bytes", len(b))
		}
		return &ABIError{Kind: ModuleInvalid, Reason: reason}
	case bytes.Equal(b[4:8], coreVersion):
		return nil
	case b[6] == 1 && b[7] == 0: // layer 1: the component model
		return &ABIError{Kind: ModuleComponent, Reason: fmt.Sprintf(
			"this is a WebAssembly component (component model / WASI preview 2, encoding version 0x%x); "+
				"wazero runs core modules only, so build a core module for wasm32-wasip1 instead. %s",
			binary.LittleEndian.Uint16(b[4:6]), supported)}
	}
	return &ABIError{Kind: ModuleInvalid, Reason: fmt.Sprintf("unsupported WebAssembly version % x", b[4:8])}
}

// Marine's six service exports (wasm-abi.md §1.4).
var marineExports = []string{"allocate", "release_objects", "get_result_ptr", "get_result_size", "set_result_ptr", "set_result_size"}

// inspect detects the module's ABI (wasm-abi.md §5.2: component, Marine, Extism, WASI
// command, unknown) and builds the Module of an Extism plug-in.
func (r *Runtime) inspect(c wazero.CompiledModule) (*Module, error) {
	imports := c.ImportedFunctions()
	exports := c.ExportedFunctions()

	if why := marineEvidence(c, imports, exports); why != "" {
		return nil, &ABIError{Kind: ModuleMarine, Reason: "this is a Fluence Marine module (" + why +
			"); Marine's interface-types ABI is not supported, port the service to an Extism PDK. " + supported}
	}

	extism := false
	for _, f := range imports {
		if mod, _, _ := f.Import(); mod == extismEnv || mod == extismUser {
			extism = true
			break
		}
	}
	if !extism {
		if _, ok := exports["_start"]; ok {
			return nil, &ABIError{Kind: ModuleWASICommand, Reason: "this is a WASI command (it exports _start, " +
				"a program run once from main, and does not import extism:host/env); build a reactor instead " +
				"(Go: -buildmode=c-shared with //go:wasmexport; C: -mexec-model=reactor) with an Extism PDK. " + supported}
		}
		what := "a core WebAssembly module"
		if _, ok := exports["_initialize"]; ok {
			what = "a WASI reactor"
		}
		return nil, &ABIError{Kind: ModuleUnknown, Reason: fmt.Sprintf("this is %s with no known service ABI "+
			"(no extism:host/env imports; exports: %s). %s", what, exportList(exports), supported)}
	}

	if err := r.checkImports(c, imports); err != nil {
		return nil, err
	}

	m := &Module{Kind: ModuleExtism, rt: r, compiled: c, funcs: make(map[string]struct{})}
	for name, def := range exports {
		if callable(name, def) {
			m.Functions = append(m.Functions, name)
			m.funcs[name] = struct{}{}
		}
	}
	slices.Sort(m.Functions)
	if len(m.Functions) == 0 {
		return nil, &ABIError{Kind: ModuleExtism, Reason: fmt.Sprintf("this Extism plug-in exports no callable "+
			"function (type () -> i32); exports: %s", exportList(exports))}
	}
	for _, name := range []string{"_initialize", "__wasm_call_ctors"} {
		if def, ok := exports[name]; ok && len(def.ParamTypes()) == 0 && len(def.ResultTypes()) == 0 {
			m.initFuncs = append(m.initFuncs, name)
			break
		}
	}
	if def, ok := exports["hs_init"]; ok && slices.Equal(def.ParamTypes(), []api.ValueType{i32, i32}) {
		m.hsInit = true
	}
	for _, mem := range c.ExportedMemories() {
		m.minMemory = uint64(mem.Min()) << 16
	}
	return m, nil
}

// marineEvidence says why c looks like a Marine module, or "" if it does not.
func marineEvidence(c wazero.CompiledModule, imports []api.FunctionDefinition, exports map[string]api.FunctionDefinition) string {
	for _, s := range c.CustomSections() {
		if strings.HasPrefix(s.Name(), "__m_generated_section__") || strings.HasPrefix(s.Name(), "__fce_generated_section__") {
			return "custom section " + s.Name()
		}
	}
	hostImport := ""
	for _, f := range imports {
		mod, name, _ := f.Import()
		if strings.HasPrefix(mod, "__marine_host_api_v") {
			return "imports " + mod + "." + name
		}
		if mod == "host" {
			hostImport = mod + "." + name
		}
	}
	all := true
	for _, name := range marineExports {
		if _, ok := exports[name]; !ok {
			all = false
			break
		}
	}
	switch {
	case all && hostImport != "":
		return "imports " + hostImport + " and exports allocate, release_objects, get_result_ptr, ..."
	case all:
		return "exports allocate, release_objects, get_result_ptr, get_result_size, set_result_ptr, set_result_size"
	}
	return ""
}

// checkImports refuses imports Reef cannot satisfy, naming the first one.
func (r *Runtime) checkImports(c wazero.CompiledModule, imports []api.FunctionDefinition) error {
	refuse := func(format string, args ...any) error {
		return &ABIError{Kind: ModuleExtism, Reason: fmt.Sprintf(format, args...)}
	}
	for _, f := range imports {
		mod, name, _ := f.Import()
		got := signature(f.ParamTypes(), f.ResultTypes())
		switch mod {
		case extismEnv:
			h, ok := envSignatures[name]
			if !ok {
				return refuse("this Extism plug-in imports %s.%s, which Reef's Extism host does not implement", mod, name)
			}
			if want := signature(h.params, h.results); got != want {
				return refuse("this Extism plug-in imports %s.%s with type %s; the Extism ABI's type is %s", mod, name, got, want)
			}
		case "wasi_snapshot_preview1":
			def, ok := r.wasi[name]
			if !ok {
				return refuse("this plug-in imports %s.%s, which is not a WASI preview 1 function", mod, name)
			}
			if want := signature(def.ParamTypes(), def.ResultTypes()); got != want {
				return refuse("this plug-in imports %s.%s with type %s; WASI's type is %s", mod, name, got, want)
			}
		case extismUser:
			return refuse("this Extism plug-in imports the host function %s.%s; Reef provides no user host functions", mod, name)
		default:
			return refuse("this Extism plug-in imports %s.%s; Reef provides only extism:host/env and wasi_snapshot_preview1", mod, name)
		}
	}
	for _, mem := range c.ImportedMemories() {
		mod, name, _ := mem.Import()
		return refuse("this Extism plug-in imports its memory (%s.%s); it must define its own", mod, name)
	}
	return nil
}

// callable reports whether an export is a plug-in function: type () -> i32, and not an
// initializer or a toolchain-internal export.
func callable(name string, def api.FunctionDefinition) bool {
	if len(def.ParamTypes()) != 0 || !slices.Equal(def.ResultTypes(), []api.ValueType{i32}) {
		return false
	}
	switch {
	case name == "_start", name == "_initialize",
		strings.HasPrefix(name, "__"), strings.HasPrefix(name, "asyncify_"):
		return false
	}
	return true
}

func signature(params, results []api.ValueType) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, p := range params {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(api.ValueTypeName(p))
	}
	b.WriteString(") -> (")
	for i, p := range results {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(api.ValueTypeName(p))
	}
	b.WriteByte(')')
	return b.String()
}

// exportList names up to 8 exported functions.
func exportList(exports map[string]api.FunctionDefinition) string {
	if len(exports) == 0 {
		return "none"
	}
	names := make([]string, 0, len(exports))
	for n := range exports {
		names = append(names, n)
	}
	slices.Sort(names)
	if len(names) > 8 {
		return strings.Join(names[:8], ", ") + fmt.Sprintf(", ... (%d in all)", len(names))
	}
	return strings.Join(names, ", ")
}
