package views

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/reefhq/reef/peer/recorder"
	"github.com/reefhq/reef/themes"
)

var _ Pane = (*Particles)(nil)

func ppSelectedID(t *testing.T, p *Particles) string {
	t.Helper()
	s, ok := p.Selected()
	if !ok {
		t.Fatal("nothing selected")
	}
	return s.ID
}

func TestParticlesFollowsNewestUntilMoved(t *testing.T) {
	p := NewParticles(ppCommon(t))
	list := ppSummaries(50)
	p.SetParticles(list[1:])
	if got := ppSelectedID(t, p); got != list[1].ID {
		t.Fatalf("selected %s, want the newest %s", got, list[1].ID)
	}
	// A newer particle arrives: the selection follows the newest.
	p.SetParticles(list)
	if got := ppSelectedID(t, p); got != list[0].ID {
		t.Fatalf("selected %s, want the new newest %s", got, list[0].ID)
	}
	// Moving stops following; the selection then stays on its particle.
	ppPress(p, "down", "down", "j")
	want := list[3].ID
	if got := ppSelectedID(t, p); got != want {
		t.Fatalf("after 3 downs selected %s, want %s", got, want)
	}
	newer := ppSummaries(60)[:0]
	for i := range 5 {
		s := list[0]
		s.ID = fmt.Sprintf("newer-%d", i)
		s.LastSeen = list[0].LastSeen.Add(time.Duration(i+1) * time.Second)
		newer = append(newer, s)
	}
	p.SetParticles(append(newer, list...))
	if got := ppSelectedID(t, p); got != want {
		t.Fatalf("after 5 new particles selected %s, want %s (stable by id)", got, want)
	}
	// The selected row stays on the same screen row (the list scrolls under it).
	if row := p.sel - p.top; row != 3 {
		t.Errorf("selected row on screen = %d, want 3", row)
	}
	// Home goes back to following.
	ppPress(p, "home")
	p.SetParticles(list)
	if got := ppSelectedID(t, p); got != list[0].ID {
		t.Fatalf("home: selected %s, want %s", got, list[0].ID)
	}
}

func TestParticlesSelectionSurvivesReorderAndEviction(t *testing.T) {
	p := NewParticles(ppCommon(t))
	list := ppSummaries(30)
	p.SetParticles(list)
	ppPress(p, "down", "down", "down", "down", "down")
	want := list[5].ID
	// The same particles in another order (the recorder's order changes as particles are
	// active): the selection stays on the particle.
	shuffled := append([]recorder.Summary(nil), list...)
	shuffled[5].LastSeen = ppT0.Add(time.Second)
	p.SetParticles(shuffled)
	if got := ppSelectedID(t, p); got != want {
		t.Fatalf("selected %s, want %s", got, want)
	}
	if p.sel != 0 {
		t.Errorf("the most active particle should sort first, at %d", p.sel)
	}
	// The selected particle is evicted: the selection stays at its place.
	p.SetParticles(append(append([]recorder.Summary(nil), list[:5]...), list[6:]...))
	if got := ppSelectedID(t, p); got == want || got == "" {
		t.Fatalf("selected %q after eviction", got)
	}
}

func TestParticlesNavigationBounds(t *testing.T) {
	p := NewParticles(ppCommon(t))
	p.SetSize(80, 12) // 10 rows
	list := ppSummaries(25)
	p.SetParticles(list)
	ppPress(p, "up", "k")
	if p.sel != 0 {
		t.Fatalf("up at the top moved to %d", p.sel)
	}
	ppPress(p, "pgdown")
	if p.sel != 10 {
		t.Fatalf("pgdown: %d, want 10", p.sel)
	}
	ppPress(p, "end")
	if p.sel != 24 || p.top != 15 {
		t.Fatalf("end: sel %d top %d, want 24 15", p.sel, p.top)
	}
	ppPress(p, "down")
	if p.sel != 24 {
		t.Fatalf("down at the end moved to %d", p.sel)
	}
	ppPress(p, "pgup", "pgup", "pgup")
	if p.sel != 0 || p.top != 0 {
		t.Fatalf("pgup x3: sel %d top %d", p.sel, p.top)
	}
	ppPress(p, "G", "g")
	if p.sel != 0 || !p.follow {
		t.Fatalf("g: sel %d follow %v", p.sel, p.follow)
	}
}

func TestParticlesSearchAndStatusFilter(t *testing.T) {
	p := NewParticles(ppCommon(t))
	list := ppSummaries(200)
	p.SetParticles(list)

	// Status filter cycles all → running → completed → failed → expired → all.
	for _, want := range []recorder.Status{recorder.Running, recorder.Completed, recorder.Failed} {
		ppPress(p, "s")
		if p.status != want {
			t.Fatalf("status filter %q, want %q", p.status, want)
		}
	}
	_, shown := p.Len()
	wantFailed := 0
	for _, s := range list {
		if s.Status == recorder.Failed {
			wantFailed++
		}
	}
	if shown != wantFailed {
		t.Fatalf("failed filter shows %d, want %d", shown, wantFailed)
	}
	if s, _ := p.Selected(); s.Status != recorder.Failed {
		t.Fatalf("selected %+v under the failed filter", s)
	}

	// "/" searches id, peer, status and error, case-insensitively, as one types.
	ppPress(p, "/")
	if !p.Typing() {
		t.Fatal("search does not capture keys")
	}
	ppType(p, "VALUE 14 IS")
	_, shown = p.Len()
	if shown != 1 {
		t.Fatalf("search among failed shows %d", shown)
	}
	if s, _ := p.Selected(); !strings.Contains(s.LastError, "value 14 ") {
		t.Fatalf("selected %+v", s)
	}
	// q is text while searching, not a global key.
	ppType(p, "q")
	if p.search.Value() != "VALUE 14 ISq" {
		t.Fatalf("search text %q", p.search.Value())
	}
	ppPress(p, "backspace", "enter")
	if p.Typing() || p.search.Value() != "VALUE 14 IS" {
		t.Fatalf("enter: typing %v text %q", p.Typing(), p.search.Value())
	}
	// The filter keeps applying to new data.
	p.SetParticles(list)
	if _, shown := p.Len(); shown != 1 {
		t.Fatalf("after refresh shows %d", shown)
	}
	// esc clears both filters.
	ppPress(p, "esc")
	if all, shown := p.Len(); shown != all || p.status != "" || p.search.Value() != "" {
		t.Fatalf("esc: %d of %d shown, status %q, search %q", shown, all, p.status, p.search.Value())
	}

	// Peer ids match too; esc while searching drops the text.
	ppPress(p, "/")
	ppType(p, ppTarget[len(ppTarget)-6:])
	if _, shown := p.Len(); shown == 0 || shown == len(list) {
		t.Fatalf("peer search shows %d", shown)
	}
	ppPress(p, "esc")
	if all, shown := p.Len(); shown != all || p.Typing() {
		t.Fatalf("esc in search: %d of %d, typing %v", shown, all, p.Typing())
	}

	// A running particle past its deadline is expired, for the filter as for the eye.
	late := list[:1:1]
	late[0].Status, late[0].Deadline = recorder.Running, ppT0.Add(-time.Second)
	p.SetParticles(late)
	for p.status != recorder.Expired {
		ppPress(p, "s")
	}
	if _, shown := p.Len(); shown != 1 {
		t.Fatal("a running particle past its deadline is not shown as expired")
	}
}

func TestParticlesSortOrders(t *testing.T) {
	p := NewParticles(ppCommon(t))
	list := ppSummaries(20)
	list[7].LastSeen = ppT0.Add(time.Second)  // most active
	list[9].FirstSeen = ppT0.Add(time.Second) // newest
	list[4].Deadline = ppT0.Add(-time.Hour)   // soonest deadline
	p.SetParticles(list)
	ppPress(p, "end", "home") // follow the first row
	if got := ppSelectedID(t, p); got != list[7].ID {
		t.Fatalf("activity order starts with %s", got)
	}
	ppPress(p, "o")
	ppPress(p, "home")
	if got := ppSelectedID(t, p); got != list[9].ID {
		t.Fatalf("start order starts with %s", got)
	}
	ppPress(p, "o")
	ppPress(p, "home")
	if got := ppSelectedID(t, p); got != list[4].ID {
		t.Fatalf("deadline order starts with %s", got)
	}
	ppPress(p, "o")
	if p.order != partByActivity {
		t.Fatal("sort order does not cycle")
	}
}

func TestParticlesEnterOpensTrace(t *testing.T) {
	p := NewParticles(ppCommon(t))
	if msgs := ppPress(p, "enter"); len(msgs) != 0 {
		t.Fatalf("enter on an empty list: %v", msgs)
	}
	list := ppSummaries(10)
	p.SetParticles(list)
	msgs := ppPress(p, "down", "enter")
	m, ok := ppFind[OpenTraceMsg](msgs)
	if !ok || m.ParticleID != list[1].ID {
		t.Fatalf("enter: %+v", msgs)
	}
}

func TestParticlesMouse(t *testing.T) {
	c := ppCommon(t)
	p := NewParticles(c)
	list := ppSummaries(30)
	p.SetParticles(list)
	// The root scans the whole view; the pane sits at (2, 1) inside its frame here.
	frame := "\n" + strings.ReplaceAll(p.View(), "\n", "\n  ")
	frame = "  " + strings.TrimPrefix(frame, "\n")
	frame = "\n" + frame
	c.Zone.Scan(frame)
	deadline := time.Now().Add(2 * time.Second)
	for c.Zone.Get(p.zoneID) == nil && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	// Rows start on the pane's third line (toolbar, header): screen y = 1 + 2 + row.
	click := func(row int) tea.Cmd {
		return p.Update(tea.MouseClickMsg{X: 10, Y: 3 + row, Button: tea.MouseLeft})
	}
	if cmd := click(4); cmd != nil {
		t.Fatal("the first click on a row should only select it")
	}
	if got := ppSelectedID(t, p); got != list[4].ID {
		t.Fatalf("click selected %s, want %s", got, list[4].ID)
	}
	m, ok := ppFind[OpenTraceMsg](ppRun(click(4)))
	if !ok || m.ParticleID != list[4].ID {
		t.Fatal("a click on the selected row should open it")
	}
	p.Update(tea.MouseWheelMsg{X: 10, Y: 5, Button: tea.MouseWheelDown})
	if p.sel != 7 {
		t.Fatalf("wheel: sel %d", p.sel)
	}
	if cmd := p.Update(tea.MouseClickMsg{X: 10, Y: 0, Button: tea.MouseLeft}); cmd != nil || p.sel != 7 {
		t.Fatal("a click outside the rows changed something")
	}
}

func TestParticlesKeyMap(t *testing.T) {
	p := NewParticles(ppCommon(t))
	enabled := func(km help.KeyMap) map[string]bool {
		out := map[string]bool{}
		for _, g := range km.FullHelp() {
			for _, b := range g {
				if b.Enabled() {
					out[b.Help().Desc] = true
				}
			}
		}
		return out
	}
	if e := enabled(p.KeyMap()); e["trace"] || e["down"] || !e["search"] {
		t.Fatalf("empty list: %v", e)
	}
	p.SetParticles(ppSummaries(3))
	if e := enabled(p.KeyMap()); !e["trace"] || !e["down"] || e["clear filters"] {
		t.Fatalf("list: %v", e)
	}
	ppPress(p, "/")
	e := enabled(p.KeyMap())
	if e["trace"] || e["search"] || !e["keep search"] || !e["cancel search"] {
		t.Fatalf("searching: %v", e)
	}
	var _ []key.Binding = p.KeyMap().ShortHelp()
}

func TestParticlesResizesAndNeverOverflows(t *testing.T) {
	c := ppCommon(t)
	p := NewParticles(c)
	list := ppSummaries(300)
	for _, sz := range []struct{ w, h int }{{80, 24}, {81, 25}, {100, 30}, {149, 20}, {150, 20}, {200, 60}, {40, 10}, {1, 1}, {0, 0}} {
		p.SetSize(sz.w, sz.h)
		p.SetParticles(list)
		ppPress(p, "end")
		if sz.h > 0 {
			ppCheckFrame(t, p.View(), sz.w, sz.h)
		}
		ppPress(p, "/")
		ppType(p, "fail")
		if sz.h > 0 {
			ppCheckFrame(t, p.View(), sz.w, sz.h)
		}
		ppPress(p, "esc")
	}
	// Another theme: the inks follow.
	p.SetSize(80, 24)
	c.SetTheme(themes.Next(themes.Default))
	if !strings.Contains(p.View(), "\x1b[") {
		t.Fatal("no colours after a theme change")
	}
}

func TestParticlesGolden(t *testing.T) {
	states := []struct {
		name string
		set  func(p *Particles)
	}{
		{"empty", func(p *Particles) {}},
		{"loaded", func(p *Particles) { p.SetParticles(ppSummaries(120)); ppPress(p, "down", "down", "down") }},
		{"failed", func(p *Particles) { p.SetParticles(ppSummaries(120)); ppPress(p, "s", "s", "s") }},
		{"search", func(p *Particles) {
			p.SetParticles(ppSummaries(120))
			ppPress(p, "/")
			ppType(p, "zzz")
		}},
	}
	for _, st := range states {
		for _, sz := range ppSizes {
			t.Run(fmt.Sprintf("%s_%dx%d", st.name, sz.w, sz.h), func(t *testing.T) {
				p := NewParticles(ppCommon(t))
				p.SetSize(sz.w, sz.h)
				p.Focus()
				st.set(p)
				v := p.View()
				ppCheckFrame(t, v, sz.w, sz.h)
				ppGolden(t, fmt.Sprintf("particles_%s_%dx%d", st.name, sz.w, sz.h), v)
			})
		}
	}
}

func TestPPHelpers(t *testing.T) {
	for in, want := range map[string]string{
		"plain":              "plain",
		"a\nb\tc\rd":         "a b c d",
		"esc\x1b[31mred":     "esc�[31mred",
		"c1 \u009b31m":       "c1 �31m",
		"ünïcode ok":         "ünïcode ok",
		"bad utf8 \xff here": "bad utf8 � here",
		"del\x7f":            "del�",
	} {
		if got := ppClean(in); got != want {
			t.Errorf("ppClean(%q) = %q, want %q", in, got, want)
		}
	}
	if got := ppShortenIDs("sent to " + ppRelay + ", then " + ppTarget + "."); got != "sent to 12D3…ef3g4h, then 12D3…jk5m6n." {
		t.Errorf("ppShortenIDs: %q", got)
	}
	if got := ppShortenIDs("at " + ppTarget); !strings.HasPrefix(got, "at 12D3…") || ansi.StringWidth(got) > 16 {
		t.Errorf("ppShortenIDs: %q", got)
	}
	if got := ppShortenIDs("no ids in 1b2c3d4e here"); got != "no ids in 1b2c3d4e here" {
		t.Errorf("ppShortenIDs changed %q", got)
	}
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 10000: "10,000", 1234567: "1,234,567", -4321: "-4,321"} {
		if got := ppCount(n); got != want {
			t.Errorf("ppCount(%d) = %q", n, got)
		}
	}
	if !ppContainsFold("12D3KooWAbc", "koowab") || ppContainsFold("12D3KooWAbc", "kooway") {
		t.Error("ppContainsFold")
	}
	if !ppContainsFold("Hello", "") || ppContainsFold("", "a") || !ppContainsFold("xHELLO", "hello") {
		t.Error("ppContainsFold edge cases")
	}
}

func BenchmarkParticlesView(b *testing.B) {
	c := ppCommon(b)
	p := NewParticles(c)
	p.SetSize(200, 60)
	list := ppSummaries(10_000)
	p.SetParticles(list)
	ppPress(p, "down", "down")
	b.ReportAllocs()
	for b.Loop() {
		_ = p.View()
	}
}

// BenchmarkParticlesRefresh is the root's tick: a new list of 10,000, then a frame.
func BenchmarkParticlesRefresh(b *testing.B) {
	c := ppCommon(b)
	p := NewParticles(c)
	p.SetSize(200, 60)
	list := ppSummaries(10_000)
	ppPress(p, "down", "down")
	b.ReportAllocs()
	for b.Loop() {
		p.SetParticles(list)
		_ = p.View()
	}
}

// BenchmarkParticlesRefreshFiltered is the same with a search and a status filter.
func BenchmarkParticlesRefreshFiltered(b *testing.B) {
	c := ppCommon(b)
	p := NewParticles(c)
	p.SetSize(200, 60)
	list := ppSummaries(10_000)
	p.SetParticles(list)
	ppPress(p, "s", "s", "s", "/")
	ppType(p, "not a peer")
	ppPress(p, "enter")
	b.ReportAllocs()
	for b.Loop() {
		p.SetParticles(list)
		_ = p.View()
	}
}
