package air

import (
	"bytes"
	"unicode/utf8"
)

// FormatWidth is the line width used by Format to decide whether a compound
// instruction fits on one line.
const FormatWidth = 80

// maxIndent caps the indentation of Format (100 levels), so that pathologically deep
// scripts do not produce output quadratic in their depth.
const maxIndent = 200

// Format pretty-prints an instruction tree in the canonical layout described in the
// package documentation, followed by a newline. Comments are not part of the AST and
// are therefore not kept. The result is deterministic and idempotent, and for any
// parsed script Parse(Format(root)) yields the same AST as root (up to positions).
//
// Format is meant for trees produced by Parse. For hand-built trees it prints string
// literals verbatim (a literal containing '"' cannot be printed faithfully) and floats
// in their shortest form, which may exceed the 11-character limit of float literals.
func Format(root Instr) string {
	if root == nil {
		return ""
	}
	f := formatter{}
	f.instr(root, 0)
	f.out = append(f.out, '\n')
	return string(f.out)
}

type formatter struct {
	out     []byte
	scratch []byte
}

func (f *formatter) instr(in Instr, indent int) {
	if isLeaf(in) || f.fits(in, FormatWidth-indent) {
		f.out = appendFlat(f.out, in, -1)
		return
	}
	f.out = append(f.out, '(')
	switch in := in.(type) {
	case *Seq:
		f.out = append(f.out, "seq"...)
		f.child(in.Left, indent)
		f.child(in.Right, indent)
	case *Par:
		f.out = append(f.out, "par"...)
		f.child(in.Left, indent)
		f.child(in.Right, indent)
	case *Xor:
		f.out = append(f.out, "xor"...)
		f.child(in.Left, indent)
		f.child(in.Right, indent)
	case *New:
		f.out = append(f.out, "new "...)
		f.out = appendValue(f.out, in.Var, true)
		f.child(in.Body, indent)
	case *Fold:
		f.out = appendFoldHeader(f.out, in)
		f.child(in.Body, indent)
		if in.Last != nil {
			f.child(in.Last, indent)
		}
	case *Match:
		f.out = appendMatchHeader(f.out, in)
		f.child(in.Body, indent)
	}
	f.out = append(f.out, ')')
}

func (f *formatter) child(in Instr, indent int) {
	indent = min(indent+2, maxIndent)
	f.out = append(f.out, '\n')
	for range indent {
		f.out = append(f.out, ' ')
	}
	f.instr(in, indent)
}

// fits reports whether the one-line form of in has at most width characters and no
// line break (string literals may contain newlines).
func (f *formatter) fits(in Instr, width int) bool {
	if width <= 0 {
		return false
	}
	// A rune takes at most 4 bytes, so more than 4*width bytes cannot fit.
	f.scratch = appendFlat(f.scratch[:0], in, 4*width)
	return len(f.scratch) <= 4*width && bytes.IndexByte(f.scratch, '\n') < 0 &&
		utf8.RuneCount(f.scratch) <= width
}

func isLeaf(in Instr) bool {
	switch in.(type) {
	case *Seq, *Par, *Xor, *New, *Fold, *Match:
		return false
	}
	return true
}

// appendFlat appends the one-line source form of in. If limit >= 0 it may stop early
// once the output grows beyond limit bytes.
func appendFlat(b []byte, in Instr, limit int) []byte {
	if limit >= 0 && len(b) > limit {
		return b
	}
	b = append(b, '(')
	switch in := in.(type) {
	case *Call:
		b = append(b, "call "...)
		b = appendValue(b, in.Peer, true)
		b = append(b, " ("...)
		b = appendValue(b, in.Service, true)
		b = append(b, ' ')
		b = appendValue(b, in.Function, true)
		b = append(b, ") ["...)
		for k, a := range in.Args {
			if k > 0 {
				b = append(b, ' ')
			}
			b = appendValue(b, a, true)
		}
		b = append(b, ']')
		if in.Output.Kind != None {
			b = append(b, ' ')
			b = appendValue(b, in.Output, true)
		}
	case *Canon:
		b = append(b, "canon "...)
		b = appendValue(b, in.Peer, true)
		b = append(b, ' ')
		b = appendValue(b, in.Source, true)
		b = append(b, ' ')
		b = appendValue(b, in.Result, true)
	case *Ap:
		b = append(b, "ap "...)
		b = appendValue(b, in.Arg, true)
		b = append(b, ' ')
		b = appendValue(b, in.Result, true)
	case *ApMap:
		b = append(b, "ap ("...)
		b = appendValue(b, in.Key, true)
		b = append(b, ' ')
		b = appendValue(b, in.Arg, true)
		b = append(b, ") "...)
		b = appendValue(b, in.Map, true)
	case *Seq:
		b = append(b, "seq "...)
		b = appendFlat(b, in.Left, limit)
		b = append(b, ' ')
		b = appendFlat(b, in.Right, limit)
	case *Par:
		b = append(b, "par "...)
		b = appendFlat(b, in.Left, limit)
		b = append(b, ' ')
		b = appendFlat(b, in.Right, limit)
	case *Xor:
		b = append(b, "xor "...)
		b = appendFlat(b, in.Left, limit)
		b = append(b, ' ')
		b = appendFlat(b, in.Right, limit)
	case *Null:
		b = append(b, "null"...)
	case *Never:
		b = append(b, "never"...)
	case *New:
		b = append(b, "new "...)
		b = appendValue(b, in.Var, true)
		b = append(b, ' ')
		b = appendFlat(b, in.Body, limit)
	case *Fail:
		b = append(b, "fail "...)
		b = appendFailBody(b, in, true)
	case *Fold:
		b = appendFoldHeader(b, in)
		b = append(b, ' ')
		b = appendFlat(b, in.Body, limit)
		if in.Last != nil {
			b = append(b, ' ')
			b = appendFlat(b, in.Last, limit)
		}
	case *Next:
		b = append(b, "next "...)
		b = append(b, in.Iterator...)
	case *Match:
		b = appendMatchHeader(b, in)
		b = append(b, ' ')
		b = appendFlat(b, in.Body, limit)
	}
	return append(b, ')')
}

// appendFoldHeader appends "fold ITERABLE ITER" (without the opening parenthesis).
func appendFoldHeader(b []byte, in *Fold) []byte {
	b = append(b, "fold "...)
	b = appendValue(b, in.Iterable, true)
	b = append(b, ' ')
	return append(b, in.Iterator...)
}

// appendMatchHeader appends "match L R" or "mismatch L R".
func appendMatchHeader(b []byte, in *Match) []byte {
	if in.Mismatch {
		b = append(b, "mismatch "...)
	} else {
		b = append(b, "match "...)
	}
	b = appendValue(b, in.Left, true)
	b = append(b, ' ')
	return appendValue(b, in.Right, true)
}
