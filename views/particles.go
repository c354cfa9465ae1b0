package views

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/reefhq/reef/internal/uitext"
	"github.com/reefhq/reef/peer/recorder"
	"github.com/reefhq/reef/themes"
)

// ParticlesKeyMap are the keys of the particle list.
type ParticlesKeyMap struct {
	Up, Down, PageUp, PageDown, Home, End key.Binding
	Open                                  key.Binding
	Search, Status, Sort, Clear           key.Binding
	// Apply and Cancel end a search (enter keeps the text, esc drops it).
	Apply, Cancel key.Binding
}

// ShortHelp implements help.KeyMap.
func (k ParticlesKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Open, k.Search, k.Status, k.Apply, k.Cancel}
}

// FullHelp implements help.KeyMap.
func (k ParticlesKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End},
		{k.Open, k.Search, k.Status, k.Sort, k.Clear, k.Apply, k.Cancel},
	}
}

func newParticlesKeyMap() ParticlesKeyMap {
	return ParticlesKeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Home:     key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("home/g", "newest (follow)")),
		End:      key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end/G", "oldest")),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "trace")),
		Search:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search")),
		Status:   key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "status filter")),
		Sort:     key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "sort order")),
		Clear:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filters")),
		Apply:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep search")),
		Cancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel search")),
	}
}

// partOrder is the sort order of the particle list.
type partOrder int

const (
	partByActivity partOrder = iota // most recently active first (the recorder's order)
	partByStart                     // most recently started first
	partByDeadline                  // soonest deadline first
	partOrders
)

func (o partOrder) String() string {
	switch o {
	case partByStart:
		return "started"
	case partByDeadline:
		return "deadline"
	}
	return "activity"
}

// partStatuses is the cycle of the status filter ("" shows every status).
var partStatuses = []recorder.Status{"", recorder.Running, recorder.Completed, recorder.Failed, recorder.Expired}

// Particles is the live list of the particles the node has seen.
//
// The root pushes the recorder's summaries with SetParticles on its refresh tick; the pane
// filters, sorts and draws only the visible rows, and keeps the selection on the same
// particle across updates. Enter asks the root to open the trace (OpenTraceMsg).
type Particles struct {
	c             *Common
	keys          ParticlesKeyMap
	width, height int
	focused       bool

	all  []recorder.Summary
	view []int32 // indices into all, filtered and sorted
	sel  int     // index into view
	// selID keeps the selection on a particle while the list changes under it.
	selID string
	top   int
	// follow keeps the selection on the newest particle until the user moves it.
	follow bool

	status    recorder.Status
	order     partOrder
	search    textinput.Model
	searching bool
	query     string // lower-cased search text

	zoneID string
	ink    ppInks
	cols   partCols
}

type partCols struct{ id, peer, age, ttl, status, hops, err int }

// NewParticles returns an empty particle list.
func NewParticles(c *Common) *Particles {
	p := &Particles{c: c, keys: newParticlesKeyMap(), follow: true, zoneID: c.Zone.NewPrefix() + "particles"}
	p.search = textinput.New()
	p.search.Prompt = "/"
	p.search.Placeholder = "id, peer, status or error"
	p.search.CharLimit = 256
	p.styleInputs()
	p.SetSize(80, 24)
	return p
}

// Title implements Pane.
func (p *Particles) Title() string { return "Particles" }

// SetSize implements Pane.
func (p *Particles) SetSize(width, height int) {
	p.width, p.height = max(width, 0), max(height, 0)
	p.search.SetWidth(max(p.width-30, 8)) // room for the hint after it
	c := partCols{id: 8, peer: 11, age: 6, ttl: 6, status: 9, hops: 4}
	if p.width >= 150 {
		c.id = 36 // whole particle ids; peer ids stay short as everywhere in the console
	}
	// 1 cell of gutter and one space between columns.
	c.err = p.width - 1 - (c.id + c.peer + c.age + c.ttl + c.status + c.hops + 6)
	p.cols = c
	p.clampTop()
}

// Focus implements Pane.
func (p *Particles) Focus() { p.focused = true }

// Blur implements Pane.
func (p *Particles) Blur() {
	p.focused = false
	if p.searching {
		p.endSearch(true)
	}
}

// KeyMap implements Pane.
func (p *Particles) KeyMap() help.KeyMap {
	k := p.keys
	nav := !p.searching && len(p.view) > 0
	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Home, &k.End, &k.Open} {
		b.SetEnabled(nav)
	}
	k.Search.SetEnabled(!p.searching)
	k.Status.SetEnabled(!p.searching)
	k.Sort.SetEnabled(!p.searching)
	k.Clear.SetEnabled(!p.searching && (p.query != "" || p.status != ""))
	k.Apply.SetEnabled(p.searching)
	k.Cancel.SetEnabled(p.searching)
	return k
}

// Typing reports whether the search input has the keyboard: the root should then send
// every key (q, ?, tab included) to the pane.
func (p *Particles) Typing() bool { return p.searching }

// SetParticles replaces the list (the recorder's Particles, any order). The slice is not
// modified and must not be modified by the caller afterwards.
func (p *Particles) SetParticles(list []recorder.Summary) {
	p.all = list
	p.refilter()
}

// Len returns how many particles the list holds, and how many pass the filters.
func (p *Particles) Len() (all, shown int) { return len(p.all), len(p.view) }

// Selected returns the selected particle.
func (p *Particles) Selected() (recorder.Summary, bool) {
	if p.sel < 0 || p.sel >= len(p.view) {
		return recorder.Summary{}, false
	}
	return p.all[p.view[p.sel]], true
}

// Filter returns the pane's filter. A root may pass it to the recorder's Particles so
// that only matching summaries are copied; the pane filters what it is given anyway.
func (p *Particles) Filter() recorder.Filter {
	return recorder.Filter{Text: p.search.Value(), Status: p.status}
}

// Update implements Pane.
func (p *Particles) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return p.handleKey(msg)
	case tea.MouseClickMsg:
		return p.click(msg)
	case tea.PasteMsg:
		if p.searching {
			var cmd tea.Cmd
			p.search, cmd = p.search.Update(msg)
			p.searched()
			return cmd
		}
	case tea.MouseWheelMsg:
		if z := p.c.Zone.Get(p.zoneID); z != nil && z.InBounds(msg) {
			switch msg.Button {
			case tea.MouseWheelUp:
				p.moveTo(p.sel - 3)
			case tea.MouseWheelDown:
				p.moveTo(p.sel + 3)
			}
		}
	}
	return nil
}

func (p *Particles) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	if p.searching {
		switch {
		case key.Matches(msg, p.keys.Apply):
			p.endSearch(true)
			return nil
		case key.Matches(msg, p.keys.Cancel):
			p.endSearch(false)
			return nil
		}
		var cmd tea.Cmd
		p.search, cmd = p.search.Update(msg)
		p.searched()
		return cmd
	}
	rows := max(p.rows(), 1)
	switch {
	case key.Matches(msg, p.keys.Up):
		p.moveTo(p.sel - 1)
	case key.Matches(msg, p.keys.Down):
		p.moveTo(p.sel + 1)
	case key.Matches(msg, p.keys.PageUp):
		p.moveTo(p.sel - rows)
	case key.Matches(msg, p.keys.PageDown):
		p.moveTo(p.sel + rows)
	case key.Matches(msg, p.keys.Home):
		p.moveTo(0)
		p.follow = true
	case key.Matches(msg, p.keys.End):
		p.moveTo(len(p.view) - 1)
	case key.Matches(msg, p.keys.Open):
		if s, ok := p.Selected(); ok {
			return ppMsg(OpenTraceMsg{ParticleID: s.ID})
		}
	case key.Matches(msg, p.keys.Search):
		p.searching = true
		p.search.CursorEnd()
		return p.search.Focus()
	case key.Matches(msg, p.keys.Status):
		i := slices.Index(partStatuses, p.status)
		p.status = partStatuses[(i+1)%len(partStatuses)]
		p.refilter()
	case key.Matches(msg, p.keys.Sort):
		p.order = (p.order + 1) % partOrders
		p.refilter()
	case key.Matches(msg, p.keys.Clear):
		if p.query != "" || p.status != "" {
			p.search.SetValue("")
			p.query, p.status = "", ""
			p.refilter()
		}
	}
	return nil
}

// searched applies the search text after an edit.
func (p *Particles) searched() {
	if q := strings.ToLower(p.search.Value()); q != p.query {
		p.query = q
		p.refilter()
	}
}

func (p *Particles) endSearch(keep bool) {
	p.searching = false
	p.search.Blur()
	if !keep {
		p.search.SetValue("")
		if p.query != "" {
			p.query = ""
			p.refilter()
		}
	}
}

func (p *Particles) click(msg tea.MouseClickMsg) tea.Cmd {
	z := p.c.Zone.Get(p.zoneID)
	if z == nil || msg.Button != tea.MouseLeft {
		return nil
	}
	_, y := z.Pos(msg)
	if y < 0 {
		return nil
	}
	i := p.top + y
	if i >= len(p.view) {
		return nil
	}
	if i == p.sel {
		// A click on the selected row opens it.
		return ppMsg(OpenTraceMsg{ParticleID: p.selID})
	}
	p.moveTo(i)
	return nil
}

// moveTo selects view index i (clamped) and scrolls it into view.
func (p *Particles) moveTo(i int) {
	p.follow = false
	if len(p.view) == 0 {
		p.sel, p.top = 0, 0
		return
	}
	p.sel = min(max(i, 0), len(p.view)-1)
	p.selID = p.all[p.view[p.sel]].ID
	p.clampTop()
}

func (p *Particles) rows() int { return max(p.height-2, 0) }

func (p *Particles) clampTop() {
	rows := p.rows()
	if rows == 0 {
		p.top = p.sel
		return
	}
	if p.sel < p.top {
		p.top = p.sel
	}
	if p.sel >= p.top+rows {
		p.top = p.sel - rows + 1
	}
	p.top = max(min(p.top, len(p.view)-rows), 0)
}

// partStatus is the status to show: a running particle past its deadline has expired.
func partStatus(s *recorder.Summary, now time.Time) recorder.Status {
	if s.Status == recorder.Running && !s.Deadline.IsZero() && now.After(s.Deadline) {
		return recorder.Expired
	}
	return s.Status
}

func partMatch(s *recorder.Summary, st recorder.Status, q string) bool {
	return ppContainsFold(s.ID, q) || ppContainsFold(s.InitPeerID, q) ||
		ppContainsFold(string(st), q) || ppContainsFold(s.LastError, q)
}

// refilter rebuilds the visible rows and puts the selection back on its particle,
// keeping it on the same screen row when possible.
func (p *Particles) refilter() {
	row := p.sel - p.top
	now := p.c.Now()
	p.view = p.view[:0]
	if cap(p.view) > 4*len(p.all)+1024 {
		p.view = nil // do not hold on to a large buffer after the history shrank
	}
	for i := range p.all {
		s := &p.all[i]
		if p.status == "" && p.query == "" {
			p.view = append(p.view, int32(i))
			continue
		}
		st := partStatus(s, now)
		if p.status != "" && st != p.status {
			continue
		}
		if p.query != "" && !partMatch(s, st, p.query) {
			continue
		}
		p.view = append(p.view, int32(i))
	}
	p.sortView()
	switch {
	case len(p.view) == 0:
		p.sel, p.top = 0, 0
		return
	case p.follow:
		p.sel = 0
	default:
		idx := -1
		if p.selID != "" {
			for i, vi := range p.view {
				if p.all[vi].ID == p.selID {
					idx = i
					break
				}
			}
		}
		if idx < 0 {
			idx = min(max(p.sel, 0), len(p.view)-1)
		}
		p.sel = idx
	}
	p.selID = p.all[p.view[p.sel]].ID
	p.top = p.sel - row
	p.clampTop()
}

func (p *Particles) sortView() {
	all := p.all
	var cmp func(a, b int32) int
	switch p.order {
	case partByStart:
		cmp = func(a, b int32) int {
			if c := all[b].FirstSeen.Compare(all[a].FirstSeen); c != 0 {
				return c
			}
			return strings.Compare(all[a].ID, all[b].ID)
		}
	case partByDeadline:
		cmp = func(a, b int32) int {
			da, db := all[a].Deadline, all[b].Deadline
			switch {
			case da.IsZero() && !db.IsZero():
				return 1
			case db.IsZero() && !da.IsZero():
				return -1
			}
			if c := da.Compare(db); c != 0 {
				return c
			}
			return strings.Compare(all[a].ID, all[b].ID)
		}
	default:
		cmp = func(a, b int32) int {
			if c := all[b].LastSeen.Compare(all[a].LastSeen); c != 0 {
				return c
			}
			return strings.Compare(all[a].ID, all[b].ID)
		}
	}
	if !slices.IsSortedFunc(p.view, cmp) {
		slices.SortFunc(p.view, cmp)
	}
}

// View implements Pane.
func (p *Particles) View() string {
	if p.width <= 0 || p.height <= 0 {
		return ""
	}
	if p.ink.src != p.c.Styles {
		p.styleInputs()
	}
	p.ink.sync(p.c.Styles)
	now := p.c.Now()
	lines := make([]string, 0, p.height)
	lines = append(lines, p.toolbar())
	if p.height > 1 {
		lines = append(lines, p.ink.title.on(uitext.Truncate(p.header(), p.width)))
	}
	rows := p.rows()
	switch {
	case rows == 0:
	case len(p.all) == 0:
		lines = append(lines, "", p.ink.muted.on(uitext.Truncate("  No particles yet. Particles appear here as the node runs them:", p.width)),
			p.ink.muted.on(uitext.Truncate("  run a script from the Runner pane, or send traffic to the node.", p.width)))
	case len(p.view) == 0:
		lines = append(lines, "", p.ink.warn.on(uitext.Truncate("  No particle matches "+p.filterText()+" — esc clears the filters.", p.width)))
	default:
		end := min(p.top+rows, len(p.view))
		body := make([]string, 0, end-p.top)
		for i := p.top; i < end; i++ {
			body = append(body, p.row(&p.all[p.view[i]], i == p.sel, now))
		}
		lines = append(lines, p.c.Zone.Mark(p.zoneID, strings.Join(body, "\n")))
	}
	return ppJoin(lines, p.width, p.height)
}

func (p *Particles) filterText() string {
	var parts []string
	if p.status != "" {
		parts = append(parts, "status:"+string(p.status))
	}
	if v := p.search.Value(); v != "" {
		parts = append(parts, "/"+ppClean(v))
	}
	return strings.Join(parts, " ")
}

func (p *Particles) toolbar() string {
	if p.searching {
		return uitext.Truncate(p.search.View()+p.ink.muted.on("  enter keep · esc cancel"), p.width)
	}
	// The root may hand over a list the recorder already filtered (see Filter): then
	// every particle given matches and only that count is known.
	var b strings.Builder
	if len(p.view) != len(p.all) {
		b.WriteString(p.ink.title.on(ppCount(len(p.view)) + " of " + ppCount(len(p.all)) + " particles"))
	} else {
		b.WriteString(p.ink.title.on(ppCount(len(p.all)) + " particles"))
	}
	if p.status != "" || p.query != "" {
		b.WriteString(p.ink.muted.on(" · ") + p.ink.accent.on(p.filterText()))
	}
	b.WriteString(p.ink.muted.on(" · sort " + p.order.String()))
	left := b.String()
	right := ""
	if len(p.view) > 0 {
		right = strconv.Itoa(p.sel+1) + "/" + ppCount(len(p.view))
		if p.follow {
			right = p.ink.ok.on("● live") + " " + p.ink.muted.on(right)
		} else {
			right = p.ink.muted.on(right)
		}
	}
	return ppSpread(left, right, p.width)
}

func (p *Particles) header() string {
	c := p.cols
	var b strings.Builder
	b.WriteByte(' ')
	b.WriteString(uitext.Fit("ID", c.id))
	b.WriteByte(' ')
	b.WriteString(uitext.Fit("INIT PEER", c.peer))
	b.WriteByte(' ')
	b.WriteString(uitext.FitLeft("AGE", c.age))
	b.WriteByte(' ')
	b.WriteString(uitext.FitLeft("TTL", c.ttl))
	b.WriteByte(' ')
	b.WriteString(uitext.Fit("STATUS", c.status))
	b.WriteByte(' ')
	b.WriteString(uitext.FitLeft("HOPS", c.hops))
	if c.err > 0 {
		b.WriteByte(' ')
		b.WriteString("LAST ERROR")
	}
	return b.String()
}

func (p *Particles) row(s *recorder.Summary, selected bool, now time.Time) string {
	c := p.cols
	st := partStatus(s, now)
	id := s.ID
	if c.id < len(id) {
		id = ppShortParticle(id)
	}
	peerID := s.InitPeerID
	if c.peer < len(peerID) {
		peerID = uitext.ShortID(peerID)
	}
	age := uitext.Since(now, s.FirstSeen)
	ttl, ttlInk := "-", p.ink.muted
	if st == recorder.Running && !s.Deadline.IsZero() {
		left := s.Deadline.Sub(now)
		ttl = ppTTL(left)
		ttlInk = p.ink.base
		if s.TTL > 0 && left < s.TTL/5 {
			ttlInk = p.ink.warn
		}
	}
	fields := [...]string{
		uitext.Fit(id, c.id),
		uitext.Fit(peerID, c.peer),
		uitext.FitLeft(age, c.age),
		uitext.FitLeft(ttl, c.ttl),
		uitext.Fit(string(st), c.status),
		uitext.FitLeft(strconv.Itoa(s.Hops), c.hops),
		"",
	}
	if c.err > 0 && s.LastError != "" {
		fields[6] = uitext.Truncate(ppShortenIDs(ppClean(ppCutBytes(s.LastError, 4*c.err+64))), c.err)
	}
	if selected {
		line := "▸" + strings.Join(fields[:], " ")
		return p.ink.selected.on(uitext.Fit(line, p.width))
	}
	var b strings.Builder
	b.Grow(p.width + 96)
	b.WriteByte(' ')
	b.WriteString(fields[0])
	b.WriteByte(' ')
	b.WriteString(p.ink.muted.on(fields[1]))
	b.WriteByte(' ')
	b.WriteString(p.ink.muted.on(fields[2]))
	b.WriteByte(' ')
	b.WriteString(ttlInk.on(fields[3]))
	b.WriteByte(' ')
	b.WriteString(p.ink.status(st).on(fields[4]))
	b.WriteByte(' ')
	b.WriteString(fields[5])
	b.WriteByte(' ')
	b.WriteString(p.ink.err.on(fields[6]))
	// Exactly the width: the mouse zone then covers whole rows, and no cut can drop the
	// zone's end marker.
	return uitext.Fit(b.String(), p.width)
}

func (p *Particles) styleInputs() {
	p.search.SetStyles(ppInputStyles(p.c.Styles))
}

// ---- helpers shared by the particle panes (particles, trace, replay, runner) ----

// ppInk is a style flattened to the escape sequences around one line of text; applying
// it is a concatenation, which keeps rendering 60 rows well under a millisecond.
type ppInk struct{ pre, suf string }

func ppInkOf(st lipgloss.Style) ppInk {
	r := st.Render("\x00")
	i := strings.IndexByte(r, 0)
	if i < 0 {
		return ppInk{}
	}
	return ppInk{pre: r[:i], suf: r[i+1:]}
}

func (k ppInk) on(s string) string {
	if s == "" || k.pre == "" && k.suf == "" {
		return s
	}
	return k.pre + s + k.suf
}

// ppInks are the inks of the current theme, rebuilt when Common.Styles changes.
type ppInks struct {
	src                                   *themes.Styles
	base, muted, title, key, selected, hi ppInk
	ok, warn, err, info, accent           ppInk
}

func (k *ppInks) sync(s *themes.Styles) {
	if k.src == s || s == nil {
		return
	}
	*k = ppInks{
		src: s, base: ppInkOf(s.Base), muted: ppInkOf(s.Muted), title: ppInkOf(s.Title),
		key: ppInkOf(s.Key), selected: ppInkOf(s.Selected), hi: ppInkOf(s.Highlight),
		ok: ppInkOf(s.OK), warn: ppInkOf(s.Warn), err: ppInkOf(s.Err), info: ppInkOf(s.Info),
		accent: ppInkOf(s.Accent),
	}
}

func (k *ppInks) status(s recorder.Status) ppInk {
	switch s {
	case recorder.Running:
		return k.info
	case recorder.Completed:
		return k.ok
	case recorder.Failed:
		return k.err
	case recorder.Expired:
		return k.warn
	}
	return k.base
}

// ppInputStyles styles a text input from the theme.
func ppInputStyles(s *themes.Styles) textinput.Styles {
	st := textinput.Styles{
		Focused: textinput.StyleState{Text: s.Base, Placeholder: s.Muted, Suggestion: s.Muted, Prompt: s.Key},
		Blurred: textinput.StyleState{Text: s.Muted, Placeholder: s.Muted, Suggestion: s.Muted, Prompt: s.Muted},
	}
	st.Cursor.Color = themes.C(s.Theme.Accent)
	st.Cursor.Shape = tea.CursorBlock
	return st
}

// ppMsg returns a command that returns msg.
func ppMsg(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

// ppNotice returns a command showing a footer notice.
func ppNotice(level, text string) tea.Cmd { return ppMsg(NoticeMsg{Text: text, Level: level}) }

// ppJoin fits lines to the width and returns exactly height lines. An element may hold
// several lines (a mouse zone wraps a block); they count separately.
func ppJoin(lines []string, width, height int) string {
	var b strings.Builder
	n := 0
	for _, block := range lines {
		for l := range strings.SplitSeq(block, "\n") {
			if n == height {
				return b.String()
			}
			if n > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(uitext.Truncate(l, width))
			n++
		}
	}
	for ; n < height; n++ {
		if n > 0 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// ppSpread puts left and right on one line of the width, right-aligned if both fit.
func ppSpread(left, right string, width int) string {
	lw, rw := uitext.Width(left), uitext.Width(right)
	if right == "" || lw+rw+2 > width {
		return uitext.Truncate(left, width)
	}
	return left + strings.Repeat(" ", width-lw-rw) + right
}

// ppClean makes untrusted text (errors, values from the network) safe and single-line:
// control characters (C0, DEL, C1, which could drive the terminal) become spaces or "�".
func ppClean(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t' || r == '\r':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == utf8.RuneError:
			b.WriteRune('�')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ppCutBytes cuts s to at most n bytes (on a character boundary), so that long values
// are not measured in full before being truncated to a line.
func ppCutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// ppContainsFold reports whether s contains the lower-case ASCII needle q, ignoring case,
// without allocating.
func ppContainsFold(s, q string) bool {
	if q == "" {
		return true
	}
	n := len(q)
	for i := 0; i+n <= len(s); i++ {
		j := 0
		for ; j < n; j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != q[j] {
				break
			}
		}
		if j == n {
			return true
		}
	}
	return false
}

// ppShortParticle shortens a particle id (a UUID) to its first 8 characters.
func ppShortParticle(id string) string {
	if len(id) <= 8 {
		return id
	}
	return id[:8]
}

// ppIsB58 reports base58 alphabet characters (peer ids).
func ppIsB58(c byte) bool {
	return '1' <= c && c <= '9' || 'A' <= c && c <= 'Z' && c != 'I' && c != 'O' ||
		'a' <= c && c <= 'z' && c != 'l'
}

// ppShortenIDs shortens every peer id (a base58 word of 40 or more characters) in s.
func ppShortenIDs(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		if !ppIsB58(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && ppIsB58(s[j]) {
			j++
		}
		if j-i >= 40 {
			b.WriteString(s[last:i])
			b.WriteString(uitext.ShortID(s[i:j]))
			last = j
		}
		i = j
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// ppCount formats n with thousands separators.
func ppCount(n int) string {
	s := strconv.Itoa(n)
	if n < 1000 && n > -1000 {
		return s
	}
	var b strings.Builder
	start := len(s) % 3
	if s[0] == '-' {
		b.WriteByte('-')
		s = s[1:]
		start = len(s) % 3
	}
	b.WriteString(s[:start])
	for i := start; i < len(s); i += 3 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// ppTTL renders time left: "4.2s", "42s", "3m05s"; "0s" when none is left.
func ppTTL(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d < 10*time.Second:
		return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + "s"
	}
	return uitext.Age(d)
}

// ppSpan renders a configured duration (a TTL): "5s", "1m30s", "1.50s".
func ppSpan(d time.Duration) string {
	if d > 0 && d%time.Second == 0 {
		s := d.String()
		if strings.HasSuffix(s, "m0s") {
			s = s[:len(s)-2]
		}
		if strings.HasSuffix(s, "h0m") {
			s = s[:len(s)-2]
		}
		return s
	}
	return uitext.Latency(d)
}

// ppOffset renders a time offset from the start of a particle: "+0.4ms", "+1.25s".
func ppOffset(d time.Duration) string {
	if d < 0 {
		return "-" + uitext.Latency(-d)
	}
	if d == 0 {
		return "+0"
	}
	return "+" + uitext.Latency(d)
}

// ppDur renders a run's duration ("-" only for a negative one).
func ppDur(d time.Duration) string {
	if d == 0 {
		return "0µs"
	}
	return uitext.Latency(d)
}
