package builtins

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/reefhq/reef/aqua/jsonv"
)

// registerOp adds the "op" service.
func registerOp(r *Registry) {
	reg := func(name string, nests bool, f pureFunc) { r.Register("op", name, wrap("op", name, nests, f)) }
	reg("noop", false, opNoop)
	reg("identity", false, opIdentity)
	reg("array", true, opArray)
	reg("array_length", false, opArrayLength)
	reg("concat", false, opConcat)
	reg("concat_strings", false, opConcatStrings)
	reg("string_to_b58", false, opStringToB58)
	reg("string_from_b58", false, opStringFromB58)
	reg("bytes_to_b58", false, opBytesToB58)
	reg("bytes_from_b58", false, opBytesFromB58)
	reg("sha256_string", false, opSHA256String)
}

// opNoop ignores its arguments (older compilers call it with some) and returns "".
func opNoop([]jsonv.Value) (jsonv.Value, error) { return empty, nil }

// opIdentity returns its single argument, or "" when called without one.
func opIdentity(args []jsonv.Value) (jsonv.Value, error) {
	if err := wantArgsBetween(args, 0, 1); err != nil {
		return jsonv.Value{}, err
	}
	if len(args) == 0 {
		return empty, nil
	}
	return args[0], nil
}

// opArray returns its arguments as an array. The result shares the argument slice, which
// is safe because wrap serialises it before returning.
func opArray(args []jsonv.Value) (jsonv.Value, error) {
	return jsonv.ArrayValue(args...), nil
}

// opArrayLength returns the length of its array argument.
func opArrayLength(args []jsonv.Value) (jsonv.Value, error) {
	if err := wantArgs(args, 1); err != nil {
		return jsonv.Value{}, err
	}
	elems, err := toArray(args[0], argPath(0))
	if err != nil {
		return jsonv.Value{}, err
	}
	return jsonv.UintValue(uint64(len(elems))), nil
}

// opConcat flattens its array arguments into one array.
func opConcat(args []jsonv.Value) (jsonv.Value, error) {
	n := 0
	for i, a := range args {
		elems, err := toArray(a, argPath(i))
		if err != nil {
			return jsonv.Value{}, err
		}
		n += len(elems)
	}
	out := make([]jsonv.Value, 0, n)
	for _, a := range args {
		out = append(out, a.Elems()...)
	}
	return jsonv.ArrayValue(out...), nil
}

// opConcatStrings joins its string arguments.
func opConcatStrings(args []jsonv.Value) (jsonv.Value, error) {
	var b strings.Builder
	for i, a := range args {
		s, err := toString(a, argPath(i))
		if err != nil {
			return jsonv.Value{}, err
		}
		b.WriteString(s)
	}
	return jsonv.StringValue(b.String()), nil
}

// opStringToB58 base58-encodes the UTF-8 bytes of a string.
func opStringToB58(args []jsonv.Value) (jsonv.Value, error) {
	if err := wantArgs(args, 1); err != nil {
		return jsonv.Value{}, err
	}
	s, err := toString(args[0], argPath(0))
	if err != nil {
		return jsonv.Value{}, err
	}
	enc, err := base58Encode([]byte(s))
	if err != nil {
		return jsonv.Value{}, err
	}
	return jsonv.StringValue(enc), nil
}

// opStringFromB58 decodes base58 text to a UTF-8 string.
func opStringFromB58(args []jsonv.Value) (jsonv.Value, error) {
	b, err := b58Arg(args)
	if err != nil {
		return jsonv.Value{}, err
	}
	if !utf8.Valid(b) {
		return jsonv.Value{}, fmt.Errorf("decoded bytes are not valid UTF-8")
	}
	return jsonv.StringValue(string(b)), nil
}

// opBytesToB58 base58-encodes an array of bytes.
func opBytesToB58(args []jsonv.Value) (jsonv.Value, error) {
	if err := wantArgs(args, 1); err != nil {
		return jsonv.Value{}, err
	}
	b, err := toBytes(args[0], argPath(0))
	if err != nil {
		return jsonv.Value{}, err
	}
	enc, err := base58Encode(b)
	if err != nil {
		return jsonv.Value{}, err
	}
	return jsonv.StringValue(enc), nil
}

// opBytesFromB58 decodes base58 text to an array of bytes.
func opBytesFromB58(args []jsonv.Value) (jsonv.Value, error) {
	b, err := b58Arg(args)
	if err != nil {
		return jsonv.Value{}, err
	}
	return bytesValue(b), nil
}

// b58Arg decodes the single base58 string argument.
func b58Arg(args []jsonv.Value) ([]byte, error) {
	if err := wantArgs(args, 1); err != nil {
		return nil, err
	}
	s, err := toString(args[0], argPath(0))
	if err != nil {
		return nil, err
	}
	b, err := base58Decode(s)
	if err != nil {
		return nil, fmt.Errorf("argument 1 is not valid base58: %w", err)
	}
	return b, nil
}

// opSHA256String hashes the UTF-8 bytes of a string with SHA-256. By default it returns
// the base58 text of the sha2-256 multihash (0x12 0x20 ‖ digest); digest_only drops the
// multihash prefix; as_bytes returns an array of bytes instead of base58 text.
func opSHA256String(args []jsonv.Value) (jsonv.Value, error) {
	if err := wantArgsBetween(args, 1, 3); err != nil {
		return jsonv.Value{}, err
	}
	s, err := toString(args[0], argPath(0))
	if err != nil {
		return jsonv.Value{}, err
	}
	digestOnly, _, err := optBool(args, 1)
	if err != nil {
		return jsonv.Value{}, err
	}
	asBytes, _, err := optBool(args, 2)
	if err != nil {
		return jsonv.Value{}, err
	}
	sum := sha256.Sum256([]byte(s))
	out := sum[:]
	if !digestOnly {
		out = append([]byte{0x12, 0x20}, sum[:]...)
	}
	if asBytes {
		return bytesValue(out), nil
	}
	enc, _ := base58Encode(out) // at most 34 bytes: cannot fail
	return jsonv.StringValue(enc), nil
}

// bytesValue returns b as an array of numbers.
func bytesValue(b []byte) jsonv.Value {
	out := make([]jsonv.Value, len(b))
	for i, c := range b {
		out[i] = jsonv.UintValue(uint64(c))
	}
	return jsonv.ArrayValue(out...)
}
