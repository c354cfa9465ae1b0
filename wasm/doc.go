// Package wasm is Reef's Wasm service runtime: it compiles guest modules and calls their
// functions on wazero.
//
// Guests are Extism plug-ins (https://extism.org): core wasm32-wasip1 modules that
// import the extism:host/env kernel functions and export functions of type () -> i32.
// They are written with the Extism PDKs (Go, Rust, C, AssemblyScript, ...) and run
// unchanged. The host side of the Extism ABI is implemented here, in Go, over a
// per-instance memory area (see "Why not go-sdk" below).
//
// # Use
//
//	rt, err := wasm.New(ctx, wasm.WithCacheDir(filepath.Join(dataDir, "wasm-cache")))
//	mod, err := rt.Compile(ctx, wasmBytes)           // validates the ABI; *ABIError if refused
//	svc, err := rt.NewService(mod, wasm.WithName("kv"), wasm.WithConfig(cfg))
//	out, err := svc.Call(ctx, "greet", []byte(`["reef"]`))  // *CallError on failure
//	res, err := wasm.CallJSON(ctx, svc, "greet", args)       // AIR calling convention
//	st := svc.Stats()
//	err = svc.Close(ctx)                              // waits for calls in flight
//	err = rt.Close(ctx)
//
// # Calling convention
//
// For an AIR call (call peer ("service" "fn") [a b] r) the node calls the export fn with
// the canonical JSON array [a,b] as the Extism input. A JSON output is r; any other
// output becomes a JSON string (an empty one null). A non-zero return code or an
// error_set message is a *CallError of kind KindGuest carrying the guest's message. See
// CallJSON.
//
// # ABI detection
//
// Compile refuses, with an *ABIError naming what the binary is, in this order:
// bytes that are not WebAssembly (or whose declared sizes cannot fit in them); component
// model binaries; Fluence Marine modules (marine custom sections, Marine host imports or
// the six Marine service exports); WASI commands (_start, no Extism imports); and
// reactors or plain modules with no Extism imports. An Extism plug-in is also refused if
// it imports anything beyond extism:host/env and wasi_snapshot_preview1 (for example
// extism:host/user host functions), with a wrong signature, or exports no () -> i32
// function. The callable exports are the module's interface (Module.Functions).
//
// # Isolation
//
// Each call runs on one instance of a per-service pool (created on demand) under a
// deadline (WithCallTimeout) and a memory limit per instance (WithMemoryLimit), which
// covers the guest's linear memory and its Extism memory. A guest that times out, traps,
// exits or runs out of memory is discarded and replaced on the next call; other calls,
// instances and services are unaffected. WASI is given with no filesystem, environment,
// network or arguments beyond the service name; clocks and randomness are real, sleeping
// returns at once, and stdout, stderr and Extism logs go to a bounded per-service log.
//
// # Notes
//
//   - Extism host calls not provided: http_request traps with "not allowed" (services
//     have no network; as in go-sdk with no allowed hosts), http_status_code and
//     http_headers return 0, and user host functions (extism:host/user) are refused at
//     Compile. Everything else in extism:host/env behaves as in go-sdk v1.7.1, which is
//     checked by differential tests against its embedded kernel, except two deliberate
//     differences: alloc past the memory limit traps (KindMemory) instead of returning 0,
//     which no PDK checks for; and input_load_u64 with an offset within 8 of 2^64
//     returns 0 where the kernel's bounds check overflows.
//   - State (globals, heap, Extism vars) is per instance; see Service.
//   - wazero has no fuel: a deadline, not an instruction count, bounds a call.
//
// # Why not go-sdk
//
// go-sdk runs Extism's kernel as a second wasm module and routes every guest→kernel
// call through Go into it (creating a function object per call), and a PDK moves data
// 8 bytes per call: a warm call with 100 bytes of JSON in and out costs 54-72 µs at the
// median through go-sdk, against 3.5 µs (C guest) and 5.7 µs (Go guest) with the kernel
// in Go. See docs/performance.md.
package wasm
