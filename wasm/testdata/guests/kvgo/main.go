// Command kvgo is a stateful Extism plug-in written with the Extism Go PDK. Reef's Wasm
// runtime tests (package wasm) call it; it is built by ../../build.sh with the standard Go
// toolchain:
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o kvgo.wasm .
//
// Every export follows Reef's calling convention: the input is the JSON array of the AIR
// call's arguments and the output is one JSON value. State (the counter, the key-value
// store) lives in the instance's memory, so it persists across calls on one instance and
// is not shared between the instances of a service's pool.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/extism/go-pdk"
)

// version is what the version export returns. Hot-redeploy tests change it with
//
//	go build -ldflags "-X main.version=2" ...
var version = "1"

var (
	counter int64
	store   = map[string]json.RawMessage{}
	ballast [][]byte
)

func main() {}

// args decodes the input (a JSON array) into the given pointers, one per element.
func args(dst ...any) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(pdk.Input(), &raw); err != nil {
		return fmt.Errorf("input is not a JSON array: %w", err)
	}
	if len(raw) < len(dst) {
		return fmt.Errorf("want %d arguments, got %d", len(dst), len(raw))
	}
	for i, d := range dst {
		if err := json.Unmarshal(raw[i], d); err != nil {
			return fmt.Errorf("argument %d: %w", i, err)
		}
	}
	return nil
}

func fail(err error) int32 {
	pdk.SetError(err)
	return 1
}

func output(v any) int32 {
	if err := pdk.OutputJSON(v); err != nil {
		return fail(err)
	}
	return 0
}

// greet(name string) -> "Hello, <name>!"
//
//go:wasmexport greet
func greet() int32 {
	var name string
	if err := args(&name); err != nil {
		return fail(err)
	}
	return output("Hello, " + name + "!")
}

// add(a, b int) -> a + b
//
//go:wasmexport add
func add() int32 {
	var a, b int64
	if err := args(&a, &b); err != nil {
		return fail(err)
	}
	return output(a + b)
}

// incr([n int]) -> the counter after adding n (default 1).
//
//go:wasmexport incr
func incr() int32 {
	var raw []int64
	if err := json.Unmarshal(pdk.Input(), &raw); err != nil {
		return fail(err)
	}
	n := int64(1)
	if len(raw) > 0 {
		n = raw[0]
	}
	counter += n
	return output(counter)
}

// get(key string) -> the stored value, or null.
//
//go:wasmexport get
func get() int32 {
	var key string
	if err := args(&key); err != nil {
		return fail(err)
	}
	v, ok := store[key]
	if !ok {
		return output(nil)
	}
	return output(v)
}

// put(key string, value any) -> the previous value, or null.
//
//go:wasmexport put
func put() int32 {
	var key string
	var value json.RawMessage
	if err := args(&key, &value); err != nil {
		return fail(err)
	}
	prev, ok := store[key]
	store[key] = value
	if !ok {
		return output(nil)
	}
	return output(prev)
}

// keys() -> the stored keys, sorted.
//
//go:wasmexport keys
func keys() int32 {
	ks := make([]string, 0, len(store))
	for k := range store {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return output(ks)
}

// version() -> the build's version string.
//
//go:wasmexport version
func versionFn() int32 { return output(version) }

// echo(...) -> the input, byte for byte.
//
//go:wasmexport echo
func echo() int32 {
	pdk.Output(pdk.Input())
	return 0
}

// raw() -> a plain-text output that is not JSON.
//
//go:wasmexport raw
func raw() int32 {
	pdk.OutputString("plain text, not JSON")
	return 0
}

// fail(msg string) -> an Extism error with the message.
//
//go:wasmexport fail
func failFn() int32 {
	var msg string
	if err := args(&msg); err != nil {
		return fail(err)
	}
	return fail(errors.New("kvgo: " + msg))
}

// config(key string) -> the service's config value (config_get), or null.
//
//go:wasmexport config
func config() int32 {
	var key string
	if err := args(&key); err != nil {
		return fail(err)
	}
	v, ok := pdk.GetConfig(key)
	if !ok {
		return output(nil)
	}
	return output(v)
}

// setvar(key, value string) -> null; stores the pair in the host's per-instance var store.
//
//go:wasmexport setvar
func setvar() int32 {
	var key, value string
	if err := args(&key, &value); err != nil {
		return fail(err)
	}
	pdk.SetVar(key, []byte(value))
	return output(nil)
}

// getvar(key string) -> the var's value as a string, or null.
//
//go:wasmexport getvar
func getvar() int32 {
	var key string
	if err := args(&key); err != nil {
		return fail(err)
	}
	v := pdk.GetVar(key)
	if v == nil {
		return output(nil)
	}
	return output(string(v))
}

// log(msg string) -> null; writes msg to the host log (log_info), stdout and stderr.
//
//go:wasmexport log
func logFn() int32 {
	var msg string
	if err := args(&msg); err != nil {
		return fail(err)
	}
	pdk.Log(pdk.LogInfo, msg)
	fmt.Fprintln(os.Stdout, "stdout: "+msg)
	fmt.Fprintln(os.Stderr, "stderr: "+msg)
	return output(nil)
}

// panic(msg string) crashes the Go runtime: the host sees the instance exit with code 2.
//
//go:wasmexport panic
func panicFn() int32 {
	var msg string
	_ = args(&msg)
	panic("kvgo: " + msg)
}

// busy(ms int) -> ms, after keeping the instance busy for ms milliseconds (the host's
// sleep returns at once, so this spins on the clock).
//
//go:wasmexport busy
func busy() int32 {
	var ms int64
	if err := args(&ms); err != nil {
		return fail(err)
	}
	for start := time.Now(); time.Since(start) < time.Duration(ms)*time.Millisecond; {
	}
	return output(ms)
}

// grow(mib int) -> the total MiB held, after allocating (and keeping) mib more MiB.
//
//go:wasmexport grow
func grow() int32 {
	var mib int
	if err := args(&mib); err != nil {
		return fail(err)
	}
	for range mib {
		b := make([]byte, 1<<20)
		for i := range b {
			b[i] = byte(i)
		}
		ballast = append(ballast, b)
	}
	return output(len(ballast))
}
