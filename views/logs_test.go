package views

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/reefhq/reef/internal/uitest"
	"github.com/reefhq/reef/themes"
)

func newTestLogs(t *testing.T, max, w, h int) *Logs {
	t.Helper()
	l := NewLogs(coreCommon(t), max)
	l.SetSize(w, h)
	return l
}

func logsType(l *Logs, s string) {
	for _, r := range s {
		l.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func TestLogsBoundAndOrder(t *testing.T) {
	l := newTestLogs(t, 100, 80, 10)
	recs := uitest.Records(250)
	l.Append(recs[:120])
	l.Append(recs[120:])
	held, shown := l.Len()
	if held != 100 || shown != 100 {
		t.Fatalf("held %d shown %d, want 100 and 100", held, shown)
	}
	// The newest record is at the bottom while following.
	v := strings.Split(ansi.Strip(l.View()), "\n")
	if last := recs[len(recs)-1]; !strings.Contains(v[len(v)-1], last.Time.Format("15:04:05.000")) {
		t.Fatalf("last line %q is not the newest record", v[len(v)-1])
	}
	checkBlock(t, l.View(), 80, 10)
}

func TestLogsLevelFilterCycles(t *testing.T) {
	l := newTestLogs(t, 1000, 100, 20)
	l.Append(uitest.Records(100)) // 40 debug, 40 info, 10 warn, 10 error
	counts := []int{}
	for range 4 {
		_, shown := l.Len()
		counts = append(counts, shown)
		l.Update(coreKey("l"))
	}
	if fmt.Sprint(counts) != "[100 60 20 10]" {
		t.Fatalf("shown per level debug/info/warn/error = %v", counts)
	}
	if lv, _, _ := l.Filters(); lv != slog.LevelDebug {
		t.Fatalf("level after a full cycle = %v", lv)
	}
	// Records appended later are filtered too.
	l.SetLevel(slog.LevelError)
	l.Append(uitest.Records(10))
	if _, shown := l.Len(); shown != 11 {
		t.Fatalf("errors shown = %d, want 11", shown)
	}
}

func TestLogsParticleFilterAndOpen(t *testing.T) {
	l := newTestLogs(t, 1000, 120, 20)
	recs := uitest.Records(200)
	l.Append(recs)
	want := uitest.ParticleID(5)
	n := 0
	for _, r := range recs {
		if r.Particle == want {
			n++
		}
	}
	// p opens the input; typing a prefix of the id and enter applies it.
	l.Update(coreKey("p"))
	if !l.Typing() {
		t.Fatal("p did not open the particle input")
	}
	l.inputBuf = ""
	logsType(l, want[:8])
	l.Update(coreKey("enter"))
	if l.Typing() {
		t.Fatal("enter did not close the input")
	}
	_, part, _ := l.Filters()
	if part != want[:8] {
		t.Fatalf("particle filter %q", part)
	}
	if _, shown := l.Len(); shown != n {
		t.Fatalf("shown %d records of particle %s, want %d", shown, want, n)
	}
	// enter on a record asks the root to open its particle's trace.
	msgs := coreRun(l.Update(coreKey("enter")))
	if len(msgs) != 1 || msgs[0] != (OpenTraceMsg{ParticleID: want}) {
		t.Fatalf("enter sent %v", msgs)
	}
	// c clears the filters.
	l.Update(coreKey("c"))
	if _, shown := l.Len(); shown != 200 {
		t.Fatalf("after clearing, shown %d", shown)
	}
	// p prefills the input with the particle of the record under the cursor.
	l.SetSearch("instructions=")
	l.Update(coreKey("p"))
	if l.inputBuf == "" {
		t.Fatal("p did not prefill the particle id")
	}
	l.Update(coreKey("esc"))
	if l.Typing() {
		t.Fatal("esc did not close the input")
	}
}

func TestLogsSearch(t *testing.T) {
	l := newTestLogs(t, 1000, 120, 20)
	l.Append(uitest.Records(120))
	l.Update(coreKey("/"))
	logsType(l, "SWARM2")
	l.Update(coreKey("backspace"))
	logsType(l, "2")
	l.Update(coreKey("enter"))
	_, _, search := l.Filters()
	if search != "swarm2" {
		t.Fatalf("search %q", search)
	}
	if _, shown := l.Len(); shown != 30 {
		t.Fatalf("search shows %d records, want the 30 swarm2 ones", shown)
	}
	for _, line := range strings.Split(ansi.Strip(l.View()), "\n")[1:] {
		if !strings.Contains(line, "swarm2") {
			t.Fatalf("line %q does not match the search", line)
		}
	}
	l.Update(coreKey("/"))
	l.Update(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	l.Update(coreKey("enter"))
	if _, shown := l.Len(); shown != 120 {
		t.Fatalf("an empty search shows %d", shown)
	}
}

func TestLogsFollowPausesOnScrollUp(t *testing.T) {
	l := newTestLogs(t, 1000, 100, 12)
	l.Append(uitest.Records(50))
	if !l.Following() {
		t.Fatal("not following at start")
	}
	l.Update(coreKey("up"))
	if l.Following() {
		t.Fatal("scrolling up did not pause")
	}
	cur := l.current().Seq
	l.Append(uitest.Records(5))
	if l.current().Seq != cur {
		t.Fatal("new records moved the cursor while paused")
	}
	if !strings.Contains(ansi.Strip(l.View()), "paused") {
		t.Fatal("the status does not say paused")
	}
	// Scrolling back down to the newest record resumes following.
	for range 10 {
		l.Update(coreKey("down"))
	}
	if !l.Following() {
		t.Fatal("reaching the bottom did not resume following")
	}
	// The mouse wheel pauses too; G resumes.
	l.Update(tea.MouseWheelMsg{Button: tea.MouseWheelUp})
	if l.Following() {
		t.Fatal("the wheel did not pause")
	}
	l.Update(coreKey("G"))
	if !l.Following() {
		t.Fatal("G did not resume")
	}
	l.Update(coreKey("F"))
	if l.Following() {
		t.Fatal("F did not toggle following off")
	}
}

func TestLogsGolden(t *testing.T) {
	for _, sz := range [][2]int{{76, 8}, {116, 9}, {196, 15}} {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			l := newTestLogs(t, 1000, sz[0], sz[1])
			l.Append(uitest.Records(40))
			golden.RequireEqual(t, ansi.Strip(l.View()))
		})
	}
	t.Run("filtered-paused-input", func(t *testing.T) {
		l := newTestLogs(t, 1000, 100, 10)
		l.Append(uitest.Records(80))
		l.SetLevel(slog.LevelWarn)
		l.SetParticleFilter(uitest.ParticleID(7))
		l.SetLevel(slog.LevelDebug)
		l.Update(coreKey("up"))
		l.Update(coreKey("/"))
		logsType(l, "exp")
		golden.RequireEqual(t, ansi.Strip(l.View()))
	})
	t.Run("empty", func(t *testing.T) {
		l := newTestLogs(t, 10, 60, 4)
		golden.RequireEqual(t, ansi.Strip(l.View()))
	})
}

func BenchmarkLogsView(b *testing.B) {
	th, _ := themes.Builtin("dark")
	c := NewCommon(th)
	c.Now = uitest.Clock
	defer c.Zone.Close()
	l := NewLogs(c, 10_000)
	l.SetSize(196, 58)
	l.Append(uitest.Records(10_000))
	b.ReportAllocs()
	for b.Loop() {
		_ = l.View()
	}
}

// BenchmarkLogsAppendFiltered is the cost of one 10 Hz batch of 100 records into a
// full, filtered pane.
func BenchmarkLogsAppendFiltered(b *testing.B) {
	th, _ := themes.Builtin("dark")
	c := NewCommon(th)
	defer c.Zone.Close()
	l := NewLogs(c, 10_000)
	l.SetSize(196, 58)
	l.Append(uitest.Records(10_000))
	l.SetSearch("particle")
	batch := uitest.Records(100)
	b.ReportAllocs()
	for b.Loop() {
		l.Append(batch)
	}
}
