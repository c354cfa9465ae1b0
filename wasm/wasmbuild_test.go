package wasm

// A minimal WebAssembly binary encoder for hand-written test modules (ABI detection,
// import checks, fuzz seeds).

const (
	vI32 = 0x7f
	vI64 = 0x7e
)

type wtype struct{ params, results []byte }

type wimport struct {
	mod, name string
	typ       int
}

type wfunc struct {
	typ    int
	locals []byte // one entry per local (its value type)
	body   []byte // instructions, without the final end
}

type wexport struct {
	name string
	kind byte // 0 function, 2 memory
	idx  int
}

type wcustom struct {
	name string
	data []byte
}

type wmod struct {
	types   []wtype
	imports []wimport
	funcs   []wfunc
	memory  int // pages; -1 for none
	exports []wexport
	customs []wcustom
}

func newWmod() *wmod { return &wmod{memory: -1} }

// typ returns the index of a function type, adding it if needed.
func (m *wmod) typ(params, results []byte) int {
	for i, t := range m.types {
		if string(t.params) == string(params) && string(t.results) == string(results) {
			return i
		}
	}
	m.types = append(m.types, wtype{params, results})
	return len(m.types) - 1
}

// importFunc adds a function import and returns its function index.
func (m *wmod) importFunc(mod, name string, params, results []byte) int {
	m.imports = append(m.imports, wimport{mod, name, m.typ(params, results)})
	return len(m.imports) - 1
}

// function adds a function, exported as name unless name is "", and returns its index.
// Call it after every importFunc.
func (m *wmod) function(name string, params, results, locals, body []byte) int {
	m.funcs = append(m.funcs, wfunc{m.typ(params, results), locals, body})
	idx := len(m.imports) + len(m.funcs) - 1
	if name != "" {
		m.exports = append(m.exports, wexport{name, 0, idx})
	}
	return idx
}

func (m *wmod) bytes() []byte {
	out := []byte("\x00asm\x01\x00\x00\x00")
	section := func(id byte, body []byte) {
		out = append(out, id)
		out = uleb(out, uint64(len(body)))
		out = append(out, body...)
	}
	if len(m.types) > 0 {
		b := uleb(nil, uint64(len(m.types)))
		for _, t := range m.types {
			b = append(b, 0x60)
			b = uleb(b, uint64(len(t.params)))
			b = append(b, t.params...)
			b = uleb(b, uint64(len(t.results)))
			b = append(b, t.results...)
		}
		section(1, b)
	}
	if len(m.imports) > 0 {
		b := uleb(nil, uint64(len(m.imports)))
		for _, im := range m.imports {
			b = name(b, im.mod)
			b = name(b, im.name)
			b = append(b, 0)
			b = uleb(b, uint64(im.typ))
		}
		section(2, b)
	}
	if len(m.funcs) > 0 {
		b := uleb(nil, uint64(len(m.funcs)))
		for _, f := range m.funcs {
			b = uleb(b, uint64(f.typ))
		}
		section(3, b)
	}
	if m.memory >= 0 {
		section(5, uleb([]byte{1, 0}, uint64(m.memory)))
	}
	if len(m.exports) > 0 {
		b := uleb(nil, uint64(len(m.exports)))
		for _, e := range m.exports {
			b = name(b, e.name)
			b = append(b, e.kind)
			b = uleb(b, uint64(e.idx))
		}
		section(7, b)
	}
	if len(m.funcs) > 0 {
		b := uleb(nil, uint64(len(m.funcs)))
		for _, f := range m.funcs {
			code := uleb(nil, uint64(len(f.locals)))
			for _, l := range f.locals {
				code = append(code, 1, l)
			}
			code = append(code, f.body...)
			code = append(code, 0x0b)
			b = uleb(b, uint64(len(code)))
			b = append(b, code...)
		}
		section(10, b)
	}
	for _, c := range m.customs {
		section(0, append(name(nil, c.name), c.data...))
	}
	return out
}

func uleb(b []byte, v uint64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			c |= 0x80
		}
		b = append(b, c)
		if v == 0 {
			return b
		}
	}
}

func sleb(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		done := (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0)
		if !done {
			c |= 0x80
		}
		b = append(b, c)
		if done {
			return b
		}
	}
}

func name(b []byte, s string) []byte { return append(uleb(b, uint64(len(s))), s...) }

// Instructions.
func i32c(v int32) []byte   { return sleb([]byte{0x41}, int64(v)) }
func i64c(v int64) []byte   { return sleb([]byte{0x42}, v) }
func call(f int) []byte     { return uleb([]byte{0x10}, uint64(f)) }
func localGet(i int) []byte { return uleb([]byte{0x20}, uint64(i)) }
func localSet(i int) []byte { return uleb([]byte{0x21}, uint64(i)) }
func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}
func vt(types ...byte) []byte { return types }

// Hand-written modules.

// extismModule is the smallest useful Extism plug-in: run() outputs the single byte "x"
// (alloc, store_u8, output_set) and returns 0.
func extismModule() *wmod {
	m := newWmod()
	alloc := m.importFunc(extismEnv, "alloc", vt(vI64), vt(vI64))
	store := m.importFunc(extismEnv, "store_u8", vt(vI64, vI32), nil)
	out := m.importFunc(extismEnv, "output_set", vt(vI64, vI64), nil)
	m.function("run", nil, vt(vI32), vt(vI64), cat(
		i64c(1), call(alloc), localSet(0),
		localGet(0), i32c('x'), call(store),
		localGet(0), i64c(1), call(out),
		i32c(0)))
	m.memory = 1
	m.exports = append(m.exports, wexport{"memory", 2, 0})
	return m
}

// wasiCommand is a WASI command: _start calls proc_exit(0).
func wasiCommand() []byte {
	m := newWmod()
	exit := m.importFunc("wasi_snapshot_preview1", "proc_exit", vt(vI32), nil)
	m.function("_start", nil, nil, nil, cat(i32c(0), call(exit)))
	m.memory = 1
	m.exports = append(m.exports, wexport{"memory", 2, 0})
	return m.bytes()
}

// marineModule looks like a Marine service: the six service exports and a
// __m_generated_section__ custom section (when section is true).
func marineModule(section bool, hostImport string) []byte {
	m := newWmod()
	if hostImport != "" {
		m.importFunc(hostImport, "log_utf8_string", vt(vI32, vI32, vI32, vI32), nil)
	}
	m.function("allocate", vt(vI32, vI32), vt(vI32), nil, i32c(0))
	m.function("release_objects", nil, nil, nil, nil)
	m.function("get_result_ptr", nil, vt(vI32), nil, i32c(0))
	m.function("get_result_size", nil, vt(vI32), nil, i32c(0))
	m.function("set_result_ptr", vt(vI32), nil, nil, nil)
	m.function("set_result_size", vt(vI32), nil, nil, nil)
	m.function("greeting", vt(vI32, vI32), nil, nil, nil)
	if section {
		m.customs = append(m.customs, wcustom{"__m_generated_section__greeting",
			[]byte(`{"ast_type":"Function","signature":{"name":"greeting","arguments":[{"name":"name","ty":{"Utf8String":"ByValue"}}],"output_types":[{"Utf8String":"ByValue"}]}}`)})
	}
	return m.bytes()
}

// reactor is a WASI-style reactor with no known ABI.
func reactor() []byte {
	m := newWmod()
	m.function("_initialize", nil, nil, nil, nil)
	m.function("compute", nil, vt(vI32), nil, i32c(7))
	return m.bytes()
}

// coreModule exports add(i32, i32) -> i32 and nothing else.
func coreModule() []byte {
	m := newWmod()
	m.function("add", vt(vI32, vI32), vt(vI32), nil, cat(localGet(0), localGet(1), []byte{0x6a}))
	return m.bytes()
}

// componentHeader is the preamble of a component-model binary.
var componentHeader = []byte("\x00asm\x0d\x00\x01\x00")
