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
	"github.com/charmbracelet/x/exp/golden"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/reefhq/reef/internal/uitest"
	"github.com/reefhq/reef/peer/events"
	"github.com/reefhq/reef/themes"
)

// coreCommon is a Common with the dark theme and the fixed clock.
func coreCommon(t testing.TB) *Common {
	t.Helper()
	th, _ := themes.Builtin("dark")
	c := NewCommon(th)
	c.Now = uitest.Clock
	t.Cleanup(c.Zone.Close)
	return c
}

func coreKey(s string) tea.KeyPressMsg {
	switch s {
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "end":
		return tea.KeyPressMsg{Code: tea.KeyEnd}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

// coreRun runs a command and the commands it batches, returning their messages.
func coreRun(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, coreRun(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}

// checkBlock checks a pane's view is exactly h lines of at most w cells.
func checkBlock(t *testing.T, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Fatalf("view has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got > w {
			t.Fatalf("line %d is %d cells wide, more than %d: %q", i, got, w, ansi.Strip(l))
		}
	}
}

type fakeProbe struct {
	mu      sync.Mutex
	pings   []peer.ID
	lookups []peer.ID
	err     error
}

func (f *fakeProbe) Ping(_ context.Context, id peer.ID) (time.Duration, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pings = append(f.pings, id)
	return 1500 * time.Microsecond, f.err
}

func (f *fakeProbe) ClosestPeers(_ context.Context, key []byte) ([]peer.ID, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lookups = append(f.lookups, peer.ID(key))
	return []peer.ID{uitest.PeerID(1), uitest.PeerID(2)}, f.err
}

func lookupSteps(id uint64, target string, start time.Time, peers ...int) []events.Event {
	var evs []events.Event
	at := start
	for _, p := range peers {
		pid := uitest.PeerID(p).String()
		evs = append(evs, events.LookupEvent{Base: events.Base{Time: at}, LookupID: id, Target: target, Type: "sending", Peer: pid})
		at = at.Add(3 * time.Millisecond)
		evs = append(evs, events.LookupEvent{Base: events.Base{Time: at}, LookupID: id, Target: target, Type: "response", Peer: pid,
			Closer: []string{uitest.PeerID(p + 1).String()}})
	}
	return evs
}

func TestTopologySelectionFollowsPeerAcrossSnapshots(t *testing.T) {
	c := coreCommon(t)
	tp := NewTopology(c, nil)
	tp.SetSize(100, 30)
	tp.SetSnapshot(uitest.Snapshot(12))
	tp.Update(coreKey("down"))
	tp.Update(coreKey("down"))
	sel, ok := tp.Selected()
	if !ok {
		t.Fatal("nothing selected")
	}
	// A bigger table: the same peer stays selected even though its index changes.
	tp.SetSnapshot(uitest.Snapshot(40))
	if got, _ := tp.Selected(); got.ID != sel.ID {
		t.Fatalf("selection moved from %s to %s", sel.ID, got.ID)
	}
	tp.Update(coreKey("G"))
	last, _ := tp.Selected()
	s := tp.Snapshot()
	if want := s.Others[len(s.Others)-1].ID; last.ID != want {
		t.Fatalf("G selected %s, want the last peer %s", last.ID, want)
	}
	tp.Update(coreKey("g"))
	if first, _ := tp.Selected(); first.ID != s.Peers()[0] {
		t.Fatalf("g selected %s, want %s", first.ID, s.Peers()[0])
	}
	// Selection past either end is clamped.
	tp.Update(coreKey("up"))
	if first, _ := tp.Selected(); first.ID != s.Peers()[0] {
		t.Fatal("up at the top moved the selection")
	}
}

func TestTopologyScrollKeepsSelectionVisible(t *testing.T) {
	c := coreCommon(t)
	tp := NewTopology(c, nil)
	tp.SetSize(70, 16) // narrow: the table view, a few rows
	tp.SetSnapshot(uitest.Snapshot(60))
	for range 45 {
		tp.Update(coreKey("down"))
	}
	sel, _ := tp.Selected()
	view := ansi.Strip(tp.View())
	short := sel.ID.String()
	short = short[len(short)-6:]
	if !strings.Contains(view, short) {
		t.Fatalf("selected peer %s is not on screen:\n%s", short, view)
	}
	checkBlock(t, tp.View(), 70, 16)
}

func TestTopologyPing(t *testing.T) {
	c := coreCommon(t)
	probe := &fakeProbe{}
	tp := NewTopology(c, nil)
	tp.SetSize(120, 30)
	// Before the node is up there is nothing to ping.
	msgs := coreRun(tp.Update(coreKey("p")))
	if len(msgs) != 1 || msgs[0].(NoticeMsg).Level != "warn" {
		t.Fatalf("ping without a table: %v", msgs)
	}
	tp.SetSnapshot(uitest.Snapshot(5))
	msgs = coreRun(tp.Update(coreKey("p")))
	if len(msgs) != 1 {
		t.Fatalf("ping without a probe: %v", msgs)
	}
	tp.SetProbe(probe)
	sel, _ := tp.Selected()
	msgs = coreRun(tp.Update(coreKey("p")))
	var res PingResultMsg
	for _, m := range msgs {
		if r, ok := m.(PingResultMsg); ok {
			res = r
		}
	}
	if res.Peer != sel.ID || res.RTT != 1500*time.Microsecond {
		t.Fatalf("ping result %+v, want %s", res, sel.ID)
	}
	if len(probe.pings) != 1 || probe.pings[0] != sel.ID {
		t.Fatalf("probe pinged %v", probe.pings)
	}
	// The result comes back through Update: a notice and the details show it.
	note := coreRun(tp.Update(res))
	if n := note[0].(NoticeMsg); n.Level != "info" || !strings.Contains(n.Text, "1.5ms") {
		t.Fatalf("notice %+v", n)
	}
	if v := ansi.Strip(tp.View()); !strings.Contains(v, "ping      1.5ms (0s ago)") {
		t.Fatalf("details do not show the ping:\n%s", v)
	}
	// A failed ping is shown as such.
	probe.err = errors.New("dial backoff")
	tp.Update(coreKey("j"))
	var failed PingResultMsg
	for _, m := range coreRun(tp.Update(coreKey("p"))) {
		if r, ok := m.(PingResultMsg); ok {
			failed = r
		}
	}
	note = coreRun(tp.Update(failed))
	if n := note[0].(NoticeMsg); n.Level != "warn" || !strings.Contains(n.Text, "dial backoff") {
		t.Fatalf("notice %+v", n)
	}
	if v := ansi.Strip(tp.View()); !strings.Contains(v, "failed: dial backoff") {
		t.Fatalf("details do not show the failure:\n%s", v)
	}
}

func TestTopologyLookupKeyAndEvents(t *testing.T) {
	c := coreCommon(t)
	probe := &fakeProbe{}
	tp := NewTopology(c, probe)
	tp.SetSize(170, 40)
	tp.SetSnapshot(uitest.Snapshot(8))
	sel, _ := tp.Selected()
	var done LookupDoneMsg
	for _, m := range coreRun(tp.Update(coreKey("f"))) {
		if d, ok := m.(LookupDoneMsg); ok {
			done = d
		}
	}
	if done.Target != sel.ID || done.Found != 2 || len(probe.lookups) != 1 || probe.lookups[0] != sel.ID {
		t.Fatalf("lookup %+v, probe %v", done, probe.lookups)
	}
	// Lookup steps as the node publishes them: one running, one finished.
	running := lookupSteps(7, uitest.PeerID(3).String(), uitest.Now.Add(-500*time.Millisecond), 1, 2, 4)
	running = append(running, events.LookupEvent{Base: events.Base{Time: uitest.Now.Add(-100 * time.Millisecond)}, LookupID: 7,
		Target: uitest.PeerID(3).String(), Type: "sending", Peer: uitest.PeerID(5).String()})
	finished := lookupSteps(6, uitest.PeerID(9).String(), uitest.Now.Add(-10*time.Second), 2, 3)
	finished = append(finished, events.LookupEvent{Base: events.Base{Time: uitest.Now.Add(-9 * time.Second)}, LookupID: 6,
		Target: uitest.PeerID(9).String(), Type: "error", Peer: uitest.PeerID(6).String(), Error: "protocol not supported"})
	tp.ApplyEvents(append(finished, running...))
	seen, kept := tp.Lookups()
	if seen != 2 || kept != 2 {
		t.Fatalf("lookups seen %d kept %d", seen, kept)
	}
	v := ansi.Strip(tp.View())
	for _, want := range []string{"DHT lookups (2 seen)", "#7", "running", "4 queried · 3 replies", "#6", "1 errors", "protocol not supported"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	// The peer a running lookup waits on is marked on the ring.
	if !strings.Contains(v, "◎") {
		t.Errorf("no peer marked as in a lookup:\n%s", v)
	}
	// Bounded history.
	for i := range TopologyMaxLookups + 10 {
		tp.ApplyEvents(lookupSteps(uint64(100+i), "x", uitest.Now, 1))
	}
	if seen, kept := tp.Lookups(); seen != 2+TopologyMaxLookups+10 || kept != TopologyMaxLookups {
		t.Fatalf("lookups seen %d kept %d", seen, kept)
	}
}

func TestTopologyMouseSelectsRow(t *testing.T) {
	c := coreCommon(t)
	tp := NewTopology(c, nil)
	tp.SetSize(120, 30)
	snap := uitest.Snapshot(6)
	tp.SetSnapshot(snap)
	target := snap.Peers()[3]
	c.Zone.Scan(tp.View())
	var click tea.MouseClickMsg
	deadline := time.Now().Add(2 * time.Second)
	for {
		if z := c.Zone.Get(topoZoneID(target.String())); z != nil && !z.IsZero() {
			click = tea.MouseClickMsg{X: z.StartX + 2, Y: z.StartY, Button: tea.MouseLeft}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the row's zone never appeared")
		}
		time.Sleep(5 * time.Millisecond)
	}
	tp.Update(click)
	if got, _ := tp.Selected(); got.ID != target {
		t.Fatalf("click selected %s, want %s", got.ID, target)
	}
}

func TestTopologyNarrowViews(t *testing.T) {
	c := coreCommon(t)
	tp := NewTopology(c, nil)
	tp.SetSize(70, 20)
	tp.SetSnapshot(uitest.Snapshot(10))
	if !tp.keys.View.Enabled() {
		t.Fatal("v is disabled in a narrow pane")
	}
	for i, want := range []string{"keyspace", "DHT lookups", "PEER"} {
		tp.Update(coreKey("v"))
		if v := ansi.Strip(tp.View()); !strings.Contains(v, want) {
			t.Fatalf("after %d× v the view lacks %q:\n%s", i+1, want, v)
		}
		checkBlock(t, tp.View(), 70, 20)
	}
	tp.SetSize(140, 40)
	if tp.keys.View.Enabled() {
		t.Fatal("v is enabled in a wide pane")
	}
}

func TestTopologyProtocolNames(t *testing.T) {
	for in, want := range map[string]string{
		"/reef/particle/1.0.0":            "particle",
		"/ipfs/id/push/1.0.0":             "id/push",
		"/libp2p/circuit/relay/0.2.0/hop": "circuit/relay/hop",
		"/meshsub/1.1.0":                  "meshsub",
		"/x":                              "x",
	} {
		if got := topoProtocol(protocolID(in)); got != want {
			t.Errorf("%s → %q, want %q", in, got, want)
		}
	}
}

// TestTopologyGolden pins the rendering (text only; colours come from the theme) at
// the sizes the pane gets in the console's layouts.
func TestTopologyGolden(t *testing.T) {
	for _, sz := range [][2]int{{76, 20}, {116, 35}, {196, 38}, {76, 38}} {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			c := coreCommon(t)
			tp := NewTopology(c, &fakeProbe{})
			tp.SetSize(sz[0], sz[1])
			tp.SetSnapshot(uitest.Snapshot(30))
			tp.Update(coreKey("j"))
			tp.Update(PingResultMsg{Peer: mustSelected(t, tp), RTT: 2 * time.Millisecond, At: uitest.Now.Add(-3 * time.Second)})
			tp.ApplyEvents(lookupSteps(3, uitest.PeerID(4).String(), uitest.Now.Add(-200*time.Millisecond), 5, 6))
			tp.ApplyEvents(lookupSteps(2, uitest.PeerID(8).String(), uitest.Now.Add(-30*time.Second), 1, 2, 3))
			out := tp.View()
			checkBlock(t, out, sz[0], sz[1])
			golden.RequireEqual(t, ansi.Strip(out))
		})
	}
	t.Run("waiting", func(t *testing.T) {
		tp := NewTopology(coreCommon(t), nil)
		tp.SetSize(60, 5)
		golden.RequireEqual(t, ansi.Strip(tp.View()))
	})
}

func mustSelected(t *testing.T, tp *Topology) peer.ID {
	t.Helper()
	p, ok := tp.Selected()
	if !ok {
		t.Fatal("nothing selected")
	}
	return p.ID
}

func BenchmarkTopologyView(b *testing.B) {
	th, _ := themes.Builtin("dark")
	c := NewCommon(th)
	c.Now = uitest.Clock
	defer c.Zone.Close()
	tp := NewTopology(c, nil)
	tp.SetSize(196, 58)
	tp.SetSnapshot(uitest.Snapshot(200))
	for i := range 20 {
		tp.ApplyEvents(lookupSteps(uint64(i), uitest.PeerID(i).String(), uitest.Now.Add(-time.Duration(i)*time.Second), 1, 2, 3, 4))
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = tp.View()
	}
}

func protocolID(s string) protocol.ID { return protocol.ID(s) }
