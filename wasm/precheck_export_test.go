package wasm

import (
	"errors"
	"strings"
	"testing"
)

func TestPrecheck(t *testing.T) {
	if err := Precheck(kvgoWasm); err != nil {
		t.Fatal(err)
	}
	for name, tt := range map[string]struct {
		b    []byte
		want string
	}{
		"text":      {[]byte("(module)"), "WebAssembly text"},
		"truncated": {kvgoWasm[:len(kvgoWasm)/2], "declares"},
		"component": {[]byte("\x00asm\x0d\x00\x01\x00"), "component"},
	} {
		err := Precheck(tt.b)
		var abi *ABIError
		if !errors.As(err, &abi) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want an *ABIError with %q", name, err, tt.want)
		}
	}
}
