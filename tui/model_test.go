package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/reefhq/reef/internal/uitest"
	"github.com/reefhq/reef/peer"
	"github.com/reefhq/reef/themes"
	"github.com/reefhq/reef/views"
)

// newTestModel is a root model with every pane (no node, no history), the dark theme
// and the fixed clock, sized w × h.
func newTestModel(t testing.TB, w, h int, particles bool) *Model {
	t.Helper()
	th, _ := themes.Builtin("dark")
	c := views.NewCommon(th)
	c.Now = uitest.Clock
	var panes, more []SlotPane
	if particles {
		panes, more = ParticlePanes(c, nil, nil), NodePanes(c)
	}
	m := New(c, Options{Panes: panes, More: more})
	t.Cleanup(func() {
		m.Close()
		c.Zone.Close()
	})
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

// feed applies a batch as the bridge would deliver it: a routing table, a status and
// log records.
func feed(m *Model, peers, logs int) {
	snap := uitest.Snapshot(peers)
	st := peer.Status{
		PeerID: uitest.PeerID(0).String(), Addresses: []string{"/ip4/127.0.0.1/tcp/40000/p2p/" + uitest.PeerID(0).String(), "/ip4/127.0.0.1/udp/40000/quic-v1"},
		Peers: make([]string, peers), RoutingTableSize: peers, UptimeSeconds: 62,
	}
	m.Update(batchMsg{Batch: Batch{Routing: &snap, Status: &st, Logs: uitest.Records(logs), Rate: 4.2}})
}

func press(m *Model, keys ...string) tea.Cmd {
	var last tea.Cmd
	for _, k := range keys {
		var msg tea.KeyPressMsg
		switch k {
		case "tab":
			msg = tea.KeyPressMsg{Code: tea.KeyTab}
		case "shift+tab":
			msg = tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
		case "enter":
			msg = tea.KeyPressMsg{Code: tea.KeyEnter}
		case "esc":
			msg = tea.KeyPressMsg{Code: tea.KeyEscape}
		case "ctrl+c":
			msg = tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
		default:
			msg = tea.KeyPressMsg{Code: []rune(k)[0], Text: k}
		}
		_, last = m.Update(msg)
	}
	return last
}

func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

var renders int

// renderSync renders the model and waits until the zone manager has taken the zones of
// this render (a sentinel zone marked last).
func renderSync(t testing.TB, m *Model) string {
	t.Helper()
	renders++
	id := fmt.Sprintf("sentinel:%d", renders)
	out := m.c.Zone.Scan(m.render() + m.c.Zone.Mark(id, " "))
	deadline := time.Now().Add(3 * time.Second)
	for m.c.Zone.Get(id) == nil {
		if time.Now().After(deadline) {
			t.Fatal("zones were not stored")
		}
		time.Sleep(time.Millisecond)
	}
	return out
}

// clickZone clicks the middle of a zone's first row.
func clickZone(t testing.TB, m *Model, id string) tea.Cmd {
	t.Helper()
	z := m.c.Zone.Get(id)
	if z == nil || z.IsZero() {
		t.Fatalf("zone %s not found", id)
	}
	_, cmd := m.Update(tea.MouseClickMsg{X: (z.StartX + z.EndX) / 2, Y: z.StartY, Button: tea.MouseLeft})
	return cmd
}

func titles(m *Model) string {
	var out []string
	for _, p := range m.Panes() {
		out = append(out, p.Title())
	}
	return strings.Join(out, ",")
}

func TestFocusKeys(t *testing.T) {
	m := newTestModel(t, 200, 60, true)
	if got := titles(m); got != "Particles,Trace,Replay,Runner,Topology,Logs,Services,Capacity,Wallet" {
		t.Fatalf("panes %s", got)
	}
	steps := []struct {
		key  string
		want string
	}{
		{"tab", "Trace"}, {"tab", "Replay"}, {"tab", "Runner"}, {"tab", "Topology"}, {"tab", "Logs"},
		{"tab", "Services"}, {"tab", "Capacity"}, {"tab", "Wallet"},
		{"tab", "Particles"}, {"shift+tab", "Wallet"}, {"shift+tab", "Capacity"},
		{"1", "Particles"}, {"6", "Logs"}, {"3", "Replay"}, {"9", "Wallet"}, {"7", "Services"}, {"5", "Topology"},
	}
	for i, s := range steps {
		press(m, s.key)
		if got := m.FocusedPane().Title(); got != s.want {
			t.Fatalf("step %d (%s): focus on %s, want %s", i, s.key, got, s.want)
		}
	}
	// The detail slot shows the last detail pane focused.
	press(m, "4")
	out := ansi.Strip(renderSync(t, m))
	if !strings.Contains(out, "╭─ 4 Runner") || strings.Contains(out, "╭─ 2 Trace") {
		t.Fatal("the detail slot does not show the runner")
	}
}

func TestFocusedBorderUsesFocusColour(t *testing.T) {
	m := newTestModel(t, 120, 40, false)
	out := m.render()
	focus := themes.C(m.c.Styles.Theme.FocusBorder)
	r, g, b, _ := focus.RGBA()
	seq := fmt.Sprintf("38;2;%d;%d;%d", r>>8, g>>8, b>>8)
	lines := strings.Split(out, "\n")
	top := func(title string) string {
		for _, l := range lines {
			if strings.Contains(ansi.Strip(l), "╭─ "+title) {
				return l
			}
		}
		t.Fatalf("no frame %s", title)
		return ""
	}
	if !strings.Contains(top("1 Topology"), seq) {
		t.Fatal("the focused pane's border is not in the focus colour")
	}
	if strings.Contains(top("2 Logs"), seq) {
		t.Fatal("an unfocused pane's border is in the focus colour")
	}
}

func TestMouseFocus(t *testing.T) {
	m := newTestModel(t, 200, 60, true)
	feed(m, 12, 50)
	renderSync(t, m)
	// A click on a pane focuses it (and reaches the pane: the topology row is selected).
	clickZone(t, m, paneZone(5))
	if got := m.FocusedPane().Title(); got != "Logs" {
		t.Fatalf("click on the logs focused %s", got)
	}
	renderSync(t, m)
	target := m.Topology().Snapshot().Peers()[2]
	clickZone(t, m, "topo:peer:"+target.String())
	if got := m.FocusedPane().Title(); got != "Topology" {
		t.Fatalf("click on a topology row focused %s", got)
	}
	if sel, _ := m.Topology().Selected(); sel.ID != target {
		t.Fatalf("click selected %s, want %s", sel.ID, target)
	}
	// A click on a tab focuses that pane, hidden or not.
	renderSync(t, m)
	clickZone(t, m, tabZone(2))
	if got := m.FocusedPane().Title(); got != "Replay" {
		t.Fatalf("click on tab 3 focused %s", got)
	}
	// The wheel scrolls the pane under the pointer without moving the focus.
	renderSync(t, m)
	z := m.c.Zone.Get(paneZone(5))
	m.Update(tea.MouseWheelMsg{X: z.StartX + 5, Y: z.StartY + 3, Button: tea.MouseWheelUp})
	if m.FocusedPane().Title() != "Replay" || m.Logs().Following() {
		t.Fatal("the wheel over the logs did not scroll them (or moved the focus)")
	}
}

func TestGlobalKeys(t *testing.T) {
	m := newTestModel(t, 120, 40, false)
	if !isQuit(press(m, "q")) || !isQuit(press(m, "ctrl+c")) {
		t.Fatal("q and ctrl+c do not quit")
	}
	// ? opens and closes the full help; keys other than quit do nothing meanwhile.
	press(m, "?")
	out := ansi.Strip(m.render())
	if !m.showHelp || !strings.Contains(out, "Keys of Topology") || !strings.Contains(out, "Everywhere") {
		t.Fatalf("no help:\n%s", out)
	}
	press(m, "tab")
	if m.Focused() != 0 {
		t.Fatal("tab moved the focus behind the help")
	}
	press(m, "esc")
	if m.showHelp {
		t.Fatal("esc did not close the help")
	}
	// t cycles the built-in themes and restyles.
	for _, want := range []string{"light", "high-contrast", "dark"} {
		press(m, "t")
		if m.ThemeName() != want || m.c.Styles.Theme.Name != want {
			t.Fatalf("theme %s, want %s", m.ThemeName(), want)
		}
		if !strings.Contains(ansi.Strip(m.render()), "theme "+want) {
			t.Fatal("the tabs line does not name the theme")
		}
	}
	// z zooms the focused pane.
	press(m, "z")
	if m.Layout().Mode != ModeSingle {
		t.Fatal("z did not zoom")
	}
	press(m, "z")
	if m.Layout().Mode != ModeSplit {
		t.Fatal("z did not unzoom")
	}
}

func TestTypingPaneGetsGlobalKeys(t *testing.T) {
	m := newTestModel(t, 120, 40, false)
	feed(m, 3, 30)
	press(m, "2", "/") // Logs, search
	if !m.Logs().Typing() {
		t.Fatal("/ did not open the search")
	}
	for _, k := range []string{"q", "t", "1", "?", "z"} {
		if cmd := press(m, k); isQuit(cmd) {
			t.Fatalf("%s quit while typing", k)
		}
	}
	if m.Focused() != 1 || m.ThemeName() != "dark" || m.showHelp || m.zoom {
		t.Fatal("a global key acted while typing")
	}
	press(m, "enter")
	if _, _, s := m.Logs().Filters(); s != "qt1?z" {
		t.Fatalf("search %q", s)
	}
	if !isQuit(press(m, "ctrl+c")) {
		t.Fatal("ctrl+c does not quit")
	}
}

func TestCrossPaneMessages(t *testing.T) {
	m := newTestModel(t, 200, 60, true)
	id := uitest.ParticleID(3)
	m.Update(views.OpenTraceMsg{ParticleID: id})
	if got := m.FocusedPane().Title(); got != "Trace" {
		t.Fatalf("OpenTraceMsg focused %s", got)
	}
	if got := m.collect(); got == nil {
		t.Fatal("no collect command")
	}
	var req Request
	for _, p := range m.panes {
		if v, ok := p.Pane.(traceViewer); ok {
			req.Trace = v.ParticleID()
		}
	}
	if req.Trace != id {
		t.Fatalf("the trace pane shows %q, want %q", req.Trace, id)
	}
	_, cmd := m.Update(views.OpenReplayMsg{ParticleID: id, Hop: 2})
	if got := m.FocusedPane().Title(); got != "Replay" {
		t.Fatalf("OpenReplayMsg focused %s", got)
	}
	_ = cmd
	m.Update(views.NoticeMsg{Text: "hello there", Level: "warn"})
	if !strings.Contains(ansi.Strip(m.render()), "hello there") {
		t.Fatal("the notice is not in the footer")
	}
	// Without particle panes the root says so instead of failing.
	m2 := newTestModel(t, 120, 40, false)
	m2.Update(views.OpenTraceMsg{ParticleID: id})
	if !strings.Contains(ansi.Strip(m2.render()), "no trace pane") {
		t.Fatal("no notice for a missing trace pane")
	}
}

func TestTooSmall(t *testing.T) {
	m := newTestModel(t, 59, 20, true)
	out := ansi.Strip(m.render())
	if !strings.Contains(out, "terminal too small") {
		t.Fatalf("no too-small message:\n%s", out)
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if strings.Contains(ansi.Strip(m.render()), "too small") {
		t.Fatal("still too small at 80×24")
	}
}

func TestRenderIsExactlyTheScreen(t *testing.T) {
	for _, sz := range [][2]int{{60, 16}, {80, 24}, {109, 30}, {110, 30}, {120, 40}, {157, 43}, {200, 60}, {250, 80}} {
		for _, particles := range []bool{false, true} {
			m := newTestModel(t, sz[0], sz[1], particles)
			feed(m, 25, 200)
			for range len(m.panes) {
				lines := strings.Split(m.Render(), "\n")
				if len(lines) != sz[1] {
					t.Fatalf("%v particles=%v focus %d: %d lines", sz, particles, m.Focused(), len(lines))
				}
				for i, l := range lines {
					if w := ansi.StringWidth(l); w != sz[0] {
						t.Fatalf("%v particles=%v focus %d: line %d is %d wide: %q", sz, particles, m.Focused(), i, w, ansi.Strip(l))
					}
				}
				press(m, "tab")
			}
		}
	}
}

// TestRootGolden pins the whole screen (text only) at the three reference sizes.
func TestRootGolden(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {120, 40}, {200, 60}} {
		for _, particles := range []bool{false, true} {
			name := fmt.Sprintf("%dx%d", sz[0], sz[1])
			if particles {
				name += "-all-panes"
			}
			t.Run(name, func(t *testing.T) {
				m := newTestModel(t, sz[0], sz[1], particles)
				feed(m, 20, 60)
				m.Update(views.NoticeMsg{Text: "node ready", Level: "info"})
				golden.RequireEqual(t, ansi.Strip(m.Render()))
			})
		}
	}
	t.Run("starting", func(t *testing.T) {
		th, _ := themes.Builtin("dark")
		c := views.NewCommon(th)
		c.Now = uitest.Clock
		m := New(c, Options{Start: func(context.Context) (*Live, error) { return nil, nil }})
		t.Cleanup(func() { m.Close(); c.Zone.Close() })
		m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		golden.RequireEqual(t, ansi.Strip(m.Render()))
	})
	t.Run("help", func(t *testing.T) {
		m := newTestModel(t, 120, 40, true)
		press(m, "5", "?")
		golden.RequireEqual(t, ansi.Strip(m.Render()))
	})
}

func BenchmarkRootRender(b *testing.B) {
	m := newTestModel(b, 200, 60, true)
	feed(m, 200, 10_000)
	b.ReportAllocs()
	for b.Loop() {
		_ = m.Render()
	}
}

// A key the focused pane binds itself goes to the pane: t edits the runner's TTL there,
// and still switches the theme everywhere else.
func TestPaneKeysShadowGlobalOnes(t *testing.T) {
	m := newTestModel(t, 200, 60, true)
	press(m, "4", "t")
	if m.ThemeName() != "dark" {
		t.Fatal("t in the runner switched the theme")
	}
	if tp, ok := m.FocusedPane().(typer); !ok || !tp.Typing() {
		t.Fatal("t in the runner did not open its TTL field")
	}
	press(m, "esc", "5", "t")
	if m.ThemeName() != "light" {
		t.Fatal("t in the topology did not switch the theme")
	}
}
