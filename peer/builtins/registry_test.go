package builtins

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/jsonv"
)

func TestCallUnknown(t *testing.T) {
	r := newTestRegistry()
	ctx := context.Background()
	tests := []struct {
		call *Call
		want string
	}{
		{
			&Call{Service: "nope", Function: "f"},
			`No service found for service call: serviceId='nope', fnName='f' args='[]'`,
		},
		{
			&Call{Service: "op", Function: "nope", Args: []jsonv.Value{jsonv.UintValue(1), jsonv.MustParse(`{"b":"x","a":[1.0]}`)}},
			`No service found for service call: serviceId='op', fnName='nope' args='[1,{"a":[1.0],"b":"x"}]'`,
		},
		{
			nil,
			`No service found for service call: serviceId='', fnName='' args='[]'`,
		},
	}
	for _, tt := range tests {
		got := r.Call(ctx, tt.call)
		if want := aqua.Fail(1, tt.want); got != want {
			t.Errorf("got %+v\nwant %+v", got, want)
		}
	}
	// The message is a JSON string, as the JS client sends it.
	got := r.Call(ctx, tests[0].call)
	if got.Result != `"No service found for service call: serviceId='nope', fnName='f' args='[]'"` {
		t.Errorf("raw result = %s", got.Result)
	}
}

func TestRegisterLookupReplace(t *testing.T) {
	r := NewRegistry()
	if _, ok := r.Lookup("s", "f"); ok {
		t.Fatal("Lookup on empty registry succeeded")
	}
	if got := r.Services(); len(got) != 0 {
		t.Fatalf("Services() = %v", got)
	}
	if got := r.Functions("s"); got != nil {
		t.Fatalf("Functions(unknown) = %v", got)
	}
	mk := func(s string) Func {
		return func(context.Context, *Call) aqua.CallResult { return aqua.Ok(jsonv.StringValue(s)) }
	}
	r.Register("s", "f", mk("one"))
	r.Register("s", "g", mk("g"))
	r.Register("a", "f", mk("a"))
	r.Register("s", "f", mk("two")) // replaces
	if got := r.Call(context.Background(), &Call{Service: "s", Function: "f"}); got.Result != `"two"` {
		t.Errorf("replaced handler not used: %+v", got)
	}
	if got := strings.Join(r.Services(), ","); got != "a,s" {
		t.Errorf("Services() = %s", got)
	}
	if got := strings.Join(r.Functions("s"), ","); got != "f,g" {
		t.Errorf("Functions(s) = %s", got)
	}
}

func TestRegisterNilPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Register with a nil Func did not panic")
		}
	}()
	NewRegistry().Register("s", "f", nil)
}

func TestCallRecoversPanics(t *testing.T) {
	r := NewRegistry()
	r.Register("bad", "f", func(context.Context, *Call) aqua.CallResult { panic("boom") })
	got := r.Call(context.Background(), &Call{Service: "bad", Function: "f"})
	if want := aqua.Fail(1, "bad.f: internal error: boom"); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestCallPassesContextAndCall(t *testing.T) {
	type key struct{}
	r := NewRegistry()
	var seen *Call
	var val any
	r.Register("s", "f", func(ctx context.Context, c *Call) aqua.CallResult {
		seen, val = c, ctx.Value(key{})
		return aqua.Ok(jsonv.NullValue())
	})
	req := aqua.CallRequest{ID: 7, Service: "s", Function: "f",
		Args:       []jsonv.Value{jsonv.UintValue(1)},
		Tetraplets: [][]aqua.Tetraplet{{{PeerPK: "peer", ServiceID: "svc", FunctionName: "fn", Lens: ".$.a"}}}}
	p := Particle{InitPeerID: "init", CurrentPeerID: "cur", ParticleID: "pid", Timestamp: 5, TTL: 6}
	c := NewCall(req, p)
	r.Call(context.WithValue(context.Background(), key{}, "v"), c)
	if seen != c || val != "v" {
		t.Fatalf("handler saw call %p ctx value %v", seen, val)
	}
	if c.Particle != p || len(c.Args) != 1 || c.Tetraplets[0][0].Lens != ".$.a" {
		t.Errorf("NewCall lost fields: %+v", c)
	}
}

func TestRegistryConcurrent(t *testing.T) {
	r := newTestRegistry()
	ctx := context.Background()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				switch i % 4 {
				case 0:
					r.Register(fmt.Sprintf("svc%d", g), "f", func(context.Context, *Call) aqua.CallResult { return aqua.Ok(jsonv.NullValue()) })
				case 1:
					got := r.Call(ctx, &Call{Service: "math", Function: "add", Args: []jsonv.Value{jsonv.IntValue(int64(i)), jsonv.IntValue(1)}})
					if got.Result != fmt.Sprint(i+1) {
						t.Errorf("math.add(%d, 1) = %+v", i, got)
					}
				case 2:
					r.Services()
					r.Functions("op")
				case 3:
					r.Lookup("svc0", "f")
				}
			}
		}()
	}
	wg.Wait()
}
