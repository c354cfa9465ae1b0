package views

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/reefhq/reef/aqua/air"
	"github.com/reefhq/reef/aqua/jsonv"
)

func ppDiag(start, end int) air.Diagnostic {
	return air.Diagnostic{Span: air.Span{Start: start, End: end}, Line: 1, Col: start + 1, Message: "bad"}
}

var _ Pane = (*Runner)(nil)

// ppScriptRunner stands for the root's adapter over the node: it answers every run with
// a fixed particle id and result.
type ppScriptRunner struct {
	mu     sync.Mutex
	result ScriptResult
	err    error
	runs   []ppRunCall
	next   int
}

type ppRunCall struct {
	script string
	args   map[string]jsonv.Value
	ttl    time.Duration
}

func (r *ppScriptRunner) RunScript(_ context.Context, script string, args map[string]jsonv.Value, ttl time.Duration) (string, <-chan ScriptResult, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.runs = append(r.runs, ppRunCall{script, args, ttl})
	if r.err != nil {
		return "", nil, r.err
	}
	r.next++
	ch := make(chan ScriptResult, 1)
	ch <- r.result
	return ppPID(100 + r.next), ch, nil
}

const ppHopToPath = "../testdata/air/hop_to.air"

func ppRunnerPane(t *testing.T, sr ScriptRunner) *Runner {
	t.Helper()
	p := NewRunner(ppCommon(t), sr)
	p.SetSize(100, 30)
	p.Focus()
	return p
}

// ppDeliver feeds a pane the messages of a command until no command is left, and
// returns every message seen (including those for the root).
func ppDeliver(p Pane, cmd tea.Cmd) []tea.Msg {
	var seen []tea.Msg
	queue := ppRun(cmd)
	for len(queue) > 0 {
		m := queue[0]
		queue = queue[1:]
		seen = append(seen, m)
		switch m.(type) {
		case RunnerLoadedMsg, RunnerStartedMsg, RunnerResultMsg, ReplayLoadedMsg:
			queue = append(queue, ppRun(p.Update(m))...)
		}
	}
	return seen
}

func ppOpenFile(t *testing.T, p *Runner, path string) []tea.Msg {
	t.Helper()
	ppPress(p, "o")
	if !p.Typing() {
		t.Fatal("o does not edit the path")
	}
	ppType(p, path)
	return ppDeliver(p, p.Update(ppKey("enter")))
}

func TestRunnerLoadsFileAndPrefillsArguments(t *testing.T) {
	p := ppRunnerPane(t, &ppScriptRunner{})
	ppOpenFile(t, p, ppHopToPath)
	v := ansi.Strip(p.View())
	if !strings.Contains(v, "✓ hop_to.air · 47 lines · parsed · arguments: peers, i") {
		t.Fatalf("file info:\n%s", v)
	}
	if got := p.args.Value(); got != "{\n  \"peers\": null,\n  \"i\": null\n}" {
		t.Fatalf("arguments template %q", got)
	}
	if p.field != runArgsField {
		t.Fatal("enter in the path does not move to the arguments")
	}
	// A missing file says so.
	ppPress(p, "esc")
	p.path.SetValue("")
	ppOpenFile(t, p, "no/such/file.air")
	if v := ansi.Strip(p.View()); !strings.Contains(v, "✗ open no/such/file.air: no such file or directory") {
		t.Fatalf("missing file:\n%s", v)
	}
}

func TestRunnerParseErrorWithCaret(t *testing.T) {
	p := ppRunnerPane(t, &ppScriptRunner{})
	ppOpenFile(t, p, "testdata/runner_bad.air")
	v := ansi.Strip(p.View())
	if !strings.Contains(v, "✗ runner_bad.air does not parse (2 errors)") {
		t.Fatalf("no parse error:\n%s", v)
	}
	lines := strings.Split(v, "\n")
	found := 0
	// caretAfter returns the snippet and caret lines following line i.
	caretAfter := func(i int) (string, string) {
		for j := i + 1; j < len(lines); j++ {
			if strings.Contains(lines[j], "^") {
				return lines[j-1], lines[j]
			}
		}
		return "", ""
	}
	for i, l := range lines {
		switch {
		case strings.Contains(l, `3:43: variable "missing" is not defined`):
			snippet, caret := caretAfter(i)
			at := strings.Index(caret, "^")
			if at < 0 || !strings.HasPrefix(string([]rune(snippet)[at:]), "missing") {
				t.Errorf("caret does not point at the variable:\n%s\n%s", snippet, caret)
			}
			if !strings.Contains(caret, "^~~~~~~") {
				t.Errorf("caret does not span the variable: %q", caret)
			}
			found++
		case strings.Contains(l, `4:3: unexpected "("`):
			snippet, caret := caretAfter(i)
			at := strings.Index(caret, "^")
			if at < 0 || !strings.HasPrefix(string([]rune(snippet)[at:]), "(null)") {
				t.Errorf("caret does not point at the paren:\n%s\n%s", snippet, caret)
			}
			found++
		}
	}
	if found != 2 {
		t.Fatalf("%d diagnostics shown:\n%s", found, v)
	}
	// Running it does not reach the node; the run says why.
	sr := &ppScriptRunner{}
	p.SetScriptRunner(sr)
	msgs := ppDeliver(p, p.Update(ppKey("ctrl+r")))
	if n, ok := ppFind[NoticeMsg](msgs); !ok || n.Level != "error" || !strings.Contains(n.Text, "did not start: 3:43") {
		t.Fatalf("run of a bad script: %+v", msgs)
	}
	if len(sr.runs) != 0 {
		t.Fatal("a script that does not parse was sent")
	}
}

func TestRunnerCaretWindowsLongLines(t *testing.T) {
	line := strings.Repeat("(seq (null) ", 30) + "BAD" + strings.Repeat(")", 30)
	start := strings.Index(line, "BAD")
	d := struct{ start, end int }{start, start + 3}
	snippet, caret := runCaret(line, ppDiag(d.start, d.end), 60)
	if ansi.StringWidth(snippet) > 60 || ansi.StringWidth(caret) > 60 {
		t.Fatalf("window too wide: %d %d", ansi.StringWidth(snippet), ansi.StringWidth(caret))
	}
	at := strings.Index(caret, "^")
	if !strings.HasPrefix(string([]rune(snippet)[at:]), "BAD") || !strings.HasSuffix(caret, "^~~") {
		t.Fatalf("caret misplaced:\n%s\n%s", snippet, caret)
	}
	// Tabs keep the caret aligned (one character each, shown as a space).
	snippet, caret = runCaret("\t\t(oops", ppDiag(2, 3), 60)
	if snippet != "  (oops" || caret != "  ^" {
		t.Fatalf("tabs: %q %q", snippet, caret)
	}
}

func TestRunnerRejectsBadArguments(t *testing.T) {
	sr := &ppScriptRunner{}
	p := ppRunnerPane(t, sr)
	p.SetPath(ppHopToPath)
	ppPress(p, "a")
	ppType(p, `{"i": 2,`)
	v := ansi.Strip(p.View())
	if !strings.Contains(v, "✗ EOF while parsing an object at line 1 column 8") {
		t.Fatalf("no inline error for bad JSON:\n%s", v)
	}
	msgs := ppDeliver(p, p.Update(ppKey("ctrl+r")))
	if n, ok := ppFind[NoticeMsg](msgs); !ok || !strings.Contains(n.Text, "fix the arguments first") {
		t.Fatalf("run with bad arguments: %+v", msgs)
	}
	if len(sr.runs) != 0 || p.Runs() != 0 {
		t.Fatal("bad arguments were sent")
	}
	// JSON, but not an object.
	p.SetArgs(`[1, 2]`)
	if v := ansi.Strip(p.View()); !strings.Contains(v, "must be a JSON object") {
		t.Fatalf("array arguments:\n%s", v)
	}
	// A bad TTL is refused too.
	p.SetArgs(`{"i": 2, "peers": []}`)
	p.ttl.SetValue("soon")
	msgs = ppDeliver(p, p.Update(ppKey("ctrl+r")))
	if n, ok := ppFind[NoticeMsg](msgs); !ok || !strings.Contains(n.Text, `TTL "soon" is not a duration`) {
		t.Fatalf("bad TTL: %+v", msgs)
	}
	if len(sr.runs) != 0 {
		t.Fatal("a bad TTL was sent")
	}
}

func TestRunnerRunsShowsResultAndReruns(t *testing.T) {
	sr := &ppScriptRunner{result: ScriptResult{Value: jsonv.MustParse(`{"greeting":"at ` + ppTarget + `","hops":[1,2,3]}`), Duration: 23 * time.Millisecond}}
	p := ppRunnerPane(t, sr)
	ppOpenFile(t, p, ppHopToPath)
	p.SetArgs(`{"peers": ["` + ppClient + `", "` + ppTarget + `"], "i": 1}`)
	ppPress(p, "tab", "tab") // args → path → TTL
	if p.field != runTTLField {
		t.Fatalf("tab order: field %d", p.field)
	}
	ppPress(p, "backspace", "backspace", "backspace")
	ppType(p, "7s")
	msgs := ppDeliver(p, p.Update(ppKey("ctrl+r")))
	open, ok := ppFind[OpenTraceMsg](msgs)
	if !ok || open.ParticleID != ppPID(101) {
		t.Fatalf("the run does not open its trace: %+v", msgs)
	}
	if n, ok := ppFind[NoticeMsg](msgs); !ok || n.Text != "run #1 finished in 23.0ms" {
		t.Fatalf("notice: %+v", msgs)
	}
	if len(sr.runs) != 1 || sr.runs[0].ttl != 7*time.Second || sr.runs[0].args["i"].String() != "1" ||
		!strings.HasPrefix(sr.runs[0].script, "(xor") {
		t.Fatalf("runs: %+v", sr.runs)
	}
	v := ansi.Strip(p.View())
	for _, want := range []string{
		"Result · run #1 · particle " + ppShortParticle(ppPID(101)) + " · 23.0ms",
		`"greeting": "at ` + ppTarget + `",`,
		`"hops": [`,
		"#1   hop_to.air      23.0ms",
		`✓ {"greeting":"at 12D3…jk5m6n","hops":[1,2,3]}`,
	} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	// Re-run with one key once the form is left.
	ppPress(p, "esc")
	if p.Typing() {
		t.Fatal("esc does not leave the form")
	}
	msgs = ppDeliver(p, p.Update(ppKey("r")))
	if _, ok := ppFind[OpenTraceMsg](msgs); !ok || len(sr.runs) != 2 || p.Runs() != 2 {
		t.Fatalf("r does not re-run: %d runs, %+v", len(sr.runs), msgs)
	}
	// History: select the first run, reuse it, view its trace.
	p.SetArgs(`{}`)
	ppPress(p, "down")
	if r := p.selectedRun(); r == nil || r.id != 1 {
		t.Fatalf("selected %+v", r)
	}
	msgs = ppDeliver(p, p.Update(ppKey("enter")))
	if !strings.Contains(p.args.Value(), `"i": 1`) || p.ttl.Value() != "7s" {
		t.Fatalf("reuse did not restore the form: %q %q", p.args.Value(), p.ttl.Value())
	}
	if _, ok := ppFind[NoticeMsg](msgs); !ok {
		t.Fatal("no notice on reuse")
	}
	open, _ = ppFind[OpenTraceMsg](ppPress(p, "v"))
	if open.ParticleID != ppPID(101) {
		t.Fatalf("v opened %q", open.ParticleID)
	}
	ppPress(p, "up", "up")
	if r := p.selectedRun(); r.id != 2 {
		t.Fatalf("up at the top: run #%d", r.id)
	}
}

func TestRunnerTimeoutAndStartFailure(t *testing.T) {
	sr := &ppScriptRunner{result: ScriptResult{
		TimedOut: true, Error: "particle " + ppPID(101) + " timed out after 5s",
		Diagnosis: "sent to " + ppRelay + "\nwaiting for: " + ppTarget + " op.concat_strings\nunreachable: " + ppDead + ": no addresses",
		Duration:  5 * time.Second,
	}}
	p := ppRunnerPane(t, sr)
	p.SetPath(ppHopToPath)
	p.SetArgs(`{"peers": [], "i": 0}`)
	msgs := ppDeliver(p, p.Update(ppKey("r")))
	if n, ok := ppFind[NoticeMsg](msgs); !ok || n.Level != "warn" || !strings.Contains(n.Text, "timed out") {
		t.Fatalf("timeout notice: %+v", msgs)
	}
	v := ansi.Strip(p.View())
	for _, want := range []string{"⏱ timed out: the TTL of 10s ran out", "Where the particle went", "waiting for: 12D3…jk5m6n op.concat_strings", "unreachable: 12D3…np7q8r: no addresses", "⏱ timed out"} {
		if !strings.Contains(v, want) {
			t.Errorf("timeout view lacks %q:\n%s", want, v)
		}
	}
	sr.err = errors.New("the node is not connected to its relay")
	msgs = ppDeliver(p, p.Update(ppKey("r")))
	if n, ok := ppFind[NoticeMsg](msgs); !ok || n.Level != "error" || !strings.Contains(n.Text, "did not start: the node is not connected") {
		t.Fatalf("start failure: %+v", msgs)
	}
	if _, ok := ppFind[OpenTraceMsg](msgs); ok {
		t.Fatal("a run that did not start opened a trace")
	}
	// No runner attached.
	q := ppRunnerPane(t, nil)
	q.SetPath(ppHopToPath)
	if n, _ := ppFind[NoticeMsg](ppPress(q, "r")); !strings.Contains(n.Text, "no node") {
		t.Fatalf("no runner: %+v", n)
	}
}

func TestRunnerHistoryIsBounded(t *testing.T) {
	sr := &ppScriptRunner{result: ScriptResult{Value: jsonv.IntValue(1)}}
	p := ppRunnerPane(t, sr)
	p.SetPath(ppHopToPath)
	for range runMaxHistory + 7 {
		ppDeliver(p, p.Update(ppKey("r")))
	}
	if p.Runs() != runMaxHistory || p.runs[0].id != runMaxHistory+7 {
		t.Fatalf("%d runs kept, newest #%d", p.Runs(), p.runs[0].id)
	}
}

func TestRunnerTypingCapturesKeys(t *testing.T) {
	p := ppRunnerPane(t, &ppScriptRunner{})
	if p.Typing() {
		t.Fatal("typing before any field is chosen")
	}
	ppPress(p, "o")
	ppType(p, "q?rv")
	if p.path.Value() != "q?rv" || !p.Typing() {
		t.Fatalf("keys typed in the path went elsewhere: %q", p.path.Value())
	}
	ppPress(p, "shift+tab")
	if p.field != runArgsField {
		t.Fatalf("shift+tab from the path: field %d", p.field)
	}
	p.Blur()
	if p.Typing() {
		t.Fatal("blur keeps the keyboard")
	}
}

func TestRunnerResizes(t *testing.T) {
	sr := &ppScriptRunner{result: ScriptResult{Value: jsonv.MustParse(`[` + strings.Repeat(`"`+ppTarget+`",`, 60) + `1]`)}}
	p := ppRunnerPane(t, sr)
	ppOpenFile(t, p, "testdata/runner_bad.air")
	for _, sz := range []struct{ w, h int }{{80, 24}, {80, 12}, {100, 30}, {200, 60}, {40, 10}, {3, 3}} {
		p.SetSize(sz.w, sz.h)
		ppCheckFrame(t, p.View(), sz.w, sz.h)
	}
	p.SetPath(ppHopToPath)
	p.SetArgs(`{"a": 1}`)
	ppPress(p, "esc")
	for range 12 {
		ppDeliver(p, p.Update(ppKey("r")))
	}
	for _, sz := range []struct{ w, h int }{{80, 24}, {80, 12}, {100, 30}, {200, 60}, {40, 10}, {3, 3}} {
		p.SetSize(sz.w, sz.h)
		ppCheckFrame(t, p.View(), sz.w, sz.h)
		ppPress(p, "pgdown")
		ppCheckFrame(t, p.View(), sz.w, sz.h)
	}
}

func TestRunnerGolden(t *testing.T) {
	states := []struct {
		name string
		set  func(t *testing.T, p *Runner, sr *ppScriptRunner)
	}{
		{"empty", func(t *testing.T, p *Runner, sr *ppScriptRunner) {}},
		{"loaded", func(t *testing.T, p *Runner, sr *ppScriptRunner) { ppOpenFile(t, p, ppHopToPath) }},
		{"parseerror", func(t *testing.T, p *Runner, sr *ppScriptRunner) {
			ppOpenFile(t, p, "testdata/runner_bad.air")
			ppPress(p, "esc")
		}},
		{"badargs", func(t *testing.T, p *Runner, sr *ppScriptRunner) {
			ppOpenFile(t, p, ppHopToPath)
			p.SetArgs("{\n  \"peers\": [\"a\", \"b\"],\n  \"i\": 1,\n}")
		}},
		{"result", func(t *testing.T, p *Runner, sr *ppScriptRunner) {
			sr.result = ScriptResult{Value: jsonv.MustParse(`{"greeting":"at ` + ppTarget + `","hops":[1,2,3]}`), Duration: 23 * time.Millisecond}
			ppOpenFile(t, p, ppHopToPath)
			p.SetArgs(`{"peers": ["` + ppClient + `", "` + ppTarget + `"], "i": 1}`)
			ppPress(p, "esc")
			ppDeliver(p, p.Update(ppKey("r")))
			sr.result = ScriptResult{Error: "call to op.concat_strings failed: 10000 local service error", Duration: 4 * time.Millisecond}
			ppDeliver(p, p.Update(ppKey("r")))
			ppPress(p, "down")
		}},
		{"timeout", func(t *testing.T, p *Runner, sr *ppScriptRunner) {
			sr.result = ScriptResult{TimedOut: true, Error: "particle timed out after 5s", Duration: 5 * time.Second,
				Diagnosis: "last data from " + ppRelay + "\nwaiting for: " + ppTarget + " op.concat_strings\nunreachable: " + ppDead + ": failed to dial: no good addresses"}
			ppOpenFile(t, p, ppHopToPath)
			p.SetArgs(`{"peers": [], "i": 0}`)
			p.ttl.SetValue("5s")
			ppPress(p, "esc")
			ppDeliver(p, p.Update(ppKey("r")))
		}},
	}
	for _, st := range states {
		for _, sz := range ppSizes {
			t.Run(fmt.Sprintf("%s_%dx%d", st.name, sz.w, sz.h), func(t *testing.T) {
				sr := &ppScriptRunner{}
				p := NewRunner(ppCommon(t), sr)
				p.SetSize(sz.w, sz.h)
				p.Focus()
				st.set(t, p, sr)
				v := p.View()
				ppCheckFrame(t, v, sz.w, sz.h)
				ppGolden(t, fmt.Sprintf("runner_%s_%dx%d", st.name, sz.w, sz.h), v)
			})
		}
	}
}

func BenchmarkRunnerView(b *testing.B) {
	sr := &ppScriptRunner{result: ScriptResult{Value: jsonv.MustParse(`[` + strings.Repeat(`{"peer":"`+ppTarget+`","n":1},`, 300) + `1]`)}}
	p := NewRunner(ppCommon(b), sr)
	p.SetSize(200, 60)
	p.SetPath(ppHopToPath)
	p.SetArgs(`{"peers": [], "i": 0}`)
	for range 20 {
		ppDeliver(p, p.Update(ppKey("r")))
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = p.View()
	}
}
