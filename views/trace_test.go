package views

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/reefhq/reef/peer/recorder"
)

var _ Pane = (*Trace)(nil)

func ppSelSeq(t *testing.T, p *Trace) int {
	t.Helper()
	h, ok := p.SelectedHop()
	if !ok {
		t.Fatal("no hop selected")
	}
	return h.Seq
}

func TestTraceHopNavigation(t *testing.T) {
	p := NewTrace(ppCommon(t))
	tr := ppTrace(recorder.Completed)
	p.Open(tr.ID)
	p.SetTrace(tr)
	if got := ppSelSeq(t, p); got != 7 {
		t.Fatalf("a new trace selects the last hop, got #%d", got)
	}
	ppPress(p, "up", "k")
	if got := ppSelSeq(t, p); got != 5 {
		t.Fatalf("up x2: #%d", got)
	}
	ppPress(p, "home", "up")
	if got := ppSelSeq(t, p); got != 1 {
		t.Fatalf("home, up: #%d", got)
	}
	ppPress(p, "down", "j")
	if got := ppSelSeq(t, p); got != 3 {
		t.Fatalf("down x2: #%d", got)
	}
	ppPress(p, "G", "down")
	if got := ppSelSeq(t, p); got != 7 {
		t.Fatalf("end, down: #%d", got)
	}
}

func TestTraceLiveRefreshKeepsSelection(t *testing.T) {
	p := NewTrace(ppCommon(t))
	full := ppTrace(recorder.Completed)
	partial := *full
	partial.Hops = full.Hops[:3]
	partial.Status = recorder.Running
	p.Open(full.ID)
	p.SetTrace(&partial)
	if got := ppSelSeq(t, p); got != 3 {
		t.Fatalf("selected #%d", got)
	}
	// While on the last hop, new hops are followed.
	more := partial
	more.Hops = full.Hops[:5]
	p.SetTrace(&more)
	if got := ppSelSeq(t, p); got != 5 {
		t.Fatalf("following: selected #%d, want #5", got)
	}
	// After moving, the selection stays on its hop.
	ppPress(p, "up", "up")
	p.SetTrace(full)
	if got := ppSelSeq(t, p); got != 3 {
		t.Fatalf("after refresh selected #%d, want #3", got)
	}
	// The oldest hops are dropped by the recorder's ring: still on #3.
	dropped := *full
	dropped.Hops = full.Hops[1:]
	p.SetTrace(&dropped)
	if got := ppSelSeq(t, p); got != 3 {
		t.Fatalf("after the ring dropped #1 selected #%d, want #3", got)
	}
	// Another particle resets the pane.
	other := ppTrace(recorder.Failed)
	other.ID = "another"
	p.SetTrace(other)
	if p.ParticleID() != "another" || ppSelSeq(t, p) != 4 {
		t.Fatalf("another particle: id %q hop #%d", p.ParticleID(), ppSelSeq(t, p))
	}
}

func TestTraceOpenWaitsForTheTrace(t *testing.T) {
	p := NewTrace(ppCommon(t))
	if v := ansi.Strip(p.View()); !strings.Contains(v, "No particle selected") {
		t.Fatalf("empty view:\n%s", v)
	}
	p.Open("1b2c3d4e-0000")
	if p.ParticleID() != "1b2c3d4e-0000" {
		t.Fatal("Open does not set the particle")
	}
	if v := ansi.Strip(p.View()); !strings.Contains(v, "Waiting for particle 1b2c3d4e-0000") {
		t.Fatalf("waiting view:\n%s", v)
	}
	if msgs := ppPress(p, "down", "enter", "x"); len(msgs) != 0 {
		t.Fatalf("keys without a trace: %v", msgs)
	}
}

func TestTraceReplayKeyOnUnrecordedHops(t *testing.T) {
	p := NewTrace(ppCommon(t))
	p.SetTrace(ppTrace(recorder.Completed))
	// Fixture hops carry no recorded input: enter explains instead of opening.
	ppPress(p, "home", "down", "down") // #3 is reported by the relay
	msgs := ppPress(p, "enter")
	n, ok := ppFind[NoticeMsg](msgs)
	if !ok || n.Level != "warn" || !strings.Contains(n.Text, "reported") {
		t.Fatalf("enter on a reported hop: %+v", msgs)
	}
	if _, ok := ppFind[OpenReplayMsg](msgs); ok {
		t.Fatal("a reported hop opened a replay")
	}
	ppPress(p, "up")
	n, _ = ppFind[NoticeMsg](ppPress(p, "r"))
	if !strings.Contains(n.Text, "dropped") {
		t.Fatalf("r on an evicted hop: %+v", n)
	}
	for _, g := range p.KeyMap().FullHelp() {
		for _, b := range g {
			if b.Help().Desc == "replay hop" && b.Enabled() {
				t.Fatal("the replay key is offered for a hop that cannot be replayed")
			}
		}
	}
}

func TestTraceExpandEventsAndScroll(t *testing.T) {
	p := NewTrace(ppCommon(t))
	p.SetSize(120, 40)
	p.SetTrace(ppTrace(recorder.Completed))
	ppPress(p, "home") // hop #1: three calls
	v := ansi.Strip(p.View())
	if !strings.Contains(v, "#2 getDataSrv.peers() → [\"12D3…") {
		t.Fatalf("collapsed calls:\n%s", v)
	}
	ppPress(p, "x")
	v = ansi.Strip(p.View())
	if !strings.Contains(v, "result = [") || !strings.Contains(v, "  \""+ppTarget+"\"") {
		t.Fatalf("expanded calls should show the full values:\n%s", v)
	}
	// Events: key events by default, then all (arrivals too), then none.
	countRows := func() int { return len(p.rows) }
	keyRows := countRows()
	msgs := ppPress(p, "e")
	if countRows() <= keyRows {
		t.Fatalf("all events: %d rows, key events: %d", countRows(), keyRows)
	}
	if n, ok := ppFind[NoticeMsg](msgs); !ok || !strings.Contains(n.Text, "all events") {
		t.Fatalf("events notice: %+v", msgs)
	}
	ppPress(p, "e")
	if countRows() != 7 {
		t.Fatalf("no events: %d rows", countRows())
	}
	ppPress(p, "e")
	if countRows() != keyRows {
		t.Fatal("events do not cycle")
	}
	// Details scroll, and reset on another hop.
	p.SetSize(80, 24)
	ppPress(p, "pgdown")
	if p.detailTop == 0 {
		t.Fatal("pgdown does not scroll the details")
	}
	_ = p.View() // clamps
	ppPress(p, "down")
	if p.detailTop != 0 {
		t.Fatal("the details scroll is not reset on another hop")
	}
}

func TestTraceWhyForExpiredAndFailed(t *testing.T) {
	p := NewTrace(ppCommon(t))
	p.SetSize(120, 40)
	p.SetTrace(ppTrace(recorder.Expired))
	v := ansi.Strip(p.View())
	for _, want := range []string{
		"✗ Why it expired: the TTL (5s) ran out",
		"last reached  12D3…ef3g4h",
		"waiting for   12D3…np7q8r: sent at 15:04:02.001 by 12D3…ef3g4h, no hop seen there after",
		"unreachable   12D3…np7q8r: failed to dial: no good addresses",
		"✗ 12D3…ef3g4h could not reach 12D3…np7q8r",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("expired view lacks %q:\n%s", want, v)
		}
	}
	p.SetTrace(ppTrace(recorder.Failed))
	v = ansi.Strip(p.View())
	for _, want := range []string{
		"✗ Why it failed: hop #4 on 12D3…jk5m6n returned 10003: variable with name '-peers-arg-' was not set",
		"✗ ret 10003",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("failed view lacks %q:\n%s", want, v)
		}
	}
	// A completed particle needs no explanation.
	p.SetTrace(ppTrace(recorder.Completed))
	if v := ansi.Strip(p.View()); strings.Contains(v, "Why") {
		t.Errorf("completed view explains:\n%s", v)
	}
	// Clock skew: created long before any node saw it.
	tr := ppTrace(recorder.Expired)
	tr.Deadline = tr.FirstSeen.Add(3 * time.Second) // created 2s before first sight
	p.SetTrace(tr)
	if v := ansi.Strip(p.View()); !strings.Contains(v, "clock         created 2.00s before any observed node saw it") {
		t.Errorf("no clock skew hint:\n%s", v)
	}
}

// TestTraceDroppedTimeline shows a particle whose timeline the recorder dropped to bound
// its memory: the summary and the diagnosis are still there.
func TestTraceDroppedTimeline(t *testing.T) {
	p := NewTrace(ppCommon(t))
	p.SetSize(120, 40)
	tr := ppTrace(recorder.Expired)
	tr.Hops, tr.Events, tr.Script, tr.Dropped = nil, nil, "", true
	p.SetTrace(tr)
	v := ansi.Strip(p.View())
	for _, want := range []string{
		"timeline dropped to bound the console's memory; the summary is kept",
		"✗ Why it expired: the TTL (5s) ran out",
		"waiting for   12D3…np7q8r",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("dropped view lacks %q:\n%s", want, v)
		}
	}
}

func TestTraceMouseSelectsHops(t *testing.T) {
	c := ppCommon(t)
	p := NewTrace(c)
	p.SetSize(80, 24)
	p.SetTrace(ppTrace(recorder.Completed))
	ppPress(p, "home", "down") // the timeline shows its top, hop #2 selected
	c.Zone.Scan(p.View())
	deadline := time.Now().Add(2 * time.Second)
	for c.Zone.Get(p.zoneList) == nil && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	z := c.Zone.Get(p.zoneList)
	if z == nil {
		t.Fatal("no timeline zone")
	}
	// The first timeline row is hop #1 (no event precedes it).
	p.Update(tea.MouseClickMsg{X: 5, Y: z.StartY, Button: tea.MouseLeft})
	if got := ppSelSeq(t, p); got != 1 {
		t.Fatalf("click selected #%d", got)
	}
	// A second click on it tries to open its replay (it cannot: a notice explains).
	if _, ok := ppFind[NoticeMsg](ppRun(p.Update(tea.MouseClickMsg{X: 5, Y: z.StartY, Button: tea.MouseLeft}))); !ok {
		t.Fatal("second click: no notice")
	}
}

func TestTraceResizes(t *testing.T) {
	p := NewTrace(ppCommon(t))
	for _, st := range []recorder.Status{recorder.Completed, recorder.Expired, recorder.Failed, recorder.Running} {
		p.SetTrace(ppTrace(st))
		for _, sz := range []struct{ w, h int }{{80, 24}, {80, 8}, {100, 30}, {149, 40}, {150, 40}, {200, 60}, {40, 10}, {3, 2}} {
			p.SetSize(sz.w, sz.h)
			ppPress(p, "x")
			ppCheckFrame(t, p.View(), sz.w, sz.h)
			ppPress(p, "home", "x")
			ppCheckFrame(t, p.View(), sz.w, sz.h)
		}
	}
}

func TestTraceGolden(t *testing.T) {
	states := []struct {
		name string
		set  func(p *Trace)
	}{
		{"empty", func(p *Trace) {}},
		{"completed", func(p *Trace) { p.SetTrace(ppTrace(recorder.Completed)); ppPress(p, "home") }},
		{"completed_expanded", func(p *Trace) {
			p.SetTrace(ppTrace(recorder.Completed))
			ppPress(p, "home", "x")
		}},
		{"running", func(p *Trace) { p.SetTrace(ppTrace(recorder.Running)) }},
		{"expired", func(p *Trace) { p.SetTrace(ppTrace(recorder.Expired)) }},
		{"failed", func(p *Trace) { p.SetTrace(ppTrace(recorder.Failed)) }},
	}
	for _, st := range states {
		for _, sz := range ppSizes {
			t.Run(fmt.Sprintf("%s_%dx%d", st.name, sz.w, sz.h), func(t *testing.T) {
				p := NewTrace(ppCommon(t))
				p.SetSize(sz.w, sz.h)
				p.Focus()
				st.set(p)
				v := p.View()
				ppCheckFrame(t, v, sz.w, sz.h)
				ppGolden(t, fmt.Sprintf("trace_%s_%dx%d", st.name, sz.w, sz.h), v)
			})
		}
	}
}

// ppBigTrace is a trace of n hops bouncing between three peers, with calls and events.
func ppBigTrace(n int) *recorder.Trace {
	base := ppTrace(recorder.Completed)
	tr := &recorder.Trace{Summary: base.Summary, Script: base.Script}
	peers := []string{ppClient, ppRelay, ppTarget}
	for i := range n {
		h := base.Hops[i%len(base.Hops)]
		h.Seq = i + 1
		h.Peer, h.From = peers[i%3], peers[(i+2)%3]
		h.TimeIn = base.FirstSeen.Add(time.Duration(i) * time.Millisecond)
		h.TimeOut = h.TimeIn.Add(300 * time.Microsecond)
		tr.Hops = append(tr.Hops, h)
		tr.Events = append(tr.Events, recorder.Event{Time: h.TimeOut.Add(100 * time.Microsecond), Kind: "forwarded", Peer: h.Peer, Other: peers[(i+1)%3], Detail: "210µs"})
	}
	tr.Summary.Hops = n
	return tr
}

func BenchmarkTraceView(b *testing.B) {
	p := NewTrace(ppCommon(b))
	p.SetSize(200, 60)
	p.SetTrace(ppBigTrace(100))
	ppPress(p, "home", "down", "down", "down")
	b.ReportAllocs()
	for b.Loop() {
		_ = p.View()
	}
}

// BenchmarkTraceRefresh is the root's tick on a live trace: SetTrace then a frame.
func BenchmarkTraceRefresh(b *testing.B) {
	p := NewTrace(ppCommon(b))
	p.SetSize(200, 60)
	tr := ppBigTrace(100)
	p.SetTrace(tr)
	b.ReportAllocs()
	for b.Loop() {
		p.SetTrace(tr)
		_ = p.View()
	}
}

func TestTraceTimelineScrollsToTheSelectedHop(t *testing.T) {
	p := NewTrace(ppCommon(t))
	p.SetSize(80, 24)
	p.SetTrace(ppBigTrace(100))
	hasRow := func(seq string) bool {
		for _, l := range strings.Split(ansi.Strip(p.View()), "\n") {
			if strings.HasPrefix(l, "▸") && strings.HasPrefix(string([]rune(l)[3:]), seq+" ") {
				return true
			}
		}
		return false
	}
	if !hasRow("#100") {
		t.Fatalf("the last hop is not shown selected:\n%s", ansi.Strip(p.View()))
	}
	ppPress(p, "home")
	if !hasRow("#1") {
		t.Fatalf("the first hop is not shown selected:\n%s", ansi.Strip(p.View()))
	}
	for range 37 {
		ppPress(p, "j")
	}
	if !hasRow("#38") {
		t.Fatalf("hop #38 is not shown selected:\n%s", ansi.Strip(p.View()))
	}
	ppCheckFrame(t, p.View(), 80, 24)
}
