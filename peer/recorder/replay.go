package recorder

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/air"
	"github.com/reefhq/reef/aqua/jsonv"
)

// Step is one executed instruction of a replayed run, with the state right after it.
type Step struct {
	Seq   int
	Depth int
	Kind  string
	// Display is the instruction's one-line form ("call %init_peer_id% ("s" "f") [x] y").
	Display string
	// Span locates the instruction in the script; Line and Col are 1-based.
	Span      air.Span
	Line, Col int
	// Leaf reports instructions that do something by themselves (not seq, par, xor, new,
	// fold or match, which only frame others).
	Leaf     bool
	Call     *aqua.CallStep
	Canon    *aqua.CanonStep
	Err      *aqua.Error
	Complete bool
	Reads    []string
	Writes   []string
	// Scalars and Streams are the variables visible after the instruction.
	Scalars map[string]jsonv.Value
	Streams map[string][]jsonv.Value
}

// Replay is a recorded run executed again step by step.
type Replay struct {
	ParticleID string
	Hop        int
	Peer       string
	Script     string
	Steps      []Step
	// RetCode and Error are the run's outcome (identical to the recorded one).
	RetCode int64
	Error   string
	// Truncated reports that the run had more steps than MaxReplaySteps.
	Truncated bool
}

// MaxReplaySteps bounds the steps a replay keeps.
const MaxReplaySteps = 20_000

// ErrNotReplayable is returned for hops whose input is not recorded (reported by another
// node, or evicted from the bounded history).
var ErrNotReplayable = errors.New("recorder: this hop's input is not recorded")

// Replay re-executes hop seq (1-based, as Hop.Seq) of a particle with an observer and
// returns every step with the variables at that point.
func (r *Recorder) Replay(ctx context.Context, particleID string, seq int) (*Replay, error) {
	r.mu.Lock()
	rec, ok := r.byID[particleID]
	if !ok {
		r.mu.Unlock()
		return nil, fmt.Errorf("recorder: unknown particle %s", particleID)
	}
	var hop *Hop
	for _, h := range rec.hops {
		if h.Seq == seq {
			hop = h
		}
	}
	r.mu.Unlock()
	if hop == nil {
		return nil, fmt.Errorf("recorder: particle %s has no hop %d", particleID, seq)
	}
	if hop.run == nil {
		return nil, ErrNotReplayable
	}
	run := hop.run
	script, err := r.vm.Parse(run.Input.Script)
	if err != nil {
		return nil, fmt.Errorf("recorder: %w", err)
	}
	out := &Replay{ParticleID: particleID, Hop: seq, Peer: run.Node, Script: run.Input.Script}
	obs := aqua.ObserverFunc(func(s *aqua.Step) {
		if len(out.Steps) >= MaxReplaySteps {
			out.Truncated = true
			return
		}
		sp := s.Instr.Span()
		line, col := script.Position(sp.Start)
		out.Steps = append(out.Steps, Step{
			Seq: s.Seq, Depth: s.Depth, Kind: s.Kind, Display: air.Display(s.Instr),
			Span: sp, Line: line, Col: col, Leaf: isLeaf(s.Kind),
			Call: s.Call, Canon: s.Canon, Err: s.Err, Complete: s.Complete,
			Reads: slices.Clone(s.Reads), Writes: slices.Clone(s.Writes),
			Scalars: maps.Clone(s.Scalars()), Streams: s.Streams(),
		})
	})
	res := r.vm.Run(ctx, run.Input, aqua.WithObserver(obs))
	out.RetCode, out.Error = res.RetCode, res.ErrorMessage
	return out, nil
}

func isLeaf(kind string) bool {
	switch kind {
	case "seq", "par", "xor", "new", "fold", "match", "mismatch":
		return false
	}
	return true
}
