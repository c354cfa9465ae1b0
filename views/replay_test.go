package views

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/reefhq/reef/peer/recorder"
)

var _ Pane = (*Replay)(nil)

// ppSource is a TraceSource over fixed replays; the replay of a hop in block waits
// until its context ends.
type ppSource struct {
	mu      sync.Mutex
	replays map[int]*recorder.Replay
	err     error
	block   map[int]bool
}

func (s *ppSource) Particles(recorder.Filter) []recorder.Summary { return nil }
func (s *ppSource) Trace(string) (*recorder.Trace, bool)         { return nil, false }
func (s *ppSource) Replay(ctx context.Context, id string, hop int) (*recorder.Replay, error) {
	s.mu.Lock()
	block, err, rp, ok := s.block[hop], s.err, s.replays[hop], s.replays[hop] != nil
	s.mu.Unlock()
	if block {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("recorder: particle %s has no hop %d", id, hop)
	}
	return rp, nil
}

func ppReplayPane(t *testing.T, rp *recorder.Replay) *Replay {
	t.Helper()
	p := NewReplay(ppCommon(t), &ppSource{replays: map[int]*recorder.Replay{rp.Hop: rp}})
	msgs := ppRun(p.Open(rp.ParticleID, rp.Hop))
	if !p.Loading() {
		t.Fatal("Open does not show loading")
	}
	if len(msgs) != 1 {
		t.Fatalf("Open's command returned %v", msgs)
	}
	p.Update(msgs[0])
	if p.Loading() || p.Err() != nil {
		t.Fatalf("loaded: loading %v err %v", p.Loading(), p.Err())
	}
	return p
}

func ppCur(t *testing.T, p *Replay) recorder.Step {
	t.Helper()
	st, ok := p.Current()
	if !ok {
		t.Fatal("no current step")
	}
	return st
}

func TestReplayStepsForwardAndBack(t *testing.T) {
	rp := ppReplay("")
	p := ppReplayPane(t, rp)
	leaves := 0
	for _, s := range rp.Steps {
		if s.Leaf {
			leaves++
		}
	}
	if pos, n := p.Position(); pos != 0 || n != leaves {
		t.Fatalf("position %d of %d, want 0 of %d leaves", pos, n, leaves)
	}
	first := ppCur(t, p)
	if !first.Leaf || first.Call == nil || first.Call.Function != "-relay-" {
		t.Fatalf("first leaf step %+v", first)
	}
	// Back at the start stays.
	ppPress(p, "left", "p", "h")
	if pos, _ := p.Position(); pos != 0 {
		t.Fatalf("back from the first step: %d", pos)
	}
	ppPress(p, "right", "n", "l")
	if pos, _ := p.Position(); pos != 3 {
		t.Fatalf("3 forward: %d", pos)
	}
	ppPress(p, "left")
	if pos, _ := p.Position(); pos != 2 {
		t.Fatalf("one back: %d", pos)
	}
	// Forward past the end stays on the last.
	for range leaves + 5 {
		ppPress(p, "n")
	}
	if pos, n := p.Position(); pos != n-1 {
		t.Fatalf("past the end: %d of %d", pos, n)
	}
	ppPress(p, "g")
	if pos, _ := p.Position(); pos != 0 {
		t.Fatalf("g: %d", pos)
	}
	ppPress(p, "G")
	if pos, n := p.Position(); pos != n-1 {
		t.Fatalf("G: %d of %d", pos, n)
	}
}

func TestReplayJumpsToCallsAndErrors(t *testing.T) {
	rp := ppReplay("concat_strings")
	p := ppReplayPane(t, rp)
	// Calls: the three getDataSrv, then concat_strings.
	ppPress(p, "]", "]", "]")
	if st := ppCur(t, p); st.Call == nil || st.Call.Function != "concat_strings" {
		t.Fatalf("third next call: %+v", st)
	}
	ppPress(p, "[")
	if st := ppCur(t, p); st.Call == nil || st.Call.Function != "i" {
		t.Fatalf("previous call: %+v", st)
	}
	// The first error is concat_strings failing; the next is the fail in the catch
	// branch (the seq and xor steps only propagate it).
	ppPress(p, "home", "e")
	st := ppCur(t, p)
	if st.Err == nil || st.Call == nil || st.Call.Function != "concat_strings" {
		t.Fatalf("first error: %+v", st)
	}
	ppPress(p, "e")
	if st := ppCur(t, p); st.Kind != "fail" {
		t.Fatalf("second error: %+v", st)
	}
	msgs := ppPress(p, "e")
	if n, ok := ppFind[NoticeMsg](msgs); !ok || !strings.Contains(n.Text, "no error after") {
		t.Fatalf("no more errors: %+v", msgs)
	}
	if st := ppCur(t, p); st.Kind != "fail" {
		t.Fatal("a failed jump moved")
	}
	ppPress(p, "E")
	if st := ppCur(t, p); st.Call == nil || st.Call.Function != "concat_strings" {
		t.Fatalf("previous error: %+v", st)
	}
	ppPress(p, "G")
	if n, ok := ppFind[NoticeMsg](ppPress(p, "]")); !ok || !strings.Contains(n.Text, "no call after") {
		t.Fatal("no notice at the last call")
	}
}

func TestReplayLeafAllToggleKeepsPlace(t *testing.T) {
	rp := ppReplay("")
	p := ppReplayPane(t, rp)
	ppPress(p, "]", "]", "]") // concat_strings
	at := ppCur(t, p).Seq
	_, leaves := p.Position()
	msgs := ppPress(p, "a")
	if !p.AllSteps() {
		t.Fatal("a does not show every step")
	}
	if _, ok := ppFind[NoticeMsg](msgs); !ok {
		t.Fatal("no notice on toggle")
	}
	if _, n := p.Position(); n != len(rp.Steps) || n <= leaves {
		t.Fatalf("all steps: %d, leaves %d, steps %d", n, leaves, len(rp.Steps))
	}
	if got := ppCur(t, p).Seq; got != at {
		t.Fatalf("toggle moved from step %d to %d", at, got)
	}
	// The next step in "all" mode completes a parent (a seq, say).
	ppPress(p, "n")
	if st := ppCur(t, p); st.Leaf {
		t.Fatalf("after a leaf and all steps shown, the next step is %s", st.Kind)
	}
	// Back to leaves from a non-leaf step: the next leaf is current.
	ppPress(p, "a")
	if st := ppCur(t, p); !st.Leaf || st.Seq <= at {
		t.Fatalf("back to leaves on %+v", st)
	}
}

func TestReplayShowsChangedVariables(t *testing.T) {
	p := ppReplayPane(t, ppReplay(""))
	p.SetSize(120, 40)
	ppPress(p, "n") // getDataSrv peers → -peers-arg-
	v := ansi.Strip(p.View())
	if !strings.Contains(v, "+ -peers-arg- = [") || !strings.Contains(v, "  -relay- = ") {
		t.Fatalf("the new variable is not marked:\n%s", v)
	}
	if !strings.Contains(v, "1 changed") {
		t.Fatalf("no change count:\n%s", v)
	}
	ppPress(p, "]", "]") // concat_strings
	v = ansi.Strip(p.View())
	for _, want := range []string{
		"+ ret = \"at 12D3…jk5m6n\"",
		"call on 12D3…jk5m6n op.concat_strings(\"at \", \"12D3…jk5m6n\")",
		"applied: the host's result was applied",
		"result \"at 12D3…jk5m6n\"",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("concat step lacks %q:\n%s", want, v)
		}
	}
	// The current instruction is highlighted in the original script (on its line).
	raw := p.View()
	line := ""
	for _, l := range strings.Split(raw, "\n") {
		if strings.Contains(ansi.Strip(l), "19▶") {
			line = l
		}
	}
	if line == "" {
		t.Fatalf("the current line is not marked:\n%s", v)
	}
	p.ink.sync(p.c.Styles)
	if !strings.Contains(line, p.ink.hi.pre+"(call -peers-arg-") {
		t.Errorf("the instruction is not highlighted: %q", line)
	}
}

func TestReplayErrorsAndStaleResults(t *testing.T) {
	src := &ppSource{err: recorder.ErrNotReplayable}
	p := NewReplay(ppCommon(t), src)
	msgs := ppRun(p.Open("p1", 3))
	p.Update(msgs[0])
	if !errors.Is(p.Err(), recorder.ErrNotReplayable) {
		t.Fatalf("err %v", p.Err())
	}
	if v := ansi.Strip(p.View()); !strings.Contains(v, "Hop #3 of particle p1 cannot be replayed: its input is not recorded") {
		t.Fatalf("not replayable view:\n%s", v)
	}
	src.err = errors.New("recorder: unknown particle p1")
	p.Update(ppRun(p.Open("p1", 3))[0])
	if v := ansi.Strip(p.View()); !strings.Contains(v, "recorder: unknown particle p1") {
		t.Fatalf("error view:\n%s", v)
	}
	// A slow replay the user left is cancelled, and its result ignored.
	src.mu.Lock()
	src.err = nil
	src.replays = map[int]*recorder.Replay{4: ppReplay(""), 5: ppReplay("")}
	src.replays[5].Hop = 5
	src.block = map[int]bool{4: true}
	src.mu.Unlock()
	slow := p.Open("p1", 4)
	if v := ansi.Strip(p.View()); !strings.Contains(v, "Replaying hop #4 of particle p1") {
		t.Fatalf("loading view:\n%s", v)
	}
	done := make(chan any, 1)
	go func() { done <- slow() }()
	fast := ppRun(p.Open("p1", 5))
	stale := <-done
	if lm := stale.(ReplayLoadedMsg); !errors.Is(lm.Err, context.Canceled) {
		t.Fatalf("the left replay was not cancelled: %+v", lm)
	}
	p.Update(fast[0])
	p.Update(stale)
	if p.rp == nil || p.rp.Hop != 5 || p.Err() != nil {
		t.Fatalf("the stale result replaced the current one: %+v %v", p.rp, p.Err())
	}
	// No source at all.
	q := NewReplay(ppCommon(t), nil)
	if cmd := q.Open("x", 1); cmd != nil || q.Err() == nil {
		t.Fatal("a replay without a source should fail at once")
	}
}

func TestReplayKeyMap(t *testing.T) {
	p := ppReplayPane(t, ppReplay(""))
	on := map[string]bool{}
	for _, g := range p.KeyMap().FullHelp() {
		for _, b := range g {
			on[b.Help().Desc] = b.Enabled()
		}
	}
	if on["previous step"] || !on["next step"] || !on["next call"] || on["next error"] {
		t.Fatalf("at the first step of a clean run: %v", on)
	}
	empty := NewReplay(ppCommon(t), nil)
	for _, b := range empty.KeyMap().ShortHelp() {
		if b.Enabled() {
			t.Fatalf("%s enabled without a replay", b.Help().Desc)
		}
	}
}

func TestReplayResizes(t *testing.T) {
	p := ppReplayPane(t, ppReplay("concat_strings"))
	for _, sz := range []struct{ w, h int }{{80, 24}, {80, 10}, {59, 20}, {60, 20}, {120, 40}, {200, 60}, {30, 8}, {2, 2}} {
		p.SetSize(sz.w, sz.h)
		for range 40 {
			ppCheckFrame(t, p.View(), sz.w, sz.h)
			ppPress(p, "n")
		}
		ppPress(p, "a", "g")
		ppCheckFrame(t, p.View(), sz.w, sz.h)
	}
}

func TestReplayGolden(t *testing.T) {
	states := []struct {
		name string
		set  func(t *testing.T, p *Replay)
	}{
		{"empty", func(t *testing.T, p *Replay) {}},
		{"loading", func(t *testing.T, p *Replay) { p.Open(ppPID(0), 4) }},
		{"notreplayable", func(t *testing.T, p *Replay) {
			p.src = &ppSource{err: recorder.ErrNotReplayable}
			p.Update(ppRun(p.Open(ppPID(0), 3))[0])
		}},
		{"midway", func(t *testing.T, p *Replay) {
			p.SetReplay(ppReplay(""))
			ppPress(p, "]", "]", "]")
		}},
		{"error", func(t *testing.T, p *Replay) {
			p.SetReplay(ppReplay("concat_strings"))
			ppPress(p, "e")
		}},
		{"allsteps", func(t *testing.T, p *Replay) {
			p.SetReplay(ppReplay(""))
			ppPress(p, "a", "G", "p")
		}},
	}
	for _, st := range states {
		for _, sz := range ppSizes {
			t.Run(fmt.Sprintf("%s_%dx%d", st.name, sz.w, sz.h), func(t *testing.T) {
				p := NewReplay(ppCommon(t), &ppSource{})
				p.SetSize(sz.w, sz.h)
				p.Focus()
				st.set(t, p)
				v := p.View()
				ppCheckFrame(t, v, sz.w, sz.h)
				ppGolden(t, fmt.Sprintf("replay_%s_%dx%d", st.name, sz.w, sz.h), v)
			})
		}
	}
}

func BenchmarkReplayView(b *testing.B) {
	p := NewReplay(ppCommon(b), nil)
	p.SetSize(200, 60)
	p.SetReplay(ppBigReplay(2000))
	for range 1000 {
		ppPress(p, "n")
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = p.View()
	}
}

// BenchmarkReplayStep is one step forward and the frame after it.
func BenchmarkReplayStep(b *testing.B) {
	p := NewReplay(ppCommon(b), nil)
	p.SetSize(200, 60)
	p.SetReplay(ppBigReplay(2000))
	next, first := ppKey("n"), ppKey("g")
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i++; i%1999 == 0 {
			p.Update(first)
		}
		p.Update(next)
		_ = p.View()
	}
}
