package wasm

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/reefhq/reef/aqua/jsonv"
)

// CallJSON calls fn with Reef's calling convention for an AIR call
// (call peer ("service" "fn") [a b] r):
//
//   - the input is the JSON array of the arguments, [a,b], in canonical form;
//   - an output that is valid JSON is the result r;
//   - an output that is not valid JSON becomes a JSON string of it (invalid UTF-8
//     replaced by U+FFFD), and an empty output becomes null;
//   - a failed call returns the Service.Call error: a *CallError, whose Message is the
//     guest's own message for KindGuest, or ErrClosed.
func CallJSON(ctx context.Context, s *Service, fn string, args []jsonv.Value) (jsonv.Value, error) {
	input := jsonv.ArrayValue(args...).Append(make([]byte, 0, 128))
	out, err := s.Call(ctx, fn, input)
	if err != nil {
		return jsonv.Value{}, err
	}
	return OutputValue(out), nil
}

// OutputValue converts a guest's output to a JSON value as CallJSON does.
func OutputValue(out []byte) jsonv.Value {
	if len(out) == 0 {
		return jsonv.NullValue()
	}
	if v, err := jsonv.Parse(out); err == nil {
		return v
	}
	if !utf8.Valid(out) {
		return jsonv.StringValue(strings.ToValidUTF8(string(out), "\uFFFD"))
	}
	return jsonv.StringValue(string(out))
}
