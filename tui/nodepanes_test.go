package tui

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/reefhq/reef/internal/uitest"
	"github.com/reefhq/reef/peer/events"
	"github.com/reefhq/reef/peer/services"
	"github.com/reefhq/reef/views"
	"github.com/reefhq/reef/wallet/prover"
)

// frameOf returns the screen rows of the frame titled title (its top row first), or nil.
func frameOf(screen, title string) (top, height int, ok bool) {
	lines := strings.Split(screen, "\n")
	for i, l := range lines {
		j := strings.Index(l, "╭─ "+title)
		if j < 0 {
			continue
		}
		col := len([]rune(l[:j]))
		for k := i + 1; k < len(lines); k++ {
			r := []rune(lines[k])
			if col < len(r) && r[col] == '╰' {
				return i, k - i + 1, true
			}
		}
	}
	return 0, 0, false
}

// The node panes share the left column with the particle panes: it shows the last one
// focused (a node pane over the whole column, or Particles over the detail pane), and
// keeps it while the focus is on the right column or the logs.
func TestNodePanesShareTheLeftColumn(t *testing.T) {
	m := newTestModel(t, 200, 60, true)
	feed(m, 10, 20)
	wide := m.Layout().Slots[SlotWide]
	steps := []struct {
		keys          []string
		shown, hidden []string
	}{
		{nil, []string{"1 Particles", "2 Trace", "5 Topology", "6 Logs"}, []string{"7 Services", "8 Capacity"}},
		{[]string{"7"}, []string{"7 Services", "5 Topology"}, []string{"1 Particles", "2 Trace"}},
		{[]string{"8"}, []string{"8 Capacity"}, []string{"7 Services", "1 Particles"}},
		{[]string{"5"}, []string{"8 Capacity", "5 Topology"}, []string{"1 Particles"}}, // the right column keeps the left as it was
		{[]string{"4"}, []string{"1 Particles", "4 Runner"}, []string{"8 Capacity"}},
		{[]string{"tab", "tab", "tab", "tab", "tab"}, []string{"9 Wallet"}, []string{"1 Particles"}},
	}
	for i, st := range steps {
		press(m, st.keys...)
		screen := ansi.Strip(m.Render())
		for _, s := range st.shown {
			if !strings.Contains(screen, "╭─ "+s) {
				t.Fatalf("step %d: %s is not shown:\n%s", i, s, screen)
			}
		}
		for _, s := range st.hidden {
			if strings.Contains(screen, "╭─ "+s) {
				t.Fatalf("step %d: %s is shown:\n%s", i, s, screen)
			}
		}
		for _, s := range st.shown {
			if s[0] >= '7' {
				if top, h, ok := frameOf(screen, s); !ok || top != wide.Y || h != wide.H {
					t.Fatalf("step %d: %s is at row %d, %d high; the wide slot is %+v", i, s, top, h, wide)
				}
			}
		}
	}
	// An opened trace brings the particle panes back.
	m.Update(views.OpenTraceMsg{ParticleID: uitest.ParticleID(1)})
	if screen := ansi.Strip(m.Render()); !strings.Contains(screen, "╭─ 2 Trace") || strings.Contains(screen, "╭─ 9 Wallet") {
		t.Fatal("OpenTraceMsg did not bring the particle panes back")
	}
}

// The tabs fit any width: at 80 columns the unfocused titles are cut, the focused one
// stays whole, every number is there.
func TestTabsFitNarrowTerminals(t *testing.T) {
	m := newTestModel(t, 80, 24, true)
	press(m, "8")
	tabs := strings.Split(ansi.Strip(m.Render()), "\n")[1]
	if !strings.Contains(tabs, " 8 Capacity ") || strings.Contains(tabs, "Particles") {
		t.Fatalf("tabs %q", tabs)
	}
	for _, n := range []string{" 1 ", " 2 ", " 3 ", " 4 ", " 5 ", " 6 ", " 7 ", " 8 ", " 9 "} {
		if !strings.Contains(tabs, n) {
			t.Fatalf("tab%s is missing: %q", n, tabs)
		}
	}
	// Every tab is still a click target.
	renderSync(t, m)
	clickZone(t, m, tabZone(6))
	if m.FocusedPane().Title() != "Services" {
		t.Fatalf("the click focused %s", m.FocusedPane().Title())
	}
}

// cannedProvider stands for a running capacity provider with fixed snapshots (the real
// one needs a chain; its snapshots are tested in wallet/prover).
type cannedProvider struct{ polls int }

func (c *cannedProvider) Capacity() prover.CapacitySnapshot {
	c.polls++
	return prover.CapacitySnapshot{At: uitest.Now, Phase: prover.PhaseProving, Epoch: 7, HashRate: 2e6}
}

func (c *cannedProvider) Wallet() prover.WalletSnapshot { return prover.WalletSnapshot{At: uitest.Now} }

// The bridge polls the services and the provider at the poll rate, the services at once
// after a service event (with the log asked for), and treats a nil provider pointer as
// no provider.
func TestBridgePollsNodePanes(t *testing.T) {
	broker := events.NewBroker[events.Event]()
	mgr, err := services.New(services.Config{PeerID: "12D3KooWOwner", Publish: broker.Publish})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mgr.Close(context.Background()) })
	prov := &cannedProvider{}
	br := NewBridge(&Live{Services: mgr, Capacity: prov, Events: []*events.Broker[events.Event]{broker}}, nil, nil, BridgeOptions{PollEvery: 3})
	defer br.Close()
	b1 := br.Collect(uitest.Now, Request{})
	if b1.Services == nil || b1.Capacity == nil || b1.Wallet == nil || b1.Capacity.Epoch != 7 {
		t.Fatalf("batch 1: %+v", b1)
	}
	if b2 := br.Collect(uitest.Now, Request{}); b2.Services != nil || b2.Capacity != nil || prov.polls != 1 {
		t.Fatal("batch 2 polled")
	}
	chaos, err := os.ReadFile("../wasm/testdata/guests/chaosc/chaosc.wasm")
	if err != nil {
		t.Fatal(err)
	}
	d, err := mgr.Deploy(context.Background(), "chaos", chaos)
	if err != nil {
		t.Fatal(err)
	}
	b3 := br.Collect(uitest.Now, Request{ServiceLogs: d.ServiceID})
	if b3.Services == nil || len(b3.Services.Services) != 1 || b3.Capacity != nil {
		t.Fatalf("a deploy did not poll the services (only): %+v", b3)
	}
	if b3.ServiceLogs == nil || b3.ServiceLogs.Target != d.ServiceID || b3.ServiceLogs.Err != nil {
		t.Fatalf("logs %+v", b3.ServiceLogs)
	}
	if b4 := br.Collect(uitest.Now, Request{}); b4.Capacity == nil || prov.polls != 2 {
		t.Fatal("the third batch after the first did not poll the provider")
	}

	var none *prover.Provider
	br2 := NewBridge(&Live{Capacity: none}, nil, nil, BridgeOptions{})
	defer br2.Close()
	if b := br2.Collect(uitest.Now, Request{}); b.Capacity != nil {
		t.Fatal("a nil provider was polled")
	}
}

// The root attaches the node panes when the node is up and feeds them from batches:
// no provider is said as such; snapshots reach the panes.
func TestNodePanesFedByBatches(t *testing.T) {
	m := newTestModel(t, 200, 60, true)
	press(m, "8")
	if s := ansi.Strip(m.Render()); !strings.Contains(s, "Waiting for the node") {
		t.Fatal("the capacity pane does not wait for the node")
	}
	mgr, err := services.New(services.Config{PeerID: "12D3KooWOwner"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mgr.Close(context.Background()) })
	m.Update(readyMsg{live: &Live{Services: mgr}})
	if s := ansi.Strip(m.Render()); !strings.Contains(s, "No capacity provider") || !strings.Contains(s, "--provider --units N") {
		t.Fatalf("no provider is not said:\n%s", s)
	}
	cs := prover.CapacitySnapshot{At: uitest.Now, Phase: prover.PhaseProving, Epoch: 9}
	ws := prover.WalletSnapshot{At: uitest.Now}
	snap := services.Snapshot{DeployRule: "open", Services: []services.ServiceView{{ID: "5e1f0000-0000-4000-8000-000000000001", Aliases: []string{"kv"}}}}
	m.Update(batchMsg{Batch: Batch{Capacity: &cs, Wallet: &ws, Services: &snap}})
	if s := ansi.Strip(m.Render()); !strings.Contains(s, "Capacity · proving") {
		t.Fatalf("the capacity snapshot is not shown:\n%s", s)
	}
	press(m, "7")
	if s := ansi.Strip(m.Render()); !strings.Contains(s, "Services · 1 service") || !strings.Contains(s, "kv") {
		t.Fatalf("the services are not shown:\n%s", s)
	}
	press(m, "l")
	var req Request
	for _, p := range m.panes {
		if v, ok := p.Pane.(servicesViewer); ok {
			req.ServiceLogs = v.LogsTarget()
		}
	}
	if req.ServiceLogs != snap.Services[0].ID {
		t.Fatalf("the log asked for is %q", req.ServiceLogs)
	}
}
