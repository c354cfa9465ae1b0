package tui

import (
	"context"
	"fmt"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/reefhq/reef/internal/logbuf"
	"github.com/reefhq/reef/peer"
	"github.com/reefhq/reef/peer/events"
	"github.com/reefhq/reef/peer/recorder"
	"github.com/reefhq/reef/peer/services"
	"github.com/reefhq/reef/themes"
	"github.com/reefhq/reef/views"
	"github.com/reefhq/reef/wallet/prover"
	"github.com/reefhq/reef/wasm"
)

// DefaultTick is how often the bridge batches node events and logs into the UI (10 Hz).
const DefaultTick = 100 * time.Millisecond

// noticeTTL is how long a footer notice stays.
const noticeTTL = 6 * time.Second

// SlotPane is a pane and the slot of the split layout it lives in.
type SlotPane struct {
	Pane views.Pane
	Slot Slot
}

// Options configure the root model.
type Options struct {
	// Start brings the node up. It runs in a command when the program starts, so the
	// first frame does not wait for it; nil means there is no node (tests).
	Start func(ctx context.Context) (*Live, error)
	// Logs is the ring the console's log handler writes to (nil: no logs).
	Logs *logbuf.Ring
	// Trace is the particle history the particle panes show (nil: none).
	Trace views.TraceSource
	// LogMax bounds the Logs pane (default views.LogsDefaultMax).
	LogMax int
	// Panes are the panes besides Topology and Logs (the particle panes), in focus
	// order; they come first.
	Panes []SlotPane
	// More are the panes after Topology and Logs (NodePanes: Services, Capacity,
	// Wallet), in focus order.
	More []SlotPane
	// NoProvider is what the Capacity and Wallet panes say when no capacity provider
	// runs (default NoProviderHint).
	NoProvider string
	// Banner is shown under the tabs when set (reef demo).
	Banner string
	// LogFile is where the logs are written, shown in the help.
	LogFile string
	// Tick is the batching interval (default DefaultTick).
	Tick   time.Duration
	Bridge BridgeOptions
}

// headerState is what the header shows.
type headerState struct {
	starting bool
	err      error
	status   *peer.Status
	rate     float64
	dropped  uint64
}

// Model is the console's root model. It owns the size and layout, the focus, the global
// keys, the header and footer, and routes messages: keys and mouse to the focused pane
// (or the pane under the pointer), cross-pane messages (open a trace or a replay, show
// a notice) by type, everything else to every pane.
type Model struct {
	c      *views.Common
	opts   Options
	keys   GlobalKeys
	help   help.Model
	w, h   int
	layout Layout

	panes []SlotPane
	focus int
	// shown is the pane each slot shows (the last one focused there), -1: none; wide
	// is set when the left column shows the wide slot rather than main and detail.
	shown [numSlots]int
	wide  bool
	topo  *views.Topology
	logs  *views.Logs

	zoom     bool
	showHelp bool
	notice   views.NoticeMsg
	noticeAt time.Time

	ctx    context.Context
	cancel context.CancelFunc
	bridge *Bridge
	live   *Live
	hdr    headerState
	frames int
}

// Messages of the root model.
type (
	tickMsg  struct{}
	batchMsg struct{ Batch Batch }
	readyMsg struct {
		live *Live
		err  error
	}
)

// New returns the root model. Panes given in opts come first in the focus order, then
// Topology and Logs.
func New(c *views.Common, opts Options) *Model {
	if opts.Tick <= 0 {
		opts.Tick = DefaultTick
	}
	if opts.NoProvider == "" {
		opts.NoProvider = NoProviderHint
	}
	m := &Model{c: c, opts: opts, keys: newGlobalKeys(), help: help.New()}
	m.ctx, m.cancel = context.WithCancel(context.Background())
	m.panes = append(m.panes, opts.Panes...)
	m.topo = views.NewTopology(c, nil)
	m.logs = views.NewLogs(c, opts.LogMax)
	m.panes = append(m.panes, SlotPane{m.topo, SlotSide}, SlotPane{m.logs, SlotBottom})
	m.panes = append(m.panes, opts.More...)
	for s := range m.shown {
		m.shown[s] = -1
	}
	for i, p := range m.panes {
		if m.shown[p.Slot] < 0 {
			m.shown[p.Slot] = i
		}
	}
	m.wide = m.shown[SlotMain] < 0 && m.shown[SlotDetail] < 0 && m.shown[SlotWide] >= 0
	m.hdr.starting = opts.Start != nil
	m.bridge = NewBridge(nil, opts.Logs, opts.Trace, opts.Bridge)
	m.applyTheme()
	m.panes[0].Pane.Focus()
	return m
}

// Topology and Logs return the console's own panes (for tests).
func (m *Model) Topology() *views.Topology { return m.topo }

// Logs returns the Logs pane.
func (m *Model) Logs() *views.Logs { return m.logs }

// Focused returns the index of the focused pane.
func (m *Model) Focused() int { return m.focus }

// FocusedPane returns the focused pane.
func (m *Model) FocusedPane() views.Pane { return m.panes[m.focus].Pane }

// Panes returns the panes in focus order.
func (m *Model) Panes() []views.Pane {
	out := make([]views.Pane, len(m.panes))
	for i, p := range m.panes {
		out[i] = p.Pane
	}
	return out
}

// Layout returns the current layout.
func (m *Model) Layout() Layout { return m.layout }

// ThemeName returns the current theme's name.
func (m *Model) ThemeName() string { return m.c.Styles.Theme.Name }

// Close stops what the model started (its bridge subscriptions, the panes' own work
// such as file watches).
func (m *Model) Close() {
	m.cancel()
	m.bridge.Close()
	for _, p := range m.panes {
		if c, ok := p.Pane.(interface{ Close() }); ok {
			c.Close()
		}
	}
}

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.tick()}
	if m.opts.Start != nil {
		cmds = append(cmds, m.start)
	}
	return tea.Batch(cmds...)
}

// start runs opts.Start (a command: it blocks until the node is up).
func (m *Model) start() tea.Msg {
	live, err := m.opts.Start(m.ctx)
	if err == nil && live != nil {
		m.bridge.Attach(live)
	}
	return readyMsg{live: live, err: err}
}

func (m *Model) tick() tea.Cmd {
	return tea.Tick(m.opts.Tick, func(time.Time) tea.Msg { return tickMsg{} })
}

// collect asks the bridge for the next batch (a command, off the UI goroutine): the
// request is taken now, on the UI goroutine, and the bridge works on its copy.
func (m *Model) collect() tea.Cmd {
	var req Request
	for _, p := range m.panes {
		switch v := p.Pane.(type) {
		case particleLister:
			f := v.Filter()
			req.Particles = &f
		case traceViewer:
			req.Trace = v.ParticleID()
		case servicesViewer:
			req.ServiceLogs = v.LogsTarget()
		}
	}
	b := m.bridge
	return func() tea.Msg { return batchMsg{Batch: b.Collect(time.Now(), req)} }
}

// particleLister is a pane showing the particle list (views.Particles).
type particleLister interface {
	SetParticles([]recorder.Summary)
	Filter() recorder.Filter
}

// traceViewer is a pane showing one particle's trace (views.Trace).
type traceViewer interface {
	Open(particleID string)
	ParticleID() string
	SetTrace(*recorder.Trace)
}

// replayer is a pane replaying one hop (views.Replay).
type replayer interface {
	Open(particleID string, hop int) tea.Cmd
}

// servicesViewer is a pane showing the node's Wasm services (views.Services).
type servicesViewer interface {
	SetManager(views.ServiceManager)
	SetServices(services.Snapshot)
	LogsTarget() string
	SetServiceLogs(target string, entries []wasm.LogEntry, err error)
}

// capacityViewer and walletViewer show the capacity provider's snapshots
// (views.Capacity, views.Wallet); both say so when there is no provider.
type (
	capacityViewer interface{ SetCapacity(prover.CapacitySnapshot) }
	walletViewer   interface{ SetWallet(prover.WalletSnapshot) }
	providerViewer interface{ SetNoProvider(why string) }
)

// eventApplier takes the node's events from every batch (views.Topology: DHT lookups;
// views.Services: redeploys).
type eventApplier interface{ ApplyEvents([]events.Event) }

// NoProviderHint is what the Capacity and Wallet panes say, by default, when the
// console runs no capacity provider.
const NoProviderHint = "This console was started with --no-provider, or its chain or provider did not start " +
	"(the Logs pane says why). `reef` proves by default (--units N, --threads N, --chain-rpc URL); " +
	"a node of its own proves with `reef node --provider --units N`."

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
		m.relayout()
		return m, nil
	case tickMsg:
		m.frames++
		return m, m.collect()
	case batchMsg:
		m.apply(msg.Batch)
		return m, m.tick()
	case readyMsg:
		m.hdr.starting = false
		if msg.err != nil {
			m.hdr.err = msg.err
			m.setNotice(views.NoticeMsg{Text: "the node did not start: " + msg.err.Error(), Level: "error"})
			for _, p := range m.panes {
				if v, ok := p.Pane.(servicesViewer); ok {
					v.SetManager(nil)
				}
				if v, ok := p.Pane.(providerViewer); ok {
					v.SetNoProvider("The node did not start: " + msg.err.Error())
				}
			}
			return m, nil
		}
		m.live = msg.live
		if msg.live != nil && msg.live.Probe != nil {
			m.topo.SetProbe(msg.live.Probe)
		}
		m.attachNodePanes(msg.live)
		m.setNotice(views.NoticeMsg{Text: "node ready", Level: "info"})
		return m, nil
	case views.NoticeMsg:
		m.setNotice(msg)
		return m, nil
	case views.OpenTraceMsg:
		return m, m.openTrace(msg)
	case views.OpenReplayMsg:
		return m, m.openReplay(msg)
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	case tea.MouseClickMsg:
		return m, m.handleClick(msg)
	case tea.MouseWheelMsg:
		if i := m.paneAt(msg); i >= 0 {
			return m, m.panes[i].Pane.Update(msg)
		}
		return m, nil
	case tea.MouseMsg:
		return m, nil
	}
	return m, m.broadcast(msg)
}

// broadcast sends a message to every pane (their own results, timers...).
func (m *Model) broadcast(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	for _, p := range m.panes {
		if cmd := p.Pane.Update(msg); cmd != nil {
			cmds = append(cmds, cmd)
		}
	}
	return tea.Batch(cmds...)
}

// openTrace shows a particle in the trace pane and focuses it; its trace arrives with
// the next batch.
func (m *Model) openTrace(msg views.OpenTraceMsg) tea.Cmd {
	for i, p := range m.panes {
		if v, ok := p.Pane.(traceViewer); ok {
			v.Open(msg.ParticleID)
			m.setFocus(i)
			return nil
		}
	}
	m.setNotice(views.NoticeMsg{Text: "there is no trace pane in this build", Level: "warn"})
	return nil
}

// openReplay starts replaying a hop in the replay pane and focuses it.
func (m *Model) openReplay(msg views.OpenReplayMsg) tea.Cmd {
	for i, p := range m.panes {
		if v, ok := p.Pane.(replayer); ok {
			m.setFocus(i)
			return v.Open(msg.ParticleID, msg.Hop)
		}
	}
	m.setNotice(views.NoticeMsg{Text: "there is no replay pane in this build", Level: "warn"})
	return nil
}

func (m *Model) setNotice(n views.NoticeMsg) {
	m.notice, m.noticeAt = n, m.c.Now()
}

// apply takes a batch from the bridge into the panes and the header.
func (m *Model) apply(b Batch) {
	if b.Routing != nil {
		m.topo.SetSnapshot(*b.Routing)
	}
	m.logs.Append(b.Logs)
	if b.Status != nil {
		m.hdr.status = b.Status
	}
	m.hdr.rate = b.Rate
	m.hdr.dropped = b.Dropped
	for _, p := range m.panes {
		switch v := p.Pane.(type) {
		case particleLister:
			if b.Particles != nil {
				v.SetParticles(b.Particles)
			}
		case traceViewer:
			if b.Trace != nil && b.Trace.ID == v.ParticleID() {
				v.SetTrace(b.Trace)
			}
		case servicesViewer:
			if b.Services != nil {
				v.SetServices(*b.Services)
			}
			if l := b.ServiceLogs; l != nil {
				v.SetServiceLogs(l.Target, l.Entries, l.Err)
			}
		case capacityViewer:
			if b.Capacity != nil {
				v.SetCapacity(*b.Capacity)
			}
		case walletViewer:
			if b.Wallet != nil {
				v.SetWallet(*b.Wallet)
			}
		}
		if a, ok := p.Pane.(eventApplier); ok && len(b.Events) > 0 {
			a.ApplyEvents(b.Events)
		}
		if f, ok := p.Pane.(BatchFeeder); ok {
			f.Feed(b)
		}
	}
}

// BatchFeeder is implemented by panes (or adapters around them) that take data from
// every bridge batch.
type BatchFeeder interface {
	Feed(b Batch)
}

// typer is implemented by panes with text inputs: while Typing reports true the pane
// gets every key, the global ones included (except ctrl+c).
type typer interface{ Typing() bool }

func (m *Model) capturing() bool {
	t, ok := m.panes[m.focus].Pane.(typer)
	return ok && t.Typing()
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	if msg.String() == "ctrl+c" {
		return tea.Quit
	}
	if m.showHelp {
		switch {
		case key.Matches(msg, m.keys.Quit):
			return tea.Quit
		case key.Matches(msg, m.keys.Help), msg.String() == "esc":
			m.showHelp = false
		}
		return nil
	}
	if m.capturing() {
		return m.panes[m.focus].Pane.Update(msg)
	}
	// The focused pane's own keys shadow the global ones it reuses (t, z, digits), but
	// never quit, help and the focus keys.
	if !key.Matches(msg, m.keys.Quit, m.keys.Help, m.keys.Next, m.keys.Prev) && m.paneBinds(msg) {
		return m.panes[m.focus].Pane.Update(msg)
	}
	switch {
	case key.Matches(msg, m.keys.Quit):
		return tea.Quit
	case key.Matches(msg, m.keys.Help):
		m.showHelp = true
	case key.Matches(msg, m.keys.Theme):
		m.c.SetTheme(themes.Next(m.c.Styles.Theme.Name))
		m.applyTheme()
		m.setNotice(views.NoticeMsg{Text: "theme " + m.c.Styles.Theme.Name, Level: "info"})
	case key.Matches(msg, m.keys.Next):
		m.setFocus((m.focus + 1) % len(m.panes))
	case key.Matches(msg, m.keys.Prev):
		m.setFocus((m.focus + len(m.panes) - 1) % len(m.panes))
	case key.Matches(msg, m.keys.Jump):
		if i := int(msg.String()[0] - '1'); i < len(m.panes) {
			m.setFocus(i)
		}
	case key.Matches(msg, m.keys.Zoom):
		m.zoom = !m.zoom
		m.relayout()
	default:
		return m.panes[m.focus].Pane.Update(msg)
	}
	return nil
}

// paneBinds reports whether the focused pane has an enabled binding for msg.
func (m *Model) paneBinds(msg tea.KeyPressMsg) bool {
	for _, group := range m.panes[m.focus].Pane.KeyMap().FullHelp() {
		for _, b := range group {
			if b.Enabled() && key.Matches(msg, b) {
				return true
			}
		}
	}
	return false
}

func (m *Model) setFocus(i int) {
	if i < 0 || i >= len(m.panes) {
		return
	}
	if i != m.focus {
		m.panes[m.focus].Pane.Blur()
		m.focus = i
		m.panes[i].Pane.Focus()
	}
	slot := m.panes[i].Slot
	m.shown[slot] = i
	switch slot {
	case SlotMain, SlotDetail:
		m.wide = false
	case SlotWide:
		m.wide = true
	}
}

// paneAt is the visible pane under the pointer, or -1.
func (m *Model) paneAt(msg tea.MouseMsg) int {
	for _, i := range m.visible() {
		if z := m.c.Zone.Get(paneZone(i)); z != nil && z.InBounds(msg) {
			return i
		}
	}
	return -1
}

func (m *Model) handleClick(msg tea.MouseClickMsg) tea.Cmd {
	for i := range m.panes {
		if z := m.c.Zone.Get(tabZone(i)); z != nil && z.InBounds(msg) {
			m.setFocus(i)
			return nil
		}
	}
	if i := m.paneAt(msg); i >= 0 {
		m.setFocus(i)
		return m.panes[i].Pane.Update(msg)
	}
	return nil
}

// visible are the panes on screen, in focus order.
func (m *Model) visible() []int {
	if m.layout.TooSmall {
		return nil
	}
	if m.layout.Mode == ModeSingle {
		return []int{m.focus}
	}
	var out []int
	for i, p := range m.panes {
		if m.shown[p.Slot] != i {
			continue
		}
		switch p.Slot {
		case SlotMain, SlotDetail:
			if m.wide {
				continue
			}
		case SlotWide:
			if !m.wide {
				continue
			}
		}
		out = append(out, i)
	}
	return out
}

// hasParticles reports whether the left column (main and detail slots, or the wide
// one) is used.
func (m *Model) hasParticles() bool {
	for _, p := range m.panes {
		if p.Slot == SlotMain || p.Slot == SlotDetail || p.Slot == SlotWide {
			return true
		}
	}
	return false
}

// attachNodePanes gives the node panes what the node runs: its services, and whether
// a capacity provider runs.
func (m *Model) attachNodePanes(live *Live) {
	var svc views.ServiceManager
	var capSrc CapacitySource
	if live != nil {
		svc, capSrc = nilIfNil(live.Services), nilIfNil(live.Capacity)
	}
	for _, p := range m.panes {
		if v, ok := p.Pane.(servicesViewer); ok {
			v.SetManager(svc)
		}
		if v, ok := p.Pane.(providerViewer); ok && capSrc == nil {
			v.SetNoProvider(m.opts.NoProvider)
		}
	}
}

// relayout recomputes the layout and sizes every pane.
func (m *Model) relayout() {
	m.layout = ComputeLayout(m.w, m.h, LayoutOptions{Particles: m.hasParticles(), Banner: m.opts.Banner != "", Zoom: m.zoom})
	if m.layout.TooSmall {
		return
	}
	m.help.SetWidth(m.w)
	for _, p := range m.panes {
		r := m.layout.Body
		if m.layout.Mode == ModeSplit {
			r = m.layout.Slots[p.Slot]
		}
		w, h := frameInner(r)
		p.Pane.SetSize(w, h)
	}
}

// applyTheme restyles what the root draws itself (panes read Common at render time).
func (m *Model) applyTheme() {
	s := m.c.Styles
	m.help.Styles = help.Styles{
		Ellipsis:       s.Muted,
		ShortKey:       s.Key,
		ShortDesc:      s.Muted,
		ShortSeparator: s.Muted,
		FullKey:        s.Key,
		FullDesc:       s.Base,
		FullSeparator:  s.Muted,
	}
}

func paneZone(i int) string { return fmt.Sprintf("pane:%d", i) }
func tabZone(i int) string  { return fmt.Sprintf("tab:%d", i) }
