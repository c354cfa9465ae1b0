package tui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/reefhq/reef/internal/uitext"
	"github.com/reefhq/reef/themes"
)

// frameInner is the content size of a pane framed in r: a rounded border and one
// column of padding on each side.
func frameInner(r Rect) (w, h int) { return max(r.W-4, 0), max(r.H-2, 0) }

// View implements tea.Model.
func (m *Model) View() tea.View {
	v := tea.NewView(m.Render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "reef"
	return v
}

// Render returns the screen's content (zone markers already scanned out).
func (m *Model) Render() string {
	return m.c.Zone.Scan(m.render())
}

func (m *Model) render() string {
	s := m.c.Styles
	if m.w <= 0 || m.h <= 0 {
		return "reef: starting…"
	}
	l := m.layout
	if l.TooSmall {
		msg := fmt.Sprintf("terminal too small: reef needs at least %d×%d, this one is %d×%d", MinWidth, MinHeight, m.w, m.h)
		return lipgloss.Place(m.w, m.h, lipgloss.Center, lipgloss.Center, s.Warn.Render(uitext.Truncate(msg, m.w)))
	}
	rows := make([]string, 0, m.h)
	rows = append(rows, m.renderHeader())
	rows = append(rows, m.renderTabs())
	if !l.Banner.Empty() {
		rows = append(rows, s.Accent.Render(uitext.Fit(" "+m.opts.Banner, m.w)))
	}
	switch {
	case m.showHelp:
		rows = append(rows, m.renderHelp(l.Body)...)
	case l.Mode == ModeSingle:
		rows = append(rows, strings.Split(m.renderFrame(m.focus, l.Body), "\n")...)
	default:
		rows = append(rows, m.renderSplit()...)
	}
	rows = append(rows, m.renderFooter())
	return strings.Join(rows, "\n")
}

// renderSplit assembles the visible frames row by row.
func (m *Model) renderSplit() []string {
	l := m.layout
	type placed struct {
		r     Rect
		lines []string
	}
	var frames []placed
	for _, i := range m.visible() {
		r := l.Slots[m.panes[i].Slot]
		if r.Empty() {
			continue
		}
		frames = append(frames, placed{r, strings.Split(m.renderFrame(i, r), "\n")})
	}
	slices.SortFunc(frames, func(a, b placed) int { return a.r.X - b.r.X })
	out := make([]string, l.Body.H)
	for y := range out {
		abs := l.Body.Y + y
		var b strings.Builder
		for _, f := range frames {
			if abs >= f.r.Y && abs < f.r.Y+f.r.H {
				b.WriteString(f.lines[abs-f.r.Y])
			}
		}
		out[y] = b.String()
	}
	return out
}

// renderFrame draws pane i in r: a rounded border in the theme's border colour (the
// focus colour when focused) with the pane's number and title in the top edge.
func (m *Model) renderFrame(i int, r Rect) string {
	s := m.c.Styles
	p := m.panes[i].Pane
	focused := i == m.focus
	borderSt := lipgloss.NewStyle().Foreground(themes.C(s.Theme.Border))
	titleSt := s.Muted
	if focused {
		borderSt = lipgloss.NewStyle().Foreground(themes.C(s.Theme.FocusBorder))
		titleSt = s.Title
	}
	iw, ih := frameInner(r)
	title := uitext.Truncate(fmt.Sprintf("%d %s", i+1, p.Title()), max(r.W-6, 0))
	fill := max(r.W-5-uitext.Width(title), 0)
	lines := make([]string, 0, r.H)
	lines = append(lines, borderSt.Render("╭─ ")+titleSt.Render(title)+borderSt.Render(" "+strings.Repeat("─", fill)+"╮"))
	body := uitext.Block(strings.Split(p.View(), "\n"), iw, ih)
	side := borderSt.Render("│")
	for _, line := range body {
		lines = append(lines, side+" "+line+" "+side)
	}
	lines = append(lines, borderSt.Render("╰"+strings.Repeat("─", max(r.W-2, 0))+"╯"))
	return m.c.Zone.Mark(paneZone(i), strings.Join(lines, "\n"))
}

func (m *Model) renderHeader() string {
	s := m.c.Styles
	sep := " │ "
	parts := []string{"reef"}
	switch {
	case m.hdr.err != nil:
		parts = append(parts, "node failed: "+m.hdr.err.Error())
	case m.hdr.status == nil:
		spin := []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}[m.frames%10]
		parts = append(parts, spin+" starting the node…")
	default:
		st := m.hdr.status
		parts = append(parts, "peer "+uitext.ShortID(st.PeerID))
		addrs := "no listen address"
		if len(st.Addresses) > 0 {
			addrs = strings.TrimSuffix(st.Addresses[0], "/p2p/"+st.PeerID)
			if len(st.Addresses) > 1 {
				addrs += fmt.Sprintf(" +%d", len(st.Addresses)-1)
			}
		}
		parts = append(parts, addrs,
			fmt.Sprintf("%d connected", len(st.Peers)),
			fmt.Sprintf("%d in table", st.RoutingTableSize),
			fmt.Sprintf("%.1f particles/s", m.hdr.rate),
			"up "+uitext.Age(time.Duration(st.UptimeSeconds*float64(time.Second))))
		if m.hdr.dropped > 0 {
			parts = append(parts, fmt.Sprintf("%d events dropped", m.hdr.dropped))
		}
	}
	text := uitext.Fit(strings.Join(parts, sep), max(m.w-2, 0))
	st := s.Header
	if m.hdr.err != nil {
		st = st.Foreground(themes.C(s.Theme.Err))
	}
	return st.Render(text)
}

func (m *Model) renderTabs() string {
	s := m.c.Styles
	vis := map[int]bool{}
	for _, i := range m.visible() {
		vis[i] = true
	}
	right := s.Muted.Render("theme " + s.Theme.Name + " ")
	// The titles matter more than the theme's name: it goes first.
	labels, cut := m.tabLabels(m.w - uitext.Width(right) - 1)
	if cut {
		right = ""
		labels, _ = m.tabLabels(m.w)
	}
	var b strings.Builder
	for i := range m.panes {
		label := labels[i]
		st := s.Muted
		switch {
		case i == m.focus:
			st = s.Selected
		case vis[i]:
			st = s.Base
		}
		b.WriteString(m.c.Zone.Mark(tabZone(i), st.Render(label)))
	}
	left := b.String()
	gap := m.w - uitext.Width(left) - uitext.Width(right)
	if gap < 1 {
		return uitext.Fit(left, m.w)
	}
	return left + strings.Repeat(" ", gap) + right
}

// tabLabels are the tabs' labels fitting in width cells: the titles in full, or cut
// to as many letters as fit (the focused pane's title stays whole), down to the
// numbers alone (the line is cut when not even those fit). cut reports whether any
// title was cut.
func (m *Model) tabLabels(width int) (labels []string, cut bool) {
	longest := 0
	for _, p := range m.panes {
		longest = max(longest, len([]rune(p.Pane.Title())))
	}
	labels = make([]string, len(m.panes))
	for k := longest; k >= 0; k-- {
		total := 0
		for i, p := range m.panes {
			title := []rune(p.Pane.Title())
			if i != m.focus && len(title) > k {
				title = title[:k]
			}
			labels[i] = fmt.Sprintf(" %d %s ", i+1, string(title))
			if len(title) == 0 {
				labels[i] = fmt.Sprintf(" %d ", i+1)
			}
			total += uitext.Width(labels[i])
		}
		if total <= width {
			return labels, k < longest
		}
	}
	return labels, true
}

func (m *Model) renderFooter() string {
	s := m.c.Styles
	var note string
	if m.notice.Text != "" && m.c.Now().Sub(m.noticeAt) < noticeTTL {
		st := s.Info
		switch m.notice.Level {
		case "warn":
			st = s.Warn
		case "error":
			st = s.Err
		}
		note = st.Render(uitext.Truncate(m.notice.Text, max(m.w/2, 10)))
	}
	bindings := append(slices.Clone(m.panes[m.focus].Pane.KeyMap().ShortHelp()), m.keys.ShortHelp()...)
	if m.showHelp {
		bindings = []key.Binding{key.NewBinding(key.WithKeys("?"), key.WithHelp("?/esc", "close help")), m.keys.Quit}
	}
	avail := m.w - 2 - uitext.Width(note)
	if note != "" {
		avail--
	}
	m.help.SetWidth(max(avail, 0))
	keys := m.help.ShortHelpView(bindings)
	gap := max(m.w-2-uitext.Width(keys)-uitext.Width(note), 0)
	return uitext.Fit(" "+keys+strings.Repeat(" ", gap)+note+" ", m.w)
}

// renderHelp draws the full help in the body: the focused pane's keys, the global
// keys, the panes and where the logs go.
func (m *Model) renderHelp(r Rect) []string {
	s := m.c.Styles
	p := m.panes[m.focus].Pane
	iw, ih := frameInner(r)
	lines := []string{s.Title.Render("Keys of " + p.Title())}
	lines = append(lines, strings.Split(m.help.FullHelpView(p.KeyMap().FullHelp()), "\n")...)
	lines = append(lines, "", s.Title.Render("Everywhere"))
	lines = append(lines, strings.Split(m.help.FullHelpView(m.keys.FullHelp()), "\n")...)
	lines = append(lines, "", s.Title.Render("Panes")+s.Muted.Render("  (click a pane or a tab to focus it; the mouse wheel scrolls the pane under it)"))
	for i, sp := range m.panes {
		lines = append(lines, s.Key.Render(fmt.Sprintf("  %d", i+1))+" "+s.Base.Render(sp.Pane.Title()))
	}
	if m.opts.LogFile != "" {
		lines = append(lines, "", s.Muted.Render("logs are also written to ")+s.Base.Render(m.opts.LogFile))
	}
	lines = append(lines, s.Muted.Render("themes: ")+s.Base.Render(strings.Join(themes.Names(), ", "))+
		s.Muted.Render(" (t cycles; --theme NAME|FILE.toml)"))
	borderSt := lipgloss.NewStyle().Foreground(themes.C(s.Theme.FocusBorder))
	out := []string{borderSt.Render("╭─ ") + s.Title.Render("Help") + borderSt.Render(" "+strings.Repeat("─", max(r.W-9, 0))+"╮")}
	for _, line := range uitext.Block(lines, iw, ih) {
		out = append(out, borderSt.Render("│")+" "+line+" "+borderSt.Render("│"))
	}
	out = append(out, borderSt.Render("╰"+strings.Repeat("─", max(r.W-2, 0))+"╯"))
	return out
}
