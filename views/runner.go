package views

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/reefhq/reef/aqua/air"
	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/internal/uitext"
	"github.com/reefhq/reef/themes"
)

// RunnerKeyMap are the keys of the script runner.
type RunnerKeyMap struct {
	// Open, Args and TTL start editing the file path, the arguments and the TTL.
	Open, Args, TTL key.Binding
	// Run runs the file with the arguments (ctrl+r works while editing too).
	Run key.Binding
	// While editing: Load reads the file (enter in the path), NextField, PrevField, Done.
	Load, NextField, PrevField, Done key.Binding
	// History: Up, Down, Restore (back into the form), Trace (open the run's trace).
	Up, Down, Restore, Trace key.Binding
	ScrollUp, ScrollDown     key.Binding // the result
}

// ShortHelp implements help.KeyMap.
func (k RunnerKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Run, k.Open, k.Args, k.Load, k.NextField, k.Done, k.Restore, k.Trace}
}

// FullHelp implements help.KeyMap.
func (k RunnerKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Run, k.Open, k.Args, k.TTL},
		{k.Load, k.NextField, k.PrevField, k.Done},
		{k.Up, k.Down, k.Restore, k.Trace, k.ScrollUp, k.ScrollDown},
	}
}

func newRunnerKeyMap() RunnerKeyMap {
	return RunnerKeyMap{
		Open:       key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "file")),
		Args:       key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "arguments")),
		TTL:        key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "TTL")),
		Run:        key.NewBinding(key.WithKeys("ctrl+r", "r"), key.WithHelp("ctrl+r", "run")),
		Load:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "load file")),
		NextField:  key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field")),
		PrevField:  key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous field")),
		Done:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "done editing")),
		Up:         key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "previous run")),
		Down:       key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "next run")),
		Restore:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "reuse run")),
		Trace:      key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "view trace")),
		ScrollUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "scroll result")),
		ScrollDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "scroll result")),
	}
}

// RunnerLoadedMsg carries a file read (and parsed) for the runner. Route it to the runner.
type RunnerLoadedMsg struct {
	Path   string
	Source string
	// Params are the script's arguments (getDataSrv functions other than -relay-).
	Params []string
	Err    error

	gen int
}

// RunnerStartedMsg says a run was sent (or could not be). Route it to the runner.
type RunnerStartedMsg struct {
	ParticleID string
	Source     string
	Params     []string
	Err        error

	run    int
	result <-chan ScriptResult
	cancel context.CancelFunc
}

// RunnerResultMsg carries a run's outcome. Route it to the runner.
type RunnerResultMsg struct {
	Result ScriptResult

	run int
}

type runField int

const (
	runNoField runField = iota
	runPathField
	runTTLField
	runArgsField
)

type runState int

const (
	runStarting runState = iota
	runRunning
	runDone
	runNotStarted // the file could not be read or parsed, or the node refused the run
)

// runRecord is one run in the history.
type runRecord struct {
	id       int
	path     string
	args     string // as typed
	argsText string // canonical, for the history line
	ttl      time.Duration
	started  time.Time
	state    runState
	pid      string
	res      ScriptResult
	startErr error
	took     time.Duration
	cancel   context.CancelFunc
	// outcome is the one-line outcome for the history; result the rendered value (both
	// computed once, bounded).
	outcome string
	result  []string
}

// runMaxHistory bounds the run history.
const runMaxHistory = 50

// runMaxFile bounds the script files the runner reads.
const runMaxFile = 1 << 20

// Runner opens an .air file, takes its arguments as a JSON object and runs it through
// the embedded node, showing the result, the error or the timeout diagnosis, with a
// history of runs.
//
// When a run starts the pane returns OpenTraceMsg with its particle id, so the trace
// shows live. The root routes RunnerLoadedMsg, RunnerStartedMsg and RunnerResultMsg
// back to the pane.
type Runner struct {
	c             *Common
	runner        ScriptRunner
	keys          RunnerKeyMap
	width, height int
	focused       bool

	field runField
	path  textinput.Model
	ttl   textinput.Model
	args  textarea.Model

	argsErr string
	ttlErr  string

	// The file as last read.
	loadGen   int
	loading   bool
	file      string
	source    string
	params    []string
	loadErr   error
	lastParse *air.ParseError

	runs   []*runRecord // newest first
	hsel   int
	nextID int
	resTop int

	ink   ppInks
	inkOf *themes.Styles
}

// NewRunner returns a script runner running scripts through runner (which may be nil
// until the node is up: see SetScriptRunner).
func NewRunner(c *Common, runner ScriptRunner) *Runner {
	p := &Runner{c: c, runner: runner, keys: newRunnerKeyMap(), nextID: 1}
	p.path = textinput.New()
	p.path.Prompt = ""
	p.path.Placeholder = "path/to/script.air"
	p.path.CharLimit = 4096
	p.ttl = textinput.New()
	p.ttl.Prompt = ""
	p.ttl.CharLimit = 16
	p.ttl.SetValue("10s")
	p.args = textarea.New()
	p.args.Placeholder = `{"name": "value"}`
	p.args.CharLimit = 64 << 10
	p.args.ShowLineNumbers = true
	p.args.Prompt = ""
	p.syncStyles()
	p.SetSize(80, 24)
	return p
}

// SetScriptRunner attaches the node's script runner.
func (p *Runner) SetScriptRunner(r ScriptRunner) { p.runner = r }

// SetPath puts a file path in the form (e.g. from the command line) without loading it;
// the root may follow with Load.
func (p *Runner) SetPath(path string) { p.path.SetValue(path) }

// SetArgs puts an arguments object in the form.
func (p *Runner) SetArgs(jsonObject string) {
	p.args.SetValue(jsonObject)
	p.validateArgs()
}

// Load reads the file named in the form.
func (p *Runner) Load() tea.Cmd {
	path := strings.TrimSpace(p.path.Value())
	if path == "" {
		return ppNotice("warn", "runner: type the path of an .air file first (o)")
	}
	p.loadGen++
	p.loading = true
	return runLoad(p.loadGen, path)
}

// Title implements Pane.
func (p *Runner) Title() string { return "Runner" }

// SetSize implements Pane.
func (p *Runner) SetSize(width, height int) {
	p.width, p.height = max(width, 0), max(height, 0)
	p.ttl.SetWidth(8)
	p.args.SetWidth(max(p.width, 10))
	p.args.SetHeight(p.argsHeight())
}

// Focus implements Pane.
func (p *Runner) Focus() { p.focused = true }

// Blur implements Pane.
func (p *Runner) Blur() {
	p.focused = false
	p.setField(runNoField)
}

// Typing reports whether a field has the keyboard: the root should then send every key
// (q, ?, tab included) to the pane; esc gives the keyboard back.
func (p *Runner) Typing() bool { return p.field != runNoField }

// KeyMap implements Pane.
func (p *Runner) KeyMap() help.KeyMap {
	k := p.keys
	typing := p.Typing()
	for _, b := range []*key.Binding{&k.Open, &k.Args, &k.TTL} {
		b.SetEnabled(!typing)
	}
	if typing {
		k.Run = key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "run"))
	}
	k.Load.SetEnabled(p.field == runPathField)
	k.NextField.SetEnabled(typing)
	k.PrevField.SetEnabled(typing)
	k.Done.SetEnabled(typing)
	hist := !typing && len(p.runs) > 0
	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.Restore} {
		b.SetEnabled(hist)
	}
	r := p.selectedRun()
	k.Trace.SetEnabled(hist && r != nil && r.pid != "")
	k.ScrollUp.SetEnabled(!typing && r != nil)
	k.ScrollDown.SetEnabled(!typing && r != nil)
	return k
}

// Runs returns the number of runs in the history.
func (p *Runner) Runs() int { return len(p.runs) }

func (p *Runner) selectedRun() *runRecord {
	if p.hsel < 0 || p.hsel >= len(p.runs) {
		return nil
	}
	return p.runs[p.hsel]
}

func (p *Runner) setField(f runField) tea.Cmd {
	p.field = f
	p.path.Blur()
	p.ttl.Blur()
	p.args.Blur()
	switch f {
	case runPathField:
		return p.path.Focus()
	case runTTLField:
		return p.ttl.Focus()
	case runArgsField:
		return p.args.Focus()
	}
	return nil
}

// Update implements Pane.
func (p *Runner) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case RunnerLoadedMsg:
		if msg.gen != p.loadGen {
			return nil
		}
		p.loading = false
		p.setFile(msg.Path, msg.Source, msg.Params, msg.Err)
		if msg.Err != nil {
			return nil
		}
		if strings.TrimSpace(p.args.Value()) == "" && len(msg.Params) > 0 {
			p.args.SetValue(runTemplate(msg.Params))
			p.validateArgs()
		}
	case RunnerStartedMsg:
		return p.started(msg)
	case RunnerResultMsg:
		return p.finished(msg)
	case tea.KeyPressMsg:
		if p.Typing() {
			return p.typingKey(msg)
		}
		return p.handleKey(msg)
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			p.resTop = max(p.resTop-3, 0)
		case tea.MouseWheelDown:
			p.resTop += 3
		}
	default:
		// Cursor and paste messages of the focused field.
		var cmd tea.Cmd
		switch p.field {
		case runPathField:
			p.path, cmd = p.path.Update(msg)
		case runTTLField:
			p.ttl, cmd = p.ttl.Update(msg)
		case runArgsField:
			p.args, cmd = p.args.Update(msg)
			p.validateArgs()
		}
		return cmd
	}
	return nil
}

func (p *Runner) setFile(path, source string, params []string, err error) {
	p.file, p.source, p.params, p.loadErr, p.lastParse = path, source, params, err, nil
	var pe *air.ParseError
	if errors.As(err, &pe) {
		p.lastParse = pe
	}
}

func (p *Runner) typingKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case msg.String() == "ctrl+r":
		return p.run()
	case key.Matches(msg, p.keys.Done):
		return p.setField(runNoField)
	case key.Matches(msg, p.keys.NextField):
		return p.setField(p.field%3 + 1)
	case key.Matches(msg, p.keys.PrevField):
		return p.setField((p.field+1)%3 + 1)
	case p.field == runPathField && key.Matches(msg, p.keys.Load):
		return tea.Batch(p.Load(), p.setField(runArgsField))
	case p.field == runTTLField && msg.String() == "enter":
		p.validateTTL()
		return p.setField(runArgsField)
	}
	var cmd tea.Cmd
	switch p.field {
	case runPathField:
		p.path, cmd = p.path.Update(msg)
	case runTTLField:
		p.ttl, cmd = p.ttl.Update(msg)
		p.validateTTL()
	case runArgsField:
		p.args, cmd = p.args.Update(msg)
		p.validateArgs()
	}
	return cmd
}

func (p *Runner) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, p.keys.Run):
		return p.run()
	case key.Matches(msg, p.keys.Open):
		return p.setField(runPathField)
	case key.Matches(msg, p.keys.Args):
		return p.setField(runArgsField)
	case key.Matches(msg, p.keys.TTL):
		return p.setField(runTTLField)
	case key.Matches(msg, p.keys.Up):
		p.selectRun(p.hsel - 1)
	case key.Matches(msg, p.keys.Down):
		p.selectRun(p.hsel + 1)
	case key.Matches(msg, p.keys.Restore):
		r := p.selectedRun()
		if r == nil {
			return nil
		}
		p.path.SetValue(r.path)
		p.args.SetValue(r.args)
		p.ttl.SetValue(r.ttl.String())
		p.validateArgs()
		p.validateTTL()
		return tea.Batch(p.Load(), ppNotice("info", fmt.Sprintf("runner: run #%d is back in the form; r runs it again", r.id)))
	case key.Matches(msg, p.keys.Trace):
		if r := p.selectedRun(); r != nil && r.pid != "" {
			return ppMsg(OpenTraceMsg{ParticleID: r.pid})
		}
	case key.Matches(msg, p.keys.ScrollUp):
		p.resTop = max(p.resTop-max(p.height/3, 1), 0)
	case key.Matches(msg, p.keys.ScrollDown):
		p.resTop += max(p.height/3, 1)
	}
	return nil
}

func (p *Runner) selectRun(i int) {
	if len(p.runs) == 0 {
		return
	}
	i = min(max(i, 0), len(p.runs)-1)
	if i != p.hsel {
		p.resTop = 0
	}
	p.hsel = i
}

// parsedArgs validates the arguments text: a JSON object (empty text is no arguments).
func (p *Runner) parsedArgs() (map[string]jsonv.Value, string, error) {
	text := strings.TrimSpace(p.args.Value())
	if text == "" {
		return map[string]jsonv.Value{}, "{}", nil
	}
	v, err := jsonv.ParseString(text)
	if err != nil {
		return nil, "", err
	}
	if v.Kind() != jsonv.Object {
		return nil, "", fmt.Errorf("the arguments must be a JSON object ({\"name\": value, …}), not %s", v.TypeName())
	}
	out := make(map[string]jsonv.Value, v.Len())
	for _, m := range v.Members() {
		out[m.Key] = m.Value
	}
	return out, v.String(), nil
}

func (p *Runner) validateArgs() {
	p.argsErr = ""
	if _, _, err := p.parsedArgs(); err != nil {
		p.argsErr = err.Error()
	}
}

func (p *Runner) parsedTTL() (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(p.ttl.Value()))
	if err != nil {
		return 0, fmt.Errorf("TTL %q is not a duration (like 10s or 1m)", p.ttl.Value())
	}
	if d < 100*time.Millisecond || d > time.Hour {
		return 0, fmt.Errorf("TTL %s is out of range (100ms to 1h)", d)
	}
	return d, nil
}

func (p *Runner) validateTTL() {
	p.ttlErr = ""
	if _, err := p.parsedTTL(); err != nil {
		p.ttlErr = err.Error()
	}
}

// run starts a run of the form's file and arguments.
func (p *Runner) run() tea.Cmd {
	path := strings.TrimSpace(p.path.Value())
	args, argsText, err := p.parsedArgs()
	p.validateArgs()
	ttl, terr := p.parsedTTL()
	p.validateTTL()
	switch {
	case path == "":
		return tea.Batch(p.setField(runPathField), ppNotice("warn", "runner: type the path of an .air file first"))
	case err != nil:
		return tea.Batch(p.setField(runArgsField), ppNotice("warn", "runner: fix the arguments first: "+err.Error()))
	case terr != nil:
		return tea.Batch(p.setField(runTTLField), ppNotice("warn", "runner: "+terr.Error()))
	case p.runner == nil:
		return ppNotice("error", "runner: no node is attached to run scripts")
	}
	r := &runRecord{
		id: p.nextID, path: path, args: p.args.Value(), argsText: argsText, ttl: ttl,
		started: p.c.Now(), state: runStarting,
	}
	p.nextID++
	p.runs = append([]*runRecord{r}, p.runs...)
	if len(p.runs) > runMaxHistory {
		for _, old := range p.runs[runMaxHistory:] {
			if old.cancel != nil {
				old.cancel()
			}
		}
		clear(p.runs[runMaxHistory:])
		p.runs = p.runs[:runMaxHistory]
	}
	p.hsel, p.resTop = 0, 0
	p.loadGen++ // a run reads the file anew; a pending load is obsolete
	p.loading = false
	return runStart(p.runner, r.id, path, args, ttl)
}

func (p *Runner) find(id int) *runRecord {
	for _, r := range p.runs {
		if r.id == id {
			return r
		}
	}
	return nil
}

func (p *Runner) started(msg RunnerStartedMsg) tea.Cmd {
	r := p.find(msg.run)
	if r == nil {
		// Dropped from the history while starting.
		if msg.cancel != nil {
			msg.cancel()
		}
		return nil
	}
	// The run read the file anew: show what it found.
	switch {
	case msg.Source != "":
		p.setFile(r.path, msg.Source, msg.Params, runParseErr(msg.Err))
	case msg.Err != nil:
		p.setFile(r.path, "", nil, msg.Err)
	}
	if msg.Err != nil {
		r.state, r.startErr = runNotStarted, msg.Err
		r.outcome = ppShortenIDs(ppClean("✗ " + runFirstLine(ppCutBytes(msg.Err.Error(), 512))))
		r.took = p.c.Now().Sub(r.started)
		return ppNotice("error", fmt.Sprintf("run #%d did not start: %s", r.id, runFirstLine(msg.Err.Error())))
	}
	r.state, r.pid, r.cancel = runRunning, msg.ParticleID, msg.cancel
	return tea.Batch(
		ppMsg(OpenTraceMsg{ParticleID: msg.ParticleID}),
		runWait(r.id, msg.result),
	)
}

func (p *Runner) finished(msg RunnerResultMsg) tea.Cmd {
	r := p.find(msg.run)
	if r == nil {
		return nil
	}
	if r.cancel != nil {
		r.cancel()
		r.cancel = nil
	}
	r.state, r.res = runDone, msg.Result
	switch {
	case msg.Result.TimedOut:
		r.outcome = "⏱ timed out"
	case msg.Result.Error != "":
		r.outcome = "✗ " + runFirstLine(ppCutBytes(msg.Result.Error, 512))
	default:
		r.outcome = "✓ " + ppCutBytes(msg.Result.Value.String(), 512)
		r.result = ppPrettyJSON(msg.Result.Value, 500)
		for i, l := range r.result {
			r.result[i] = ppCutBytes(l, 1024)
		}
	}
	r.outcome = ppShortenIDs(ppClean(r.outcome))
	r.took = msg.Result.Duration
	if r.took <= 0 {
		r.took = p.c.Now().Sub(r.started)
	}
	switch {
	case msg.Result.TimedOut:
		return ppNotice("warn", fmt.Sprintf("run #%d timed out after %s", r.id, ppSpan(r.ttl)))
	case msg.Result.Error != "":
		return ppNotice("error", fmt.Sprintf("run #%d failed: %s", r.id, runFirstLine(ppClean(msg.Result.Error))))
	}
	return ppNotice("info", fmt.Sprintf("run #%d finished in %s", r.id, uitext.Latency(r.took)))
}

func runParseErr(err error) error {
	var pe *air.ParseError
	if errors.As(err, &pe) {
		return pe
	}
	return nil
}

func runFirstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// runRead reads and parses a script file.
func runRead(path string) (source string, params []string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, runMaxFile+1))
	if err != nil {
		return "", nil, err
	}
	if len(b) > runMaxFile {
		return "", nil, fmt.Errorf("%s is larger than %d KiB", path, runMaxFile>>10)
	}
	source = string(b)
	s, err := air.Parse(source)
	if err != nil {
		return source, nil, err
	}
	return source, runParams(s), nil
}

// runParams lists the arguments a compiled Aqua function reads (getDataSrv calls).
func runParams(s *air.Script) []string {
	var out []string
	seen := map[string]bool{}
	air.Walk(s.Root, func(i air.Instr) bool {
		c, ok := i.(*air.Call)
		if !ok || c.Service.Kind != air.Literal || c.Service.Name != "getDataSrv" || c.Function.Kind != air.Literal {
			return true
		}
		if name := c.Function.Name; name != "-relay-" && !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
		return true
	})
	return out
}

// runTemplate is an arguments object with every parameter set to null.
func runTemplate(params []string) string {
	var b strings.Builder
	b.WriteString("{\n")
	for i, n := range params {
		b.WriteString("  ")
		b.WriteString(jsonv.Quote(n))
		b.WriteString(": null")
		if i < len(params)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("}")
	return b.String()
}

func runLoad(gen int, path string) tea.Cmd {
	return func() tea.Msg {
		src, params, err := runRead(path)
		return RunnerLoadedMsg{Path: path, Source: src, Params: params, Err: err, gen: gen}
	}
}

func runStart(runner ScriptRunner, id int, path string, args map[string]jsonv.Value, ttl time.Duration) tea.Cmd {
	return func() tea.Msg {
		src, params, err := runRead(path)
		if err != nil {
			return RunnerStartedMsg{Source: src, Err: err, run: id}
		}
		// The context lives until the result arrives (plus slack after the TTL).
		ctx, cancel := context.WithTimeout(context.Background(), ttl+30*time.Second)
		pid, ch, err := runner.RunScript(ctx, src, args, ttl)
		if err != nil {
			cancel()
			return RunnerStartedMsg{Source: src, Params: params, Err: err, run: id}
		}
		return RunnerStartedMsg{ParticleID: pid, Source: src, Params: params, run: id, result: ch, cancel: cancel}
	}
}

func runWait(id int, ch <-chan ScriptResult) tea.Cmd {
	return func() tea.Msg {
		if ch == nil {
			return RunnerResultMsg{Result: ScriptResult{Error: "the node returned no result channel"}, run: id}
		}
		res, ok := <-ch
		if !ok {
			return RunnerResultMsg{Result: ScriptResult{Error: "the run ended without a result"}, run: id}
		}
		return RunnerResultMsg{Result: res, run: id}
	}
}

// ---- rendering ----

func (p *Runner) argsHeight() int { return min(max(p.height/6, 3), 8) }

func (p *Runner) syncStyles() {
	p.ink.sync(p.c.Styles)
	if p.inkOf == p.c.Styles {
		return
	}
	p.inkOf = p.c.Styles
	s := p.c.Styles
	is := ppInputStyles(s)
	p.path.SetStyles(is)
	p.ttl.SetStyles(is)
	ta := textarea.Styles{
		Focused: textarea.StyleState{Base: s.Base, Text: s.Base, LineNumber: s.Muted, CursorLineNumber: s.Accent,
			CursorLine: s.Base, EndOfBuffer: s.Muted, Placeholder: s.Muted, Prompt: s.Muted, Selection: s.Selected},
		Blurred: textarea.StyleState{Base: s.Base, Text: s.Muted, LineNumber: s.Muted, CursorLineNumber: s.Muted,
			CursorLine: s.Muted, EndOfBuffer: s.Muted, Placeholder: s.Muted, Prompt: s.Muted, Selection: s.Selected},
	}
	ta.Cursor.Color = themes.C(s.Theme.Accent)
	ta.Cursor.Shape = tea.CursorBlock
	p.args.SetStyles(ta)
}

// View implements Pane.
func (p *Runner) View() string {
	if p.width <= 0 || p.height <= 0 {
		return ""
	}
	p.syncStyles()
	w, h := p.width, p.height
	lines := []string{p.statusLine(w)}
	lines = append(lines, p.fileLine(w))
	lines = append(lines, p.fileInfo(w)...)
	// Arguments.
	argsLabel := p.ink.title.on("Arguments") + p.ink.muted.on(" (JSON object)")
	if p.argsErr != "" {
		argsLabel += "  " + p.ink.err.on("✗ "+ppClean(p.argsErr))
	} else if n := p.argCount(); n > 0 {
		argsLabel += "  " + p.ink.ok.on(fmt.Sprintf("✓ %d argument%s", n, runPlural(n)))
	}
	if p.ttlErr != "" {
		argsLabel += "  " + p.ink.err.on("✗ "+ppClean(p.ttlErr))
	}
	lines = append(lines, argsLabel)
	ah := p.argsHeight()
	if p.args.Height() != ah {
		p.args.SetHeight(ah)
	}
	lines = append(lines, ppPadLines(strings.Split(p.args.View(), "\n"), ah)...)
	rest := h - len(lines)
	if rest <= 0 {
		return ppJoin(lines, w, h)
	}
	// History gets up to a third, the result the rest.
	histH := 0
	if len(p.runs) > 0 {
		histH = min(len(p.runs)+1, max(rest/3, 2))
	}
	resH := rest - histH
	lines = append(lines, p.result(w, resH)...)
	if histH > 0 {
		lines = append(lines, p.history(w, histH)...)
	}
	return ppJoin(lines, w, h)
}

func runPlural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func (p *Runner) argCount() int {
	a, _, err := p.parsedArgs()
	if err != nil {
		return 0
	}
	return len(a)
}

func (p *Runner) statusLine(w int) string {
	left := p.ink.title.on("Script runner")
	var right string
	for _, r := range p.runs {
		if r.state == runRunning || r.state == runStarting {
			right = p.ink.info.on(fmt.Sprintf("● run #%d running %s", r.id, uitext.Latency(p.c.Now().Sub(r.started))))
			break
		}
	}
	if right == "" {
		if p.Typing() {
			right = p.ink.muted.on("ctrl+r run · tab next field · esc done")
		} else {
			right = p.ink.muted.on("r run · o file · a args · t TTL")
		}
	}
	return ppSpread(left, right, w)
}

func (p *Runner) fileLine(w int) string {
	label := p.ink.muted.on("File ")
	if p.field == runPathField {
		label = p.ink.key.on("File ")
	}
	ttlLabel := p.ink.muted.on("  TTL ")
	if p.field == runTTLField {
		ttlLabel = p.ink.key.on("  TTL ")
	}
	pathW := max(w-5-6-10, 8)
	if p.path.Width() != pathW-2 {
		p.path.SetWidth(pathW - 2)
	}
	pathView := uitext.Fit(p.path.View(), pathW)
	return label + pathView + ttlLabel + p.ttl.View()
}

// fileInfo says what the file is: loaded and parsed (with its arguments), or why not,
// with the parse errors and a caret under each.
func (p *Runner) fileInfo(w int) []string {
	switch {
	case p.loading:
		return []string{p.ink.info.on("  reading " + ppClean(strings.TrimSpace(p.path.Value())) + "…")}
	case p.file == "" && p.loadErr == nil:
		return []string{p.ink.muted.on("  no file loaded: o, type a path, enter")}
	case p.lastParse != nil:
		return p.parseErrorLines(p.lastParse, w)
	case p.loadErr != nil:
		return []string{p.ink.err.on("  ✗ " + ppClean(p.loadErr.Error()))}
	}
	n := strings.Count(p.source, "\n")
	if !strings.HasSuffix(p.source, "\n") {
		n++
	}
	info := fmt.Sprintf("  ✓ %s · %d lines · parsed", filepath.Base(p.file), n)
	if len(p.params) > 0 {
		info += " · arguments: " + strings.Join(p.params, ", ")
	} else {
		info += " · no arguments"
	}
	return []string{p.ink.ok.on(ppClean(info))}
}

// runMaxDiagnostics bounds the parse errors shown.
const runMaxDiagnostics = 3

func (p *Runner) parseErrorLines(pe *air.ParseError, w int) []string {
	out := []string{p.ink.err.on(fmt.Sprintf("  ✗ %s does not parse (%d error%s)", ppClean(filepath.Base(p.file)), len(pe.Diagnostics), runPlural(len(pe.Diagnostics))))}
	for i, d := range pe.Diagnostics {
		if i == runMaxDiagnostics {
			out = append(out, p.ink.muted.on(fmt.Sprintf("    … %d more", len(pe.Diagnostics)-i)))
			break
		}
		for k, l := range strings.Split(ansi.Wordwrap(ppClean(d.String()), max(w-6, 20), " "), "\n") {
			if k == 3 {
				break
			}
			if k > 0 {
				l = "  " + l
			}
			out = append(out, p.ink.err.on("    "+l))
		}
		snippet, caret := runCaret(pe.Source, d, max(w-6, 10))
		out = append(out, "    "+p.ink.base.on(snippet), "    "+p.ink.err.on(caret))
	}
	return out
}

// runCaret returns the diagnostic's source line, cut to a window of at most width
// characters around its column, and a caret line marking the offending span.
func runCaret(src string, d air.Diagnostic, width int) (string, string) {
	start := min(max(d.Span.Start, 0), len(src))
	ls := strings.LastIndexByte(src[:start], '\n') + 1
	le := strings.IndexByte(src[start:], '\n')
	if le < 0 {
		le = len(src)
	} else {
		le += start
	}
	line := []rune(ppClean(src[ls:le])) // ppClean keeps one character per character
	col := utf8.RuneCountInString(src[ls:start])
	span := 1
	if end := min(max(d.Span.End, start), le); end > start {
		span = utf8.RuneCountInString(src[start:end])
	}
	from := 0
	if col > width*2/3 {
		from = col - width/3
	}
	to := min(len(line), from+width)
	prefix, suffix := "", ""
	if from > 0 {
		prefix = "…"
		from++
	}
	if to < len(line) {
		suffix = "…"
		to--
	}
	snippet := prefix + string(line[from:to]) + suffix
	pad := col - from + len([]rune(prefix))
	span = max(min(span, width-pad), 1)
	caret := strings.Repeat(" ", max(pad, 0)) + "^" + strings.Repeat("~", span-1)
	return snippet, caret
}

func (p *Runner) result(w, h int) []string {
	if h <= 0 {
		return nil
	}
	r := p.selectedRun()
	if r == nil {
		return ppPadLines([]string{p.ink.title.on("Result"), p.ink.muted.on("  no run yet: r runs the file with the arguments; the trace opens live")}, h)
	}
	head := p.ink.title.on(fmt.Sprintf("Result · run #%d", r.id))
	if r.pid != "" {
		head += p.ink.muted.on(" · particle " + ppShortParticle(r.pid))
	}
	if r.state == runDone || r.state == runNotStarted {
		head += p.ink.muted.on(" · " + uitext.Latency(r.took))
	}
	var body []string
	switch r.state {
	case runStarting:
		body = []string{p.ink.info.on("  starting…")}
	case runRunning:
		body = []string{
			p.ink.info.on(fmt.Sprintf("  ● running for %s (TTL %s)", uitext.Latency(p.c.Now().Sub(r.started)), ppSpan(r.ttl))),
			p.ink.muted.on("  the particle's trace is live in the Trace pane (v opens it)"),
		}
	case runNotStarted:
		body = p.wrap("✗ did not start: "+r.startErr.Error(), w, p.ink.err)
	case runDone:
		res := r.res
		switch {
		case res.TimedOut:
			body = p.wrap(fmt.Sprintf("⏱ timed out: the TTL of %s ran out before the script returned", ppSpan(r.ttl)), w, p.ink.warn)
			if res.Error != "" {
				body = append(body, p.wrap(res.Error, w, p.ink.err)...)
			}
			if res.Diagnosis != "" {
				body = append(body, p.ink.title.on("  Where the particle went"))
				for _, l := range strings.Split(res.Diagnosis, "\n") {
					body = append(body, p.wrap(l, w, p.ink.base)...)
				}
			}
			body = append(body, p.ink.muted.on("  v: the trace says which peer it last reached and what it waited for"))
		case res.Error != "":
			body = p.wrap("✗ "+res.Error, w, p.ink.err)
		default:
			for _, l := range r.result {
				body = append(body, "  "+p.ink.ok.on(l))
			}
		}
	}
	rows := h - 1
	p.resTop = max(min(p.resTop, len(body)-rows), 0)
	body = body[p.resTop:]
	if p.resTop > 0 && len(body) > 0 {
		body[0] = p.ink.muted.on(fmt.Sprintf("  ↑ %d more lines (pgup)", p.resTop))
	}
	if rows > 0 && len(body) > rows {
		body = body[:rows]
		body[rows-1] = p.ink.muted.on("  ↓ more (pgdn)")
	}
	return ppPadLines(append([]string{head}, body...), h)
}

func (p *Runner) wrap(s string, w int, ink ppInk) []string {
	var out []string
	for _, l := range strings.Split(ansi.Wordwrap(ppShortenIDs(ppClean(s)), max(w-4, 20), " "), "\n") {
		out = append(out, "  "+ink.on(l))
	}
	return out
}

func (p *Runner) history(w, h int) []string {
	out := []string{p.ink.title.on(fmt.Sprintf("History (%d)", len(p.runs))) + p.ink.muted.on("  ↑↓ select · enter reuse · v trace")}
	rows := h - 1
	top := 0
	if p.hsel >= rows {
		top = p.hsel - rows + 1
	}
	for i := top; i < len(p.runs) && len(out) < h; i++ {
		out = append(out, p.historyRow(p.runs[i], i == p.hsel, w))
	}
	return ppPadLines(out, h)
}

func (p *Runner) historyRow(r *runRecord, selected bool, w int) string {
	pid := "-"
	if r.pid != "" {
		pid = ppShortParticle(r.pid)
	}
	outcome, ink := r.outcome, p.ink.base
	switch r.state {
	case runStarting, runRunning:
		outcome, ink = "● running", p.ink.info
	case runNotStarted:
		ink = p.ink.err
	case runDone:
		switch {
		case r.res.TimedOut:
			ink = p.ink.warn
		case r.res.Error != "":
			ink = p.ink.err
		default:
			ink = p.ink.ok
		}
	}
	took := ""
	if r.state == runDone || r.state == runNotStarted {
		took = uitext.Latency(r.took)
	}
	fields := uitext.Fit("#"+strconv.Itoa(r.id), 4) + " " + uitext.Fit(ppClean(filepath.Base(r.path)), 14)
	meta := uitext.FitLeft(took, 7) + " " + uitext.Fit(pid, 8)
	out := uitext.Truncate(outcome, max(w-2-20-17-2-12, 24))
	args := ppShortenIDs(ppClean(ppCutBytes(r.argsText, 2*w)))
	if selected {
		return p.ink.selected.on(uitext.Fit("▸ "+fields+" "+meta+"  "+out+"  "+args, w))
	}
	return "  " + fields + " " + p.ink.muted.on(meta) + "  " + ink.on(out) + "  " + p.ink.muted.on(args)
}
