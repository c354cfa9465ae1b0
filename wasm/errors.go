package wasm

import (
	"context"
	"errors"
	"fmt"
)

// ErrClosed is returned by calls on a closed Runtime or Service.
var ErrClosed = errors.New("wasm: closed")

// ErrorKind classifies a failed call.
type ErrorKind string

// Call error kinds.
const (
	// KindGuest: the guest returned a non-zero code and/or set an error message
	// (Extism error_set). The instance is kept.
	KindGuest ErrorKind = "guest"
	// KindTimeout: the call ran past its deadline (the service's call timeout or the
	// caller's context deadline). The instance is discarded.
	KindTimeout ErrorKind = "timeout"
	// KindCanceled: the caller's context was canceled, or the service was closed with
	// the call in flight. The instance is discarded.
	KindCanceled ErrorKind = "canceled"
	// KindTrap: the guest trapped (unreachable, out-of-bounds access, stack overflow,
	// a forbidden host call such as http_request) or exited. The instance is discarded.
	KindTrap ErrorKind = "trap"
	// KindMemory: the guest failed after Reef refused to grow its memory past the
	// service's limit, or the module needs more memory than the limit to start. The
	// instance is discarded.
	KindMemory ErrorKind = "memory"
	// KindNoSuchFunction: the module has no callable export of that name.
	KindNoSuchFunction ErrorKind = "no-such-function"
)

// CallError is the error of a failed Service.Call.
type CallError struct {
	Kind     ErrorKind
	Function string // the export called
	// Message is the guest's error message for KindGuest, and a one-line description
	// otherwise.
	Message string
	// Code is the guest's return code (KindGuest) or exit code (KindTrap after
	// proc_exit); 0 otherwise.
	Code uint32
	err  error
}

func (e *CallError) Error() string {
	if e.Kind == KindGuest {
		return fmt.Sprintf("wasm: %s: %s", e.Function, e.Message)
	}
	return fmt.Sprintf("wasm: %s: %s: %s", e.Function, e.Kind, e.Message)
}

// Unwrap returns the underlying error: context.DeadlineExceeded for KindTimeout,
// context.Canceled for KindCanceled, the wazero error (for example a *sys.ExitError)
// for KindTrap and KindMemory, and nil otherwise.
func (e *CallError) Unwrap() error {
	switch e.Kind {
	case KindTimeout:
		return context.DeadlineExceeded
	case KindCanceled:
		return context.Canceled
	}
	return e.err
}

// ModuleKind is what a WebAssembly binary is, as far as Reef is concerned.
type ModuleKind string

// Module kinds. Only ModuleExtism is accepted.
const (
	ModuleExtism      ModuleKind = "extism"       // an Extism plug-in: imports extism:host/env
	ModuleComponent   ModuleKind = "component"    // a component-model binary (WASI preview 2)
	ModuleMarine      ModuleKind = "marine"       // a Fluence Marine module (marine-rs-sdk)
	ModuleWASICommand ModuleKind = "wasi-command" // a WASI command: exports _start
	ModuleUnknown     ModuleKind = "unknown"      // a core module with no known service ABI
	ModuleInvalid     ModuleKind = "invalid"      // not valid WebAssembly
)

// ABIError is the error of Runtime.Compile for a binary Reef does not run.
type ABIError struct {
	Kind ModuleKind
	// Reason says what the module is and what is supported instead.
	Reason string
	err    error
}

func (e *ABIError) Error() string {
	if e.Kind == ModuleInvalid {
		return "wasm: invalid module: " + e.Reason
	}
	return fmt.Sprintf("wasm: module refused (%s): %s", e.Kind, e.Reason)
}

// Unwrap returns the wazero error for invalid modules.
func (e *ABIError) Unwrap() error { return e.err }
