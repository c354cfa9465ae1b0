package builtins

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/jsonv"
)

// pureFunc is the shape of most builtins: a function of the arguments alone. It returns
// the result value or an error whose text becomes the message after "<service>.<fn>: ".
type pureFunc func(args []jsonv.Value) (jsonv.Value, error)

// empty is the result of functions that return nothing (nox's FunctionOutcome::Empty,
// which reaches AquaVM as the JSON text "").
var empty = jsonv.StringValue("")

// wrap turns f into a Func for service.function. nests marks functions whose result can be
// one level deeper than their arguments; their results are checked against
// jsonv.MaxDepth so that every successful result parses back.
func wrap(service, function string, nests bool, f pureFunc) Func {
	prefix := service + "." + function + ": "
	return func(_ context.Context, c *Call) aqua.CallResult {
		v, err := f(c.Args)
		if err == nil && nests && deeperThan(v, jsonv.MaxDepth) {
			err = fmt.Errorf("result nests arrays and objects deeper than %d levels", jsonv.MaxDepth)
		}
		if err != nil {
			return aqua.Fail(1, prefix+err.Error())
		}
		return aqua.Ok(v)
	}
}

// deeperThan reports whether v nests arrays and objects more than limit levels deep (a
// scalar has depth 0, [] has depth 1). It stops descending past the limit.
func deeperThan(v jsonv.Value, limit int) bool {
	switch v.Kind() {
	case jsonv.Array:
		if limit == 0 {
			return true
		}
		for _, e := range v.Elems() {
			if deeperThan(e, limit-1) {
				return true
			}
		}
	case jsonv.Object:
		if limit == 0 {
			return true
		}
		for _, m := range v.Members() {
			if deeperThan(m.Value, limit-1) {
				return true
			}
		}
	}
	return false
}

// maxShown is how many bytes of an offending value's JSON text error messages quote.
const maxShown = 100

// show returns the canonical JSON text of v for an error message, cut to maxShown bytes
// (on a character boundary) with "…" appended when longer.
func show(v jsonv.Value) string {
	b := v.Append(nil)
	if len(b) <= maxShown {
		return string(b)
	}
	n := maxShown
	for n > 0 && !utf8.RuneStart(b[n]) {
		n--
	}
	return string(b[:n]) + "…"
}

// plural returns "1 argument" or "n arguments".
func plural(n int) string {
	if n == 1 {
		return "1 argument"
	}
	return strconv.Itoa(n) + " arguments"
}

// wantArgs checks that there are exactly n arguments.
func wantArgs(args []jsonv.Value, n int) error {
	if len(args) == n {
		return nil
	}
	if n == 0 {
		return fmt.Errorf("expected no arguments, got %d", len(args))
	}
	return fmt.Errorf("expected %s, got %d", plural(n), len(args))
}

// wantArgsBetween checks that there are min to max arguments.
func wantArgsBetween(args []jsonv.Value, min, max int) error {
	if len(args) >= min && len(args) <= max {
		return nil
	}
	if min == 0 {
		return fmt.Errorf("expected at most %s, got %d", plural(max), len(args))
	}
	return fmt.Errorf("expected %d to %d arguments, got %d", min, max, len(args))
}

// argError reports that the value at path must be `want`. path is "argument N" (1-based)
// or, inside an argument, "argument N[i]…" with 0-based indexes as in an AIR lens.
func argError(path, want string, got jsonv.Value) error {
	return fmt.Errorf("%s must be %s, got %s", path, want, show(got))
}

// argPaths are the common argument paths, so that the success path does not allocate.
var argPaths = func() (p [16]string) {
	for i := range p {
		p[i] = "argument " + strconv.Itoa(i+1)
	}
	return p
}()

// argPath returns "argument N" for the 0-based index i.
func argPath(i int) string {
	if i < len(argPaths) {
		return argPaths[i]
	}
	return "argument " + strconv.Itoa(i+1)
}

func elemPath(path string, j int) string { return path + "[" + strconv.Itoa(j) + "]" }

// Type descriptions used in messages.
const (
	wantInteger = "an integer"
	wantI64     = "an integer between -9223372036854775808 and 9223372036854775807"
	wantU32     = "an integer between 0 and 4294967295"
	wantU64     = "an integer between 0 and 18446744073709551615"
	wantU8      = "an integer between 0 and 255"
	wantNumber  = "a number"
	wantString  = "a string"
	wantArray   = "an array"
	wantObject  = "an object"
	wantOptBool = "an optional boolean (true, false, [], [true], [false] or null)"
	wantPair    = "a [key, value] pair"
)

// asI64 returns v as an int64, or what was expected instead. Only JSON integers in the
// i64 range qualify: floats are rejected even when integral (2.0), as serde's i64
// deserialization does.
func asI64(v jsonv.Value) (int64, string) {
	if !v.IsInteger() {
		return 0, wantInteger
	}
	i, ok := v.Int64()
	if !ok {
		return 0, wantI64
	}
	return i, ""
}

// toI64 converts an i64 argument.
func toI64(v jsonv.Value, path string) (int64, error) {
	i, want := asI64(v)
	if want != "" {
		return 0, argError(path, want, v)
	}
	return i, nil
}

// toU32 converts a JSON integer in the u32 range.
func toU32(v jsonv.Value, path string) (uint32, error) {
	u, ok := v.Uint64()
	if !ok || u > math.MaxUint32 {
		return 0, argError(path, wantU32, v)
	}
	return uint32(u), nil
}

// toU64 converts a non-negative JSON integer.
func toU64(v jsonv.Value, path string) (uint64, error) {
	u, ok := v.Uint64()
	if !ok {
		return 0, argError(path, wantU64, v)
	}
	return u, nil
}

// toF64 converts any JSON number, as serde's f64 deserialization does.
func toF64(v jsonv.Value, path string) (float64, error) {
	f, ok := v.Float64()
	if !ok {
		return 0, argError(path, wantNumber, v)
	}
	return f, nil
}

func toString(v jsonv.Value, path string) (string, error) {
	s, ok := v.Str()
	if !ok {
		return "", argError(path, wantString, v)
	}
	return s, nil
}

func toArray(v jsonv.Value, path string) ([]jsonv.Value, error) {
	if v.Kind() != jsonv.Array {
		return nil, argError(path, wantArray, v)
	}
	return v.Elems(), nil
}

func toObject(v jsonv.Value, path string) ([]jsonv.Member, error) {
	if v.Kind() != jsonv.Object {
		return nil, argError(path, wantObject, v)
	}
	return v.Members(), nil
}

// toStrings converts an array of strings.
func toStrings(v jsonv.Value, path string) ([]string, error) {
	elems, err := toArray(v, path)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(elems))
	for j, e := range elems {
		s, ok := e.Str()
		if !ok {
			return nil, argError(elemPath(path, j), wantString, e)
		}
		out[j] = s
	}
	return out, nil
}

// toI64s converts an array of i64 integers.
func toI64s(v jsonv.Value, path string) ([]int64, error) {
	elems, err := toArray(v, path)
	if err != nil {
		return nil, err
	}
	out := make([]int64, len(elems))
	for j, e := range elems {
		i, want := asI64(e)
		if want != "" {
			return nil, argError(elemPath(path, j), want, e)
		}
		out[j] = i
	}
	return out, nil
}

// toBytes converts an array of integers 0..255.
func toBytes(v jsonv.Value, path string) ([]byte, error) {
	elems, err := toArray(v, path)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(elems))
	for j, e := range elems {
		u, ok := e.Uint64()
		if !ok || u > math.MaxUint8 {
			return nil, argError(elemPath(path, j), wantU8, e)
		}
		out[j] = byte(u)
	}
	return out, nil
}

// optBool reads an optional boolean argument the way nox's Args::next_opt does: an absent
// argument, null and [] are "not set"; true/false and [true]/[false] are set. Aqua passes
// ?bool as an array of zero or one element; the bare forms are accepted for old callers.
func optBool(args []jsonv.Value, i int) (val, set bool, err error) {
	if i >= len(args) {
		return false, false, nil
	}
	v := args[i]
	switch v.Kind() {
	case jsonv.Null:
		return false, false, nil
	case jsonv.Bool:
		b, _ := v.Bool()
		return b, true, nil
	case jsonv.Array:
		switch v.Len() {
		case 0:
			return false, false, nil
		case 1:
			if b, ok := v.Elems()[0].Bool(); ok {
				return b, true, nil
			}
		}
	}
	return false, false, argError(argPath(i), wantOptBool, v)
}

// errDivByZero is the message of math.div and math.rem by zero.
var errDivByZero = errors.New("division by zero")
