package views

import (
	"bytes"
	"encoding/json"
	"fmt"
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

// TraceKeyMap are the keys of the particle trace.
type TraceKeyMap struct {
	Prev, Next, First, Last key.Binding // between hops
	Replay                  key.Binding
	Expand                  key.Binding
	Events                  key.Binding
	ScrollUp, ScrollDown    key.Binding // the hop details
}

// ShortHelp implements help.KeyMap.
func (k TraceKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Prev, k.Next, k.Replay, k.Expand, k.Events}
}

// FullHelp implements help.KeyMap.
func (k TraceKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Prev, k.Next, k.First, k.Last},
		{k.Replay, k.Expand, k.Events, k.ScrollUp, k.ScrollDown},
	}
}

func newTraceKeyMap() TraceKeyMap {
	return TraceKeyMap{
		Prev:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "previous hop")),
		Next:       key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "next hop")),
		First:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("home/g", "first hop")),
		Last:       key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end/G", "last hop (follow)")),
		Replay:     key.NewBinding(key.WithKeys("enter", "r"), key.WithHelp("enter/r", "replay hop")),
		Expand:     key.NewBinding(key.WithKeys("x", "space"), key.WithHelp("x", "expand calls")),
		Events:     key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "events")),
		ScrollUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "scroll details")),
		ScrollDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn", "scroll details")),
	}
}

// traceEvents selects the events drawn between the hops of the timeline.
type traceEvents int

const (
	traceKeyEvents traceEvents = iota // forwards, unreachable peers, completion, expiry
	traceAllEvents                    // also every arrival
	traceNoEvents
)

func (e traceEvents) String() string {
	switch e {
	case traceAllEvents:
		return "all events"
	case traceNoEvents:
		return "no events"
	}
	return "key events"
}

// traceRow is one line of the timeline: a hop (hop >= 0) or an event.
type traceRow struct{ hop, ev int }

// Trace shows one particle: why it failed or expired, the timeline of its hops with the
// events between them, and the selected hop's calls, results and errors.
//
// The root calls Open when a particle is chosen (OpenTraceMsg) and then SetTrace with the
// recorder's trace of ParticleID on each refresh tick. Enter on a recorded hop asks the
// root to replay it (OpenReplayMsg).
type Trace struct {
	c             *Common
	keys          TraceKeyMap
	width, height int
	focused       bool

	id       string
	tr       *recorder.Trace
	sel      int // index into tr.Hops
	follow   bool
	expanded bool
	events   traceEvents

	rows      []traceRow
	listTop   int
	detailTop int

	zoneList string
	ink      ppInks
	replay   key.Binding // matches the replay keys even when the binding is disabled
}

// NewTrace returns an empty trace pane.
func NewTrace(c *Common) *Trace {
	t := &Trace{c: c, keys: newTraceKeyMap(), follow: true, zoneList: c.Zone.NewPrefix() + "trace"}
	t.replay = key.NewBinding(key.WithKeys(t.keys.Replay.Keys()...))
	t.SetSize(80, 24)
	return t
}

// Title implements Pane.
func (t *Trace) Title() string { return "Trace" }

// SetSize implements Pane.
func (t *Trace) SetSize(width, height int) { t.width, t.height = max(width, 0), max(height, 0) }

// Focus implements Pane.
func (t *Trace) Focus() { t.focused = true }

// Blur implements Pane.
func (t *Trace) Blur() { t.focused = false }

// Typing implements the root's "captures keys" check: the trace never edits text.
func (t *Trace) Typing() bool { return false }

// KeyMap implements Pane.
func (t *Trace) KeyMap() help.KeyMap {
	k := t.keys
	has := t.tr != nil && len(t.tr.Hops) > 0
	for _, b := range []*key.Binding{&k.Prev, &k.Next, &k.First, &k.Last, &k.Expand, &k.ScrollUp, &k.ScrollDown} {
		b.SetEnabled(has)
	}
	h, ok := t.SelectedHop()
	k.Replay.SetEnabled(ok && h.Replayable())
	k.Events.SetEnabled(t.tr != nil)
	return k
}

// Open shows a particle: the pane waits for SetTrace with its trace (the recorder may not
// have seen it yet when a script run has just started).
func (t *Trace) Open(particleID string) {
	if particleID == t.id {
		return
	}
	t.id, t.tr = particleID, nil
	t.sel, t.listTop, t.detailTop = 0, 0, 0
	t.follow, t.expanded = true, false
	t.rows = t.rows[:0]
}

// ParticleID is the particle the pane shows ("" when none): the one whose trace the root
// should pass to SetTrace.
func (t *Trace) ParticleID() string { return t.id }

// SetTrace sets (or refreshes) the trace shown. The selected hop stays selected across
// refreshes; while the last hop is selected (the default) new hops are followed.
func (t *Trace) SetTrace(tr *recorder.Trace) {
	if tr == nil {
		return
	}
	if tr.ID != t.id {
		t.Open(tr.ID)
	}
	prevSeq := -1
	if h, ok := t.SelectedHop(); ok {
		prevSeq = h.Seq
	}
	t.tr = tr
	switch {
	case len(tr.Hops) == 0:
		t.sel = 0
	case t.follow:
		t.sel = len(tr.Hops) - 1
	default:
		t.sel = min(t.sel, len(tr.Hops)-1)
		for i := range tr.Hops {
			if tr.Hops[i].Seq == prevSeq {
				t.sel = i
				break
			}
		}
	}
	if h, ok := t.SelectedHop(); !ok || h.Seq != prevSeq {
		t.detailTop = 0
	}
	t.buildRows()
}

// SelectedHop returns the selected hop.
func (t *Trace) SelectedHop() (recorder.Hop, bool) {
	if t.tr == nil || t.sel < 0 || t.sel >= len(t.tr.Hops) {
		return recorder.Hop{}, false
	}
	return t.tr.Hops[t.sel], true
}

// buildRows merges the hops (in sequence order) with the shown events (by time).
func (t *Trace) buildRows() {
	t.rows = t.rows[:0]
	tr := t.tr
	var evs []int
	for i, e := range tr.Events {
		if t.showEvent(e) {
			evs = append(evs, i)
		}
	}
	ei := 0
	for hi := range tr.Hops {
		for ei < len(evs) && tr.Events[evs[ei]].Time.Before(tr.Hops[hi].TimeIn) {
			t.rows = append(t.rows, traceRow{hop: -1, ev: evs[ei]})
			ei++
		}
		t.rows = append(t.rows, traceRow{hop: hi, ev: -1})
	}
	for ; ei < len(evs); ei++ {
		t.rows = append(t.rows, traceRow{hop: -1, ev: evs[ei]})
	}
}

func (t *Trace) showEvent(e recorder.Event) bool {
	switch t.events {
	case traceNoEvents:
		return false
	case traceAllEvents:
		return true
	}
	return e.Kind != "received"
}

// Update implements Pane.
func (t *Trace) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return t.handleKey(msg)
	case tea.MouseClickMsg:
		if z := t.c.Zone.Get(t.zoneList); z != nil && msg.Button == tea.MouseLeft {
			if _, y := z.Pos(msg); y >= 0 && t.listTop+y < len(t.rows) {
				if r := t.rows[t.listTop+y]; r.hop >= 0 {
					if r.hop == t.sel {
						return t.openReplay()
					}
					t.selectHop(r.hop)
				}
			}
		}
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			t.detailTop = max(t.detailTop-3, 0)
		case tea.MouseWheelDown:
			t.detailTop += 3
		}
	}
	return nil
}

func (t *Trace) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	if t.tr == nil {
		return nil
	}
	n := len(t.tr.Hops)
	switch {
	case key.Matches(msg, t.keys.Prev):
		t.selectHop(t.sel - 1)
	case key.Matches(msg, t.keys.Next):
		t.selectHop(t.sel + 1)
	case key.Matches(msg, t.keys.First):
		t.selectHop(0)
	case key.Matches(msg, t.keys.Last):
		t.selectHop(n - 1)
		t.follow = true
	case key.Matches(msg, t.replay):
		return t.openReplay()
	case key.Matches(msg, t.keys.Expand):
		t.expanded = !t.expanded
	case key.Matches(msg, t.keys.Events):
		t.events = (t.events + 1) % 3
		t.buildRows()
		return ppNotice("info", "trace: showing "+t.events.String())
	case key.Matches(msg, t.keys.ScrollUp):
		t.detailTop = max(t.detailTop-max(t.height/2, 1), 0)
	case key.Matches(msg, t.keys.ScrollDown):
		t.detailTop += max(t.height/2, 1)
	}
	return nil
}

func (t *Trace) selectHop(i int) {
	if t.tr == nil || len(t.tr.Hops) == 0 {
		return
	}
	i = min(max(i, 0), len(t.tr.Hops)-1)
	if i != t.sel {
		t.detailTop = 0
	}
	t.sel = i
	t.follow = false
}

func (t *Trace) openReplay() tea.Cmd {
	h, ok := t.SelectedHop()
	switch {
	case !ok:
		return nil
	case h.Replayable():
		return ppMsg(OpenReplayMsg{ParticleID: t.tr.ID, Hop: h.Seq})
	case h.Reported:
		return ppNotice("warn", fmt.Sprintf("hop #%d ran on %s and was reported by it: only hops run on this console's nodes can be replayed", h.Seq, uitext.ShortID(h.Peer)))
	}
	return ppNotice("warn", fmt.Sprintf("hop #%d cannot be replayed: its input was dropped from the bounded history", h.Seq))
}

// View implements Pane.
func (t *Trace) View() string {
	if t.width <= 0 || t.height <= 0 {
		return ""
	}
	t.ink.sync(t.c.Styles)
	w, h := t.width, t.height
	if t.tr == nil {
		msg := "  No particle selected. Choose one in the Particles pane (enter) or run a script."
		if t.id != "" {
			msg = "  Waiting for particle " + ppClean(t.id) + " to reach the recorder…"
		}
		return ppJoin([]string{t.ink.title.on("Trace"), "", t.ink.muted.on(msg)}, w, h)
	}
	lines := []string{t.header()}
	why := t.why(w)
	if maxWhy := max(h/3, 3); len(why) > maxWhy {
		more := len(why) - maxWhy + 1
		why = append(why[:maxWhy-1], t.ink.muted.on(fmt.Sprintf("  … %d more lines", more)))
	}
	lines = append(lines, why...)
	rest := h - len(lines)
	if rest <= 0 {
		return ppJoin(lines, w, h)
	}
	if w >= 150 {
		lw := w * 11 / 20
		rw := w - lw - 3
		left := t.timeline(lw, rest)
		right := t.details(rw, rest)
		sep := t.ink.muted.on(" │ ")
		for i := range rest {
			lines = append(lines, uitext.Fit(left[i], lw)+sep+right[i])
		}
		return ppJoin(lines, w, h)
	}
	tlH := min(len(t.rows)+1, max(4, rest*2/5))
	if len(t.tr.Hops) == 0 {
		tlH = min(rest, 2)
	}
	lines = append(lines, t.timeline(w, tlH)...)
	if dh := rest - tlH; dh > 0 {
		lines = append(lines, t.details(w, dh)...)
	}
	return ppJoin(lines, w, h)
}

// header is the particle's one-line summary.
func (t *Trace) header() string {
	tr := t.tr
	now := t.c.Now()
	st := partStatus(&tr.Summary, now)
	id := tr.ID
	if t.width < 120 {
		id = ppShortParticle(id)
	}
	var b strings.Builder
	b.WriteString(t.ink.status(st).on(traceBadge(st)))
	b.WriteString(t.ink.title.on("  " + ppClean(id)))
	info := []string{fmt.Sprintf("%d hops", traceHopCount(tr))}
	if !tr.FirstSeen.IsZero() && !tr.LastSeen.IsZero() {
		info = append(info, ppDur(tr.LastSeen.Sub(tr.FirstSeen)))
	}
	if tr.TTL > 0 {
		ttl := "TTL " + ppSpan(tr.TTL)
		if st == recorder.Running && !tr.Deadline.IsZero() {
			ttl += " (" + ppTTL(tr.Deadline.Sub(now)) + " left)"
		}
		info = append(info, ttl)
	}
	info = append(info, "init "+uitext.ShortID(ppClean(tr.InitPeerID)))
	b.WriteString(t.ink.muted.on(" · " + strings.Join(info, " · ")))
	return b.String()
}

// traceHopCount is the particle's hop count (the kept hops may be fewer).
func traceHopCount(tr *recorder.Trace) int { return max(tr.Summary.Hops, len(tr.Hops)) }

func traceBadge(s recorder.Status) string {
	switch s {
	case recorder.Running:
		return "● running"
	case recorder.Completed:
		return "✓ completed"
	case recorder.Failed:
		return "✗ failed"
	case recorder.Expired:
		return "✗ expired"
	}
	return string(s)
}

// why explains a failed or expired particle: the first thing the user reads.
func (t *Trace) why(w int) []string {
	tr := t.tr
	st := partStatus(&tr.Summary, t.c.Now())
	if st != recorder.Failed && st != recorder.Expired {
		return nil
	}
	var out []string
	head := ""
	failing := -1
	for i := len(tr.Hops) - 1; i >= 0; i-- {
		if h := tr.Hops[i]; h.RetCode != 0 && aqua.ClassOf(h.RetCode) != aqua.Farewell {
			failing = i
			break
		}
	}
	switch {
	case st == recorder.Failed && failing >= 0:
		h := tr.Hops[failing]
		head = fmt.Sprintf("✗ Why it failed: hop #%d on %s returned %d: %s", h.Seq, uitext.ShortID(h.Peer), h.RetCode, ppShortenIDs(ppClean(h.Error)))
	case st == recorder.Failed:
		head = "✗ Why it failed: " + ppShortenIDs(ppClean(tr.LastError))
	default:
		head = "✗ Why it expired: the TTL"
		if tr.TTL > 0 {
			head += " (" + ppSpan(tr.TTL) + ")"
		}
		head += " ran out"
		if !tr.Deadline.IsZero() {
			head += " at " + tr.Deadline.Format("15:04:05.000")
		}
		head += " before the particle finished"
		if n := len(tr.Hops); n > 0 && !tr.Deadline.IsZero() && tr.Deadline.After(tr.Hops[n-1].TimeOut) {
			head += "; its last hop was " + ppDur(tr.Deadline.Sub(tr.Hops[n-1].TimeOut)) + " earlier"
		}
		head += "."
	}
	for i, l := range strings.Split(ansi.Wordwrap(head, max(w-2, 20), " "), "\n") {
		if i > 0 {
			l = "  " + l
		}
		out = append(out, t.ink.err.on(l))
	}
	// Items wrap: this is the part of the pane people read in full.
	item := func(label string, vals []string, ink ppInk) {
		first := true
		for _, v := range vals {
			for _, l := range strings.Split(ansi.Wordwrap(ppShortenIDs(ppClean(v)), max(w-16, 20), " "), "\n") {
				lab := "  " + uitext.Fit("", 14)
				if first {
					lab, first = "  "+uitext.Fit(label, 14), false
				}
				out = append(out, t.ink.muted.on(lab)+ink.on(l))
			}
		}
	}
	d := tr.Diagnosis
	if d != nil && d.LastPeer != "" {
		at := ""
		if !d.LastAt.IsZero() {
			at = " at " + ppOffset(d.LastAt.Sub(tr.FirstSeen))
		}
		hop := ""
		if n := len(tr.Hops); n > 0 {
			hop = fmt.Sprintf(" (hop #%d)", tr.Hops[n-1].Seq)
		}
		item("last reached", []string{uitext.ShortID(d.LastPeer) + at + hop}, t.ink.base)
	}
	if d != nil && len(d.Waiting) > 0 {
		item("waiting for", d.Waiting, t.ink.warn)
	} else if st == recorder.Expired {
		item("waiting for", []string{"no pending call or unanswered forward was recorded here; the particle was last held by a peer this console does not observe"}, t.ink.muted)
	}
	if d != nil && len(d.Unreachable) > 0 {
		item("unreachable", d.Unreachable, t.ink.err)
	}
	if st == recorder.Expired && tr.LastError != "" {
		item("last error", []string{tr.LastError}, t.ink.err)
	}
	// The TTL counts from the init peer's clock (nox#1194): a particle that arrives long
	// after it was created lost that time before any hop.
	if tr.TTL > 0 && !tr.Deadline.IsZero() && !tr.FirstSeen.IsZero() {
		created := tr.Deadline.Add(-tr.TTL)
		if lag := tr.FirstSeen.Sub(created); lag > 500*time.Millisecond {
			item("clock", []string{fmt.Sprintf("created %s before any observed node saw it (init peer's clock skew or a slow path): that time counted against the TTL", ppDur(lag))}, t.ink.warn)
		}
	}
	return out
}

// timeline renders the hop timeline in exactly h lines of at most w cells.
func (t *Trace) timeline(w, h int) []string {
	out := make([]string, 0, h)
	tr := t.tr
	peers := map[string]bool{}
	for _, hop := range tr.Hops {
		peers[hop.Peer] = true
	}
	title := t.ink.title.on(fmt.Sprintf("Timeline · %d hops on %d peers", traceHopCount(tr), len(peers)))
	if n := traceHopCount(tr) - len(tr.Hops); n > 0 {
		title += t.ink.muted.on(fmt.Sprintf(" (oldest %d dropped)", n))
	}
	legend := t.ink.accent.on("●") + t.ink.muted.on(" replayable ") + t.ink.muted.on("○ local ") + t.ink.info.on("◇") + t.ink.muted.on(" reported")
	out = append(out, ppSpread(title, legend, w))
	if len(tr.Hops) == 0 {
		msg := "  no hop recorded yet"
		if tr.Dropped {
			msg = "  timeline dropped to bound the console's memory; the summary is kept"
		}
		out = append(out, t.ink.muted.on(msg))
		return ppPadLines(out, h)
	}
	rows := h - 1
	// Keep the selected hop's row visible.
	selRow := 0
	for i, r := range t.rows {
		if r.hop == t.sel {
			selRow = i
			break
		}
	}
	if selRow < t.listTop {
		t.listTop = selRow
	}
	if rows > 0 && selRow >= t.listTop+rows {
		t.listTop = selRow - rows + 1
	}
	t.listTop = max(min(t.listTop, len(t.rows)-rows), 0)
	seqW := len(strconv.Itoa(tr.Hops[len(tr.Hops)-1].Seq)) + 1
	body := make([]string, 0, rows)
	for i := t.listTop; i < len(t.rows) && len(body) < rows; i++ {
		r := t.rows[i]
		if r.hop >= 0 {
			body = append(body, t.hopRow(&tr.Hops[r.hop], r.hop == t.sel, seqW, w))
		} else {
			body = append(body, t.eventRow(&tr.Events[r.ev], seqW, w))
		}
	}
	if len(body) > 0 {
		out = append(out, t.c.Zone.Mark(t.zoneList, strings.Join(body, "\n")))
	}
	return ppPadLines(ppSplit(out), h)
}

func (t *Trace) hopRow(h *recorder.Hop, selected bool, seqW, w int) string {
	glyph, gInk := "○", t.ink.muted
	switch {
	case h.Replayable():
		glyph, gInk = "●", t.ink.accent
	case h.Reported:
		glyph, gInk = "◇", t.ink.info
	}
	from := "(start)"
	switch {
	case h.From != "":
		from = uitext.ShortID(ppClean(h.From))
	case len(h.Results) > 0:
		from = "(results)"
	}
	fields := []string{
		uitext.Fit("#"+strconv.Itoa(h.Seq), seqW),
		uitext.FitLeft(ppOffset(h.TimeIn.Sub(t.tr.FirstSeen)), 8),
		uitext.Fit(from, 11) + " → " + uitext.Fit(uitext.ShortID(ppClean(h.Peer)), 11),
		uitext.FitLeft(ppDur(h.TimeOut.Sub(h.TimeIn)), 7),
	}
	if w >= 100 {
		fields = append(fields, uitext.FitLeft(strconv.Itoa(h.Instructions), 4)+" instr")
	}
	calls := ""
	if n := len(h.Calls); n > 0 {
		calls = fmt.Sprintf("%d call", n)
		if n > 1 {
			calls += "s"
		}
	}
	fields = append(fields, uitext.Fit(calls, 8))
	result, rInk := "ok", t.ink.ok
	if h.RetCode != 0 {
		result, rInk = "✗ "+strconv.FormatInt(h.RetCode, 10)+" "+ppShortenIDs(ppClean(h.Error)), t.ink.err
		if aqua.ClassOf(h.RetCode) == aqua.Farewell {
			rInk = t.ink.warn
		}
	}
	if selected {
		line := "▸" + glyph + " " + strings.Join(fields, "  ") + "  " + result
		return t.ink.selected.on(uitext.Fit(line, w))
	}
	line := "  " + strings.Join(fields, "  ")
	return uitext.Fit(" "+gInk.on(glyph)+line[1:]+"  "+rInk.on(result), w)
}

func (t *Trace) eventRow(e *recorder.Event, seqW, w int) string {
	at := uitext.FitLeft(ppOffset(e.Time.Sub(t.tr.FirstSeen)), 8)
	pad := strings.Repeat(" ", seqW+5)
	node, other := uitext.ShortID(ppClean(e.Peer)), uitext.ShortID(ppClean(e.Other))
	detail := ppShortenIDs(ppClean(e.Detail))
	var text string
	ink := t.ink.muted
	switch e.Kind {
	case "forwarded":
		text = "↪ " + node + " sent it to " + other
		if d, err := time.ParseDuration(detail); err == nil {
			detail = uitext.Latency(d)
		}
		if detail != "" {
			text += " (" + detail + ")"
		}
	case "unreachable":
		text, ink = "✗ "+node+" could not reach "+other+": "+detail, t.ink.err
	case "received":
		text = "↩ " + node + " received it"
		if e.Other != "" {
			text += " from " + other
		}
	case "completed":
		text, ink = "✓ completed on "+node, t.ink.ok
	case "expired":
		text, ink = "⏱ expired on "+node, t.ink.warn
		if detail != "" {
			text += ": " + detail
		}
	default:
		text = ppClean(e.Kind) + " " + node + " " + other + " " + detail
	}
	return uitext.Fit(pad+t.ink.muted.on(at)+"  "+ink.on(text), w)
}

// details renders the selected hop in exactly h lines of at most w cells, scrolled by
// detailTop.
func (t *Trace) details(w, h int) []string {
	hop, ok := t.SelectedHop()
	if !ok {
		return ppPadLines(nil, h)
	}
	var out []string
	from := "started here"
	switch {
	case hop.From != "":
		from = "data from " + uitext.ShortID(ppClean(hop.From))
	case len(hop.Results) > 0:
		from = "call results"
	}
	title := fmt.Sprintf("Hop #%d on %s", hop.Seq, ppClean(hop.Peer))
	if uitext.Width(title)+3+uitext.Width(from) > w {
		title = fmt.Sprintf("Hop #%d on %s", hop.Seq, uitext.ShortID(ppClean(hop.Peer)))
	}
	out = append(out, t.ink.title.on(title)+t.ink.muted.on(" · "+from))
	out = append(out, t.ink.muted.on(fmt.Sprintf("  in %s (%s) · took %s · %d instructions",
		hop.TimeIn.Format("15:04:05.000"), ppOffset(hop.TimeIn.Sub(t.tr.FirstSeen)),
		ppDur(hop.TimeOut.Sub(hop.TimeIn)), hop.Instructions)))
	if hop.RetCode != 0 {
		ink := t.ink.err
		if aqua.ClassOf(hop.RetCode) == aqua.Farewell {
			ink = t.ink.warn
		}
		text := fmt.Sprintf("✗ ret %d: %s", hop.RetCode, ppShortenIDs(ppClean(hop.Error)))
		for i, l := range strings.Split(ansi.Wordwrap(text, max(w-4, 20), " "), "\n") {
			if i == 6 {
				out = append(out, ink.on("    …"))
				break
			}
			if i > 0 {
				l = "  " + l
			}
			out = append(out, ink.on("  "+l))
		}
	}
	next := "nobody (the particle stays here)"
	if len(hop.NextPeers) > 0 {
		ids := make([]string, len(hop.NextPeers))
		for i, p := range hop.NextPeers {
			ids[i] = uitext.ShortID(ppClean(p))
		}
		next = strings.Join(ids, ", ")
	}
	out = append(out, t.ink.muted.on("  sends to ")+next)
	if len(hop.Results) > 0 {
		ids := make([]string, len(hop.Results))
		for i, id := range hop.Results {
			ids[i] = "#" + strconv.FormatUint(uint64(id), 10)
		}
		out = append(out, t.ink.muted.on("  applied results of calls ")+strings.Join(ids, " "))
	}
	switch {
	case hop.Replayable():
		out = append(out, t.ink.accent.on("  ▶ enter: replay this hop instruction by instruction"))
	case hop.Reported:
		out = append(out, t.ink.muted.on("  ◇ reported by its peer: the input is not recorded here (not replayable)"))
	default:
		out = append(out, t.ink.muted.on("  ○ input dropped from the bounded history (not replayable)"))
	}
	if len(hop.Calls) == 0 {
		out = append(out, "", t.ink.muted.on("  no calls issued in this hop"))
	} else {
		hint := "x: expand"
		if t.expanded {
			hint = "x: collapse"
		}
		out = append(out, "", ppSpread(t.ink.title.on(fmt.Sprintf("Calls (%d)", len(hop.Calls))), t.ink.muted.on(hint), w))
		const maxCalls = 500
		for i, c := range hop.Calls {
			if i == maxCalls {
				out = append(out, t.ink.muted.on(fmt.Sprintf("  … %d more calls", len(hop.Calls)-maxCalls)))
				break
			}
			out = append(out, t.callLines(c, w)...)
		}
	}
	// Scroll.
	t.detailTop = max(min(t.detailTop, len(out)-h), 0)
	out = out[t.detailTop:]
	if t.detailTop > 0 && len(out) > 0 {
		out[0] = t.ink.muted.on(fmt.Sprintf("  ↑ %d lines above (pgup)", t.detailTop))
	}
	if len(out) > h && h > 0 {
		out = out[:h]
		out[h-1] = t.ink.muted.on("  ↓ more below (pgdn)")
	}
	return ppPadLines(out, h)
}

func (t *Trace) callLines(c *recorder.Call, w int) []string {
	name := ppClean(c.Service) + "." + ppClean(c.Function)
	id := "#" + strconv.FormatUint(uint64(c.ID), 10)
	var status string
	var sInk ppInk
	switch {
	case c.Failed:
		status, sInk = "✗ "+ppShortenIDs(ppClean(ppCutBytes(c.Error, 4*w))), t.ink.err
	case c.Result != nil:
		status, sInk = "→ "+ppShortenIDs(ppClean(ppCutBytes(c.Result.String(), 4*w))), t.ink.ok
	case c.Answered.IsZero():
		status, sInk = "… no result yet", t.ink.warn
	default:
		status, sInk = "→ answered", t.ink.ok
	}
	if !t.expanded {
		args := make([]string, len(c.Args))
		for i, a := range c.Args {
			args[i] = uitext.Truncate(ppShortenIDs(ppClean(ppCutBytes(a.String(), 256))), 32)
		}
		head := "  " + id + " " + name + "(" + strings.Join(args, ", ") + ")"
		head = uitext.Truncate(head, max(w*3/5, w-uitext.Width(status)-1))
		return []string{t.ink.base.on(head) + " " + sInk.on(status)}
	}
	out := []string{t.ink.base.on("  "+id+" "+name) + " " + sInk.on(uitext.Truncate(status, max(w/2, 20)))}
	ind := "      "
	for i, a := range c.Args {
		out = append(out, tracePretty(ind+fmt.Sprintf("arg %d = ", i), a, t.ink.muted, t.ink.base)...)
	}
	if len(c.Args) == 0 {
		out = append(out, t.ink.muted.on(ind+"no arguments"))
	}
	switch {
	case c.Result != nil:
		out = append(out, tracePretty(ind+"result = ", *c.Result, t.ink.muted, t.ink.ok)...)
	case c.Failed:
		out = append(out, t.ink.muted.on(ind+"error  = ")+t.ink.err.on(ppClean(c.Error)))
	}
	if !c.Answered.IsZero() {
		out = append(out, t.ink.muted.on(ind+"answered "+ppOffset(c.Answered.Sub(t.tr.FirstSeen))))
	}
	return out
}

// tracePretty renders a JSON value indented under a label, bounded to 40 lines.
func tracePretty(label string, v jsonv.Value, lInk, vInk ppInk) []string {
	lines := ppPrettyJSON(v, 40)
	out := make([]string, len(lines))
	pad := strings.Repeat(" ", uitext.Width(label))
	for i, l := range lines {
		if i == 0 {
			out[i] = lInk.on(label) + vInk.on(l)
		} else {
			out[i] = pad + vInk.on(l)
		}
	}
	return out
}

// ppPrettyJSON renders a value as indented JSON, at most maxLines lines (0: no bound),
// with control characters made safe.
func ppPrettyJSON(v jsonv.Value, maxLines int) []string {
	raw := v.Append(nil)
	text := string(raw)
	if len(raw) > 2 && (raw[0] == '{' || raw[0] == '[') {
		var b bytes.Buffer
		if err := json.Indent(&b, raw, "", "  "); err == nil {
			text = b.String()
		}
	}
	lines := strings.Split(text, "\n")
	if maxLines > 0 && len(lines) > maxLines {
		n := len(lines) - maxLines + 1
		lines = append(lines[:maxLines-1], fmt.Sprintf("… %d more lines", n))
	}
	for i, l := range lines {
		lines[i] = ppClean(l)
	}
	return lines
}

// ppPadLines returns exactly h lines.
func ppPadLines(lines []string, h int) []string {
	if len(lines) >= h {
		return lines[:max(h, 0)]
	}
	return append(lines, make([]string, h-len(lines))...)
}

// ppSplit splits multi-line elements (mouse zones) into lines.
func ppSplit(lines []string) []string {
	var out []string
	for _, l := range lines {
		if strings.IndexByte(l, '\n') < 0 {
			out = append(out, l)
			continue
		}
		out = append(out, strings.Split(l, "\n")...)
	}
	return out
}
