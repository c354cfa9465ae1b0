package aqua_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/air"
	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/aqua/memnet"
)

func TestObserverReportsEveryInstruction(t *testing.T) {
	var steps []string
	var scalarsAtG map[string]jsonv.Value
	var streamsAtCanon map[string][]jsonv.Value
	obs := aqua.ObserverFunc(func(s *aqua.Step) {
		line := s.Kind
		if s.Call != nil {
			line += " " + s.Call.Service + "." + s.Call.Function + " " + s.Call.Outcome.String()
		}
		if s.Err != nil {
			line += " err" + strings.TrimSpace(" "+itoa(s.Err.Code))
		}
		if len(s.Reads) > 0 {
			line += " r:" + strings.Join(s.Reads, ",")
		}
		if len(s.Writes) > 0 {
			line += " w:" + strings.Join(s.Writes, ",")
		}
		steps = append(steps, line)
		if s.Call != nil && s.Call.Function == "g" && s.Call.Outcome == aqua.CallApplied {
			scalarsAtG = s.Scalars()
		}
		if s.Kind == "canon" {
			streamsAtCanon = s.Streams()
		}
	})
	w := newWorld(t, 1, byFunc(map[string]string{"f": `{"a":7}`}), memnet.WithObserver(func(*memnet.Peer) aqua.Observer { return obs }))
	w.run(si(`(seq (seq (call I ("s" "f") [] x) (ap x.$.a $s)) (seq (canon I $s #c) (xor (call I ("s" "g") [#c] y) (null))))`))
	// The last run replays f, applies g; steps come children first.
	tail := steps[len(steps)-8:]
	want := []string{
		"call s.f replayed w:x",
		"ap r:x w:$s",
		"seq",
		"canon r:$s w:#c",
		"call s.g applied r:#c w:y",
		"xor",
		"seq",
		"seq",
	}
	equalLists(t, "last run steps", tail, want)
	if v := scalarsAtG["y"]; v.String() != `"ok"` {
		t.Errorf("scalars after g: %v", scalarsAtG)
	}
	if v := scalarsAtG["x"]; v.String() != `{"a":7}` {
		t.Errorf("scalars after g: x = %v", v)
	}
	if got := streamsAtCanon["$s"]; len(got) != 1 || got[0].String() != "7" {
		t.Errorf("streams at canon: %v", streamsAtCanon)
	}
}

func TestObserverSeesErrorsAndPositions(t *testing.T) {
	src := "(xor\n  (match 1 2 (null))\n  (null))"
	script, err := air.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	vm, _ := aqua.New()
	out := vm.Run(t.Context(), &aqua.Input{Script: src, Params: aqua.RunParams{InitPeerID: "p", CurrentPeerID: "p"}},
		aqua.WithObserver(aqua.ObserverFunc(func(s *aqua.Step) {
			line, col := script.Position(s.Instr.Span().Start)
			e := ""
			if s.Err != nil {
				e = " " + itoa(s.Err.Code)
			}
			got = append(got, s.Kind+"@"+itoa(int64(line))+":"+itoa(int64(col))+e)
		})))
	if out.RetCode != 0 {
		t.Fatal(out.ErrorMessage)
	}
	equalLists(t, "steps", got, []string{"match@2:3 10001", "null@3:3", "xor@1:1"})
}

// An observer must not change what a run produces.
func TestObserverDoesNotChangeOutcomes(t *testing.T) {
	w := newWorld(t, 2, echo)
	w.run(si(`(seq (seq (ap 1 $s) (ap 2 $s)) (fold $s i (par (call "P2" ("s" "f") [i] $r) (next i)) (null)))`))
	for _, r := range w.runs {
		vm, _ := aqua.New()
		n := 0
		out := vm.Run(t.Context(), r.Input, aqua.WithObserver(aqua.ObserverFunc(func(*aqua.Step) { n++ })))
		if !bytes.Equal(out.Data, r.Outcome.Data) || out.RetCode != r.Outcome.RetCode || len(out.CallRequests) != len(r.Outcome.CallRequests) {
			t.Fatalf("observed run differs from the unobserved one")
		}
		if n != r.Outcome.Instructions {
			t.Fatalf("observer saw %d steps, run executed %d instructions", n, r.Outcome.Instructions)
		}
	}
}

func itoa(n int64) string { return jsonv.IntValue(n).String() }
