package aqua_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/data"
	"github.com/reefhq/reef/aqua/memnet"
)

// FuzzRun runs arbitrary scripts on arbitrary prev/current data with an arbitrary call
// result: the interpreter must never panic or hang, and whatever data it returns must
// decode.
func FuzzRun(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.air"))
	for i, file := range files {
		if i%8 != 0 {
			continue
		}
		src, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(src), []byte{}, []byte{}, `"x"`, uint8(0))
	}
	// Seed with real data produced by a multi-peer run.
	w := newWorldF(f)
	for _, s := range []string{
		`(seq (call "P2" ("s" "secret") [] x) (call "P1" ("s" "show") [x]))`,
		`(seq (seq (ap 1 $s) (ap 2 $s)) (fold $s i (seq (call I ("" "") [i] $new) (next i)) (null)))`,
		`(seq (ap ("k" 1) %m) (seq (canon I %m #%c) (call I ("s" "f") [#%c])))`,
	} {
		w.runs = nil
		w.run(si(s))
		for _, r := range w.runs {
			f.Add(r.Input.Script, r.Input.PrevData, r.Input.CurrentData, `{"a":[1,2]}`, uint8(1))
		}
	}
	vm, err := aqua.New(aqua.WithLimits(aqua.Limits{MaxInstructions: 20000, MaxFoldDepth: 200}))
	if err != nil {
		f.Fatal(err)
	}
	key := memnet.KeyFor("P1")
	id := data.PeerIDFromKey(key)
	f.Fuzz(func(t *testing.T, script string, prev, cur []byte, result string, callID uint8) {
		in := &aqua.Input{
			Script: script, PrevData: prev, CurrentData: cur,
			Params: aqua.RunParams{InitPeerID: id, CurrentPeerID: id, ParticleID: "particle-1", Key: key},
		}
		if callID > 0 {
			in.CallResults = map[uint32]aqua.CallResult{uint32(callID): {Result: result, RetCode: int32(callID % 3)}}
		}
		out := vm.Run(context.Background(), in)
		if out.RetCode == 0 || aqua.ClassOf(out.RetCode) == aqua.Catchable {
			if _, err := data.Decode(out.Data, 0); err != nil {
				t.Fatalf("produced data does not decode: %v", err)
			}
		}
	})
}

func newWorldF(f *testing.F) *world {
	return newWorld(f, 2, byFunc(map[string]string{"secret": `{"balance":100}`, "": `{"a":[1,2]}`}))
}
