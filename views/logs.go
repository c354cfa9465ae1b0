package views

import (
	"fmt"
	"log/slog"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/reefhq/reef/internal/logbuf"
	"github.com/reefhq/reef/internal/uitext"
)

// LogsDefaultMax is the default number of records the Logs pane keeps.
const LogsDefaultMax = 10_000

// LogsKeyMap are the Logs pane's keys.
type LogsKeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Follow, Level, Particle, Search, Clear  key.Binding
	Open                                    key.Binding
	// Input mode.
	Apply, Cancel key.Binding
}

// ShortHelp implements help.KeyMap.
func (k LogsKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Level, k.Particle, k.Search, k.Follow, k.Open, k.Clear, k.Apply, k.Cancel}
}

// FullHelp implements help.KeyMap.
func (k LogsKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Follow, k.Level, k.Particle, k.Search, k.Clear, k.Open},
	}
}

func newLogsKeyMap() LogsKeyMap {
	return LogsKeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "older")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "newer")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "oldest")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "newest + follow")),
		Follow:   key.NewBinding(key.WithKeys("F"), key.WithHelp("F", "follow on/off")),
		Level:    key.NewBinding(key.WithKeys("l"), key.WithHelp("l", "level")),
		Particle: key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "particle filter")),
		Search:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search")),
		Clear:    key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "clear filters")),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open particle trace")),
		Apply:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply"), key.WithDisabled()),
		Cancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"), key.WithDisabled()),
	}
}

// logsInput is what the input line is editing.
type logsInput int

const (
	logsInputNone logsInput = iota
	logsInputSearch
	logsInputParticle
)

var logsLevels = []slog.Level{slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError}

// Logs is the log pane: the console's structured logs (node, devnet peers, libp2p and
// DHT) with a level filter, a particle filter, a text search and a following mode that
// pauses when the user scrolls up.
type Logs struct {
	c       *Common
	keys    LogsKeyMap
	w, h    int
	focused bool

	// recs is a ring of the last len(recs) records; record number a (counting every
	// record ever appended from 0) is at recs[a%len(recs)] while a >= total-n.
	recs  []logbuf.Record
	n     int
	total int

	minLevel slog.Level
	particle string
	search   string // lower case

	matches []int // record numbers passing the filters, ascending
	cursor  int   // index into matches
	offset  int   // first visible index into matches
	follow  bool

	input    logsInput
	inputBuf string
}

// NewLogs returns the Logs pane keeping at most max records (LogsDefaultMax if <= 0).
func NewLogs(c *Common, max int) *Logs {
	if max <= 0 {
		max = LogsDefaultMax
	}
	return &Logs{c: c, keys: newLogsKeyMap(), recs: make([]logbuf.Record, max), follow: true, minLevel: slog.LevelDebug}
}

// Title implements Pane.
func (l *Logs) Title() string { return "Logs" }

// SetSize implements Pane.
func (l *Logs) SetSize(w, h int) {
	l.w, l.h = max(w, 0), max(h, 0)
	l.clamp()
}

// Focus implements Pane.
func (l *Logs) Focus() { l.focused = true }

// Blur implements Pane.
func (l *Logs) Blur() { l.focused = false }

// KeyMap implements Pane.
func (l *Logs) KeyMap() help.KeyMap { return l.keys }

// Typing reports whether the search or particle input is open: the root then sends the
// pane every key, the global ones included (except ctrl+c).
func (l *Logs) Typing() bool { return l.input != logsInputNone }

// Following reports whether the pane follows new records.
func (l *Logs) Following() bool { return l.follow }

// Len returns how many records the pane holds, and how many pass the filters.
func (l *Logs) Len() (held, shown int) { return l.n, len(l.matches) }

// Filters returns the current filters.
func (l *Logs) Filters() (minLevel slog.Level, particle, search string) {
	return l.minLevel, l.particle, l.search
}

// SetLevel shows only records at level or above.
func (l *Logs) SetLevel(level slog.Level) { l.minLevel = level; l.refilter() }

// SetParticleFilter shows only records whose particle attribute contains id ("" for
// all).
func (l *Logs) SetParticleFilter(id string) { l.particle = strings.TrimSpace(id); l.refilter() }

// SetSearch shows only records whose message or attributes contain text, ignoring case
// ("" for all).
func (l *Logs) SetSearch(text string) { l.search = strings.ToLower(text); l.refilter() }

// Append adds records (oldest first); the oldest held records are dropped beyond the
// bound.
func (l *Logs) Append(recs []logbuf.Record) {
	if len(recs) == 0 {
		return
	}
	for i := range recs {
		a := l.total
		l.recs[a%len(l.recs)] = recs[i]
		l.total++
		l.n = min(l.n+1, len(l.recs))
		if l.pass(&recs[i]) {
			l.matches = append(l.matches, a)
		}
	}
	// Forget matches whose record was overwritten.
	oldest := l.total - l.n
	drop := 0
	for drop < len(l.matches) && l.matches[drop] < oldest {
		drop++
	}
	if drop > 0 {
		l.matches = l.matches[drop:]
		l.cursor -= drop
		l.offset -= drop
	}
	l.clamp()
}

func (l *Logs) record(a int) *logbuf.Record { return &l.recs[a%len(l.recs)] }

func (l *Logs) pass(r *logbuf.Record) bool {
	if r.Level < l.minLevel {
		return false
	}
	if l.particle != "" && !strings.Contains(r.Particle, l.particle) {
		return false
	}
	if l.search != "" && !strings.Contains(strings.ToLower(r.Text()), l.search) &&
		!strings.Contains(strings.ToLower(r.Logger), l.search) {
		return false
	}
	return true
}

// refilter recomputes the matches, keeping the cursor on the same record when it still
// passes.
func (l *Logs) refilter() {
	at := -1
	if l.cursor >= 0 && l.cursor < len(l.matches) {
		at = l.matches[l.cursor]
	}
	l.matches = l.matches[:0]
	l.cursor = 0
	for a := l.total - l.n; a < l.total; a++ {
		if l.pass(l.record(a)) {
			if a <= at {
				l.cursor = len(l.matches)
			}
			l.matches = append(l.matches, a)
		}
	}
	l.clamp()
}

// visibleRows is how many record lines fit.
func (l *Logs) visibleRows() int {
	rows := l.h - 1 // the status line
	if l.input != logsInputNone {
		rows--
	}
	return max(rows, 0)
}

// clamp keeps the cursor in range and in view; following pins it to the newest record.
func (l *Logs) clamp() {
	if l.follow || l.cursor >= len(l.matches) {
		l.cursor = len(l.matches) - 1
	}
	l.cursor = max(l.cursor, 0)
	vis := l.visibleRows()
	if vis <= 0 {
		l.offset = 0
		return
	}
	if l.follow {
		l.offset = len(l.matches) - vis
	}
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+vis {
		l.offset = l.cursor - vis + 1
	}
	l.offset = min(max(l.offset, 0), max(len(l.matches)-vis, 0))
}

// moveCursor moves by d records; moving up pauses following, reaching the newest
// record resumes it.
func (l *Logs) moveCursor(d int) {
	if len(l.matches) == 0 {
		return
	}
	l.cursor = min(max(l.cursor+d, 0), len(l.matches)-1)
	l.follow = l.cursor == len(l.matches)-1 && d > 0
	l.clamp()
}

// Update implements Pane.
func (l *Logs) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if l.input != logsInputNone {
			return l.handleInput(msg)
		}
		return l.handleKey(msg)
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			l.moveCursor(-3)
		case tea.MouseWheelDown:
			l.moveCursor(3)
		}
	}
	return nil
}

func (l *Logs) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	page := max(l.visibleRows()-1, 1)
	switch {
	case key.Matches(msg, l.keys.Up):
		l.moveCursor(-1)
	case key.Matches(msg, l.keys.Down):
		l.moveCursor(1)
	case key.Matches(msg, l.keys.PageUp):
		l.moveCursor(-page)
	case key.Matches(msg, l.keys.PageDown):
		l.moveCursor(page)
	case key.Matches(msg, l.keys.Top):
		l.follow = false
		l.cursor = 0
		l.clamp()
	case key.Matches(msg, l.keys.Bottom):
		l.follow = true
		l.clamp()
	case key.Matches(msg, l.keys.Follow):
		l.follow = !l.follow
		l.clamp()
	case key.Matches(msg, l.keys.Level):
		i := 0
		for j, lv := range logsLevels {
			if lv == l.minLevel {
				i = j
			}
		}
		l.SetLevel(logsLevels[(i+1)%len(logsLevels)])
	case key.Matches(msg, l.keys.Particle):
		l.openInput(logsInputParticle, l.particle)
		if l.particle == "" {
			if r := l.current(); r != nil {
				l.inputBuf = r.Particle
			}
		}
	case key.Matches(msg, l.keys.Search):
		l.openInput(logsInputSearch, l.search)
	case key.Matches(msg, l.keys.Clear):
		l.minLevel, l.particle, l.search = slog.LevelDebug, "", ""
		l.refilter()
	case key.Matches(msg, l.keys.Open):
		if r := l.current(); r != nil && r.Particle != "" {
			id := r.Particle
			return func() tea.Msg { return OpenTraceMsg{ParticleID: id} }
		}
		return func() tea.Msg { return NoticeMsg{Text: "this record names no particle", Level: "warn"} }
	}
	return nil
}

func (l *Logs) openInput(mode logsInput, value string) {
	l.input, l.inputBuf = mode, value
	l.setInputKeys(true)
	l.clamp()
}

func (l *Logs) closeInput() {
	l.input, l.inputBuf = logsInputNone, ""
	l.setInputKeys(false)
	l.clamp()
}

func (l *Logs) setInputKeys(on bool) {
	for _, b := range []*key.Binding{&l.keys.Follow, &l.keys.Level, &l.keys.Particle, &l.keys.Search, &l.keys.Clear, &l.keys.Open} {
		b.SetEnabled(!on)
	}
	l.keys.Apply.SetEnabled(on)
	l.keys.Cancel.SetEnabled(on)
}

func (l *Logs) handleInput(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "enter":
		v := l.inputBuf
		mode := l.input
		l.closeInput()
		if mode == logsInputSearch {
			l.SetSearch(v)
		} else {
			l.SetParticleFilter(v)
		}
	case "esc":
		l.closeInput()
	case "backspace":
		if r := []rune(l.inputBuf); len(r) > 0 {
			l.inputBuf = string(r[:len(r)-1])
		}
	case "ctrl+u":
		l.inputBuf = ""
	default:
		if msg.Text != "" {
			l.inputBuf += msg.Text
		}
	}
	return nil
}

// current is the record under the cursor.
func (l *Logs) current() *logbuf.Record {
	if l.cursor < 0 || l.cursor >= len(l.matches) {
		return nil
	}
	return l.record(l.matches[l.cursor])
}

// View implements Pane.
func (l *Logs) View() string {
	if l.w <= 0 || l.h <= 0 {
		return ""
	}
	s := corePaintFor(l.c.Styles)
	lines := make([]string, 0, l.h)
	lines = append(lines, uitext.Fit(l.status(), l.w))
	vis := l.visibleRows()
	if len(l.matches) == 0 {
		msg := "no log records yet"
		if l.n > 0 {
			msg = fmt.Sprintf("no record matches the filters (%d held; c clears them)", l.n)
		}
		lines = append(lines, s.Muted(uitext.Fit(msg, l.w)))
	}
	for i := l.offset; i < len(l.matches) && i < l.offset+vis; i++ {
		lines = append(lines, l.renderRecord(l.record(l.matches[i]), i == l.cursor && !l.follow || i == l.cursor && l.focused))
	}
	out := uitext.Block(lines, l.w, l.h)
	if l.input != logsInputNone {
		label := "search: "
		if l.input == logsInputParticle {
			label = "particle id: "
		}
		out[l.h-1] = uitext.Fit(s.Key(label)+s.Base(l.inputBuf)+s.Accent("▏")+
			s.Muted("  enter apply · esc cancel"), l.w)
	}
	return strings.Join(out, "\n")
}

func (l *Logs) status() string {
	s := corePaintFor(l.c.Styles)
	parts := []string{s.Muted("level ≥ ") + s.Base(strings.ToLower(l.minLevel.String()))}
	if l.particle != "" {
		parts = append(parts, s.Muted("particle ")+s.Accent(uitext.ShortID(l.particle)))
	}
	if l.search != "" {
		parts = append(parts, s.Muted("search ")+s.Accent(fmt.Sprintf("%q", l.search)))
	}
	parts = append(parts, s.Muted(fmt.Sprintf("%d of %d", len(l.matches), l.n)))
	if l.follow {
		parts = append(parts, s.OK("following"))
	} else {
		parts = append(parts, s.Warn("paused")+s.Muted(" (G follows)"))
	}
	return strings.Join(parts, s.Muted(" · "))
}

func logsLevelText(lv slog.Level) string {
	switch {
	case lv < slog.LevelInfo:
		return "DBG"
	case lv < slog.LevelWarn:
		return "INF"
	case lv < slog.LevelError:
		return "WRN"
	default:
		return "ERR"
	}
}

func (l *Logs) renderRecord(r *logbuf.Record, selected bool) string {
	s := corePaintFor(l.c.Styles)
	ts := r.Time.Format("15:04:05.000")
	lvl := logsLevelText(r.Level)
	src := r.Logger
	if r.Node != "" {
		src = uitext.ShortID(r.Node)
	}
	if selected {
		var b strings.Builder
		b.WriteString(ts + " " + lvl + " ")
		if src != "" {
			b.WriteString(src + " ")
		}
		b.WriteString(r.Msg)
		for _, a := range r.Attrs {
			b.WriteString(" " + a.Key + "=" + a.Value)
		}
		return s.Selected(uitext.Fit(b.String(), l.w))
	}
	lvlSt := s.Info
	switch {
	case r.Level < slog.LevelInfo:
		lvlSt = s.Muted
	case r.Level >= slog.LevelError:
		lvlSt = s.Err
	case r.Level >= slog.LevelWarn:
		lvlSt = s.Warn
	}
	var b strings.Builder
	b.WriteString(s.Muted(ts))
	b.WriteByte(' ')
	b.WriteString(lvlSt(lvl))
	b.WriteByte(' ')
	if src != "" {
		b.WriteString(s.Accent(src))
		b.WriteByte(' ')
	}
	b.WriteString(s.Base(r.Msg))
	width := 14 + len(src) + uitext.Width(r.Msg)
	for _, a := range r.Attrs {
		if width > l.w {
			break
		}
		valSt := s.Base
		if a.Key == "particle" || a.Key == "particle_id" {
			valSt = s.Accent
		}
		b.WriteString(" " + s.Muted(a.Key+"=") + valSt(a.Value))
		width += 2 + len(a.Key) + uitext.Width(a.Value)
	}
	return uitext.Fit(b.String(), l.w)
}
