package jsonv

import (
	"encoding/json"
	"fmt"
	"slices"
)

// From converts a Go value to a Value. It accepts nil, bool, the integer and float
// types, string, json.Number, json.RawMessage, Value, []Value, []any, []string and
// map[string]any (recursively).
func From(x any) (Value, error) {
	switch t := x.(type) {
	case nil:
		return Value{}, nil
	case Value:
		return t, nil
	case bool:
		return BoolValue(t), nil
	case int:
		return IntValue(int64(t)), nil
	case int8:
		return IntValue(int64(t)), nil
	case int16:
		return IntValue(int64(t)), nil
	case int32:
		return IntValue(int64(t)), nil
	case int64:
		return IntValue(t), nil
	case uint:
		return UintValue(uint64(t)), nil
	case uint8:
		return UintValue(uint64(t)), nil
	case uint16:
		return UintValue(uint64(t)), nil
	case uint32:
		return UintValue(uint64(t)), nil
	case uint64:
		return UintValue(t), nil
	case float32:
		return FloatValue(float64(t)), nil
	case float64:
		return FloatValue(t), nil
	case string:
		return StringValue(t), nil
	case json.Number:
		return ParseString(string(t))
	case json.RawMessage:
		return Parse(t)
	case []Value:
		return ArrayValue(t...), nil
	case []string:
		out := make([]Value, len(t))
		for i, s := range t {
			out[i] = StringValue(s)
		}
		return ArrayValue(out...), nil
	case []any:
		out := make([]Value, len(t))
		for i, e := range t {
			v, err := From(e)
			if err != nil {
				return Value{}, err
			}
			out[i] = v
		}
		return ArrayValue(out...), nil
	case map[string]any:
		members := make([]Member, 0, len(t))
		for k, e := range t {
			v, err := From(e)
			if err != nil {
				return Value{}, err
			}
			members = append(members, Member{Key: k, Value: v})
		}
		return ObjectValue(members...), nil
	}
	return Value{}, fmt.Errorf("jsonv: unsupported Go type %T", x)
}

// Interface converts v to plain Go values: nil, bool, uint64, int64, float64, string,
// []any and map[string]any.
func (v Value) Interface() any {
	switch v.kind {
	case Bool:
		return v.bits == 1
	case Uint:
		return v.bits
	case Int:
		return int64(v.bits)
	case Float:
		f, _ := v.Float64()
		return f
	case String:
		return v.str
	case Array:
		out := make([]any, len(v.arr))
		for i, e := range v.arr {
			out[i] = e.Interface()
		}
		return out
	case Object:
		out := make(map[string]any, len(v.obj))
		for _, m := range v.obj {
			out[m.Key] = m.Value.Interface()
		}
		return out
	}
	return nil
}

// Keys returns an object's keys in order.
func (v Value) Keys() []string {
	keys := make([]string, len(v.obj))
	for i, m := range v.obj {
		keys[i] = m.Key
	}
	return keys
}

// TypeName names v's JSON type for error messages: "null", "bool", "number", "string",
// "array" or "object".
func (v Value) TypeName() string {
	switch v.kind {
	case Null:
		return "null"
	case Bool:
		return "bool"
	case Uint, Int, Float:
		return "number"
	case String:
		return "string"
	case Array:
		return "array"
	}
	return "object"
}

// Compare orders two values for deterministic sorting: by kind, then by content.
// Numbers of different representations order by numeric value.
func Compare(a, b Value) int {
	if a.IsNumber() && b.IsNumber() {
		fa, _ := a.Float64()
		fb, _ := b.Float64()
		switch {
		case fa < fb:
			return -1
		case fa > fb:
			return 1
		}
		return int(a.kind) - int(b.kind)
	}
	if a.kind != b.kind {
		return int(a.kind) - int(b.kind)
	}
	switch a.kind {
	case Bool:
		return int(a.bits) - int(b.bits)
	case String:
		switch {
		case a.str < b.str:
			return -1
		case a.str > b.str:
			return 1
		}
		return 0
	case Array:
		for i := 0; i < len(a.arr) && i < len(b.arr); i++ {
			if c := Compare(a.arr[i], b.arr[i]); c != 0 {
				return c
			}
		}
		return len(a.arr) - len(b.arr)
	case Object:
		return slices.CompareFunc(a.obj, b.obj, func(x, y Member) int {
			if x.Key != y.Key {
				if x.Key < y.Key {
					return -1
				}
				return 1
			}
			return Compare(x.Value, y.Value)
		})
	}
	return 0
}

// Quote returns s as a JSON string literal (serde_json escaping).
func Quote(s string) string { return string(AppendString(nil, s)) }

// FormatFloat returns f in serde_json's canonical float form.
func FormatFloat(f float64) string { return string(AppendFloat(nil, f)) }
