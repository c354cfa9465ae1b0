package views

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"

	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/reefhq/reef/internal/uitext"
)

// topoGeometry is how the pane's inner area is divided at its size.
type topoGeometry struct {
	wide bool
	// stacked: a narrow but tall pane shows every section one above the other.
	stacked bool
	// left column (table and details) and right column (ring and lookups) widths;
	// in a narrow pane only leftW is used.
	leftW, rightW int
	tableH        int // including the column header line
	detailsH      int // including the caption line; 0: hidden
	ringH         int
	lookupsH      int
}

func (t *Topology) wide() bool { return t.w >= 96 && t.h >= 14 }

func (t *Topology) geometry() topoGeometry {
	g := topoGeometry{wide: t.wide()}
	body := t.h - 1 // the summary line
	if g.wide {
		g.leftW = t.w * 56 / 100
		g.rightW = t.w - g.leftW - 3
		if body >= 12 {
			g.detailsH = min(10, body/2)
		}
		g.tableH = body - g.detailsH
		g.ringH = max(body*55/100, 7)
		g.lookupsH = body - g.ringH
		return g
	}
	g.leftW = t.w
	if t.h >= 30 {
		g.stacked = true
		g.tableH = body * 30 / 100
		g.detailsH = 9
		rest := body - g.tableH - g.detailsH
		g.ringH = rest * 66 / 100
		g.lookupsH = rest - g.ringH
		return g
	}
	body-- // the view switcher line
	switch t.view {
	case topoViewTable:
		if body >= 14 {
			g.detailsH = 9
		}
		g.tableH = body - g.detailsH
	case topoViewRing:
		g.ringH = body
	case topoViewLookups:
		g.lookupsH = body
	}
	return g
}

// tableRows is how many peer rows are visible.
func (t *Topology) tableRows() int { return max(t.geometry().tableH-1, 0) }

// topoRow is one line of the table: a bucket header (peer < 0) or a peer.
type topoRow struct {
	header string
	peer   int
}

func (t *Topology) rows() []topoRow {
	var rows []topoRow
	i := 0
	for _, b := range t.snap.Buckets {
		if len(b.Peers) == 0 {
			continue
		}
		rows = append(rows, topoRow{header: fmt.Sprintf("bucket %d · %d of %d", b.CPL, len(b.Peers), max(t.snap.BucketSize, len(b.Peers))), peer: -1})
		for range b.Peers {
			rows = append(rows, topoRow{peer: i})
			i++
		}
	}
	if len(t.snap.Others) > 0 {
		rows = append(rows, topoRow{header: fmt.Sprintf("connected, not in the table · %d", len(t.snap.Others)), peer: -1})
		for range t.snap.Others {
			rows = append(rows, topoRow{peer: i})
			i++
		}
	}
	return rows
}

// clampScroll keeps the selected peer's row (and its bucket header when possible) in
// view.
func (t *Topology) clampScroll() {
	visible := t.tableRows()
	if visible <= 0 || len(t.peers) == 0 {
		t.offset = 0
		return
	}
	rows := t.rows()
	at := 0
	for i, r := range rows {
		if r.peer == t.sel {
			at = i
			break
		}
	}
	top := at
	if at > 0 && rows[at-1].peer < 0 {
		top = at - 1
	}
	if top < t.offset {
		t.offset = top
	}
	if at >= t.offset+visible {
		t.offset = at - visible + 1
	}
	t.offset = min(max(t.offset, 0), max(len(rows)-visible, 0))
}

// View implements Pane.
func (t *Topology) View() string {
	if t.w <= 0 || t.h <= 0 {
		return ""
	}
	s := corePaintFor(t.c.Styles)
	now := t.c.Now()
	if !t.ready {
		return strings.Join(uitext.Block([]string{s.Muted("waiting for the node to start…")}, t.w, t.h), "\n")
	}
	lines := make([]string, 0, t.h)
	lines = append(lines, uitext.Fit(t.summary(), t.w))
	g := t.geometry()
	if g.wide {
		left := append(t.renderTable(g.leftW, g.tableH), t.renderDetails(g.leftW, g.detailsH, now)...)
		right := append(t.renderRing(g.rightW, g.ringH), t.renderLookups(g.rightW, g.lookupsH, now)...)
		sep := s.Muted(" │ ")
		for i := range t.h - 1 {
			lines = append(lines, left[i]+sep+right[i])
		}
		return strings.Join(lines, "\n")
	}
	if g.stacked {
		lines = append(lines, t.renderTable(t.w, g.tableH)...)
		lines = append(lines, t.renderDetails(t.w, g.detailsH, now)...)
		lines = append(lines, t.renderRing(t.w, g.ringH)...)
		lines = append(lines, t.renderLookups(t.w, g.lookupsH, now)...)
		return strings.Join(uitext.Block(lines, t.w, t.h), "\n")
	}
	var tabs []string
	for v := range topoViews {
		if v == t.view {
			tabs = append(tabs, s.Selected(" "+v.String()+" "))
		} else {
			tabs = append(tabs, s.Muted(" "+v.String()+" "))
		}
	}
	lines = append(lines, uitext.Fit(strings.Join(tabs, "")+s.Muted("  v switches"), t.w))
	switch t.view {
	case topoViewTable:
		lines = append(lines, t.renderTable(t.w, g.tableH)...)
		lines = append(lines, t.renderDetails(t.w, g.detailsH, now)...)
	case topoViewRing:
		lines = append(lines, t.renderRing(t.w, g.ringH)...)
	case topoViewLookups:
		lines = append(lines, t.renderLookups(t.w, g.lookupsH, now)...)
	}
	return strings.Join(uitext.Block(lines, t.w, t.h), "\n")
}

func (t *Topology) summary() string {
	s := corePaintFor(t.c.Styles)
	var occ []string
	for _, b := range t.snap.Buckets {
		occ = append(occ, fmt.Sprintf("%d:%d", b.CPL, len(b.Peers)))
	}
	buckets := "none"
	if len(occ) > 0 {
		buckets = strings.Join(occ, " ")
	}
	return s.Title(fmt.Sprintf("%d peers", t.snap.Size)) +
		s.Muted(fmt.Sprintf(" in the routing table · K=%d · buckets ", t.snap.BucketSize)) + s.Base(buckets) +
		s.Muted(fmt.Sprintf(" · %d connections · %d other peers", t.snap.Connections, len(t.snap.Others)))
}

// Column widths of the table.
const (
	topoColID   = 13
	topoColLat  = 7
	topoColDir  = 3
	topoColSeen = 5
)

func (t *Topology) renderTable(w, h int) []string {
	if h <= 0 {
		return nil
	}
	s := corePaintFor(t.c.Styles)
	out := make([]string, 0, h)
	head := fmt.Sprintf("  %-*s %*s %-*s %*s %s", topoColID, "PEER", topoColLat, "LATENCY", topoColDir, "DIR", topoColSeen, "SEEN", "PROTOCOLS")
	out = append(out, s.Muted(uitext.Fit(head, w)))
	if len(t.peers) == 0 {
		out = append(out, s.Muted(uitext.Fit("  the routing table is empty: waiting for bootstrap peers", w)))
		return uitext.Block(out, w, h)
	}
	rows := t.rows()
	now := t.c.Now()
	visible := h - 1
	for i := t.offset; i < len(rows) && i < t.offset+visible; i++ {
		r := rows[i]
		if r.peer < 0 {
			out = append(out, s.Accent(uitext.Fit(r.header, w)))
			continue
		}
		out = append(out, t.renderPeerRow(r.peer, w, now))
	}
	return uitext.Block(out, w, h)
}

func (t *Topology) renderPeerRow(i, w int, now time.Time) string {
	s := corePaintFor(t.c.Styles)
	p := t.peers[i]
	info := p.info
	dir := "-"
	switch info.Direction {
	case "outbound":
		dir = "out"
	case "inbound":
		dir = "in"
	}
	lat := info.Latency
	if pr := t.pings[info.ID]; pr != nil && pr.err == "" && pr.rtt > 0 {
		lat = pr.rtt
	}
	seen := "-"
	if !info.LastSeen.IsZero() {
		seen = uitext.Age(now.Sub(info.LastSeen))
	}
	mark := "○ "
	if info.Connected {
		mark = "● "
	}
	rest := fmt.Sprintf("%s %*s %-*s %*s ", uitext.Fit(uitext.ShortID(p.id), topoColID), topoColLat, uitext.Latency(lat),
		topoColDir, dir, topoColSeen, seen)
	protos := topoProtocols(info.Protocols)
	if i == t.sel {
		row := uitext.Fit(mark+rest+protos, w)
		st := s.Selected
		if !t.focused {
			st = s.SelectedPlain
		}
		return t.c.Zone.Mark(topoZoneID(p.id), st(row))
	}
	markSt := s.Muted
	if info.Connected {
		markSt = s.OK
	}
	row := markSt(mark) + s.Base(rest) + s.Muted(protos)
	return t.c.Zone.Mark(topoZoneID(p.id), uitext.Fit(row, w))
}

var topoVersionRe = regexp.MustCompile(`^v?[0-9]+(\.[0-9]+)*$`)

// topoProtocol shortens a protocol id: "/reef/particle/1.0.0" → "particle",
// "/ipfs/id/push/1.0.0" → "id/push".
func topoProtocol(p protocol.ID) string {
	parts := strings.Split(strings.Trim(string(p), "/"), "/")
	if len(parts) > 1 {
		switch parts[0] {
		case "ipfs", "libp2p", "reef", "p2p":
			parts = parts[1:]
		}
	}
	kept := parts[:0]
	for _, x := range parts {
		if !topoVersionRe.MatchString(x) {
			kept = append(kept, x)
		}
	}
	if len(kept) == 0 {
		return string(p)
	}
	return strings.Join(kept, "/")
}

func topoProtocols(ps []protocol.ID) string {
	if len(ps) == 0 {
		return "-"
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = topoProtocol(p)
	}
	return strings.Join(names, " ")
}

func (t *Topology) renderDetails(w, h int, now time.Time) []string {
	if h <= 0 {
		return nil
	}
	s := corePaintFor(t.c.Styles)
	caption := s.Muted(uitext.Fit("── peer ─"+strings.Repeat("─", max(w, 0)), w))
	p, ok := t.Selected()
	if !ok {
		return uitext.Block([]string{caption, s.Muted("no peer selected")}, w, h)
	}
	label := func(l string) string { return s.Muted(fmt.Sprintf("%-10s", l)) }
	var lines []string
	lines = append(lines, caption)
	lines = append(lines, label("id")+s.Base(p.ID.String()))
	state := fmt.Sprintf("cpl %d · ", p.CPL)
	if p.InTable {
		state += "in table · "
	} else {
		state += "not in table · "
	}
	if p.Connected {
		state += fmt.Sprintf("connected %s ×%d", p.Direction, p.Conns)
	} else {
		state += "not connected"
	}
	lines = append(lines, label("state")+s.Base(state))
	addr := "-"
	if p.RemoteAddr != nil {
		addr = p.RemoteAddr.String()
	}
	lines = append(lines, label("addr")+s.Base(addr)+s.Muted("  agent ")+s.Base(orDash(p.AgentVersion)))
	lines = append(lines, label("latency")+s.Base(uitext.Latency(p.Latency))+s.Muted(" (moving average)"))
	lines = append(lines, label("times")+s.Muted("added ")+s.Base(uitext.Since(now, p.AddedAt))+
		s.Muted(" · useful ")+s.Base(uitext.Since(now, p.LastUsefulAt))+
		s.Muted(" · seen ")+s.Base(uitext.Since(now, p.LastSeen))+s.Muted(" ago"))
	ping := s.Muted("press p to ping")
	if pr := t.pings[p.ID]; pr != nil {
		switch {
		case pr.running:
			ping = s.Info("pinging…")
		case pr.err != "":
			ping = s.Err("failed: "+pr.err) + s.Muted(" ("+uitext.Since(now, pr.at)+" ago)")
		default:
			ping = s.OK(uitext.Latency(pr.rtt)) + s.Muted(" ("+uitext.Since(now, pr.at)+" ago)")
		}
	}
	lines = append(lines, label("ping")+ping)
	// Protocols fill what is left, wrapped.
	protoLines := topoWrap(topoProtocolList(p.Protocols), max(w-10, 10))
	for i, pl := range protoLines {
		l := label("")
		if i == 0 {
			l = label("protocols")
		}
		lines = append(lines, l+s.Base(pl))
	}
	return uitext.Block(lines, w, h)
}

func topoProtocolList(ps []protocol.ID) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = string(p)
	}
	if len(out) == 0 {
		return []string{"-"}
	}
	return out
}

// topoWrap joins words into lines of at most w cells.
func topoWrap(words []string, w int) []string {
	var lines []string
	cur := ""
	for _, word := range words {
		switch {
		case cur == "":
			cur = word
		case uitext.Width(cur)+1+uitext.Width(word) <= w:
			cur += " " + word
		default:
			lines = append(lines, cur)
			cur = word
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// Cell styles of the ring drawing.
const (
	topoCellBlank = iota
	topoCellGuide
	topoCellPeer
	topoCellPeerOff
	topoCellLookup
	topoCellSelected
	topoCellSelf
	topoCellLabel
)

type topoCell struct {
	r  rune
	st uint8
	n  uint8 // peers drawn in the cell
}

// renderRing draws the known peers around us: the angle is a peer's position in the
// keyspace (first 16 bits of its Kademlia key), the distance from the centre its XOR
// distance to us by bucket (CPL 0, the farthest half of the keyspace, on the outer
// ring; closer buckets further in).
func (t *Topology) renderRing(w, h int) []string {
	if h <= 0 {
		return nil
	}
	s := corePaintFor(t.c.Styles)
	if w < 16 || h < 5 {
		return uitext.Block([]string{s.Muted("(too small for the keyspace ring)")}, w, h)
	}
	gh := h - 2 // a caption line and a legend line
	grid := make([][]topoCell, gh)
	for y := range grid {
		grid[y] = make([]topoCell, w)
		for x := range grid[y] {
			grid[y][x] = topoCell{r: ' '}
		}
	}
	cx, cy := float64(w-1)/2, float64(gh-1)/2
	// Cells are about twice as tall as wide: R is the horizontal radius.
	R := math.Min(float64(w-1)/2-1, (float64(gh)-1)/2*2)
	levels := float64(t.maxCPL + 2)
	frac := func(cpl int) float64 { return (levels - float64(cpl)) / levels }
	pos := func(angle, f float64) (int, int) {
		a := angle*2*math.Pi - math.Pi/2
		x := int(math.Round(cx + R*f*math.Cos(a)))
		y := int(math.Round(cy + R/2*f*math.Sin(a)))
		return min(max(x, 0), w-1), min(max(y, 0), gh-1)
	}
	present := map[int]bool{}
	for _, p := range t.peers {
		present[p.info.CPL] = true
	}
	for cpl := range present {
		steps := int(2*math.Pi*R) * 2
		for i := range steps {
			x, y := pos(float64(i)/float64(steps), frac(cpl))
			if grid[y][x].st == topoCellBlank {
				grid[y][x] = topoCell{r: '·', st: topoCellGuide}
			}
		}
	}
	inLookup := t.lookupPeers()
	var selX, selY = -1, -1
	for i, p := range t.peers {
		x, y := pos(p.angle, frac(p.info.CPL))
		c := &grid[y][x]
		st := uint8(topoCellPeerOff)
		r := '○'
		if p.info.Connected {
			st, r = topoCellPeer, '●'
		}
		if _, ok := inLookup[p.id]; ok {
			st, r = topoCellLookup, '◎'
		}
		if i == t.sel {
			st, r = topoCellSelected, '◆'
			selX, selY = x, y
		}
		if c.n > 0 && c.st != topoCellSelected && st != topoCellSelected {
			c.n++
			c.r = rune('0' + min(c.n, 9))
			continue
		}
		if c.st == topoCellSelected {
			continue
		}
		c.r, c.st, c.n = r, st, c.n+1
	}
	sx, sy := int(math.Round(cx)), int(math.Round(cy))
	grid[sy][sx] = topoCell{r: '◉', st: topoCellSelf}
	if selX >= 0 {
		label := uitext.ShortID(t.peers[t.sel].id)
		lx := selX + 2
		if lx+len([]rune(label)) > w {
			lx = selX - 1 - len([]rune(label))
		}
		if lx >= 0 {
			for i, r := range []rune(label) {
				if lx+i < w && grid[selY][lx+i].st <= topoCellGuide {
					grid[selY][lx+i] = topoCell{r: r, st: topoCellLabel}
				}
			}
		}
	}
	styles := [...]coreFn{
		topoCellBlank: s.Base, topoCellGuide: s.Muted, topoCellPeer: s.OK, topoCellPeerOff: s.Muted,
		topoCellLookup: s.Info, topoCellSelected: s.Highlight, topoCellSelf: s.Accent, topoCellLabel: s.Highlight,
	}
	out := make([]string, 0, h)
	out = append(out, s.Muted(uitext.Fit("keyspace: angle = key, radius = XOR distance", w)))
	var b strings.Builder
	for _, row := range grid {
		b.Reset()
		start := 0
		for x := 1; x <= len(row); x++ {
			if x == len(row) || row[x].st != row[start].st {
				var seg strings.Builder
				for _, c := range row[start:x] {
					seg.WriteRune(c.r)
				}
				if row[start].st == topoCellBlank {
					b.WriteString(seg.String())
				} else {
					b.WriteString(styles[row[start].st](seg.String()))
				}
				start = x
			}
		}
		out = append(out, b.String())
	}
	legend := s.Accent("◉") + s.Muted(" us ") + s.OK("●") + s.Muted(" connected ○ not ") +
		s.Highlight("◆") + s.Muted(" selected ") + s.Info("◎") + s.Muted(" in a lookup")
	out = append(out, uitext.Fit(legend, w))
	return uitext.Block(out, w, h)
}

// lookupPeers are the peers running lookups are waiting on.
func (t *Topology) lookupPeers() map[string]struct{} {
	now := t.c.Now()
	out := map[string]struct{}{}
	for _, l := range t.lookups {
		if !l.running(now) {
			continue
		}
		for p := range l.active {
			out[p] = struct{}{}
		}
	}
	return out
}

func (t *Topology) renderLookups(w, h int, now time.Time) []string {
	if h <= 0 {
		return nil
	}
	s := corePaintFor(t.c.Styles)
	lines := []string{s.Muted(uitext.Fit(fmt.Sprintf("── DHT lookups (%d seen) ", t.lookupsSeen)+strings.Repeat("─", max(w, 0)), w))}
	if len(t.lookups) == 0 {
		lines = append(lines, s.Muted("none yet: the node looks peers up when it must reach"),
			s.Muted("one it is not connected to; f looks up the selected peer"))
		return uitext.Block(lines, w, h)
	}
	for _, l := range t.lookups {
		if len(lines)+2 > h {
			break
		}
		icon, st := "✓", s.OK
		age := uitext.Age(now.Sub(l.last)) + " ago"
		if l.running(now) {
			icon, st = "●", s.Info
			age = "running " + uitext.Latency(now.Sub(l.first))
		}
		if l.errors > 0 && !l.running(now) {
			icon, st = "!", s.Warn
		}
		head := st(icon) + s.Base(fmt.Sprintf(" #%d %s", l.id, age)) + s.Muted(" · target ") +
			s.Base(uitext.ShortID(l.target)) +
			s.Muted(fmt.Sprintf(" · %d queried · %d replies · %d errors · %d steps", len(l.queried), l.responses, l.errors, l.steps))
		lines = append(lines, uitext.Fit(head, w))
		var path strings.Builder
		path.WriteString("  ")
		for i, q := range l.queried {
			if i > 0 {
				path.WriteString(" → ")
			}
			if len(q) > 6 {
				q = q[len(q)-6:]
			}
			path.WriteString(q)
		}
		if len(l.queried) == 0 {
			path.WriteString("(no query sent yet)")
		}
		if l.lastErr != "" && !l.running(now) {
			path.WriteString("  last error: " + l.lastErr)
		}
		lines = append(lines, s.Muted(uitext.Fit(path.String(), w)))
	}
	return uitext.Block(lines, w, h)
}
