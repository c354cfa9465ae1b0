package wasm

import "fmt"

// A pre-scan of the binary's structure, run before wazero decodes it.
//
// wazero's decoder sizes its slices from the counts a binary declares before it reads
// the elements: a 30-byte module that declares 4 billion functions, locals, data bytes or
// name entries makes it allocate gigabytes (found by FuzzCompile). A node compiles
// binaries uploaded by anyone, so Compile first walks the sections and refuses any count
// or length that cannot fit in the bytes that follow it. Every element of every vector
// takes at least one byte, so after this check wazero's allocations are proportional to
// the binary's size. Where the walk meets an encoding it does not know, it stops checking
// that section and leaves the verdict to wazero (which rejects those encodings too).

// MaxModuleSize is the largest binary Compile accepts.
const MaxModuleSize = 128 << 20

// maxLocals bounds the locals of one function, as wasmtime and V8 do.
const maxLocals = 50000

type scanner struct {
	b   []byte
	i   int
	bad string // why the scan refused the binary
	end bool   // stop scanning this section (unknown encoding or truncated)
}

func (s *scanner) left() int { return len(s.b) - s.i }

func (s *scanner) byte() byte {
	if s.end || s.i >= len(s.b) {
		s.end = true
		return 0
	}
	c := s.b[s.i]
	s.i++
	return c
}

// u32 reads an unsigned LEB128 of at most 5 bytes.
func (s *scanner) u32() uint32 {
	var v uint32
	for shift := 0; shift < 35; shift += 7 {
		c := s.byte()
		if s.end {
			return 0
		}
		v |= uint32(c&0x7f) << shift
		if c&0x80 == 0 {
			return v
		}
	}
	s.end = true
	return 0
}

// skipLEB skips a LEB128 of at most n bytes.
func (s *scanner) skipLEB(n int) {
	for range n {
		if c := s.byte(); s.end || c&0x80 == 0 {
			return
		}
	}
	s.end = true
}

func (s *scanner) skip(n int) {
	if s.end || n > s.left() {
		s.end = true
		return
	}
	s.i += n
}

// count reads a vector length and refuses one that cannot fit in what is left.
func (s *scanner) count(what string) int {
	n := s.u32()
	if !s.end && uint64(n) > uint64(s.left()) {
		s.bad = fmt.Sprintf("%s declares %d entries but only %d bytes follow", what, n, s.left())
		s.end = true
	}
	if s.end {
		return 0
	}
	return int(n)
}

func (s *scanner) name(what string) { s.skip(s.count(what)) }

func (s *scanner) valType() {
	switch s.byte() {
	case 0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f, 0x69:
	case 0x63, 0x64: // (ref null? heaptype), typed function references
		s.skipLEB(5)
	default:
		s.end = true
	}
}

// refType skips an element kind or reference type.
func (s *scanner) refType() {
	if b := s.byte(); b == 0x63 || b == 0x64 {
		s.skipLEB(5)
	}
}

func (s *scanner) limits() {
	switch s.byte() {
	case 0x00, 0x02:
		s.u32()
	case 0x01, 0x03:
		s.u32()
		s.u32()
	default:
		s.end = true
	}
}

// constExpr skips a constant expression up to and including its end.
func (s *scanner) constExpr() {
	for !s.end {
		switch op := s.byte(); op {
		case 0x0b: // end
			return
		case 0x41: // i32.const
			s.skipLEB(5)
		case 0x42: // i64.const
			s.skipLEB(10)
		case 0x43: // f32.const
			s.skip(4)
		case 0x44: // f64.const
			s.skip(8)
		case 0x23, 0xd2: // global.get, ref.func
			s.u32()
		case 0xd0: // ref.null heaptype
			s.skipLEB(5)
		case 0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e: // extended constant arithmetic
		case 0xfd: // v128.const
			s.u32()
			s.skip(16)
		default:
			s.end = true
		}
	}
}

// checkStructure refuses a binary whose declared counts and lengths do not fit in it.
// It assumes the 8-byte header has been checked.
func checkStructure(b []byte) error {
	if len(b) > MaxModuleSize {
		return &ABIError{Kind: ModuleInvalid, Reason: fmt.Sprintf("the binary is %d bytes, over the limit of %d", len(b), MaxModuleSize)}
	}
	top := scanner{b: b, i: 8}
	for top.left() > 0 {
		id := top.byte()
		size := top.u32()
		if top.end || uint64(size) > uint64(top.left()) {
			return &ABIError{Kind: ModuleInvalid, Reason: fmt.Sprintf(
				"section %d at offset %d declares %d bytes but only %d follow", id, top.i, size, top.left())}
		}
		s := scanner{b: b[top.i : top.i+int(size)]}
		top.skip(int(size))
		scanSection(&s, id)
		if s.bad != "" {
			return &ABIError{Kind: ModuleInvalid, Reason: fmt.Sprintf("section %d: %s", id, s.bad)}
		}
	}
	return nil
}

func scanSection(s *scanner, id byte) {
	switch id {
	case 0: // custom
		n := s.count("the custom section name")
		start := s.i
		s.skip(n)
		if !s.end && string(s.b[start:start+n]) == "name" {
			scanNames(s)
		}
	case 1: // type
		for range s.count("the type section") {
			if s.byte() != 0x60 {
				s.end = true
			}
			for range s.count("a function type's parameters") {
				s.valType()
			}
			for range s.count("a function type's results") {
				s.valType()
			}
		}
	case 2: // import
		for range s.count("the import section") {
			s.name("an import's module name")
			s.name("an import's name")
			switch s.byte() {
			case 0x00:
				s.u32()
			case 0x01:
				s.valType()
				s.limits()
			case 0x02:
				s.limits()
			case 0x03:
				s.valType()
				s.byte()
			case 0x04:
				s.byte()
				s.u32()
			default:
				s.end = true
			}
		}
	case 3: // function
		for range s.count("the function section") {
			s.u32()
		}
	case 4: // table
		for range s.count("the table section") {
			s.valType()
			s.limits()
		}
	case 5: // memory
		for range s.count("the memory section") {
			s.limits()
		}
	case 6: // global
		for range s.count("the global section") {
			s.valType()
			s.byte()
			s.constExpr()
		}
	case 7: // export
		for range s.count("the export section") {
			s.name("an export's name")
			s.byte()
			s.u32()
		}
	case 9: // element
		for range s.count("the element section") {
			flags := s.u32()
			if flags > 7 {
				s.end = true
				break
			}
			if flags&2 != 0 && flags&1 == 0 { // explicit table index
				s.u32()
			}
			if flags&1 == 0 { // active: offset expression
				s.constExpr()
			}
			if flags&3 != 0 { // element kind or reference type
				s.refType()
			}
			n := s.count("an element segment")
			for range n {
				if flags&4 != 0 {
					s.constExpr()
				} else {
					s.u32()
				}
			}
		}
	case 10: // code
		for range s.count("the code section") {
			size := s.u32()
			if s.end || uint64(size) > uint64(s.left()) {
				if !s.end {
					s.bad = fmt.Sprintf("a function body declares %d bytes but only %d follow", size, s.left())
				}
				s.end = true
				break
			}
			body := scanner{b: s.b[s.i : s.i+int(size)]}
			s.skip(int(size))
			var locals uint64
			for range body.count("a function's local declarations") {
				locals += uint64(body.u32())
				body.valType()
			}
			if body.bad != "" {
				s.bad = body.bad
			} else if locals > maxLocals {
				s.bad = fmt.Sprintf("a function declares %d locals, over the limit of %d", locals, maxLocals)
			}
		}
	case 11: // data
		for range s.count("the data section") {
			switch s.u32() {
			case 0:
				s.constExpr()
			case 1:
			case 2:
				s.u32()
				s.constExpr()
			default:
				s.end = true
			}
			s.skip(s.count("a data segment"))
		}
	case 13: // tag
		for range s.count("the tag section") {
			s.byte()
			s.u32()
		}
	}
}

// scanNames checks the "name" custom section: function names and local names.
func scanNames(s *scanner) {
	for s.left() > 0 && !s.end {
		id := s.byte()
		size := s.u32()
		if s.end || uint64(size) > uint64(s.left()) {
			if !s.end {
				s.bad = fmt.Sprintf("name subsection %d declares %d bytes but only %d follow", id, size, s.left())
			}
			s.end = true
			return
		}
		sub := scanner{b: s.b[s.i : s.i+int(size)]}
		s.skip(int(size))
		switch id {
		case 0:
			sub.name("the module name")
		case 1:
			for range sub.count("the function names") {
				sub.u32()
				sub.name("a function name")
			}
		case 2:
			for range sub.count("the local names") {
				sub.u32()
				for range sub.count("a function's local names") {
					sub.u32()
					sub.name("a local name")
				}
			}
		}
		if sub.bad != "" {
			s.bad = sub.bad
			return
		}
	}
}

// Precheck runs the checks Compile makes before decoding a binary (the header, the kind
// of binary it is at that level, and that declared counts and sizes fit in the bytes),
// without compiling it: an *ABIError if they fail. It is cheap (a single pass over the
// section headers and vectors), so a client can refuse an obviously bad or half-written
// file before uploading it; Compile still has the last word.
func Precheck(b []byte) error {
	if err := checkHeader(b); err != nil {
		return err
	}
	return checkStructure(b)
}
