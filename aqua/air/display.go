package air

import (
	"strconv"
)

// Display returns the one-line display of an instruction used in the `instruction`
// field of AquaVM error objects (§6.3), e.g.
//
//	call %init_peer_id% ("s" "g") [x.$.a.[3]]    (note the trailing space: no output)
//	ap x.$.a y
//	fold x i
//	fail 1337 "msg"
//
// Structural instructions print just their keyword (seq, par, xor, null, never). Values
// are printed as by Value.String: literals in double quotes, special values by name,
// floats like Rust's Display (1.0 prints as 1), lenses without flattening marks.
func Display(i Instr) string {
	if i == nil {
		return ""
	}
	return string(appendDisplay(nil, i))
}

func appendDisplay(b []byte, i Instr) []byte {
	switch i := i.(type) {
	case *Call:
		b = append(b, "call "...)
		b = appendValue(b, i.Peer, false)
		b = append(b, " ("...)
		b = appendValue(b, i.Service, false)
		b = append(b, ' ')
		b = appendValue(b, i.Function, false)
		b = append(b, ") ["...)
		for k, a := range i.Args {
			if k > 0 {
				b = append(b, ' ')
			}
			b = appendValue(b, a, false)
		}
		b = append(b, "] "...)
		b = appendValue(b, i.Output, false)
	case *Canon:
		b = append(b, "canon "...)
		b = appendValue(b, i.Peer, false)
		b = append(b, ' ')
		b = appendValue(b, i.Source, false)
		b = append(b, ' ')
		b = appendValue(b, i.Result, false)
	case *Ap:
		b = append(b, "ap "...)
		b = appendValue(b, i.Arg, false)
		b = append(b, ' ')
		b = appendValue(b, i.Result, false)
	case *ApMap:
		b = append(b, "ap ("...)
		b = appendValue(b, i.Key, false)
		b = append(b, ' ')
		b = appendValue(b, i.Arg, false)
		b = append(b, ") "...)
		b = appendValue(b, i.Map, false)
	case *Seq:
		b = append(b, "seq"...)
	case *Par:
		b = append(b, "par"...)
	case *Xor:
		b = append(b, "xor"...)
	case *Null:
		b = append(b, "null"...)
	case *Never:
		b = append(b, "never"...)
	case *New:
		b = append(b, "new "...)
		b = appendValue(b, i.Var, false)
	case *Fail:
		b = append(b, "fail "...)
		b = appendFailBody(b, i, false)
	case *Fold:
		b = append(b, "fold "...)
		b = appendValue(b, i.Iterable, false)
		b = append(b, ' ')
		b = append(b, i.Iterator...)
	case *Next:
		b = append(b, "next "...)
		b = append(b, i.Iterator...)
	case *Match:
		if i.Mismatch {
			b = append(b, "mismatch "...)
		} else {
			b = append(b, "match "...)
		}
		b = appendValue(b, i.Left, false)
		b = append(b, ' ')
		b = appendValue(b, i.Right, false)
	}
	return b
}

func appendFailBody(b []byte, f *Fail, source bool) []byte {
	switch f.Form {
	case FailLiteral:
		b = strconv.AppendInt(b, f.Code, 10)
		b = append(b, " \""...)
		b = append(b, f.Message...)
		b = append(b, '"')
	case FailLastError:
		b = append(b, "%last_error%"...)
	case FailError:
		b = append(b, ":error:"...)
	default:
		b = appendValue(b, f.Value, source)
	}
	return b
}

// String returns the display form of the operand (§6.3): literals in double quotes,
// special values by name, numbers (floats like Rust's Display: 1.0 prints as 1),
// variables by name (with sigil) followed by their lens display. A None value prints
// as "".
func (v Value) String() string { return string(appendValue(nil, v, false)) }

// String returns the canonical lens display (§1.3): ".length" for the length functor,
// otherwise ".$." followed by the accessors joined by ".", an index as [n], a
// by-variable accessor as [name], a field as its name; flattening marks are dropped.
// Example: the lens of x.$.a[0]! displays as ".$.a.[0]".
func (l *Lens) String() string {
	if l == nil {
		return ""
	}
	return string(appendLens(nil, l, false))
}

// appendValue appends the display form (source == false) or the canonical source form
// used by Format (source == true: floats keep a dot, lenses keep flattening marks).
func appendValue(b []byte, v Value, source bool) []byte {
	switch v.Kind {
	case None:
		return b
	case InitPeerID:
		return append(b, "%init_peer_id%"...)
	case LastError:
		b = append(b, "%last_error%"...)
	case ErrorValue:
		b = append(b, ":error:"...)
	case Timestamp:
		return append(b, "%timestamp%"...)
	case TTL:
		return append(b, "%ttl%"...)
	case Literal:
		b = append(b, '"')
		b = append(b, v.Name...)
		return append(b, '"')
	case Int:
		return strconv.AppendInt(b, v.Int, 10)
	case Float:
		if source {
			return appendSourceFloat(b, v.Float)
		}
		return strconv.AppendFloat(b, v.Float, 'f', -1, 64)
	case Bool:
		return strconv.AppendBool(b, v.Bool)
	case EmptyArray:
		return append(b, "[]"...)
	default:
		b = append(b, v.Name...)
	}
	if v.Lens != nil {
		b = appendLens(b, v.Lens, source)
	}
	return b
}

// appendSourceFloat prints a float so that it reads back as the same float: the
// shortest representation without exponent, with a ".0" added to integral values (or
// just "." if ".0" would exceed the 11-character limit of float literals).
func appendSourceFloat(b []byte, f float64) []byte {
	start := len(b)
	b = strconv.AppendFloat(b, f, 'f', -1, 64)
	for _, c := range b[start:] {
		if c == '.' {
			return b
		}
	}
	if len(b)-start+2 > maxFloatLen {
		return append(b, '.')
	}
	return append(b, ".0"...)
}

func appendLens(b []byte, l *Lens, source bool) []byte {
	if l.Length {
		return append(b, ".length"...)
	}
	b = append(b, ".$"...)
	for _, a := range l.Path {
		b = append(b, '.')
		switch a.Kind {
		case IndexAccessor:
			b = append(b, '[')
			b = strconv.AppendUint(b, uint64(a.Index), 10)
			b = append(b, ']')
		case VarAccessor:
			b = append(b, '[')
			b = append(b, a.Name...)
			b = append(b, ']')
		default:
			b = append(b, a.Name...)
		}
		if source && a.Flatten {
			b = append(b, '!')
		}
	}
	return b
}
