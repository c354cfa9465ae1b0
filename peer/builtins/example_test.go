package builtins_test

import (
	"context"
	"fmt"
	"time"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/peer/builtins"
)

func Example() {
	r := builtins.NewRegistry()
	builtins.RegisterPure(r, builtins.WithClock(func() time.Time { return time.UnixMilli(1700000000123) }))
	// A host-specific service sits next to the builtins.
	r.Register("getDataSrv", "-relay-", func(context.Context, *builtins.Call) aqua.CallResult {
		return aqua.Ok(jsonv.StringValue("12D3KooWRelay"))
	})

	p := builtins.Particle{InitPeerID: "12D3KooWInit", CurrentPeerID: "12D3KooWInit", ParticleID: "p1"}
	ctx := context.Background()
	for _, req := range []aqua.CallRequest{
		{ID: 1, Service: "math", Function: "add", Args: []jsonv.Value{jsonv.IntValue(2), jsonv.IntValue(40)}},
		{ID: 2, Service: "math", Function: "add", Args: []jsonv.Value{jsonv.StringValue("x"), jsonv.IntValue(1)}},
		{ID: 3, Service: "peer", Function: "timestamp_sec"},
		{ID: 4, Service: "getDataSrv", Function: "-relay-"},
		{ID: 5, Service: "nope", Function: "f", Args: []jsonv.Value{jsonv.BoolValue(true)}},
	} {
		res := r.Call(ctx, builtins.NewCall(req, p))
		fmt.Println(req.ID, res.RetCode, res.Result)
	}
	// Output:
	// 1 0 42
	// 2 1 "math.add: argument 1 must be an integer, got \"x\""
	// 3 0 1700000000
	// 4 0 "12D3KooWRelay"
	// 5 1 "No service found for service call: serviceId='nope', fnName='f' args='[true]'"
}
