package wasm_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/wasm"
)

// A service made of the C example guest: one JSON call, one guest error and one call
// that runs past its deadline.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "wasm-cache")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	rt, err := wasm.New(ctx, wasm.WithCacheDir(dir), wasm.WithCallTimeout(100*time.Millisecond))
	if err != nil {
		log.Fatal(err)
	}
	defer rt.Close(ctx)

	bin, err := os.ReadFile("testdata/guests/chaosc/chaosc.wasm")
	if err != nil {
		log.Fatal(err)
	}
	mod, err := rt.Compile(ctx, bin)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(mod.Kind, mod.Functions)

	svc, err := rt.NewService(mod, wasm.WithName("chaos"))
	if err != nil {
		log.Fatal(err)
	}
	defer svc.Close(ctx)

	res, err := wasm.CallJSON(ctx, svc, "echo", []jsonv.Value{jsonv.StringValue("hi"), jsonv.UintValue(42)})
	fmt.Println(res, err)

	_, err = svc.Call(ctx, "fail", nil)
	var ce *wasm.CallError
	if errors.As(err, &ce) {
		fmt.Println(ce.Kind, ce.Message)
	}
	_, err = svc.Call(ctx, "spin", nil)
	if errors.As(err, &ce) {
		fmt.Println(ce.Kind, ce.Message)
	}
	// Output:
	// extism [busy echo empty fail hog kalloc print raw spin trap]
	// ["hi",42] <nil>
	// guest chaosc: failure requested
	// timeout the call ran past its deadline of 100ms
}
