package builtins

import (
	"context"
	"testing"

	"github.com/reefhq/reef/aqua/jsonv"
)

// The benchmarks go through Registry.Call: lookup, argument checks, the operation and
// the serialisation of the result.

func benchCall(b *testing.B, service, function string, args ...jsonv.Value) {
	r := newTestRegistry()
	ctx := context.Background()
	c := &Call{Service: service, Function: function, Args: args}
	if res := r.Call(ctx, c); res.RetCode != 0 {
		b.Fatalf("%s.%s failed: %s", service, function, res.Result)
	}
	b.ReportAllocs()
	for b.Loop() {
		r.Call(ctx, c)
	}
}

func BenchmarkOpIdentity(b *testing.B) {
	benchCall(b, "op", "identity", jsonv.MustParse(`{"peer_id":"12D3KooWJbJFaZ3k5sNd8DjQgg3aERoKtBAnirEvPV8yp76kEXHB","ok":true,"n":42}`))
}

func BenchmarkOpIdentityString(b *testing.B) {
	benchCall(b, "op", "identity", jsonv.StringValue("12D3KooWJbJFaZ3k5sNd8DjQgg3aERoKtBAnirEvPV8yp76kEXHB"))
}

func BenchmarkMathAdd(b *testing.B) {
	benchCall(b, "math", "add", jsonv.IntValue(123456), jsonv.IntValue(-789))
}

func BenchmarkJSONObj(b *testing.B) {
	benchCall(b, "json", "obj",
		jsonv.StringValue("name"), jsonv.StringValue("reef"),
		jsonv.StringValue("count"), jsonv.UintValue(3),
		jsonv.StringValue("tags"), jsonv.MustParse(`["a","b"]`),
		jsonv.StringValue("ok"), jsonv.BoolValue(true))
}

func BenchmarkUnknownService(b *testing.B) {
	r := newTestRegistry()
	ctx := context.Background()
	c := &Call{Service: "nope", Function: "f", Args: []jsonv.Value{jsonv.UintValue(1)}}
	b.ReportAllocs()
	for b.Loop() {
		r.Call(ctx, c)
	}
}
