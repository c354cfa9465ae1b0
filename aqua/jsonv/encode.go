package jsonv

import (
	"math"
	"strconv"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// Append appends the canonical compact JSON text of v to dst.
func (v Value) Append(dst []byte) []byte {
	switch v.kind {
	case Null:
		return append(dst, "null"...)
	case Bool:
		if v.bits == 1 {
			return append(dst, "true"...)
		}
		return append(dst, "false"...)
	case Uint:
		return strconv.AppendUint(dst, v.bits, 10)
	case Int:
		return strconv.AppendInt(dst, int64(v.bits), 10)
	case Float:
		return AppendFloat(dst, math.Float64frombits(v.bits))
	case String:
		return AppendString(dst, v.str)
	case Array:
		dst = append(dst, '[')
		for i, e := range v.arr {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = e.Append(dst)
		}
		return append(dst, ']')
	case Object:
		dst = append(dst, '{')
		for i, m := range v.obj {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendString(dst, m.Key)
			dst = append(dst, ':')
			dst = m.Value.Append(dst)
		}
		return append(dst, '}')
	}
	return dst
}

// AppendString appends s as a JSON string literal with serde_json's escaping: only '"',
// '\\' and control characters (< 0x20) are escaped; everything else, including
// non-ASCII, U+2028/U+2029 and '<', '>', '&', is written raw. Invalid UTF-8 bytes are
// replaced with U+FFFD so the output is always valid JSON.
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				dst = append(dst, s[start:i]...)
				dst = append(dst, "\uFFFD"...)
				i++
				start = i
				continue
			}
			i += size
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"':
			dst = append(dst, '\\', '"')
		case '\\':
			dst = append(dst, '\\', '\\')
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// AppendFloat appends f the way serde_json (ryu) prints a finite f64: shortest round-trip
// digits; integral values keep a trailing ".0"; scientific notation ("1e21", "1e-7",
// "1.2345e20", never a '+') when the decimal exponent is outside [-5, 16].
func AppendFloat(dst []byte, f float64) []byte {
	if f == 0 {
		if math.Signbit(f) {
			return append(dst, "-0.0"...)
		}
		return append(dst, "0.0"...)
	}
	var buf [32]byte
	e := strconv.AppendFloat(buf[:0], f, 'e', -1, 64) // -d.ddddde±XX
	if e[0] == '-' {
		dst = append(dst, '-')
		e = e[1:]
	}
	// Split mantissa digits and exponent.
	var digits [24]byte
	n := 0
	i := 0
	for ; i < len(e) && e[i] != 'e'; i++ {
		if e[i] != '.' {
			digits[n] = e[i]
			n++
		}
	}
	exp, _ := strconv.Atoi(string(e[i+1:]))
	length := n
	k := exp - (length - 1) // value = digits * 10^k
	kk := length + k        // position of the decimal point
	d := digits[:n]
	switch {
	case k >= 0 && kk <= 16:
		dst = append(dst, d...)
		for j := 0; j < k; j++ {
			dst = append(dst, '0')
		}
		return append(dst, '.', '0')
	case kk > 0 && kk <= 16:
		dst = append(dst, d[:kk]...)
		dst = append(dst, '.')
		return append(dst, d[kk:]...)
	case kk > -5 && kk <= 0:
		dst = append(dst, '0', '.')
		for j := 0; j < -kk; j++ {
			dst = append(dst, '0')
		}
		return append(dst, d...)
	case length == 1:
		dst = append(dst, d[0], 'e')
		return strconv.AppendInt(dst, int64(kk-1), 10)
	default:
		dst = append(dst, d[0], '.')
		dst = append(dst, d[1:]...)
		dst = append(dst, 'e')
		return strconv.AppendInt(dst, int64(kk-1), 10)
	}
}
