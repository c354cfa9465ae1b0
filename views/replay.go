package views

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/internal/uitext"
	"github.com/reefhq/reef/peer/recorder"
)

// ReplayKeyMap are the keys of the step-through replay.
type ReplayKeyMap struct {
	Next, Prev           key.Binding
	NextCall, PrevCall   key.Binding
	NextErr, PrevErr     key.Binding
	First, Last          key.Binding
	Leaf                 key.Binding // leaf steps only / every step
	ScrollUp, ScrollDown key.Binding // the variables
}

// ShortHelp implements help.KeyMap.
func (k ReplayKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Next, k.Prev, k.NextCall, k.NextErr, k.Leaf}
}

// FullHelp implements help.KeyMap.
func (k ReplayKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Next, k.Prev, k.First, k.Last},
		{k.NextCall, k.PrevCall, k.NextErr, k.PrevErr},
		{k.Leaf, k.ScrollUp, k.ScrollDown},
	}
}

func newReplayKeyMap() ReplayKeyMap {
	return ReplayKeyMap{
		Next:       key.NewBinding(key.WithKeys("right", "l", "n"), key.WithHelp("→/n", "next step")),
		Prev:       key.NewBinding(key.WithKeys("left", "h", "p"), key.WithHelp("←/p", "previous step")),
		NextCall:   key.NewBinding(key.WithKeys("]", "c"), key.WithHelp("]/c", "next call")),
		PrevCall:   key.NewBinding(key.WithKeys("[", "C"), key.WithHelp("[/C", "previous call")),
		NextErr:    key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "next error")),
		PrevErr:    key.NewBinding(key.WithKeys("E"), key.WithHelp("E", "previous error")),
		First:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("home/g", "first step")),
		Last:       key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end/G", "last step")),
		Leaf:       key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "leaf/all steps")),
		ScrollUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "scroll variables")),
		ScrollDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn", "scroll variables")),
	}
}

// ReplayLoadedMsg carries the result of the command returned by Replay.Open. The root
// routes it to the replay pane (whatever has focus).
type ReplayLoadedMsg struct {
	ParticleID string
	Hop        int
	Replay     *recorder.Replay
	Err        error

	gen int
}

// replayTimeout bounds one replay (a run re-executed with an observer).
const replayTimeout = 30 * time.Second

// Replay steps through one hop's execution instruction by instruction: the original
// script with the current instruction highlighted, the variables and streams after the
// step (with what it changed marked) and what the step did (call, canon, error).
//
// The root calls Open on OpenReplayMsg and routes the ReplayLoadedMsg back.
type Replay struct {
	c             *Common
	src           TraceSource
	keys          ReplayKeyMap
	width, height int
	focused       bool

	pid    string
	hop    int
	gen    int
	cancel context.CancelFunc

	loading bool
	err     error
	rp      *recorder.Replay

	all    bool   // every step, not just leaves
	origin []bool // per step: the step raised its error (it was not propagated from a child)
	vis    []int  // steps shown, as indices into rp.Steps
	pos    int    // index into vis
	lines  []int  // byte offset of each script line
	scrTop int    // first script line shown (0-based)
	varTop int

	ink ppInks
}

// NewReplay returns an empty replay pane reading from src.
func NewReplay(c *Common, src TraceSource) *Replay {
	p := &Replay{c: c, src: src, keys: newReplayKeyMap()}
	p.SetSize(80, 24)
	return p
}

// SetSource replaces the trace source (the root may build the pane before the node).
func (p *Replay) SetSource(src TraceSource) { p.src = src }

// Title implements Pane.
func (p *Replay) Title() string { return "Replay" }

// SetSize implements Pane.
func (p *Replay) SetSize(width, height int) {
	p.width, p.height = max(width, 0), max(height, 0)
	p.syncScroll(true)
}

// Focus implements Pane.
func (p *Replay) Focus() { p.focused = true }

// Blur implements Pane.
func (p *Replay) Blur() { p.focused = false }

// Typing implements the root's "captures keys" check: the replay never edits text.
func (p *Replay) Typing() bool { return false }

// KeyMap implements Pane.
func (p *Replay) KeyMap() help.KeyMap {
	k := p.keys
	ready := p.rp != nil && len(p.vis) > 0
	cur := p.step()
	for _, b := range []*key.Binding{&k.Next, &k.Prev, &k.First, &k.Last, &k.Leaf, &k.ScrollUp, &k.ScrollDown} {
		b.SetEnabled(ready)
	}
	k.Next.SetEnabled(ready && p.pos < len(p.vis)-1)
	k.Prev.SetEnabled(ready && p.pos > 0)
	k.NextCall.SetEnabled(ready && p.find(cur+1, 1, p.isCall) >= 0)
	k.PrevCall.SetEnabled(ready && p.find(cur-1, -1, p.isCall) >= 0)
	k.NextErr.SetEnabled(ready && p.find(cur+1, 1, p.isErr) >= 0)
	k.PrevErr.SetEnabled(ready && p.find(cur-1, -1, p.isErr) >= 0)
	return k
}

// Open starts replaying hop (its Seq) of a particle. The replay runs in the returned
// command; its ReplayLoadedMsg must be routed back to the pane. A replay still running
// is cancelled and its result ignored.
func (p *Replay) Open(particleID string, hop int) tea.Cmd {
	if p.cancel != nil {
		p.cancel()
	}
	p.gen++
	p.pid, p.hop = particleID, hop
	p.loading, p.err, p.rp = true, nil, nil
	p.vis, p.origin, p.lines = nil, nil, nil
	p.pos, p.scrTop, p.varTop = 0, 0, 0
	src := p.src
	if src == nil {
		p.loading, p.err = false, errors.New("no particle history is attached to the console")
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), replayTimeout)
	p.cancel = cancel
	return p.load(ctx, src, p.gen, particleID, hop)
}

func (p *Replay) load(ctx context.Context, src TraceSource, gen int, pid string, hop int) tea.Cmd {
	return func() tea.Msg {
		rp, err := src.Replay(ctx, pid, hop)
		return ReplayLoadedMsg{ParticleID: pid, Hop: hop, Replay: rp, Err: err, gen: gen}
	}
}

// SetReplay shows a replay directly (for a root that ran it itself, and for tests).
func (p *Replay) SetReplay(rp *recorder.Replay) {
	if p.cancel != nil {
		p.cancel()
		p.cancel = nil
	}
	p.gen++
	p.loading, p.err = false, nil
	p.show(rp)
}

// Loading reports whether a replay is running.
func (p *Replay) Loading() bool { return p.loading }

// Err is why the last replay could not be shown.
func (p *Replay) Err() error { return p.err }

// Current returns the step shown.
func (p *Replay) Current() (recorder.Step, bool) {
	if i := p.step(); i >= 0 {
		return p.rp.Steps[i], true
	}
	return recorder.Step{}, false
}

// Position returns the current step's place among the shown steps (0-based) and their
// number.
func (p *Replay) Position() (pos, shown int) { return p.pos, len(p.vis) }

// AllSteps reports whether every step is shown (not only leaves).
func (p *Replay) AllSteps() bool { return p.all }

func (p *Replay) show(rp *recorder.Replay) {
	p.rp = rp
	if rp == nil {
		return
	}
	p.pid, p.hop = rp.ParticleID, rp.Hop
	p.origin = make([]bool, len(rp.Steps))
	for i := range rp.Steps {
		e := rp.Steps[i].Err
		if e == nil {
			continue
		}
		if i == 0 {
			p.origin[i] = true
			continue
		}
		prev := rp.Steps[i-1].Err
		p.origin[i] = prev == nil || prev.Code != e.Code || prev.Message != e.Message
	}
	p.lines = p.lines[:0]
	p.lines = append(p.lines, 0)
	for i := 0; i < len(rp.Script); i++ {
		if rp.Script[i] == '\n' {
			p.lines = append(p.lines, i+1)
		}
	}
	p.rebuild(-1)
}

// rebuild recomputes the shown steps and keeps step cur (or the next shown one) current.
func (p *Replay) rebuild(cur int) {
	p.vis = p.vis[:0]
	for i := range p.rp.Steps {
		if p.all || p.rp.Steps[i].Leaf || p.origin[i] {
			p.vis = append(p.vis, i)
		}
	}
	p.pos = 0
	if cur >= 0 && len(p.vis) > 0 {
		p.pos, _ = slices.BinarySearch(p.vis, cur)
		p.pos = min(p.pos, len(p.vis)-1)
	}
	p.syncScroll(true)
}

// step is the index in rp.Steps of the current step, or -1.
func (p *Replay) step() int {
	if p.rp == nil || p.pos < 0 || p.pos >= len(p.vis) {
		return -1
	}
	return p.vis[p.pos]
}

func (p *Replay) isCall(i int) bool { return p.rp.Steps[i].Call != nil }
func (p *Replay) isErr(i int) bool  { return p.origin[i] }

// find returns the position in vis of the first shown step from step index i on (dir 1)
// or back (dir -1) that satisfies ok, or -1.
func (p *Replay) find(i, dir int, ok func(int) bool) int {
	if p.rp == nil || len(p.vis) == 0 {
		return -1
	}
	pos, _ := slices.BinarySearch(p.vis, i)
	if dir < 0 {
		if pos >= len(p.vis) || p.vis[pos] > i {
			pos--
		}
	}
	for ; pos >= 0 && pos < len(p.vis); pos += dir {
		if ok(p.vis[pos]) {
			return pos
		}
	}
	return -1
}

// Update implements Pane.
func (p *Replay) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case ReplayLoadedMsg:
		if msg.gen != p.gen {
			return nil // a replay the user moved away from
		}
		if p.cancel != nil {
			p.cancel()
			p.cancel = nil
		}
		p.loading = false
		if msg.Err != nil {
			p.err = msg.Err
			return nil
		}
		p.show(msg.Replay)
		if msg.Replay != nil && msg.Replay.Truncated {
			return ppNotice("warn", fmt.Sprintf("replay: the run has more than %s steps; the first ones are shown", ppCount(recorder.MaxReplaySteps)))
		}
	case tea.KeyPressMsg:
		return p.handleKey(msg)
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			p.moveTo(p.pos - 1)
		case tea.MouseWheelDown:
			p.moveTo(p.pos + 1)
		}
	}
	return nil
}

func (p *Replay) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	if p.rp == nil || len(p.vis) == 0 {
		return nil
	}
	cur := p.step()
	jump := func(pos int, what string) tea.Cmd {
		if pos < 0 {
			return ppNotice("info", "replay: no "+what)
		}
		p.moveTo(pos)
		return nil
	}
	switch {
	case key.Matches(msg, p.keys.Next):
		p.moveTo(p.pos + 1)
	case key.Matches(msg, p.keys.Prev):
		p.moveTo(p.pos - 1)
	case key.Matches(msg, p.keys.First):
		p.moveTo(0)
	case key.Matches(msg, p.keys.Last):
		p.moveTo(len(p.vis) - 1)
	case key.Matches(msg, p.keys.NextCall):
		return jump(p.find(cur+1, 1, p.isCall), "call after this step")
	case key.Matches(msg, p.keys.PrevCall):
		return jump(p.find(cur-1, -1, p.isCall), "call before this step")
	case key.Matches(msg, p.keys.NextErr):
		return jump(p.find(cur+1, 1, p.isErr), "error after this step")
	case key.Matches(msg, p.keys.PrevErr):
		return jump(p.find(cur-1, -1, p.isErr), "error before this step")
	case key.Matches(msg, p.keys.Leaf):
		p.all = !p.all
		p.rebuild(cur)
		if p.all {
			return ppNotice("info", "replay: showing every step (seq, par, xor, fold… complete after their children)")
		}
		return ppNotice("info", "replay: showing leaf steps (call, canon, ap, next, fail, null…)")
	case key.Matches(msg, p.keys.ScrollUp):
		p.varTop = max(p.varTop-max(p.height/3, 1), 0)
	case key.Matches(msg, p.keys.ScrollDown):
		p.varTop += max(p.height/3, 1)
	}
	return nil
}

func (p *Replay) moveTo(pos int) {
	if len(p.vis) == 0 {
		return
	}
	p.pos = min(max(pos, 0), len(p.vis)-1)
	p.syncScroll(false)
}

// layout of the ready view: header, ruler, body (script | variables), step details.
func (p *Replay) detailHeight() int { return min(max(p.height/4, 4), 8) }
func (p *Replay) bodyHeight() int   { return max(p.height-2-p.detailHeight(), 0) }

// syncScroll keeps the current instruction's first line in view, away from the edges;
// force recentres it.
func (p *Replay) syncScroll(force bool) {
	i := p.step()
	if i < 0 {
		return
	}
	rows := max(p.bodyHeight()-1, 1)
	l := max(p.rp.Steps[i].Line-1, 0)
	margin := min(2, rows/4)
	if force || l < p.scrTop+margin || l > p.scrTop+rows-1-margin {
		p.scrTop = l - rows/3
	}
	p.scrTop = max(min(p.scrTop, len(p.lines)-rows), 0)
}

// View implements Pane.
func (p *Replay) View() string {
	if p.width <= 0 || p.height <= 0 {
		return ""
	}
	p.ink.sync(p.c.Styles)
	w, h := p.width, p.height
	switch {
	case p.loading:
		return ppJoin([]string{
			p.ink.title.on("Replay"), "",
			p.ink.info.on(fmt.Sprintf("  Replaying hop #%d of particle %s…", p.hop, ppShortParticle(ppClean(p.pid)))),
			p.ink.muted.on("  re-running the hop's recorded input with an observer on every instruction"),
		}, w, h)
	case p.err != nil:
		return ppJoin(p.errorLines(), w, h)
	case p.rp == nil:
		return ppJoin([]string{
			p.ink.title.on("Replay"), "",
			p.ink.muted.on("  No replay open. In the Trace pane, select a hop marked ● and press enter"),
			p.ink.muted.on("  to step through its execution instruction by instruction."),
		}, w, h)
	}
	lines := []string{p.header()}
	if len(p.vis) == 0 {
		msg := fmt.Sprintf("  The run executed no instruction (ret %d", p.rp.RetCode)
		if p.rp.Error != "" {
			msg += ": " + ppShortenIDs(ppClean(p.rp.Error))
		}
		lines = append(lines, "", p.ink.warn.on(msg+")."))
		return ppJoin(lines, w, h)
	}
	legend := p.ink.info.on("•") + p.ink.muted.on(" call ") + p.ink.err.on("✗") + p.ink.muted.on(" error ") + p.ink.hi.on("◆") + p.ink.muted.on(" here")
	if rw := w - 2 - uitext.Width(legend); rw >= 10 {
		lines = append(lines, uitext.Fit(p.ruler(rw), rw)+"  "+legend)
	} else {
		lines = append(lines, p.ruler(w))
	}
	bh := p.bodyHeight()
	if w >= 60 {
		sw := w * 3 / 5
		vw := w - sw - 3
		script := p.script(sw, bh)
		vars := p.vars(vw, bh)
		sep := p.ink.muted.on(" │ ")
		for i := range bh {
			lines = append(lines, uitext.Fit(script[i], sw)+sep+vars[i])
		}
	} else {
		sh := bh / 2
		lines = append(lines, p.script(w, sh)...)
		lines = append(lines, p.vars(w, bh-sh)...)
	}
	lines = append(lines, p.details(w, p.detailHeight())...)
	return ppJoin(lines, w, h)
}

func (p *Replay) errorLines() []string {
	title := fmt.Sprintf("Hop #%d of particle %s", p.hop, ppShortParticle(ppClean(p.pid)))
	if errors.Is(p.err, recorder.ErrNotReplayable) {
		return []string{
			p.ink.title.on("Replay"), "",
			p.ink.warn.on("  " + title + " cannot be replayed: its input is not recorded."),
			"",
			p.ink.muted.on("  Only hops run by this console's own nodes keep their input, and only for the"),
			p.ink.muted.on("  most recent particles (the history is bounded). Hops reported by other nodes"),
			p.ink.muted.on("  (◇ in the trace) show their calls and results but cannot be re-executed."),
		}
	}
	out := []string{p.ink.title.on("Replay"), "", p.ink.err.on("  Replay of " + strings.ToLower(title[:1]) + title[1:] + " failed:")}
	for _, l := range strings.Split(p.err.Error(), "\n") {
		out = append(out, p.ink.err.on("    "+ppShortenIDs(ppClean(l))))
	}
	return out
}

func (p *Replay) header() string {
	rp := p.rp
	i := p.step()
	mode := "leaf steps"
	if p.all {
		mode = "all steps"
	}
	var b strings.Builder
	b.WriteString(p.ink.title.on(fmt.Sprintf("Replay hop #%d", rp.Hop)))
	b.WriteString(p.ink.muted.on(" on " + uitext.ShortID(ppClean(rp.Peer)) + " · particle " + ppShortParticle(ppClean(rp.ParticleID)) + " · "))
	if i >= 0 {
		b.WriteString(p.ink.accent.on(fmt.Sprintf("step %d/%d", p.pos+1, len(p.vis))))
	}
	b.WriteString(p.ink.muted.on(" " + mode))
	if rp.Truncated {
		b.WriteString(p.ink.warn.on(" (truncated)"))
	}
	b.WriteString(p.ink.muted.on(" · "))
	if rp.RetCode == 0 {
		b.WriteString(p.ink.ok.on("ret 0"))
	} else {
		b.WriteString(p.ink.err.on(fmt.Sprintf("ret %d ✗", rp.RetCode)))
	}
	return b.String()
}

// ruler is a one-line map of the shown steps: calls (•), errors (✗) and where we are.
func (p *Replay) ruler(w int) string {
	n := len(p.vis)
	cols := min(n, w)
	if cols <= 0 {
		return ""
	}
	kind := make([]byte, cols)
	for k, i := range p.vis {
		c := k * cols / n
		switch {
		case p.origin[i]:
			kind[c] = 2
		case kind[c] == 0 && p.rp.Steps[i].Call != nil:
			kind[c] = 1
		}
	}
	cur := p.pos * cols / n
	var b strings.Builder
	run, runKind := 0, byte(255)
	flush := func() {
		if run == 0 {
			return
		}
		switch runKind {
		case 0:
			b.WriteString(p.ink.muted.on(strings.Repeat("─", run)))
		case 1:
			b.WriteString(p.ink.info.on(strings.Repeat("•", run)))
		case 2:
			b.WriteString(p.ink.err.on(strings.Repeat("✗", run)))
		}
		run = 0
	}
	for c, k := range kind {
		if c == cur {
			flush()
			b.WriteString(p.ink.hi.on("◆"))
			runKind = 255
			continue
		}
		if k != runKind {
			flush()
			runKind = k
		}
		run++
	}
	flush()
	return b.String()
}

// script renders the original script text with the current instruction highlighted, in
// exactly h lines of at most w cells.
func (p *Replay) script(w, h int) []string {
	if h <= 0 {
		return nil
	}
	st := &p.rp.Steps[p.step()]
	src := p.rp.Script
	out := []string{p.ink.title.on("Script") + p.ink.muted.on(fmt.Sprintf(" · %s at %d:%d", ppClean(st.Kind), st.Line, st.Col))}
	rows := h - 1
	top := max(min(p.scrTop, len(p.lines)-rows), 0)
	numW := len(strconv.Itoa(len(p.lines)))
	avail := max(w-numW-2, 1)
	sp := st.Span
	// Scroll sideways when the instruction starts beyond the visible part of its line.
	xoff := 0
	if l := st.Line - 1; l >= 0 && l < len(p.lines) {
		ls := p.lines[l]
		start := min(max(sp.Start, ls), len(src))
		if col := uitext.Width(ppClean(src[ls:start])); col > avail-8 {
			xoff = col - avail/3
		}
	}
	for l := top; l < len(p.lines) && len(out) < h; l++ {
		ls, le := p.lines[l], len(src)
		if l+1 < len(p.lines) {
			le = p.lines[l+1] - 1
		}
		if le > ls && src[le-1] == '\r' {
			le--
		}
		inSpan := sp.Start < le && sp.End > ls || sp.Start == ls && sp.End == ls
		var text string
		if inSpan {
			a, z := min(max(sp.Start, ls), le), min(max(sp.End, ls), le)
			text = ppClean(src[ls:a]) + p.ink.hi.on(ppClean(src[a:z])) + ppClean(src[z:le])
		} else {
			text = ppClean(src[ls:le])
		}
		if xoff > 0 {
			text = ansi.Cut(text, xoff, xoff+avail+1)
		}
		num := uitext.FitLeft(strconv.Itoa(l+1), numW)
		gutter := p.ink.muted.on(num + " ")
		if l == st.Line-1 {
			gutter = p.ink.accent.on(num + "▶")
		} else if inSpan {
			gutter = p.ink.accent.on(num + "│")
		}
		out = append(out, gutter+" "+uitext.Truncate(text, avail))
	}
	return ppPadLines(out, h)
}

// vars renders the scalars and streams after the current step, marking what it changed,
// in exactly h lines of at most w cells.
func (p *Replay) vars(w, h int) []string {
	if h <= 0 {
		return nil
	}
	i := p.step()
	st := &p.rp.Steps[i]
	var prev *recorder.Step
	if i > 0 {
		prev = &p.rp.Steps[i-1]
	}
	shorten := w < 80
	val := func(s string) string {
		s = ppClean(ppCutBytes(s, 4*w))
		if shorten {
			s = ppShortenIDs(s)
		}
		return s
	}
	var body []string
	mark := func(state byte) string {
		switch state {
		case '+':
			return p.ink.ok.on("+ ")
		case '~':
			return p.ink.warn.on("~ ")
		case '-':
			return p.ink.muted.on("- ")
		}
		return "  "
	}
	// Scalars.
	names := make([]string, 0, len(st.Scalars))
	for n := range st.Scalars {
		names = append(names, n)
	}
	var gone []string
	if prev != nil {
		for n := range prev.Scalars {
			if _, ok := st.Scalars[n]; !ok {
				gone = append(gone, n)
			}
		}
	}
	slices.Sort(names)
	slices.Sort(gone)
	changed := 0
	for _, n := range names {
		v := st.Scalars[n]
		state := byte(' ')
		if prev != nil || i == 0 {
			var pv jsonv.Value
			var had bool
			if prev != nil {
				pv, had = prev.Scalars[n]
			}
			switch {
			case !had:
				state = '+'
			case !jsonv.Equal(pv, v):
				state = '~'
			}
		}
		if state != ' ' {
			changed++
		}
		nameInk := p.ink.base
		if state != ' ' {
			nameInk = p.ink.accent
		}
		body = append(body, mark(state)+nameInk.on(ppClean(n))+p.ink.muted.on(" = ")+val(v.String()))
	}
	for _, n := range gone {
		body = append(body, mark('-')+p.ink.muted.on(ppClean(n)+" (out of scope)"))
	}
	head := []string{p.ink.title.on(fmt.Sprintf("Scalars (%d)", len(names))) + p.replayChanged(changed)}
	if len(names) == 0 && len(gone) == 0 {
		body = append(body, p.ink.muted.on("  none"))
	}
	// Streams.
	snames := make([]string, 0, len(st.Streams))
	for n := range st.Streams {
		snames = append(snames, n)
	}
	slices.Sort(snames)
	body = append(body, p.ink.title.on(fmt.Sprintf("Streams (%d)", len(snames))))
	for _, n := range snames {
		vs := st.Streams[n]
		state := byte(' ')
		if prev != nil {
			pv, had := prev.Streams[n]
			switch {
			case !had:
				state = '+'
			case !slices.EqualFunc(pv, vs, jsonv.Equal):
				state = '~'
			}
		} else if i == 0 {
			state = '+'
		}
		nameInk := p.ink.base
		if state != ' ' {
			nameInk = p.ink.accent
		}
		var b strings.Builder
		for k, v := range vs {
			if k > 0 {
				b.WriteString(", ")
			}
			if b.Len() > w*2 {
				b.WriteString("…")
				break
			}
			b.WriteString(val(v.String()))
		}
		body = append(body, mark(state)+nameInk.on(ppClean(n))+p.ink.muted.on(fmt.Sprintf(" [%d]", len(vs)))+" "+b.String())
	}
	if len(snames) == 0 {
		body = append(body, p.ink.muted.on("  none"))
	}
	rows := h - len(head)
	p.varTop = max(min(p.varTop, len(body)-rows), 0)
	body = body[p.varTop:]
	if p.varTop > 0 && len(body) > 0 {
		body[0] = p.ink.muted.on(fmt.Sprintf("  ↑ %d more (pgup)", p.varTop))
	}
	if rows > 0 && len(body) > rows {
		body = body[:rows]
		body[rows-1] = p.ink.muted.on("  ↓ more (pgdn)")
	}
	return ppPadLines(append(head, body...), h)
}

func (p *Replay) replayChanged(n int) string {
	if n == 0 {
		return ""
	}
	return p.ink.muted.on(fmt.Sprintf(" · %d changed", n))
}

var replayOutcome = map[aqua.CallOutcome]string{
	aqua.CallJoined:    "joined: an operand is not known yet, so nothing happened",
	aqua.CallRouted:    "routed: the particle goes to the call's peer to run it there",
	aqua.CallRequested: "requested: the call went to the host; its result comes in a later run",
	aqua.CallWaiting:   "waiting: for the host's result or for another peer",
	aqua.CallApplied:   "applied: the host's result was applied",
	aqua.CallReplayed:  "replayed: the result was already in the particle's data",
	aqua.CallFailed:    "failed: the service returned an error",
}

// details describes the current step in exactly h lines.
func (p *Replay) details(w, h int) []string {
	i := p.step()
	st := &p.rp.Steps[i]
	var out []string
	loc := fmt.Sprintf(" %d:%d", st.Line, st.Col)
	disp := ppShortenIDs(ppClean(strings.TrimSpace(st.Display)))
	out = append(out, ppSpread(p.ink.accent.on("▶ ")+p.ink.base.on(disp), p.ink.muted.on(loc), w))
	ind := "  "
	if c := st.Call; c != nil {
		args := make([]string, len(c.Args))
		for k, a := range c.Args {
			args[k] = uitext.Truncate(ppShortenIDs(ppClean(ppCutBytes(a.String(), 256))), 40)
		}
		out = append(out, ind+p.ink.muted.on("call on ")+uitext.ShortID(ppClean(c.Peer))+" "+
			p.ink.base.on(ppClean(c.Service)+"."+ppClean(c.Function)+"("+strings.Join(args, ", ")+")")+
			p.ink.muted.on(fmt.Sprintf(" · id #%d", c.CallID)))
		ink := p.ink.info
		switch c.Outcome {
		case aqua.CallApplied, aqua.CallReplayed:
			ink = p.ink.ok
		case aqua.CallFailed:
			ink = p.ink.err
		case aqua.CallJoined, aqua.CallWaiting:
			ink = p.ink.warn
		}
		what := replayOutcome[c.Outcome]
		if what == "" {
			what = c.Outcome.String()
		}
		if c.Outcome == aqua.CallRouted {
			what = "routed: the particle goes to " + uitext.ShortID(ppClean(c.Peer)) + " to run the call there"
		}
		if c.Outcome == aqua.CallFailed && c.RetCode != 0 {
			what += fmt.Sprintf(" (ret %d)", c.RetCode)
		}
		out = append(out, ind+ink.on(what))
		if c.Result != nil {
			label := "result "
			if c.Outcome == aqua.CallFailed {
				label = "error  "
			}
			out = append(out, ind+p.ink.muted.on(label)+ppShortenIDs(ppClean(ppCutBytes(c.Result.String(), 4*w))))
		}
	}
	if c := st.Canon; c != nil {
		what := "canon on " + uitext.ShortID(ppClean(c.Peer)) + ": " + c.Outcome.String()
		switch c.Outcome {
		case aqua.CallApplied:
			what += fmt.Sprintf(", snapshot of %d values taken here", c.Values)
		case aqua.CallReplayed:
			what += fmt.Sprintf(", snapshot of %d values from the data", c.Values)
		case aqua.CallRouted:
			what += ", the particle goes to the canon's peer"
		case aqua.CallJoined:
			what += ", its peer is not known yet"
		}
		out = append(out, ind+p.ink.info.on(what))
	}
	if e := st.Err; e != nil {
		what := fmt.Sprintf("✗ %d %s", e.Code, ppShortenIDs(ppClean(e.Message)))
		if !p.origin[i] {
			what += " (propagated from a child)"
		}
		if e.Class() == aqua.Catchable {
			what += " · catchable"
		}
		out = append(out, ind+p.ink.err.on(what))
	}
	// What a join waits for: the operands that are not set yet.
	if st.Call != nil && st.Call.Outcome == aqua.CallJoined {
		var missing []string
		for _, r := range st.Reads {
			if _, ok := st.Scalars[r]; ok {
				continue
			}
			if _, ok := st.Streams[r]; ok {
				continue
			}
			missing = append(missing, r)
		}
		if len(missing) > 0 {
			out = append(out, ind+p.ink.warn.on("waiting for "+ppClean(strings.Join(missing, ", "))+" (not set yet)"))
		}
	}
	var rw []string
	if len(st.Reads) > 0 {
		rw = append(rw, "reads "+ppClean(strings.Join(slices.Compact(slices.Clone(st.Reads)), ", ")))
	}
	if len(st.Writes) > 0 {
		rw = append(rw, "writes "+ppClean(strings.Join(st.Writes, ", ")))
	}
	if len(rw) > 0 {
		out = append(out, ind+p.ink.muted.on(strings.Join(rw, " · ")))
	}
	return ppPadLines(out, h)
}
