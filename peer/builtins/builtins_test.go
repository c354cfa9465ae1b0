package builtins

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/jsonv"
)

// fixedNow is the clock of the tests: 2023-11-14T22:13:20.123Z.
var fixedNow = time.UnixMilli(1700000000123)

func newTestRegistry() *Registry {
	r := NewRegistry()
	RegisterPure(r, WithClock(func() time.Time { return fixedNow }))
	return r
}

// callJSON calls service.function with the arguments given as the JSON text of an array.
func callJSON(t testing.TB, r *Registry, service, function, args string) aqua.CallResult {
	t.Helper()
	v, err := jsonv.ParseString(args)
	if err != nil || v.Kind() != jsonv.Array {
		t.Fatalf("bad test args %s: %v", args, err)
	}
	return r.Call(context.Background(), &Call{Service: service, Function: function, Args: v.Elems()})
}

type tcase struct {
	fn   string // "service.function"
	args string // JSON array of the arguments
	ok   string // expected result JSON text, when err is empty
	err  string // expected error message (unquoted), when set
}

// run checks the cases against a fresh registry.
func run(t *testing.T, cases []tcase) {
	t.Helper()
	r := newTestRegistry()
	for _, tc := range cases {
		t.Run(tc.fn+tc.args, func(t *testing.T) {
			service, function, _ := strings.Cut(tc.fn, ".")
			got := callJSON(t, r, service, function, tc.args)
			if tc.err != "" {
				want := aqua.Fail(1, tc.err)
				if got != want {
					t.Errorf("got {%d %s}, want error %s", got.RetCode, got.Result, want.Result)
				}
				return
			}
			if got.RetCode != 0 || got.Result != tc.ok {
				t.Errorf("got {%d %s}, want %s", got.RetCode, got.Result, tc.ok)
			}
		})
	}
}

func TestOp(t *testing.T) {
	run(t, []tcase{
		{fn: "op.noop", args: `[]`, ok: `""`},
		{fn: "op.noop", args: `[1,"x",{}]`, ok: `""`},

		{fn: "op.identity", args: `[]`, ok: `""`},
		{fn: "op.identity", args: `[null]`, ok: `null`},
		{fn: "op.identity", args: `[{"b":[1,2.0,-3],"a":"é"}]`, ok: `{"a":"é","b":[1,2.0,-3]}`},
		{fn: "op.identity", args: `[1,2]`, err: `op.identity: expected at most 1 argument, got 2`},

		{fn: "op.array", args: `[]`, ok: `[]`},
		{fn: "op.array", args: `[1,"a",[2],null]`, ok: `[1,"a",[2],null]`},

		{fn: "op.array_length", args: `[[1,2,3]]`, ok: `3`},
		{fn: "op.array_length", args: `[[]]`, ok: `0`},
		{fn: "op.array_length", args: `["x"]`, err: `op.array_length: argument 1 must be an array, got "x"`},
		{fn: "op.array_length", args: `[]`, err: `op.array_length: expected 1 argument, got 0`},
		{fn: "op.array_length", args: `[[1],[2]]`, err: `op.array_length: expected 1 argument, got 2`},

		{fn: "op.concat", args: `[]`, ok: `[]`},
		{fn: "op.concat", args: `[[1],[2,[3]],[]]`, ok: `[1,2,[3]]`},
		{fn: "op.concat", args: `[[1],2]`, err: `op.concat: argument 2 must be an array, got 2`},

		{fn: "op.concat_strings", args: `[]`, ok: `""`},
		{fn: "op.concat_strings", args: `["a","b","c"]`, ok: `"abc"`},
		{fn: "op.concat_strings", args: `["a",1]`, err: `op.concat_strings: argument 2 must be a string, got 1`},

		{fn: "op.string_to_b58", args: `["hello"]`, ok: `"Cn8eVZg"`},
		{fn: "op.string_to_b58", args: `["héllo wörld"]`, ok: `"9j7PS72hWf46GujT8w"`},
		{fn: "op.string_to_b58", args: `[""]`, ok: `""`},
		{fn: "op.string_to_b58", args: `[1]`, err: `op.string_to_b58: argument 1 must be a string, got 1`},
		{fn: "op.string_to_b58", args: `[]`, err: `op.string_to_b58: expected 1 argument, got 0`},

		{fn: "op.string_from_b58", args: `["Cn8eVZg"]`, ok: `"hello"`},
		{fn: "op.string_from_b58", args: `["9j7PS72hWf46GujT8w"]`, ok: `"héllo wörld"`},
		{fn: "op.string_from_b58", args: `[""]`, ok: `""`},
		{fn: "op.string_from_b58", args: `["5Q"]`, err: `op.string_from_b58: decoded bytes are not valid UTF-8`},
		{fn: "op.string_from_b58", args: `["Cn80"]`, err: `op.string_from_b58: argument 1 is not valid base58: invalid base58 character '0' at byte 3`},
		{fn: "op.string_from_b58", args: `[["x"]]`, err: `op.string_from_b58: argument 1 must be a string, got ["x"]`},
		{fn: "op.string_from_b58", args: `["a","b"]`, err: `op.string_from_b58: expected 1 argument, got 2`},

		{fn: "op.bytes_to_b58", args: `[[0,0,1]]`, ok: `"112"`},
		{fn: "op.bytes_to_b58", args: `[[0]]`, ok: `"1"`},
		{fn: "op.bytes_to_b58", args: `[[]]`, ok: `""`},
		{fn: "op.bytes_to_b58", args: `[[255]]`, ok: `"5Q"`},
		{fn: "op.bytes_to_b58", args: `[[1,256]]`, err: `op.bytes_to_b58: argument 1[1] must be an integer between 0 and 255, got 256`},
		{fn: "op.bytes_to_b58", args: `[[-1]]`, err: `op.bytes_to_b58: argument 1[0] must be an integer between 0 and 255, got -1`},
		{fn: "op.bytes_to_b58", args: `[[1.0]]`, err: `op.bytes_to_b58: argument 1[0] must be an integer between 0 and 255, got 1.0`},
		{fn: "op.bytes_to_b58", args: `["x"]`, err: `op.bytes_to_b58: argument 1 must be an array, got "x"`},
		{fn: "op.bytes_to_b58", args: `[]`, err: `op.bytes_to_b58: expected 1 argument, got 0`},

		{fn: "op.bytes_from_b58", args: `["112"]`, ok: `[0,0,1]`},
		{fn: "op.bytes_from_b58", args: `["111"]`, ok: `[0,0,0]`},
		{fn: "op.bytes_from_b58", args: `[""]`, ok: `[]`},
		{fn: "op.bytes_from_b58", args: `["5Q"]`, ok: `[255]`},
		{fn: "op.bytes_from_b58", args: `["1é"]`, err: `op.bytes_from_b58: argument 1 is not valid base58: invalid base58 character at byte 1 (non-ASCII)`},
		{fn: "op.bytes_from_b58", args: `["Il"]`, err: `op.bytes_from_b58: argument 1 is not valid base58: invalid base58 character 'I' at byte 0`},
		{fn: "op.bytes_from_b58", args: `[null]`, err: `op.bytes_from_b58: argument 1 must be a string, got null`},

		{fn: "op.sha256_string", args: `["hello"]`, ok: `"QmRN6wdp1S2A5EtjW9A3M1vKSBuQQGcgvuhoMUoEz4iiT5"`},
		{fn: "op.sha256_string", args: `[""]`, ok: `"QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n"`},
		{fn: "op.sha256_string", args: `["hello",false,false]`, ok: `"QmRN6wdp1S2A5EtjW9A3M1vKSBuQQGcgvuhoMUoEz4iiT5"`},
		{fn: "op.sha256_string", args: `["hello",[],null]`, ok: `"QmRN6wdp1S2A5EtjW9A3M1vKSBuQQGcgvuhoMUoEz4iiT5"`},
		{fn: "op.sha256_string", args: `["hello",true]`, ok: `"42TEXg1vFAbcJ65y7qdYG9iCPvYfy3NDdVLd75akX2P5"`},
		{fn: "op.sha256_string", args: `["hello",[true]]`, ok: `"42TEXg1vFAbcJ65y7qdYG9iCPvYfy3NDdVLd75akX2P5"`},
		{fn: "op.sha256_string", args: `["hello",[false],[true]]`, ok: `[18,32,44,242,77,186,95,176,163,14,38,232,59,42,197,185,226,158,27,22,30,92,31,167,66,94,115,4,51,98,147,139,152,36]`},
		{fn: "op.sha256_string", args: `["hello",true,true]`, ok: `[44,242,77,186,95,176,163,14,38,232,59,42,197,185,226,158,27,22,30,92,31,167,66,94,115,4,51,98,147,139,152,36]`},
		{fn: "op.sha256_string", args: `["hello","yes"]`, err: `op.sha256_string: argument 2 must be an optional boolean (true, false, [], [true], [false] or null), got "yes"`},
		{fn: "op.sha256_string", args: `["hello",false,[true,false]]`, err: `op.sha256_string: argument 3 must be an optional boolean (true, false, [], [true], [false] or null), got [true,false]`},
		{fn: "op.sha256_string", args: `["hello",[1]]`, err: `op.sha256_string: argument 2 must be an optional boolean (true, false, [], [true], [false] or null), got [1]`},
		{fn: "op.sha256_string", args: `[1]`, err: `op.sha256_string: argument 1 must be a string, got 1`},
		{fn: "op.sha256_string", args: `[]`, err: `op.sha256_string: expected 1 to 3 arguments, got 0`},
		{fn: "op.sha256_string", args: `["a",true,true,true]`, err: `op.sha256_string: expected 1 to 3 arguments, got 4`},
	})
}

func TestMath(t *testing.T) {
	run(t, []tcase{
		{fn: "math.add", args: `[1,2]`, ok: `3`},
		{fn: "math.add", args: `[-5,2]`, ok: `-3`},
		{fn: "math.add", args: `[-9223372036854775808,9223372036854775807]`, ok: `-1`},
		{fn: "math.add", args: `[9223372036854775807,1]`, err: `math.add: i64 overflow: 9223372036854775807 + 1`},
		{fn: "math.add", args: `[-9223372036854775808,-1]`, err: `math.add: i64 overflow: -9223372036854775808 + -1`},
		{fn: "math.add", args: `["x",1]`, err: `math.add: argument 1 must be an integer, got "x"`},
		{fn: "math.add", args: `[1,1.5]`, err: `math.add: argument 2 must be an integer, got 1.5`},
		{fn: "math.add", args: `[2.0,1]`, err: `math.add: argument 1 must be an integer, got 2.0`},
		{fn: "math.add", args: `[1e20,1]`, err: `math.add: argument 1 must be an integer, got 1e20`},
		{fn: "math.add", args: `[9223372036854775808,0]`, err: `math.add: argument 1 must be an integer between -9223372036854775808 and 9223372036854775807, got 9223372036854775808`},
		{fn: "math.add", args: `[[1],1]`, err: `math.add: argument 1 must be an integer, got [1]`},
		{fn: "math.add", args: `[1]`, err: `math.add: expected 2 arguments, got 1`},
		{fn: "math.add", args: `[1,2,3]`, err: `math.add: expected 2 arguments, got 3`},

		{fn: "math.sub", args: `[1,2]`, ok: `-1`},
		{fn: "math.sub", args: `[-1,-9223372036854775808]`, ok: `9223372036854775807`},
		{fn: "math.sub", args: `[-9223372036854775808,1]`, err: `math.sub: i64 overflow: -9223372036854775808 - 1`},
		{fn: "math.sub", args: `[0,-9223372036854775808]`, err: `math.sub: i64 overflow: 0 - -9223372036854775808`},
		{fn: "math.sub", args: `[true,1]`, err: `math.sub: argument 1 must be an integer, got true`},

		{fn: "math.mul", args: `[3,-4]`, ok: `-12`},
		{fn: "math.mul", args: `[0,-9223372036854775808]`, ok: `0`},
		{fn: "math.mul", args: `[-1,9223372036854775807]`, ok: `-9223372036854775807`},
		{fn: "math.mul", args: `[4611686018427387904,2]`, err: `math.mul: i64 overflow: 4611686018427387904 * 2`},
		{fn: "math.mul", args: `[-4611686018427387904,2]`, ok: `-9223372036854775808`},
		{fn: "math.mul", args: `[-1,-9223372036854775808]`, err: `math.mul: i64 overflow: -1 * -9223372036854775808`},
		{fn: "math.mul", args: `[-9223372036854775808,-1]`, err: `math.mul: i64 overflow: -9223372036854775808 * -1`},
		{fn: "math.mul", args: `[1,null]`, err: `math.mul: argument 2 must be an integer, got null`},

		{fn: "math.div", args: `[7,2]`, ok: `3`},
		{fn: "math.div", args: `[-7,2]`, ok: `-3`},
		{fn: "math.div", args: `[7,-2]`, ok: `-3`},
		{fn: "math.div", args: `[-7,-2]`, ok: `3`},
		{fn: "math.div", args: `[-9223372036854775808,1]`, ok: `-9223372036854775808`},
		{fn: "math.div", args: `[1,0]`, err: `math.div: division by zero`},
		{fn: "math.div", args: `[-9223372036854775808,-1]`, err: `math.div: i64 overflow: -9223372036854775808 / -1`},
		{fn: "math.div", args: `[1,"2"]`, err: `math.div: argument 2 must be an integer, got "2"`},

		{fn: "math.rem", args: `[7,2]`, ok: `1`},
		{fn: "math.rem", args: `[-7,2]`, ok: `-1`},
		{fn: "math.rem", args: `[7,-2]`, ok: `1`},
		{fn: "math.rem", args: `[-7,-2]`, ok: `-1`},
		{fn: "math.rem", args: `[1,0]`, err: `math.rem: division by zero`},
		{fn: "math.rem", args: `[-9223372036854775808,-1]`, err: `math.rem: i64 overflow: -9223372036854775808 % -1`},
		{fn: "math.rem", args: `[]`, err: `math.rem: expected 2 arguments, got 0`},

		{fn: "math.pow", args: `[2,10]`, ok: `1024`},
		{fn: "math.pow", args: `[0,0]`, ok: `1`},
		{fn: "math.pow", args: `[0,5]`, ok: `0`},
		{fn: "math.pow", args: `[-3,3]`, ok: `-27`},
		{fn: "math.pow", args: `[-2,63]`, ok: `-9223372036854775808`},
		{fn: "math.pow", args: `[3,39]`, ok: `4052555153018976267`},
		{fn: "math.pow", args: `[1,4294967295]`, ok: `1`},
		{fn: "math.pow", args: `[-1,4294967295]`, ok: `-1`},
		{fn: "math.pow", args: `[2,63]`, err: `math.pow: i64 overflow: 2 ** 63`},
		{fn: "math.pow", args: `[3,40]`, err: `math.pow: i64 overflow: 3 ** 40`},
		{fn: "math.pow", args: `[2,64]`, err: `math.pow: i64 overflow: 2 ** 64`},
		{fn: "math.pow", args: `[-2,64]`, err: `math.pow: i64 overflow: (-2) ** 64`},
		{fn: "math.pow", args: `[2,4294967295]`, err: `math.pow: i64 overflow: 2 ** 4294967295`},
		{fn: "math.pow", args: `[2,-1]`, err: `math.pow: argument 2 must be an integer between 0 and 4294967295, got -1`},
		{fn: "math.pow", args: `[2,4294967296]`, err: `math.pow: argument 2 must be an integer between 0 and 4294967295, got 4294967296`},
		{fn: "math.pow", args: `[2,2.0]`, err: `math.pow: argument 2 must be an integer between 0 and 4294967295, got 2.0`},
		{fn: "math.pow", args: `[2.5,2]`, err: `math.pow: argument 1 must be an integer, got 2.5`},
		{fn: "math.pow", args: `[2]`, err: `math.pow: expected 2 arguments, got 1`},

		{fn: "math.fmul", args: `[1.5,3]`, ok: `4`},
		{fn: "math.fmul", args: `[-1.5,3]`, ok: `-5`},
		{fn: "math.fmul", args: `[2,3]`, ok: `6`},
		{fn: "math.fmul", args: `[0.1,0.2]`, ok: `0`},
		{fn: "math.fmul", args: `[18446744073709551615,1]`, ok: `9223372036854775807`},
		{fn: "math.fmul", args: `[1e300,1e300]`, ok: `9223372036854775807`},
		{fn: "math.fmul", args: `[-1e300,1e300]`, ok: `-9223372036854775808`},
		{fn: "math.fmul", args: `["x",1]`, err: `math.fmul: argument 1 must be a number, got "x"`},
		{fn: "math.fmul", args: `[1,[2]]`, err: `math.fmul: argument 2 must be a number, got [2]`},
		{fn: "math.fmul", args: `[1,2,3]`, err: `math.fmul: expected 2 arguments, got 3`},

		{fn: "math.log", args: `[2,8]`, ok: `3`},
		{fn: "math.log", args: `[2,9]`, ok: `3`},
		{fn: "math.log", args: `[10,1]`, ok: `0`},
		{fn: "math.log", args: `[10,999]`, ok: `2`},
		{fn: "math.log", args: `[2,9223372036854775807]`, ok: `62`},
		{fn: "math.log", args: `[9223372036854775807,9223372036854775807]`, ok: `1`},
		{fn: "math.log", args: `[1,8]`, err: `math.log: logarithm of 8 to base 1 is undefined (the base must be at least 2 and the number at least 1)`},
		{fn: "math.log", args: `[2,0]`, err: `math.log: logarithm of 0 to base 2 is undefined (the base must be at least 2 and the number at least 1)`},
		{fn: "math.log", args: `[-2,-8]`, err: `math.log: logarithm of -8 to base -2 is undefined (the base must be at least 2 and the number at least 1)`},
		{fn: "math.log", args: `[2,8.0]`, err: `math.log: argument 2 must be an integer, got 8.0`},
	})
}

func TestCmp(t *testing.T) {
	run(t, []tcase{
		{fn: "cmp.gt", args: `[2,1]`, ok: `true`},
		{fn: "cmp.gt", args: `[1,1]`, ok: `false`},
		{fn: "cmp.gte", args: `[1,1]`, ok: `true`},
		{fn: "cmp.gte", args: `[0,1]`, ok: `false`},
		{fn: "cmp.lt", args: `[-9223372036854775808,9223372036854775807]`, ok: `true`},
		{fn: "cmp.lt", args: `[1,1]`, ok: `false`},
		{fn: "cmp.lte", args: `[1,1]`, ok: `true`},
		{fn: "cmp.lte", args: `[2,1]`, ok: `false`},
		{fn: "cmp.cmp", args: `[1,2]`, ok: `-1`},
		{fn: "cmp.cmp", args: `[2,2]`, ok: `0`},
		{fn: "cmp.cmp", args: `[3,2]`, ok: `1`},
		{fn: "cmp.gt", args: `["a",1]`, err: `cmp.gt: argument 1 must be an integer, got "a"`},
		{fn: "cmp.gte", args: `[1,0.5]`, err: `cmp.gte: argument 2 must be an integer, got 0.5`},
		{fn: "cmp.lt", args: `[1]`, err: `cmp.lt: expected 2 arguments, got 1`},
		{fn: "cmp.lte", args: `[{},1]`, err: `cmp.lte: argument 1 must be an integer, got {}`},
		{fn: "cmp.cmp", args: `[1,2,3]`, err: `cmp.cmp: expected 2 arguments, got 3`},
	})
}

func TestArray(t *testing.T) {
	run(t, []tcase{
		{fn: "array.sum", args: `[[1,2,3]]`, ok: `6`},
		{fn: "array.sum", args: `[[]]`, ok: `0`},
		{fn: "array.sum", args: `[[-5,2]]`, ok: `-3`},
		{fn: "array.sum", args: `[[9223372036854775807,-1,1]]`, ok: `9223372036854775807`},
		{fn: "array.sum", args: `[[9223372036854775807,1]]`, err: `array.sum: i64 overflow: adding element 1 (1) to 9223372036854775807`},
		{fn: "array.sum", args: `[[1,"x"]]`, err: `array.sum: argument 1[1] must be an integer, got "x"`},
		{fn: "array.sum", args: `[[1,1.5]]`, err: `array.sum: argument 1[1] must be an integer, got 1.5`},
		{fn: "array.sum", args: `[1]`, err: `array.sum: argument 1 must be an array, got 1`},
		{fn: "array.sum", args: `[[1],[2]]`, err: `array.sum: expected 1 argument, got 2`},

		{fn: "array.dedup", args: `[["b","a","b","c","a"]]`, ok: `["b","a","c"]`},
		{fn: "array.dedup", args: `[[]]`, ok: `[]`},
		{fn: "array.dedup", args: `[["a",1]]`, err: `array.dedup: argument 1[1] must be a string, got 1`},
		{fn: "array.dedup", args: `["a"]`, err: `array.dedup: argument 1 must be an array, got "a"`},
		{fn: "array.dedup", args: `[]`, err: `array.dedup: expected 1 argument, got 0`},

		{fn: "array.intersect", args: `[["a","b","c","b"],["d","c","b","b"]]`, ok: `["b","c"]`},
		{fn: "array.intersect", args: `[[],["a"]]`, ok: `[]`},
		{fn: "array.diff", args: `[["a","b","a","c"],["c","d"]]`, ok: `["a","b"]`},
		{fn: "array.diff", args: `[["a"],[]]`, ok: `["a"]`},
		{fn: "array.sdiff", args: `[["a","b","a","c"],["d","c","e","d"]]`, ok: `["a","b","d","e"]`},
		{fn: "array.sdiff", args: `[["a"],["a"]]`, ok: `[]`},
		{fn: "array.intersect", args: `[["a"],[1]]`, err: `array.intersect: argument 2[0] must be a string, got 1`},
		{fn: "array.diff", args: `[{},[]]`, err: `array.diff: argument 1 must be an array, got {}`},
		{fn: "array.sdiff", args: `[["a"]]`, err: `array.sdiff: expected 2 arguments, got 1`},

		{fn: "array.slice", args: `[[1,2,3],1,3]`, ok: `[2,3]`},
		{fn: "array.slice", args: `[[1,2,3],1,1]`, ok: `[]`},
		{fn: "array.slice", args: `[[],5,9]`, ok: `[]`},
		{fn: "array.slice", args: `[[1,2,3],2,1]`, err: `array.slice: slice bounds out of range: start 2, end 1, array length 3`},
		{fn: "array.slice", args: `[[1,2,3],0,4]`, err: `array.slice: slice bounds out of range: start 0, end 4, array length 3`},
		{fn: "array.slice", args: `[[1],-1,1]`, err: `array.slice: argument 2 must be an integer between 0 and 18446744073709551615, got -1`},
		{fn: "array.slice", args: `[[1],0,"1"]`, err: `array.slice: argument 3 must be an integer between 0 and 18446744073709551615, got "1"`},
		{fn: "array.slice", args: `["abc",0,1]`, err: `array.slice: argument 1 must be an array, got "abc"`},
		{fn: "array.slice", args: `[[1],0]`, err: `array.slice: expected 3 arguments, got 2`},

		{fn: "array.length", args: `[[1,2]]`, ok: `2`},
		{fn: "array.length", args: `[1]`, err: `array.length: argument 1 must be an array, got 1`},
	})
}

func TestJSON(t *testing.T) {
	run(t, []tcase{
		{fn: "json.obj", args: `[]`, ok: `{}`},
		{fn: "json.obj", args: `["b",1,"a",[2.5]]`, ok: `{"a":[2.5],"b":1}`},
		{fn: "json.obj", args: `["a",1,"a",2]`, ok: `{"a":2}`},
		{fn: "json.obj", args: `["a"]`, err: `json.obj: expected an even number of arguments (key, value, …), got 1`},
		{fn: "json.obj", args: `["a",1,2,3]`, err: `json.obj: argument 3 must be a string (a key), got 2`},

		{fn: "json.put", args: `[{"a":1},"b",2]`, ok: `{"a":1,"b":2}`},
		{fn: "json.put", args: `[{"a":1,"c":3},"a",[3]]`, ok: `{"a":[3],"c":3}`},
		{fn: "json.put", args: `[{},"",null]`, ok: `{"":null}`},
		{fn: "json.put", args: `[[1],"a",1]`, err: `json.put: argument 1 must be an object, got [1]`},
		{fn: "json.put", args: `[{},1,1]`, err: `json.put: argument 2 must be a string, got 1`},
		{fn: "json.put", args: `[{},"a"]`, err: `json.put: expected 3 arguments, got 2`},

		{fn: "json.puts", args: `[{"a":1}]`, ok: `{"a":1}`},
		{fn: "json.puts", args: `[{"a":1},"b",2,"a",3]`, ok: `{"a":3,"b":2}`},
		{fn: "json.puts", args: `[{},"x",1,"x",2]`, ok: `{"x":2}`},
		{fn: "json.puts", args: `[{"a":1},"b"]`, err: `json.puts: expected an odd number of arguments (object, key, value, …), got 2`},
		{fn: "json.puts", args: `[]`, err: `json.puts: expected an odd number of arguments (object, key, value, …), got 0`},
		{fn: "json.puts", args: `[1,"a",1]`, err: `json.puts: argument 1 must be an object, got 1`},
		{fn: "json.puts", args: `[{},"a",1,false,2]`, err: `json.puts: argument 4 must be a string (a key), got false`},

		{fn: "json.parse", args: `["{\"b\":1,\"a\":[1.0,-0,-2]}"]`, ok: `{"a":[1.0,-0.0,-2],"b":1}`},
		{fn: "json.parse", args: `["\"s\""]`, ok: `"s"`},
		{fn: "json.parse", args: `[" 7 "]`, ok: `7`},
		{fn: "json.parse", args: `[""]`, err: `json.parse: argument 1 is not valid JSON: EOF while parsing a value at line 1 column 0`},
		{fn: "json.parse", args: `["[1,]"]`, err: `json.parse: argument 1 is not valid JSON: expected value at line 1 column 4`},
		{fn: "json.parse", args: `[{}]`, err: `json.parse: argument 1 must be a string, got {}`},
		{fn: "json.parse", args: `["1","2"]`, err: `json.parse: expected 1 argument, got 2`},

		{fn: "json.stringify", args: `[{"b":[1,2.5],"a":"x\n"}]`, ok: `"{\"a\":\"x\\n\",\"b\":[1,2.5]}"`},
		{fn: "json.stringify", args: `["s"]`, ok: `"\"s\""`},
		{fn: "json.stringify", args: `[null]`, ok: `"null"`},
		{fn: "json.stringify", args: `[]`, err: `json.stringify: expected 1 argument, got 0`},
		{fn: "json.stringify", args: `[1,2]`, err: `json.stringify: expected 1 argument, got 2`},

		{fn: "json.obj_pairs", args: `[[["b",1],["a",2]]]`, ok: `{"a":2,"b":1}`},
		{fn: "json.obj_pairs", args: `[[["a",1],["a",{}]]]`, ok: `{"a":{}}`},
		{fn: "json.obj_pairs", args: `[[]]`, ok: `{}`},
		{fn: "json.obj_pairs", args: `[[["a"]]]`, err: `json.obj_pairs: argument 1[0] must be a [key, value] pair, got ["a"]`},
		{fn: "json.obj_pairs", args: `[[["a",1],"x"]]`, err: `json.obj_pairs: argument 1[1] must be a [key, value] pair, got "x"`},
		{fn: "json.obj_pairs", args: `[[[1,2]]]`, err: `json.obj_pairs: argument 1[0][0] must be a string, got 1`},
		{fn: "json.obj_pairs", args: `[{}]`, err: `json.obj_pairs: argument 1 must be an array, got {}`},
		{fn: "json.obj_pairs", args: `[]`, err: `json.obj_pairs: expected 1 argument, got 0`},

		{fn: "json.puts_pairs", args: `[{"a":1},[["b",2],["a",3]]]`, ok: `{"a":3,"b":2}`},
		{fn: "json.puts_pairs", args: `[{"a":1},[]]`, ok: `{"a":1}`},
		{fn: "json.puts_pairs", args: `[[],[]]`, err: `json.puts_pairs: argument 1 must be an object, got []`},
		{fn: "json.puts_pairs", args: `[{},{}]`, err: `json.puts_pairs: argument 2 must be an array, got {}`},
		{fn: "json.puts_pairs", args: `[{},[["k",1,2]]]`, err: `json.puts_pairs: argument 2[0] must be a [key, value] pair, got ["k",1,2]`},
		{fn: "json.puts_pairs", args: `[{}]`, err: `json.puts_pairs: expected 2 arguments, got 1`},
	})
}

func TestDebugAndPeer(t *testing.T) {
	run(t, []tcase{
		{fn: "debug.stringify", args: `[]`, ok: `"\"<empty argument list>\""`},
		{fn: "debug.stringify", args: `[{"b":1,"a":1.0}]`, ok: `"{\"a\":1.0,\"b\":1}"`},
		{fn: "debug.stringify", args: `["x"]`, ok: `"\"x\""`},
		{fn: "debug.stringify", args: `[1,"x",null]`, ok: `"[1,\"x\",null]"`},

		{fn: "peer.timestamp_ms", args: `[]`, ok: `1700000000123`},
		{fn: "peer.timestamp_sec", args: `[]`, ok: `1700000000`},
		{fn: "peer.timestamp_ms", args: `[1]`, err: `peer.timestamp_ms: expected no arguments, got 1`},
		{fn: "peer.timestamp_sec", args: `[[]]`, err: `peer.timestamp_sec: expected no arguments, got 1`},
	})
}

func TestDefaultClockAndPreEpoch(t *testing.T) {
	r := NewRegistry()
	RegisterPure(r, WithClock(nil)) // nil keeps time.Now
	before := uint64(time.Now().UnixMilli())
	got := callJSON(t, r, "peer", "timestamp_ms", `[]`)
	after := uint64(time.Now().UnixMilli())
	v, err := jsonv.ParseString(got.Result)
	ms, ok := v.Uint64()
	if err != nil || !ok || ms < before || ms > after {
		t.Fatalf("timestamp_ms = %+v, want within [%d, %d]", got, before, after)
	}

	r = NewRegistry()
	RegisterPure(r, WithClock(func() time.Time { return time.UnixMilli(-5000) }))
	if got := callJSON(t, r, "peer", "timestamp_sec", `[]`); got.Result != "0" {
		t.Errorf("pre-epoch timestamp_sec = %+v, want 0", got)
	}
}

// nested returns n levels of arrays around 0.
func nested(n int) jsonv.Value {
	v := jsonv.UintValue(0)
	for range n {
		v = jsonv.ArrayValue(v)
	}
	return v
}

func TestResultDepthLimit(t *testing.T) {
	r := newTestRegistry()
	ctx := context.Background()
	deep := nested(jsonv.MaxDepth) // the deepest value that still parses

	cases := []struct {
		fn   string
		args []jsonv.Value
	}{
		{"op.array", []jsonv.Value{deep}},
		{"json.obj", []jsonv.Value{jsonv.StringValue("k"), deep}},
		{"json.put", []jsonv.Value{jsonv.ObjectValue(), jsonv.StringValue("k"), deep}},
		{"json.puts", []jsonv.Value{jsonv.ObjectValue(), jsonv.StringValue("k"), deep}},
	}
	for _, tc := range cases {
		service, function, _ := strings.Cut(tc.fn, ".")
		got := r.Call(ctx, &Call{Service: service, Function: function, Args: tc.args})
		want := aqua.Fail(1, tc.fn+": result nests arrays and objects deeper than 127 levels")
		if got != want {
			t.Errorf("%s: got %+v, want %+v", tc.fn, got, want)
		}
	}

	// One level less is fine and parses back.
	got := r.Call(ctx, &Call{Service: "op", Function: "array", Args: []jsonv.Value{nested(jsonv.MaxDepth - 1)}})
	if got.RetCode != 0 {
		t.Fatalf("op.array at the limit failed: %+v", got)
	}
	if _, err := jsonv.ParseString(got.Result); err != nil {
		t.Fatalf("op.array result at the limit does not parse: %v", err)
	}
}

func TestLongValuesAreCutInMessages(t *testing.T) {
	r := newTestRegistry()
	long := strings.Repeat("é", 200) // 400 bytes of two-byte characters
	got := r.Call(context.Background(), &Call{Service: "math", Function: "add",
		Args: []jsonv.Value{jsonv.StringValue(long), jsonv.UintValue(1)}})
	// The quote plus 49 characters is 99 bytes; the next character would pass maxShown.
	want := aqua.Fail(1, `math.add: argument 1 must be an integer, got "`+strings.Repeat("é", 49)+"…")
	if got != want {
		t.Errorf("got %s\nwant %s", got.Result, want.Result)
	}
}

func TestAllDocumentedFunctionsRegistered(t *testing.T) {
	r := newTestRegistry()
	want := map[string][]string{
		"array": {"dedup", "diff", "intersect", "length", "sdiff", "slice", "sum"},
		"cmp":   {"cmp", "gt", "gte", "lt", "lte"},
		"debug": {"stringify"},
		"json":  {"obj", "obj_pairs", "parse", "put", "puts", "puts_pairs", "stringify"},
		"math":  {"add", "div", "fmul", "log", "mul", "pow", "rem", "sub"},
		"op": {"array", "array_length", "bytes_from_b58", "bytes_to_b58", "concat", "concat_strings",
			"identity", "noop", "sha256_string", "string_from_b58", "string_to_b58"},
		"peer": {"timestamp_ms", "timestamp_sec"},
	}
	services := r.Services()
	if strings.Join(services, ",") != "array,cmp,debug,json,math,op,peer" {
		t.Fatalf("Services() = %v", services)
	}
	for s, fns := range want {
		if got := r.Functions(s); strings.Join(got, ",") != strings.Join(fns, ",") {
			t.Errorf("Functions(%q) = %v, want %v", s, got, fns)
		}
	}
}

func TestLimitsAndLateArguments(t *testing.T) {
	r := newTestRegistry()
	ctx := context.Background()
	call := func(service, function string, args ...jsonv.Value) aqua.CallResult {
		return r.Call(ctx, &Call{Service: service, Function: function, Args: args})
	}
	check := func(got aqua.CallResult, wantErr string) {
		t.Helper()
		if want := aqua.Fail(1, wantErr); got != want {
			t.Errorf("got %.200s\nwant %s", got.Result, want.Result)
		}
	}

	big := strings.Repeat("a", maxBase58Bytes+1)
	check(call("op", "string_to_b58", jsonv.StringValue(big)),
		"op.string_to_b58: input too large for base58 (262145 bytes, limit 262144)")
	bytes := make([]jsonv.Value, maxBase58Bytes+1)
	for i := range bytes {
		bytes[i] = jsonv.UintValue(1)
	}
	check(call("op", "bytes_to_b58", jsonv.ArrayValue(bytes...)),
		"op.bytes_to_b58: input too large for base58 (262145 bytes, limit 262144)")
	check(call("op", "bytes_from_b58", jsonv.StringValue(strings.Repeat("2", maxBase58Text+1))),
		"op.bytes_from_b58: argument 1 is not valid base58: base58 text too long (358090 bytes, limit 358089)")

	// Argument numbers past the precomputed paths.
	args := make([]jsonv.Value, 20)
	for i := range args {
		args[i] = jsonv.StringValue("s")
	}
	args[18] = jsonv.NullValue()
	check(call("op", "concat_strings", args...), "op.concat_strings: argument 19 must be a string, got null")

	// Objects count towards the nesting limit too.
	deepObj := jsonv.UintValue(0)
	for range jsonv.MaxDepth {
		deepObj = jsonv.ObjectValue(jsonv.Member{Key: "k", Value: deepObj})
	}
	check(call("json", "put", jsonv.ObjectValue(), jsonv.StringValue("k"), deepObj),
		"json.put: result nests arrays and objects deeper than 127 levels")
}

func TestSaturateI64(t *testing.T) {
	tests := []struct {
		in   float64
		want int64
	}{
		{math.NaN(), 0},
		{math.Inf(1), math.MaxInt64},
		{math.Inf(-1), math.MinInt64},
		{1 << 63, math.MaxInt64},
		{-(1 << 63), math.MinInt64},
		{-5, -5},
	}
	for _, tt := range tests {
		if got := saturateI64(tt.in); got != tt.want {
			t.Errorf("saturateI64(%v) = %d, want %d", tt.in, got, tt.want)
		}
	}
}
