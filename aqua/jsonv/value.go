// Package jsonv is the JSON value model of the AIR interpreter.
//
// It differs from encoding/json in the ways AquaVM (and serde_json, which AquaVM uses)
// makes observable:
//
//   - Numbers keep three representations: non-negative integer (uint64), negative
//     integer (int64) and float (float64). Integers and floats never compare equal:
//     1 != 1.0.
//   - Objects keep their keys sorted byte-wise; encoding always emits sorted keys.
//   - The canonical text (Append, String) is serde_json's compact output: no spaces,
//     only '"', '\\' and control characters escaped, non-ASCII written raw, floats in
//     shortest round-trip form with serde's (ryu's) exponent rules.
//
// Values are immutable once built; sharing them between goroutines is safe.
package jsonv

import (
	"math"
	"slices"
	"strings"
)

// Kind is the JSON type of a value.
type Kind uint8

// Kinds. Number kinds are split by representation.
const (
	Null Kind = iota
	Bool
	Uint   // non-negative integer
	Int    // negative integer
	Float  // any float, including integral ones (1.0)
	String // UTF-8 string
	Array
	Object
)

// Value is an immutable JSON value. The zero Value is JSON null.
type Value struct {
	kind Kind
	bits uint64 // bool, uint64, int64 or float64 bits
	str  string
	arr  []Value
	obj  []Member
}

// Member is one key/value pair of an object.
type Member struct {
	Key   string
	Value Value
}

// NullValue returns JSON null.
func NullValue() Value { return Value{} }

// BoolValue returns true or false.
func BoolValue(b bool) Value {
	v := Value{kind: Bool}
	if b {
		v.bits = 1
	}
	return v
}

// UintValue returns a non-negative integer.
func UintValue(u uint64) Value { return Value{kind: Uint, bits: u} }

// IntValue returns an integer; non-negative values are stored as Uint (as serde_json does),
// so IntValue(1) equals UintValue(1).
func IntValue(i int64) Value {
	if i >= 0 {
		return Value{kind: Uint, bits: uint64(i)}
	}
	return Value{kind: Int, bits: uint64(i)}
}

// FloatValue returns a float. Non-finite floats have no JSON form and become null,
// as with serde_json.
func FloatValue(f float64) Value {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return Value{}
	}
	return Value{kind: Float, bits: math.Float64bits(f)}
}

// StringValue returns a string.
func StringValue(s string) Value { return Value{kind: String, str: s} }

// ArrayValue returns an array holding elems (the slice is kept; do not modify it later).
func ArrayValue(elems ...Value) Value {
	if elems == nil {
		elems = []Value{}
	}
	return Value{kind: Array, arr: elems}
}

// ObjectValue returns an object of the given members. Members are sorted by key; when a
// key repeats, the last member wins. The slice is reordered in place and kept.
func ObjectValue(members ...Member) Value {
	if members == nil {
		members = []Member{}
	}
	if !slices.IsSortedFunc(members, cmpMember) {
		slices.SortStableFunc(members, cmpMember)
	}
	// Drop duplicates keeping the last occurrence.
	out := members[:0]
	for i := range members {
		if i+1 < len(members) && members[i+1].Key == members[i].Key {
			continue
		}
		out = append(out, members[i])
	}
	return Value{kind: Object, obj: out}
}

func cmpMember(a, b Member) int { return strings.Compare(a.Key, b.Key) }

// Kind returns the value's kind.
func (v Value) Kind() Kind { return v.kind }

// IsNull reports whether v is JSON null.
func (v Value) IsNull() bool { return v.kind == Null }

// IsNumber reports whether v is a number of any representation.
func (v Value) IsNumber() bool { return v.kind == Uint || v.kind == Int || v.kind == Float }

// IsInteger reports whether v is an integer number (not a float).
func (v Value) IsInteger() bool { return v.kind == Uint || v.kind == Int }

// Bool returns the boolean and whether v is one.
func (v Value) Bool() (bool, bool) { return v.bits == 1, v.kind == Bool }

// Str returns the string and whether v is one.
func (v Value) Str() (string, bool) { return v.str, v.kind == String }

// Uint64 returns v as a uint64 when v is a non-negative integer.
func (v Value) Uint64() (uint64, bool) { return v.bits, v.kind == Uint }

// Int64 returns v as an int64 when v is an integer that fits.
func (v Value) Int64() (int64, bool) {
	switch v.kind {
	case Uint:
		return int64(v.bits), v.bits <= math.MaxInt64
	case Int:
		return int64(v.bits), true
	}
	return 0, false
}

// Float64 returns v as a float64 when v is a number of any representation.
func (v Value) Float64() (float64, bool) {
	switch v.kind {
	case Uint:
		return float64(v.bits), true
	case Int:
		return float64(int64(v.bits)), true
	case Float:
		return math.Float64frombits(v.bits), true
	}
	return 0, false
}

// Len returns the number of elements of an array or members of an object, else 0.
func (v Value) Len() int {
	switch v.kind {
	case Array:
		return len(v.arr)
	case Object:
		return len(v.obj)
	}
	return 0
}

// Elems returns the elements of an array (nil for other kinds). Do not modify them.
func (v Value) Elems() []Value {
	if v.kind != Array {
		return nil
	}
	return v.arr
}

// Index returns element i of an array.
func (v Value) Index(i int) (Value, bool) {
	if v.kind != Array || i < 0 || i >= len(v.arr) {
		return Value{}, false
	}
	return v.arr[i], true
}

// Members returns the members of an object in key order (nil for other kinds). Do not
// modify them.
func (v Value) Members() []Member {
	if v.kind != Object {
		return nil
	}
	return v.obj
}

// Field returns the member named key of an object.
func (v Value) Field(key string) (Value, bool) {
	if v.kind != Object {
		return Value{}, false
	}
	i, ok := slices.BinarySearchFunc(v.obj, key, func(m Member, k string) int { return strings.Compare(m.Key, k) })
	if !ok {
		return Value{}, false
	}
	return v.obj[i].Value, true
}

// With returns a copy of object v with key set to val (v itself is unchanged). A non-object
// v is treated as an empty object.
func (v Value) With(key string, val Value) Value {
	var members []Member
	if v.kind == Object {
		members = v.obj
	}
	i, found := slices.BinarySearchFunc(members, key, func(m Member, k string) int { return strings.Compare(m.Key, k) })
	out := make([]Member, 0, len(members)+1)
	out = append(out, members[:i]...)
	out = append(out, Member{Key: key, Value: val})
	if found {
		i++
	}
	out = append(out, members[i:]...)
	return Value{kind: Object, obj: out}
}

// Equal reports JSON equality with serde_json's rules: numbers are equal only when they
// have the same representation and value (1 != 1.0), objects compare by members.
func Equal(a, b Value) bool {
	if a.kind != b.kind {
		return false
	}
	switch a.kind {
	case Null:
		return true
	case Bool, Uint, Int:
		return a.bits == b.bits
	case Float:
		return math.Float64frombits(a.bits) == math.Float64frombits(b.bits)
	case String:
		return a.str == b.str
	case Array:
		if len(a.arr) != len(b.arr) {
			return false
		}
		for i := range a.arr {
			if !Equal(a.arr[i], b.arr[i]) {
				return false
			}
		}
		return true
	case Object:
		if len(a.obj) != len(b.obj) {
			return false
		}
		for i := range a.obj {
			if a.obj[i].Key != b.obj[i].Key || !Equal(a.obj[i].Value, b.obj[i].Value) {
				return false
			}
		}
		return true
	}
	return false
}

// String returns the canonical compact JSON text of v.
func (v Value) String() string { return string(v.Append(nil)) }

// MarshalJSON implements json.Marshaler with the canonical text.
func (v Value) MarshalJSON() ([]byte, error) { return v.Append(nil), nil }

// UnmarshalJSON implements json.Unmarshaler.
func (v *Value) UnmarshalJSON(b []byte) error {
	p, err := Parse(b)
	if err != nil {
		return err
	}
	*v = p
	return nil
}
