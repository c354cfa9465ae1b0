package tui

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/reefhq/reef/themes"
	"github.com/reefhq/reef/views"
)

// inspectMsg runs fn on the program's goroutine, with the model (see withInspect): the
// test reads the live model without racing the program.
type inspectMsg struct{ fn func(*Model) }

func withInspect() tea.ProgramOption {
	return tea.WithFilter(func(m tea.Model, msg tea.Msg) tea.Msg {
		if im, ok := msg.(inspectMsg); ok {
			im.fn(m.(*Model))
			return nil
		}
		return msg
	})
}

// inspect asks the running program for something about its model.
func inspect[T any](t *testing.T, tm *teatest.TestModel, fn func(*Model) T) T {
	t.Helper()
	ch := make(chan T, 1)
	tm.Send(inspectMsg{fn: func(m *Model) { ch <- fn(m) }})
	select {
	case v := <-ch:
		return v
	case <-time.After(5 * time.Second):
		t.Fatal("the program did not answer")
		panic("unreachable")
	}
}

// waitScreen waits until the rendered screen (text only) satisfies ok.
func waitScreen(t *testing.T, tm *teatest.TestModel, what string, timeout time.Duration, ok func(screen string, m *Model) bool) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var screen string
	for time.Now().Before(deadline) {
		done := inspect(t, tm, func(m *Model) bool {
			screen = ansi.Strip(m.render())
			return ok(screen, m)
		})
		if done {
			return screen
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s; the screen:\n%s", what, screen)
	return ""
}

func typeKeys(tm *teatest.TestModel, s string) {
	for _, r := range s {
		tm.Send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func sendKey(tm *teatest.TestModel, code rune) { tm.Send(tea.KeyPressMsg{Code: code}) }

// TestConsoleEndToEnd drives the real program (teatest) against a real embedded node
// and an in-process devnet of 4 peers: peers appear in the topology, a script run from
// the runner opens its trace, a hop is replayed and stepped, the theme switches, and q
// quits and closes everything.
func TestConsoleEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a devnet; skipped with -short")
	}
	th, _ := themes.Builtin("dark")
	dir := t.TempDir()
	con, err := NewConsole(Config{Theme: th, DataDir: dir, Devnet: 4, History: 500, LogLevel: slog.LevelInfo, LogBuffer: 2000})
	if err != nil {
		t.Fatal(err)
	}
	closed := false
	t.Cleanup(func() {
		if !closed {
			con.Close()
		}
	})
	start := time.Now()
	tm := teatest.NewTestModel(t, con.Model, teatest.WithInitialTermSize(200, 60),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii), withInspect()))
	go func() { _, _ = io.Copy(io.Discard, tm.Output()) }()

	// The first frame does not wait for the node.
	waitScreen(t, tm, "the first frame", 2*time.Second, func(s string, _ *Model) bool { return strings.Contains(s, "reef │") })
	if d := time.Since(start); d > time.Second {
		t.Errorf("first frame after %s", d)
	}

	// The devnet's peers appear in the topology, and the header counts them.
	waitScreen(t, tm, "4 peers in the topology", 30*time.Second, func(s string, m *Model) bool {
		return m.Topology().Snapshot().Size >= 4 && strings.Contains(s, "4 peers in the routing table") && strings.Contains(s, "4 connected")
	})

	// Run a script from the runner: arguments, file, run.
	script, err := filepath.Abs("demoscripts/fold_long_50.air")
	if err != nil {
		t.Fatal(err)
	}
	typeKeys(tm, "4")
	typeKeys(tm, "a")
	// The function reads sq[49]: a stream join that waits for 50 values.
	xs := make([]string, 50)
	for i := range xs {
		xs[i] = fmt.Sprint(i + 1)
	}
	typeKeys(tm, `{"xs": [`+strings.Join(xs, ",")+`]}`)
	sendKey(tm, tea.KeyEscape)
	typeKeys(tm, "o")
	typeKeys(tm, script)
	sendKey(tm, tea.KeyEnter)
	waitScreen(t, tm, "the script to load", 5*time.Second, func(s string, _ *Model) bool { return strings.Contains(s, "fold_long_50.air") })
	sendKey(tm, tea.KeyEscape)
	typeKeys(tm, "r")

	// The run opens its trace, which fills in as the recorder sees the hops.
	var pid string
	waitScreen(t, tm, "the run's trace", 20*time.Second, func(s string, m *Model) bool {
		tr, ok := m.FocusedPane().(traceViewer)
		if !ok || tr.ParticleID() == "" {
			return false
		}
		pid = tr.ParticleID()
		return strings.Contains(s, "completed") && strings.Contains(s, pid[:8])
	})
	// The run's result came back to the runner (its history shows it).
	waitScreen(t, tm, "the run's result", 20*time.Second, func(_ string, m *Model) bool {
		for _, p := range m.Panes() {
			if p.Title() == "Runner" {
				return strings.Contains(ansi.Strip(p.View()), "42925")
			}
		}
		return false
	})
	// The particle list has it too.
	waitScreen(t, tm, "the particle in the list", 5*time.Second, func(s string, _ *Model) bool {
		return strings.Contains(s, "1 Particles") && strings.Contains(s, pid[:8])
	})

	// Replay the selected hop and step through it.
	typeKeys(tm, "r")
	waitScreen(t, tm, "the replay", 10*time.Second, func(s string, m *Model) bool {
		rp, ok := m.FocusedPane().(*views.Replay)
		return ok && !rp.Loading() && rp.Err() == nil && strings.Contains(s, "Replay hop")
	})
	pos0 := inspect(t, tm, func(m *Model) int { p, _ := m.FocusedPane().(*views.Replay).Position(); return p })
	typeKeys(tm, "nnn")
	waitScreen(t, tm, "three steps", 5*time.Second, func(_ string, m *Model) bool {
		p, _ := m.FocusedPane().(*views.Replay).Position()
		return p == pos0+3
	})

	// The theme switches from a pane that does not use t.
	typeKeys(tm, "5t")
	waitScreen(t, tm, "the light theme", 5*time.Second, func(s string, m *Model) bool {
		return m.ThemeName() == "light" && strings.Contains(s, "theme light")
	})

	// The Services pane deploys a module file on the embedded node and calls it.
	chaos, err := filepath.Abs("../wasm/testdata/guests/chaosc/chaosc.wasm")
	if err != nil {
		t.Fatal(err)
	}
	typeKeys(tm, "7d")
	typeKeys(tm, chaos)
	sendKey(tm, tea.KeyEnter)
	waitScreen(t, tm, "the deployed service", 30*time.Second, func(s string, _ *Model) bool {
		return strings.Contains(s, "╭─ 7 Services") && strings.Contains(s, "▸ chaosc")
	})
	typeKeys(tm, "c")
	tm.Send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	typeKeys(tm, "echo")
	sendKey(tm, tea.KeyTab)
	typeKeys(tm, `["e2e"]`)
	sendKey(tm, tea.KeyEnter)
	waitScreen(t, tm, "the call's result", 30*time.Second, func(s string, _ *Model) bool {
		return strings.Contains(s, `chaosc.echo("e2e") → ["e2e"]`)
	})
	// The Capacity pane shows the provider, or says how to start one.
	typeKeys(tm, "8")
	waitScreen(t, tm, "the capacity pane", 5*time.Second, func(s string, _ *Model) bool {
		return strings.Contains(s, "╭─ 8 Capacity") && (strings.Contains(s, "No capacity provider") || strings.Contains(s, "Capacity · "))
	})

	// The Logs pane shows the node's logs, and the log file has them.
	waitScreen(t, tm, "logs", 5*time.Second, func(s string, m *Model) bool {
		held, _ := m.Logs().Len()
		return held > 0 && strings.Contains(s, " INF ")
	})

	typeKeys(tm, "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	closed = true
	if err := con.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
	logFile, err := os.ReadFile(filepath.Join(dir, LogFileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"console ready", "logger=dht", fmt.Sprintf("peer_id=%s", inspectID(t, logFile))} {
		if !strings.Contains(string(logFile), want) {
			t.Errorf("the log file lacks %q", want)
		}
	}
}

// inspectID finds the node's peer id in the log file's "console ready" line.
func inspectID(t *testing.T, log []byte) string {
	for _, line := range strings.Split(string(log), "\n") {
		if strings.Contains(line, "console ready") {
			for _, f := range strings.Fields(line) {
				if id, ok := strings.CutPrefix(f, "peer_id="); ok {
					return id
				}
			}
		}
	}
	t.Error("no console ready line with a peer id")
	return "?"
}
