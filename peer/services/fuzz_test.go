package services

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/reefhq/reef/wasm"
)

// FuzzAddModule feeds arbitrary bytes to the node's module loader (what dist.add_module
// and reef deploy reach): the precheck, the compiler's ABI detection and the store. It
// must never panic; bytes it refuses get an *wasm.ABIError with a reason and leave
// nothing in the store; bytes it accepts are stored under their sha256 with at least
// one function. The manager keeps working either way.
func FuzzAddModule(f *testing.F) {
	c := chaosc(f)
	for _, seed := range [][]byte{
		nil, []byte("\x00asm"), []byte("\x00asm\x01\x00\x00\x00"), []byte("\x00asm\x0d\x00\x01\x00"), []byte("(module)"),
		c, c[:len(c)/2], c[:64], variant(c, 1),
	} {
		f.Add(seed)
	}
	dir := f.TempDir()
	m, err := New(Config{Dir: dir, PeerID: owner, KeepModules: 2})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = m.Close(context.Background()) })
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, b []byte) {
		sum := sha256.Sum256(b)
		hash := hex.EncodeToString(sum[:])
		rec, err := m.AddModule(ctx, owner, "fuzz", b)
		if err != nil {
			var abi *wasm.ABIError
			if !errors.As(err, &abi) || abi.Reason == "" {
				t.Fatalf("AddModule error %T %v, want an *wasm.ABIError with a reason", err, err)
			}
			if _, serr := os.Stat(filepath.Join(dir, "modules", hash+".wasm")); serr == nil {
				t.Fatalf("a refused module was stored: %v", err)
			}
			return
		}
		if rec.Hash != hash || len(rec.Functions) == 0 || rec.Size != len(b) {
			t.Fatalf("accepted module record %+v", rec)
		}
	})
}
