// Package builtins holds the host side of service calls: a Registry that maps
// (service, function) to handlers, and the pure builtin services of a Fluence peer
// (reference-node.md §3), which the single-peer runner and the node share.
//
// A host turns each aqua.CallRequest into a Call (NewCall) and answers with
// Registry.Call's aqua.CallResult. RegisterPure adds:
//
//	op     noop identity array array_length concat concat_strings
//	       string_to_b58 string_from_b58 bytes_to_b58 bytes_from_b58 sha256_string
//	math   add sub mul div rem pow log fmul
//	cmp    gt gte lt lte cmp
//	array  sum dedup intersect diff sdiff slice length
//	json   obj put puts parse stringify obj_pairs puts_pairs
//	debug  stringify
//	peer   timestamp_ms timestamp_sec (clock injectable with WithClock)
//
// # Results
//
// A success is ret code 0 with the canonical (serde-compatible, sorted-key, compact)
// JSON text of the value. Functions that return nothing in nox (op.noop, op.identity
// without an argument) return the JSON string "", as nox's empty outcome does. A failure
// is ret code 1 with a JSON string message "<service>.<function>: <what went wrong>"
// (aqua.Fail), which AquaVM embeds verbatim in the catchable error. An unknown service or
// function gives the Fluence JS client's text:
//
//	No service found for service call: serviceId='<s>', fnName='<f>' args='<JSON array>'
//
// # Arguments
//
// Argument counts are checked (op.noop alone accepts and ignores any arguments). Type
// errors name the argument, 1-based, with 0-based element indexes as in an AIR lens, the
// expected type and the offending value's JSON text (cut at 100 bytes):
//
//	math.add: argument 1 must be an integer, got "x"
//	array.sum: argument 1[2] must be an integer, got 1.5
//	json.obj_pairs: argument 1[0][0] must be a string, got 1
//	math.add: expected 2 arguments, got 3
//
// Integer parameters (i64, u32, u8) take JSON integers only: 1.5 and also 2.0 are
// rejected, as serde's integer deserialisation in nox rejects them; values outside the
// type's range are rejected with the range in the message. f64 parameters take any
// number. Optional parameters (Aqua ?T) take T, [T], [], null or nothing.
//
// # Semantics worth knowing
//
//   - math: add/sub/mul/div/rem/pow fail on i64 overflow ("i64 overflow: 2 ** 63");
//     div truncates toward zero and rem takes the sign of the dividend (Rust and Go);
//     div and rem by zero fail, and so do MinInt64 / -1 and MinInt64 % -1 (Rust's
//     checked_div/checked_rem). log(base, x) is the integer logarithm (largest n with
//     base^n <= x) and needs base >= 2 and x >= 1. fmul is floor(x*y) converted like
//     Rust's `as`: saturating at the i64 bounds.
//   - array: dedup keeps first occurrences in order. intersect, diff and sdiff are set
//     operations, so their results are deduplicated; unlike nox (hash-set order) the
//     order is deterministic: elements of the first array in first-occurrence order, then
//     (sdiff only) those of the second.
//   - json: a repeated key keeps its last value; objects come out with sorted keys.
//     json.stringify and debug.stringify return the canonical JSON text as a string;
//     debug.stringify of several arguments stringifies their array, and of none returns
//     the text "<empty argument list>" with its quotes, as nox and the JS client do.
//   - op.sha256_string(s, digest_only?, as_bytes?) hashes the UTF-8 bytes of s and returns
//     base58 of the sha2-256 multihash 0x12 0x20 ‖ digest, or of the bare digest with
//     digest_only, or an array of byte numbers with as_bytes.
//   - base58 uses the Bitcoin alphabet; inputs are limited to 256 KiB of data (the codec
//     is subquadratic, but unbounded input would still pin a CPU).
//   - Results that would nest arrays and objects deeper than jsonv.MaxDepth (op.array,
//     json.obj, json.put, json.puts of the deepest parseable values) fail instead, so
//     every successful result of parseable arguments parses back.
//
// Handlers never panic on any input; Registry.Call also turns a panicking handler into an
// "internal error" result.
package builtins
