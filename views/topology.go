package views

import (
	"context"
	"fmt"
	"slices"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	kb "github.com/libp2p/go-libp2p-kbucket"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/reefhq/reef/internal/uitext"
	"github.com/reefhq/reef/peer/events"
	"github.com/reefhq/reef/peer/p2p"
)

// PeerProbe is what the topology pane asks of the node: a ping and a DHT lookup.
// *p2p.Node implements it.
type PeerProbe interface {
	Ping(ctx context.Context, id peer.ID) (time.Duration, error)
	ClosestPeers(ctx context.Context, key []byte) ([]peer.ID, error)
}

// PingResultMsg is the outcome of a ping the topology pane started.
type PingResultMsg struct {
	Peer peer.ID
	RTT  time.Duration
	Err  error
	At   time.Time
}

// LookupDoneMsg is the outcome of a DHT lookup the topology pane started.
type LookupDoneMsg struct {
	Target peer.ID
	Found  int
	Err    error
}

// Topology bounds.
const (
	// TopologyMaxLookups is how many DHT lookups the pane remembers.
	TopologyMaxLookups = 32
	// topoLookupIdle is how long after its last step a lookup counts as finished.
	topoLookupIdle   = 2 * time.Second
	topoProbeTimeout = 10 * time.Second
)

// TopologyKeyMap are the topology pane's keys.
type TopologyKeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Ping, Lookup, View                      key.Binding
}

// ShortHelp implements help.KeyMap.
func (k TopologyKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Ping, k.Lookup, k.View}
}

// FullHelp implements help.KeyMap.
func (k TopologyKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}, {k.Ping, k.Lookup, k.View}}
}

func newTopologyKeyMap() TopologyKeyMap {
	return TopologyKeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "prev peer")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "next peer")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "first peer")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "last peer")),
		Ping:     key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "ping peer")),
		Lookup:   key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "DHT lookup of peer")),
		View:     key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "table/ring/lookups")),
	}
}

// topoPeer is one selectable peer, with what the drawing needs precomputed.
type topoPeer struct {
	info  p2p.PeerInfo
	id    string // info.ID.String()
	angle float64
}

type topoPing struct {
	rtt     time.Duration
	err     string
	at      time.Time
	running bool
}

// topoLookup is one DHT lookup assembled from its LookupEvent steps.
type topoLookup struct {
	id          uint64
	target      string
	first, last time.Time
	steps       int
	queried     []string // distinct peers sent a query, in order
	queriedSet  map[string]struct{}
	responses   int
	errors      int
	lastErr     string
	closer      map[string]struct{}
	active      map[string]struct{} // queried, not answered yet
}

func (l *topoLookup) running(now time.Time) bool { return now.Sub(l.last) < topoLookupIdle }

// topoView selects what a narrow topology pane shows.
type topoView int

const (
	topoViewTable topoView = iota
	topoViewRing
	topoViewLookups
	topoViews
)

func (v topoView) String() string {
	return [...]string{"table", "ring", "lookups"}[v]
}

// Topology is the routing table pane: peers by bucket with latency, direction,
// protocols and last seen; a drawing of the keyspace by XOR distance; the DHT lookups
// in progress; the selected peer's details and a ping.
type Topology struct {
	c       *Common
	probe   PeerProbe
	keys    TopologyKeyMap
	w, h    int
	focused bool

	ready  bool
	snap   p2p.RoutingSnapshot
	peers  []topoPeer // table peers in bucket order, then the others
	selID  peer.ID
	sel    int
	offset int // first visible table row
	view   topoView
	maxCPL int

	pings   map[peer.ID]*topoPing
	lookups []*topoLookup // most recent first, at most TopologyMaxLookups
	// lookupsSeen counts every lookup ever observed.
	lookupsSeen int
}

// NewTopology returns the topology pane. probe may be nil until the node is up (see
// SetProbe).
func NewTopology(c *Common, probe PeerProbe) *Topology {
	return &Topology{c: c, probe: probe, keys: newTopologyKeyMap(), pings: map[peer.ID]*topoPing{}}
}

// SetProbe sets what pings and lookups go through.
func (t *Topology) SetProbe(p PeerProbe) { t.probe = p }

// Title implements Pane.
func (t *Topology) Title() string { return "Topology" }

// SetSize implements Pane.
func (t *Topology) SetSize(w, h int) {
	t.w, t.h = max(w, 0), max(h, 0)
	t.keys.View.SetEnabled(!t.wide() && t.h < 30)
	t.clampScroll()
}

// Focus implements Pane.
func (t *Topology) Focus() { t.focused = true }

// Blur implements Pane.
func (t *Topology) Blur() { t.focused = false }

// KeyMap implements Pane.
func (t *Topology) KeyMap() help.KeyMap { return t.keys }

// SetSnapshot replaces the routing table shown; the selection follows its peer.
func (t *Topology) SetSnapshot(s p2p.RoutingSnapshot) {
	t.ready = true
	t.snap = s
	t.peers = t.peers[:0]
	t.maxCPL = 0
	for _, b := range s.Buckets {
		for _, p := range b.Peers {
			t.peers = append(t.peers, topoPeer{info: p, id: p.ID.String(), angle: topoAngle(p.ID)})
			t.maxCPL = max(t.maxCPL, p.CPL)
		}
	}
	for _, p := range s.Others {
		t.peers = append(t.peers, topoPeer{info: p, id: p.ID.String(), angle: topoAngle(p.ID)})
		t.maxCPL = max(t.maxCPL, p.CPL)
	}
	t.sel = 0
	if t.selID != "" {
		if i := slices.IndexFunc(t.peers, func(p topoPeer) bool { return p.info.ID == t.selID }); i >= 0 {
			t.sel = i
		}
	}
	if len(t.peers) > 0 {
		t.selID = t.peers[t.sel].info.ID
	}
	t.clampScroll()
}

// Snapshot returns the routing table shown.
func (t *Topology) Snapshot() p2p.RoutingSnapshot { return t.snap }

// Selected returns the selected peer, if any.
func (t *Topology) Selected() (p2p.PeerInfo, bool) {
	if t.sel < len(t.peers) {
		return t.peers[t.sel].info, true
	}
	return p2p.PeerInfo{}, false
}

// ApplyEvents takes the node events the pane shows (DHT lookup steps); others are
// ignored.
func (t *Topology) ApplyEvents(evs []events.Event) {
	for _, ev := range evs {
		if le, ok := ev.(events.LookupEvent); ok {
			t.applyLookup(le)
		}
	}
}

func (t *Topology) applyLookup(e events.LookupEvent) {
	var l *topoLookup
	for _, x := range t.lookups {
		if x.id == e.LookupID {
			l = x
			break
		}
	}
	if l == nil {
		l = &topoLookup{id: e.LookupID, target: e.Target, first: e.Time, queriedSet: map[string]struct{}{},
			closer: map[string]struct{}{}, active: map[string]struct{}{}}
		t.lookups = append([]*topoLookup{l}, t.lookups...)
		slices.SortStableFunc(t.lookups, func(a, b *topoLookup) int { return b.first.Compare(a.first) })
		if len(t.lookups) > TopologyMaxLookups {
			t.lookups = t.lookups[:TopologyMaxLookups]
		}
		t.lookupsSeen++
	}
	l.steps++
	if e.Time.After(l.last) {
		l.last = e.Time
	}
	switch e.Type {
	case "sending":
		if _, ok := l.queriedSet[e.Peer]; !ok {
			l.queriedSet[e.Peer] = struct{}{}
			l.queried = append(l.queried, e.Peer)
		}
		l.active[e.Peer] = struct{}{}
	case "response":
		l.responses++
		delete(l.active, e.Peer)
	case "error":
		l.errors++
		l.lastErr = e.Error
		delete(l.active, e.Peer)
	}
	for _, c := range e.Closer {
		l.closer[c] = struct{}{}
	}
}

// Lookups returns how many lookups the pane has seen and how many it keeps.
func (t *Topology) Lookups() (seen, kept int) { return t.lookupsSeen, len(t.lookups) }

// Update implements Pane.
func (t *Topology) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case PingResultMsg:
		p := t.pings[msg.Peer]
		if p == nil {
			p = &topoPing{}
			t.pings[msg.Peer] = p
		}
		p.running, p.rtt, p.at, p.err = false, msg.RTT, msg.At, ""
		if msg.Err != nil {
			p.err = msg.Err.Error()
			return topoNotice("warn", fmt.Sprintf("ping %s failed: %v", uitext.ShortID(msg.Peer.String()), msg.Err))
		}
		return topoNotice("info", fmt.Sprintf("ping %s: %s", uitext.ShortID(msg.Peer.String()), uitext.Latency(msg.RTT)))
	case LookupDoneMsg:
		if msg.Err != nil {
			return topoNotice("warn", fmt.Sprintf("lookup %s: %v", uitext.ShortID(msg.Target.String()), msg.Err))
		}
		return topoNotice("info", fmt.Sprintf("lookup %s: %d closest peers", uitext.ShortID(msg.Target.String()), msg.Found))
	case tea.KeyPressMsg:
		return t.handleKey(msg)
	case tea.MouseClickMsg:
		if msg.Button == tea.MouseLeft {
			for i, p := range t.peers {
				if z := t.c.Zone.Get(topoZoneID(p.id)); z != nil && z.InBounds(msg) {
					t.selectIndex(i)
					return nil
				}
			}
		}
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			t.move(-1)
		case tea.MouseWheelDown:
			t.move(1)
		}
	}
	return nil
}

func (t *Topology) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	page := max(t.tableRows()-1, 1)
	switch {
	case key.Matches(msg, t.keys.Up):
		t.move(-1)
	case key.Matches(msg, t.keys.Down):
		t.move(1)
	case key.Matches(msg, t.keys.PageUp):
		t.move(-page)
	case key.Matches(msg, t.keys.PageDown):
		t.move(page)
	case key.Matches(msg, t.keys.Top):
		t.selectIndex(0)
	case key.Matches(msg, t.keys.Bottom):
		t.selectIndex(len(t.peers) - 1)
	case key.Matches(msg, t.keys.View):
		t.view = (t.view + 1) % topoViews
	case key.Matches(msg, t.keys.Ping):
		return t.ping()
	case key.Matches(msg, t.keys.Lookup):
		return t.lookup()
	}
	return nil
}

func (t *Topology) move(d int) { t.selectIndex(t.sel + d) }

func (t *Topology) selectIndex(i int) {
	if len(t.peers) == 0 {
		return
	}
	t.sel = min(max(i, 0), len(t.peers)-1)
	t.selID = t.peers[t.sel].info.ID
	t.clampScroll()
}

// ping starts a ping of the selected peer.
func (t *Topology) ping() tea.Cmd {
	p, ok := t.Selected()
	switch {
	case !ok:
		return topoNotice("warn", "no peer selected")
	case t.probe == nil:
		return topoNotice("warn", "the node is not ready yet")
	}
	st := t.pings[p.ID]
	if st == nil {
		st = &topoPing{}
		t.pings[p.ID] = st
	}
	if st.running {
		return nil
	}
	st.running = true
	probe, id, now := t.probe, p.ID, t.c.Now
	return tea.Batch(topoNotice("info", "pinging "+uitext.ShortID(id.String())+"…"), func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), topoProbeTimeout)
		defer cancel()
		rtt, err := probe.Ping(ctx, id)
		return PingResultMsg{Peer: id, RTT: rtt, Err: err, At: now()}
	})
}

// lookup starts a DHT lookup of the peers closest to the selected peer.
func (t *Topology) lookup() tea.Cmd {
	p, ok := t.Selected()
	switch {
	case !ok:
		return topoNotice("warn", "no peer selected")
	case t.probe == nil:
		return topoNotice("warn", "the node is not ready yet")
	}
	probe, id := t.probe, p.ID
	return tea.Batch(topoNotice("info", "DHT lookup of "+uitext.ShortID(id.String())+"…"), func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), topoProbeTimeout)
		defer cancel()
		found, err := probe.ClosestPeers(ctx, []byte(id))
		return LookupDoneMsg{Target: id, Found: len(found), Err: err}
	})
}

func topoNotice(level, text string) tea.Cmd {
	return func() tea.Msg { return NoticeMsg{Text: text, Level: level} }
}

// topoAngle places a peer on the keyspace ring: the first 16 bits of its Kademlia key
// (SHA-256 of the id) as a fraction of a turn.
func topoAngle(id peer.ID) float64 {
	k := kb.ConvertPeerID(id)
	return float64(uint16(k[0])<<8|uint16(k[1])) / 65536
}

func topoZoneID(id string) string { return "topo:peer:" + id }
