package jsonv

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxDepth is the deepest nesting of arrays and objects Parse accepts (serde_json's
// default recursion limit).
const MaxDepth = 127

// SyntaxError describes malformed JSON text. Its message follows serde_json
// ("expected value at line 1 column 1") because AquaVM embeds that text in the error it
// raises for a service result that is not JSON.
type SyntaxError struct {
	Msg          string
	Line, Column int
	Offset       int
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s at line %d column %d", e.Msg, e.Line, e.Column)
}

// Parse parses one JSON text. Integers become Uint or Int when they fit (else Float);
// numbers with a fraction or exponent become Float; "-0" is the float -0.0; duplicate
// object keys keep the last value. Trailing non-space characters are an error.
func Parse(data []byte) (Value, error) {
	p := parser{data: data}
	p.skipSpace()
	v, err := p.value(0)
	if err != nil {
		return Value{}, err
	}
	p.skipSpace()
	if p.i < len(p.data) {
		return Value{}, p.errAt("trailing characters", p.i)
	}
	return v, nil
}

// ParseString is Parse for a string.
func ParseString(s string) (Value, error) { return Parse([]byte(s)) }

// MustParse parses a JSON text known to be valid (tests, constants); it panics otherwise.
func MustParse(s string) Value {
	v, err := ParseString(s)
	if err != nil {
		panic(err)
	}
	return v
}

type parser struct {
	data []byte
	i    int
}

// errAt builds an error for the byte at offset off (1-based column of that byte).
func (p *parser) errAt(msg string, off int) error {
	line, col := 1, 0
	for j := 0; j < off && j < len(p.data); j++ {
		if p.data[j] == '\n' {
			line++
			col = 0
		} else {
			col++
		}
	}
	if off < len(p.data) {
		col++
	}
	return &SyntaxError{Msg: msg, Line: line, Column: col, Offset: off}
}

func (p *parser) eof(what string) error { return p.errAt("EOF while parsing "+what, len(p.data)) }

func (p *parser) skipSpace() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) value(depth int) (Value, error) {
	if p.i >= len(p.data) {
		return Value{}, p.eof("a value")
	}
	switch c := p.data[p.i]; {
	case c == 'n':
		return Value{}, p.ident("null")
	case c == 't':
		return BoolValue(true), p.ident("true")
	case c == 'f':
		return BoolValue(false), p.ident("false")
	case c == '"':
		s, err := p.str()
		return StringValue(s), err
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == '[':
		if depth+1 > MaxDepth {
			return Value{}, p.errAt("recursion limit exceeded", p.i)
		}
		return p.array(depth + 1)
	case c == '{':
		if depth+1 > MaxDepth {
			return Value{}, p.errAt("recursion limit exceeded", p.i)
		}
		return p.object(depth + 1)
	default:
		return Value{}, p.errAt("expected value", p.i)
	}
}

func (p *parser) ident(word string) error {
	p.i++ // first letter already checked
	for j := 1; j < len(word); j++ {
		if p.i >= len(p.data) {
			return p.eof("a value")
		}
		if p.data[p.i] != word[j] {
			return p.errAt("expected ident", p.i)
		}
		p.i++
	}
	return nil
}

func (p *parser) number() (Value, error) {
	start := p.i
	neg := false
	if p.data[p.i] == '-' {
		neg = true
		p.i++
	}
	if p.i >= len(p.data) {
		return Value{}, p.eof("a value")
	}
	digitsStart := p.i
	switch c := p.data[p.i]; {
	case c == '0':
		p.i++
		if p.i < len(p.data) && isDigit(p.data[p.i]) {
			return Value{}, p.errAt("invalid number", p.i)
		}
	case isDigit(c):
		for p.i < len(p.data) && isDigit(p.data[p.i]) {
			p.i++
		}
	default:
		return Value{}, p.errAt("invalid number", p.i)
	}
	intEnd := p.i
	isFloat := false
	if p.i < len(p.data) && p.data[p.i] == '.' {
		isFloat = true
		p.i++
		if p.i >= len(p.data) {
			return Value{}, p.eof("a value")
		}
		if !isDigit(p.data[p.i]) {
			return Value{}, p.errAt("invalid number", p.i)
		}
		for p.i < len(p.data) && isDigit(p.data[p.i]) {
			p.i++
		}
	}
	if p.i < len(p.data) && (p.data[p.i] == 'e' || p.data[p.i] == 'E') {
		isFloat = true
		p.i++
		if p.i < len(p.data) && (p.data[p.i] == '+' || p.data[p.i] == '-') {
			p.i++
		}
		if p.i >= len(p.data) {
			return Value{}, p.eof("a value")
		}
		if !isDigit(p.data[p.i]) {
			return Value{}, p.errAt("invalid number", p.i)
		}
		for p.i < len(p.data) && isDigit(p.data[p.i]) {
			p.i++
		}
	}
	text := string(p.data[start:p.i])
	if !isFloat {
		u, err := strconv.ParseUint(string(p.data[digitsStart:intEnd]), 10, 64)
		if err == nil {
			if !neg {
				return UintValue(u), nil
			}
			if u == 0 {
				return FloatValue(math.Copysign(0, -1)), nil
			}
			if u <= 1<<63 {
				return Value{kind: Int, bits: uint64(-int64(u-1) - 1)}, nil
			}
		}
		// Too big for a 64-bit integer: serde_json falls back to f64.
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) && !math.IsInf(f, 0) {
			return FloatValue(f), nil // underflow to zero or a denormal is fine
		}
		return Value{}, p.errAt("number out of range", start)
	}
	return FloatValue(f), nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (p *parser) str() (string, error) {
	p.i++ // opening quote
	start := p.i
	// Fast path: no escapes.
	for p.i < len(p.data) {
		c := p.data[p.i]
		if c == '"' {
			s := p.data[start:p.i]
			p.i++
			if !utf8.Valid(s) {
				return "", p.errAt("invalid unicode code point", start)
			}
			return string(s), nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", p.errAt("control character (\\u0000-\\u001F) found while parsing a string", p.i)
		}
		p.i++
	}
	buf := append([]byte(nil), p.data[start:p.i]...)
	for {
		if p.i >= len(p.data) {
			return "", p.eof("a string")
		}
		c := p.data[p.i]
		switch {
		case c == '"':
			p.i++
			if !utf8.Valid(buf) {
				return "", p.errAt("invalid unicode code point", start)
			}
			return string(buf), nil
		case c < 0x20:
			return "", p.errAt("control character (\\u0000-\\u001F) found while parsing a string", p.i)
		case c != '\\':
			buf = append(buf, c)
			p.i++
			continue
		}
		p.i++
		if p.i >= len(p.data) {
			return "", p.eof("a string")
		}
		esc := p.data[p.i]
		p.i++
		switch esc {
		case '"', '\\', '/':
			buf = append(buf, esc)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, err := p.hex4()
			if err != nil {
				return "", err
			}
			if utf16.IsSurrogate(r) {
				if r >= 0xDC00 {
					return "", p.errAt("lone leading surrogate in hex escape", p.i-1)
				}
				if p.i+1 >= len(p.data) || p.data[p.i] != '\\' || p.data[p.i+1] != 'u' {
					return "", p.errAt("unexpected end of hex escape", p.i)
				}
				p.i += 2
				r2, err := p.hex4()
				if err != nil {
					return "", err
				}
				r = utf16.DecodeRune(r, r2)
				if r == utf8.RuneError {
					return "", p.errAt("lone leading surrogate in hex escape", p.i-1)
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", p.errAt("invalid escape", p.i-1)
		}
	}
}

func (p *parser) hex4() (rune, error) {
	if p.i+4 > len(p.data) {
		return 0, p.eof("a string")
	}
	var r rune
	for j := 0; j < 4; j++ {
		c := p.data[p.i]
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, p.errAt("invalid escape", p.i)
		}
		r = r<<4 | rune(d)
		p.i++
	}
	return r, nil
}

func (p *parser) array(depth int) (Value, error) {
	p.i++
	p.skipSpace()
	elems := []Value{}
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		return ArrayValue(elems...), nil
	}
	for {
		p.skipSpace()
		v, err := p.value(depth)
		if err != nil {
			return Value{}, err
		}
		elems = append(elems, v)
		p.skipSpace()
		if p.i >= len(p.data) {
			return Value{}, p.eof("a list")
		}
		switch p.data[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			return ArrayValue(elems...), nil
		default:
			return Value{}, p.errAt("expected `,` or `]`", p.i)
		}
	}
}

func (p *parser) object(depth int) (Value, error) {
	p.i++
	p.skipSpace()
	var members []Member
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		return ObjectValue(), nil
	}
	for {
		p.skipSpace()
		if p.i >= len(p.data) {
			return Value{}, p.eof("an object")
		}
		if p.data[p.i] != '"' {
			return Value{}, p.errAt("key must be a string", p.i)
		}
		k, err := p.str()
		if err != nil {
			return Value{}, err
		}
		p.skipSpace()
		if p.i >= len(p.data) {
			return Value{}, p.eof("an object")
		}
		if p.data[p.i] != ':' {
			return Value{}, p.errAt("expected `:`", p.i)
		}
		p.i++
		p.skipSpace()
		v, err := p.value(depth)
		if err != nil {
			return Value{}, err
		}
		members = append(members, Member{Key: k, Value: v})
		p.skipSpace()
		if p.i >= len(p.data) {
			return Value{}, p.eof("an object")
		}
		switch p.data[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			return ObjectValue(members...), nil
		default:
			return Value{}, p.errAt("expected `,` or `}`", p.i)
		}
	}
}
