package views

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/internal/uitext"
	"github.com/reefhq/reef/peer/events"
	"github.com/reefhq/reef/peer/services"
	"github.com/reefhq/reef/themes"
	"github.com/reefhq/reef/wasm"
)

// Services pane bounds and timings.
const (
	// ServicesFlashFor is how long a hot-redeployed service's row flashes.
	ServicesFlashFor = 5 * time.Second
	// svcMaxCalls bounds the calls the pane remembers.
	svcMaxCalls = 20
	// svcDeployTimeout bounds a deploy from the pane (a cold compile of a large module
	// takes seconds); svcCallTimeout a call (the service's own deadline is shorter).
	svcDeployTimeout = 2 * time.Minute
	svcCallTimeout   = 30 * time.Second
)

// ServicesKeyMap are the Services pane's keys.
type ServicesKeyMap struct {
	Up, Down, Top, Bottom           key.Binding
	Deploy, Watch, Remove, Call     key.Binding
	Logs, Modules                   key.Binding
	Submit, NextField, Cancel, Auto key.Binding // in a form
	Confirm                         key.Binding // in the remove question
}

// ShortHelp implements help.KeyMap.
func (k ServicesKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Deploy, k.Call, k.Watch, k.Remove, k.Logs, k.Modules, k.Submit, k.NextField, k.Auto, k.Confirm, k.Cancel}
}

// FullHelp implements help.KeyMap.
func (k ServicesKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom},
		{k.Deploy, k.Call, k.Watch, k.Remove, k.Logs, k.Modules},
		{k.Submit, k.NextField, k.Auto, k.Confirm, k.Cancel},
	}
}

func newServicesKeyMap() ServicesKeyMap {
	return ServicesKeyMap{
		Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "prev service")),
		Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "next service")),
		Top:       key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "first")),
		Bottom:    key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "last")),
		Deploy:    key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "deploy file")),
		Watch:     key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "watch file on/off")),
		Remove:    key.NewBinding(key.WithKeys("x", "delete"), key.WithHelp("x", "remove")),
		Call:      key.NewBinding(key.WithKeys("c", "enter"), key.WithHelp("c", "call function")),
		Logs:      key.NewBinding(key.WithKeys("l"), key.WithHelp("l", "calls/logs")),
		Modules:   key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "services/modules")),
		Submit:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "submit"), key.WithDisabled()),
		NextField: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field"), key.WithDisabled()),
		Auto:      key.NewBinding(key.WithKeys("ctrl+w"), key.WithHelp("ctrl+w", "watch after deploy"), key.WithDisabled()),
		Confirm:   key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes, remove"), key.WithDisabled()),
		Cancel:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"), key.WithDisabled()),
	}
}

// ServiceDeployMsg is the outcome of a deploy started from the Services pane (or of a
// redeploy by its file watch, Redeploy set). Route it to the pane.
type ServiceDeployMsg struct {
	Path, Alias string
	Deployed    services.Deployed
	Err         error
	// Took is from the start of the deploy (from the file change for a redeploy) to its end.
	Took     time.Duration
	Redeploy bool
	// Invalid is set (with Err) when the watched file changed into something that is not
	// a complete module yet.
	Invalid bool

	watch bool // start watching the file once deployed
	gen   int  // the watch that sent it (redeploys)
}

// ServiceRemoveMsg is the outcome of a removal from the Services pane.
type ServiceRemoveMsg struct {
	Target string
	Err    error
}

// ServiceCallMsg is the outcome of a call from the Services pane.
type ServiceCallMsg struct {
	Target, Function, Args string
	Result                 string
	Err                    error
	Took                   time.Duration

	id int
}

// serviceWatchEndMsg says a watch's goroutine stopped.
type serviceWatchEndMsg struct{ gen int }

// svcForm is the form being edited.
type svcForm int

const (
	svcNoForm svcForm = iota
	svcDeployForm
	svcCallForm
	svcConfirmRemove
)

// svcWatch is a file watched for one alias (reef deploy --watch, in the pane).
type svcWatch struct {
	alias, path string
	gen         int
	cancel      context.CancelFunc
	ch          chan tea.Msg
	redeploys   int
	last        time.Time
	lastErr     string
}

// svcCall is one call in the pane's history.
type svcCall struct {
	id               int
	at               time.Time
	target, fn, args string
	result, err      string
	took             time.Duration
	running          bool
}

// Services is the Wasm services pane: the node's modules and services with their
// counters, a flash when a service is hot-redeployed, and actions: deploy a file (and
// watch it, redeploying on change like `reef deploy --watch`), remove a service, and
// call a function with JSON arguments. Actions run in commands; their results come back
// as ServiceDeployMsg, ServiceRemoveMsg and ServiceCallMsg.
type Services struct {
	c       *Common
	keys    ServicesKeyMap
	w, h    int
	focused bool

	ctx    context.Context
	cancel context.CancelFunc

	mgr      ServiceManager
	attached bool // the node is up (mgr may still be nil: a client node)
	snap     services.Snapshot
	polled   bool
	selID    string
	sel      int
	top      int
	modules  bool // the table lists modules
	showLogs bool

	flash map[string]time.Time // service id → when it was redeployed
	prev  map[string]string    // service id → the id it replaced

	form      svcForm
	path      textinput.Model
	alias     textinput.Model
	fn        textinput.Model
	args      textinput.Model
	field     int
	autoWatch bool
	formErr   string
	target    string // the service a call or removal is about (id)

	deploying map[string]string // alias → path, deploys in flight
	files     map[string]string // alias → the file it was last deployed from here
	watches   map[string]*svcWatch
	watchGen  int

	calls  []*svcCall // newest first
	callID int

	logsFor string
	logs    []wasm.LogEntry
	logsErr string

	ink      ppInks
	inputsOf *themes.Styles
}

// NewServices returns the Services pane. The manager is attached when the node is up
// (SetManager).
func NewServices(c *Common) *Services {
	p := &Services{c: c, keys: newServicesKeyMap(), flash: map[string]time.Time{}, prev: map[string]string{},
		deploying: map[string]string{}, files: map[string]string{}, watches: map[string]*svcWatch{}}
	p.ctx, p.cancel = context.WithCancel(context.Background())
	mk := func(placeholder string, limit int) textinput.Model {
		in := textinput.New()
		in.Prompt = ""
		in.Placeholder = placeholder
		in.CharLimit = limit
		return in
	}
	p.path = mk("path/to/module.wasm", 4096)
	p.alias = mk("alias", services.MaxAliasLen)
	p.fn = mk("function", 256)
	p.fn.ShowSuggestions = true
	p.args = mk(`["reef", 2]`, 64<<10)
	p.styleInputs()
	return p
}

// SetManager attaches the node's services (nil: the node has none).
func (p *Services) SetManager(m ServiceManager) {
	p.mgr, p.attached = m, true
}

// Title implements Pane.
func (p *Services) Title() string { return "Services" }

// SetSize implements Pane.
func (p *Services) SetSize(w, h int) { p.w, p.h = max(w, 0), max(h, 0) }

// Focus implements Pane.
func (p *Services) Focus() { p.focused = true }

// Blur implements Pane.
func (p *Services) Blur() {
	p.focused = false
	p.closeForm()
}

// Typing reports whether a form or the removal question has the keyboard.
func (p *Services) Typing() bool { return p.form != svcNoForm }

// Close stops the file watches.
func (p *Services) Close() {
	p.cancel()
	for _, w := range p.watches {
		w.cancel()
	}
}

// KeyMap implements Pane.
func (p *Services) KeyMap() help.KeyMap {
	k := p.keys
	typing := p.form == svcDeployForm || p.form == svcCallForm
	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.Top, &k.Bottom, &k.Deploy, &k.Logs, &k.Modules} {
		b.SetEnabled(p.form == svcNoForm)
	}
	_, ok := p.selected()
	for _, b := range []*key.Binding{&k.Watch, &k.Remove, &k.Call} {
		b.SetEnabled(p.form == svcNoForm && ok && !p.modules)
	}
	k.Submit.SetEnabled(typing)
	k.NextField.SetEnabled(typing)
	k.Auto.SetEnabled(p.form == svcDeployForm)
	k.Confirm.SetEnabled(p.form == svcConfirmRemove)
	k.Cancel.SetEnabled(p.form != svcNoForm)
	return k
}

// SetServices replaces the snapshot shown; the selection follows its service (and a
// redeployed service's successor).
func (p *Services) SetServices(s services.Snapshot) {
	p.snap, p.polled = s, true
	now := p.c.Now()
	for id, at := range p.flash {
		if now.Sub(at) > ServicesFlashFor {
			delete(p.flash, id)
			delete(p.prev, id)
		}
	}
	p.reselect()
}

// Snapshot returns the snapshot shown.
func (p *Services) Snapshot() services.Snapshot { return p.snap }

func (p *Services) reselect() {
	list := p.snap.Services
	if len(list) == 0 {
		p.sel = 0
		return
	}
	i := slices.IndexFunc(list, func(v services.ServiceView) bool { return v.ID == p.selID })
	if i < 0 {
		i = min(p.sel, len(list)-1)
	}
	p.sel = i
	p.selID = list[i].ID
}

// ApplyEvents takes the node's service events: a hot redeploy flashes the new
// service's row (and moves the selection to it from the service it replaced).
func (p *Services) ApplyEvents(evs []events.Event) {
	for _, ev := range evs {
		d, ok := ev.(events.ServiceDeployed)
		if !ok || !d.Redeploy {
			continue
		}
		p.flash[d.ID] = d.Time
		p.prev[d.ID] = d.Previous
		if p.selID == d.Previous {
			p.selID = d.ID
		}
	}
	p.reselect()
}

// Flashing reports whether a service's row flashes now (it was hot-redeployed less
// than ServicesFlashFor ago).
func (p *Services) Flashing(id string) bool {
	at, ok := p.flash[id]
	return ok && p.c.Now().Sub(at) <= ServicesFlashFor
}

// Selected returns the selected service.
func (p *Services) Selected() (services.ServiceView, bool) {
	return p.selected()
}

func (p *Services) selected() (services.ServiceView, bool) {
	if p.sel < len(p.snap.Services) {
		return p.snap.Services[p.sel], true
	}
	return services.ServiceView{}, false
}

// Watching returns the file watched for alias, if any.
func (p *Services) Watching(alias string) (string, bool) {
	if w, ok := p.watches[alias]; ok {
		return w.path, true
	}
	return "", false
}

// LogsTarget is the service whose log the pane shows ("" when it shows none): the
// bridge reads it for the next batch.
func (p *Services) LogsTarget() string {
	if !p.showLogs || p.modules {
		return ""
	}
	v, ok := p.selected()
	if !ok {
		return ""
	}
	return v.ID
}

// SetServiceLogs shows a service's log (read by the bridge).
func (p *Services) SetServiceLogs(target string, entries []wasm.LogEntry, err error) {
	p.logsFor, p.logs, p.logsErr = target, entries, ""
	if err != nil {
		p.logsErr = err.Error()
	}
}

// svcTarget is how the pane names a service in calls and notices: its first alias, or
// its id.
func svcTarget(v services.ServiceView) string {
	if len(v.Aliases) > 0 {
		return v.Aliases[0]
	}
	return v.ID
}

// Update implements Pane.
func (p *Services) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case ServiceDeployMsg:
		return p.deployed(msg)
	case ServiceRemoveMsg:
		if msg.Err != nil {
			return ppNotice("error", "remove "+msg.Target+": "+ppClean(msg.Err.Error()))
		}
		return ppNotice("info", "removed "+msg.Target)
	case ServiceCallMsg:
		return p.called(msg)
	case serviceWatchEndMsg:
		return nil
	case tea.KeyPressMsg:
		if p.form != svcNoForm {
			return p.formKey(msg)
		}
		return p.handleKey(msg)
	case tea.MouseClickMsg:
		if msg.Button == tea.MouseLeft && !p.modules {
			for i, v := range p.snap.Services {
				if z := p.c.Zone.Get(svcZoneID(v.ID)); z != nil && z.InBounds(msg) {
					p.selectIndex(i)
					return nil
				}
			}
		}
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			p.selectIndex(p.sel - 1)
		case tea.MouseWheelDown:
			p.selectIndex(p.sel + 1)
		}
	default:
		if in := p.input(); in != nil {
			var cmd tea.Cmd
			*in, cmd = in.Update(msg)
			return cmd
		}
	}
	return nil
}

func (p *Services) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, p.keys.Up):
		p.selectIndex(p.sel - 1)
	case key.Matches(msg, p.keys.Down):
		p.selectIndex(p.sel + 1)
	case key.Matches(msg, p.keys.Top):
		p.selectIndex(0)
	case key.Matches(msg, p.keys.Bottom):
		p.selectIndex(len(p.snap.Services) - 1)
	case key.Matches(msg, p.keys.Modules):
		p.modules = !p.modules
	case key.Matches(msg, p.keys.Logs):
		p.showLogs = !p.showLogs
	case key.Matches(msg, p.keys.Deploy):
		alias := ""
		if v, ok := p.selected(); ok && len(v.Aliases) > 0 {
			alias = v.Aliases[0]
		}
		return p.openDeploy(p.files[alias], alias, false)
	case p.modules:
		return nil
	case key.Matches(msg, p.keys.Call):
		return p.openCall()
	case key.Matches(msg, p.keys.Watch):
		return p.toggleWatch()
	case key.Matches(msg, p.keys.Remove):
		v, ok := p.selected()
		if !ok {
			return nil
		}
		p.form, p.target = svcConfirmRemove, v.ID
	}
	return nil
}

func (p *Services) selectIndex(i int) {
	if len(p.snap.Services) == 0 {
		return
	}
	p.sel = min(max(i, 0), len(p.snap.Services)-1)
	p.selID = p.snap.Services[p.sel].ID
}

func (p *Services) ready() tea.Cmd {
	switch {
	case !p.attached:
		return ppNotice("warn", "services: the node is not up yet")
	case p.mgr == nil:
		return ppNotice("warn", "services: this node has no Wasm services")
	}
	return nil
}

// ---- forms ----

func (p *Services) input() *textinput.Model {
	switch {
	case p.form == svcDeployForm && p.field == 0:
		return &p.path
	case p.form == svcDeployForm:
		return &p.alias
	case p.form == svcCallForm && p.field == 0:
		return &p.fn
	case p.form == svcCallForm:
		return &p.args
	}
	return nil
}

func (p *Services) focusField(i int) tea.Cmd {
	p.field = i
	for _, in := range []*textinput.Model{&p.path, &p.alias, &p.fn, &p.args} {
		in.Blur()
	}
	if in := p.input(); in != nil {
		return in.Focus()
	}
	return nil
}

func (p *Services) closeForm() {
	p.form, p.formErr, p.target = svcNoForm, "", ""
	p.focusField(0)
}

// openDeploy opens the deploy form with a file and an alias filled in (either may be
// empty); watch starts watching the file once it is deployed.
func (p *Services) openDeploy(path, alias string, watch bool) tea.Cmd {
	if cmd := p.ready(); cmd != nil {
		return cmd
	}
	p.form, p.formErr, p.autoWatch = svcDeployForm, "", watch
	p.path.SetValue(path)
	p.path.CursorEnd()
	p.alias.SetValue(alias)
	p.alias.CursorEnd()
	return p.focusField(0)
}

// actionTarget is the selected service for an action, or the command saying why there
// is none to act on (nil when simply nothing is selected).
func (p *Services) actionTarget() (services.ServiceView, tea.Cmd, bool) {
	if cmd := p.ready(); cmd != nil {
		return services.ServiceView{}, cmd, false
	}
	v, ok := p.selected()
	return v, nil, ok
}

func (p *Services) openCall() tea.Cmd {
	v, cmd, ok := p.actionTarget()
	if !ok {
		return cmd
	}
	if p.target != v.ID {
		p.fn.SetValue("")
		p.args.SetValue("")
	}
	p.form, p.formErr, p.target = svcCallForm, "", v.ID
	p.fn.SetSuggestions(v.Functions)
	return p.focusField(0)
}

func (p *Services) formKey(msg tea.KeyPressMsg) tea.Cmd {
	if p.form == svcConfirmRemove {
		target := p.target
		p.closeForm()
		if msg.String() == "y" || msg.String() == "enter" {
			return p.remove(target)
		}
		return ppNotice("info", "services: nothing removed")
	}
	switch msg.String() {
	case "esc":
		p.closeForm()
		return nil
	case "tab", "shift+tab":
		if p.form == svcCallForm && p.field == 0 && msg.String() == "tab" {
			if s := p.fn.CurrentSuggestion(); s != "" && s != p.fn.Value() {
				var cmd tea.Cmd
				p.fn, cmd = p.fn.Update(msg)
				return cmd
			}
		}
		return p.focusField(1 - p.field)
	case "ctrl+w":
		if p.form == svcDeployForm {
			p.autoWatch = !p.autoWatch
		}
		return nil
	case "enter":
		if p.form == svcDeployForm {
			return p.deploy()
		}
		return p.call()
	}
	in := p.input()
	var cmd tea.Cmd
	*in, cmd = in.Update(msg)
	p.formErr = ""
	if p.form == svcCallForm && p.field == 1 {
		p.formErr = svcArgsError(p.args.Value())
	}
	return cmd
}

// svcArgsError checks call arguments: a JSON array, or nothing.
func svcArgsError(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	v, err := jsonv.ParseString(s)
	switch {
	case err != nil:
		return "not JSON: " + err.Error()
	case v.Kind() != jsonv.Array:
		return `the arguments are one JSON array, like ["reef", 2]`
	}
	return ""
}

// svcAliasFor derives an alias from a module file name: "build/kv.wasm" → "kv".
func svcAliasFor(path string) string {
	base := filepath.Base(path)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

func (p *Services) deploy() tea.Cmd {
	path := strings.TrimSpace(p.path.Value())
	alias := strings.TrimSpace(p.alias.Value())
	if path == "" {
		p.formErr = "type the path of a .wasm file (an Extism plug-in)"
		return p.focusField(0)
	}
	if alias == "" {
		alias = svcAliasFor(path)
	}
	if err := services.ValidAlias(alias); err != nil {
		p.formErr = "alias: " + err.Error()
		p.alias.SetValue(alias)
		return p.focusField(1)
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	watch := p.autoWatch
	p.closeForm()
	p.deploying[alias] = path
	mgr := p.mgr
	return tea.Batch(ppNotice("info", fmt.Sprintf("deploying %s as %s…", filepath.Base(path), alias)), func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), svcDeployTimeout)
		defer cancel()
		start := time.Now()
		d, err := mgr.DeployFile(ctx, path, alias)
		return ServiceDeployMsg{Path: path, Alias: alias, Deployed: d, Err: err, Took: time.Since(start), watch: watch}
	})
}

func (p *Services) deployed(msg ServiceDeployMsg) tea.Cmd {
	if msg.Redeploy || msg.Invalid {
		w, ok := p.watches[msg.Alias]
		if !ok || w.gen != msg.gen {
			return nil // a watch stopped since
		}
		next := svcWaitWatch(w)
		if msg.Err != nil {
			w.lastErr = ppClean(msg.Err.Error())
			if msg.Invalid {
				return tea.Batch(next, ppNotice("warn", fmt.Sprintf("%s is not a complete module yet: %s", filepath.Base(w.path), w.lastErr)))
			}
			return tea.Batch(next, ppNotice("error", fmt.Sprintf("redeploy of %s failed: %s", msg.Alias, w.lastErr)))
		}
		w.redeploys++
		w.last, w.lastErr = p.c.Now(), ""
		return tea.Batch(next, ppNotice("info", fmt.Sprintf("%s redeployed from %s in %s", msg.Alias, filepath.Base(w.path), uitext.Latency(msg.Took))))
	}
	delete(p.deploying, msg.Alias)
	if msg.Err != nil {
		return ppNotice("error", fmt.Sprintf("deploy of %s failed: %s", filepath.Base(msg.Path), ppClean(msg.Err.Error())))
	}
	p.files[msg.Alias] = msg.Path
	p.selID = msg.Deployed.ServiceID
	note := ppNotice("info", fmt.Sprintf("deployed %s as %s (module %s) in %s", filepath.Base(msg.Path), msg.Alias,
		shortHash(msg.Deployed.Module), uitext.Latency(msg.Took)))
	if w, ok := p.watches[msg.Alias]; ok && w.path != msg.Path {
		p.stopWatch(msg.Alias)
	}
	if msg.watch {
		if _, ok := p.watches[msg.Alias]; !ok {
			return tea.Batch(note, p.startWatch(msg.Alias, msg.Path, msg.Deployed.Module))
		}
	}
	return note
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// toggleWatch starts or stops watching the selected service's file. A service this
// pane did not deploy from a file opens the deploy form first.
func (p *Services) toggleWatch() tea.Cmd {
	v, cmd, ok := p.actionTarget()
	if !ok {
		return cmd
	}
	alias := svcTarget(v)
	if len(v.Aliases) == 0 {
		return ppNotice("warn", "services: only a service with an alias can be watched (redeploys move the alias)")
	}
	if _, ok := p.watches[alias]; ok {
		p.stopWatch(alias)
		return ppNotice("info", "stopped watching the file of "+alias)
	}
	path, ok := p.files[alias]
	if !ok {
		return tea.Batch(p.openDeploy("", alias, true),
			ppNotice("info", "services: deploy "+alias+" from a file to watch it"))
	}
	return p.startWatch(alias, path, v.Module)
}

// startWatch watches path and redeploys it behind alias on every change, as reef
// deploy --watch does (services.Watcher: the change is taken once the file is stable
// and a complete module). hash is the module already deployed.
func (p *Services) startWatch(alias, path, hash string) tea.Cmd {
	p.watchGen++
	ctx, cancel := context.WithCancel(p.ctx)
	w := &svcWatch{alias: alias, path: path, gen: p.watchGen, cancel: cancel, ch: make(chan tea.Msg, 4)}
	p.watches[alias] = w
	mgr, gen, ch := p.mgr, w.gen, w.ch
	send := func(m tea.Msg) {
		select {
		case ch <- m:
		case <-ctx.Done():
		}
	}
	watcher := &services.Watcher{
		Path: path,
		Hash: hash,
		Changed: func(c services.FileChange) {
			d, err := mgr.Deploy(ctx, alias, c.Data)
			if ctx.Err() != nil {
				return
			}
			send(ServiceDeployMsg{Path: path, Alias: alias, Deployed: d, Err: err, Took: time.Since(c.Detected), Redeploy: true, gen: gen})
		},
		Invalid: func(_ string, err error) {
			send(ServiceDeployMsg{Path: path, Alias: alias, Err: err, Invalid: true, gen: gen})
		},
	}
	go func() {
		defer close(ch)
		_ = watcher.Run(ctx)
	}()
	return tea.Batch(svcWaitWatch(w), ppNotice("info", fmt.Sprintf("watching %s: %s redeploys on every change", filepath.Base(path), alias)))
}

func (p *Services) stopWatch(alias string) {
	if w, ok := p.watches[alias]; ok {
		w.cancel()
		delete(p.watches, alias)
	}
}

// svcWaitWatch waits for the next message of a watch.
func svcWaitWatch(w *svcWatch) tea.Cmd {
	ch, gen := w.ch, w.gen
	return func() tea.Msg {
		m, ok := <-ch
		if !ok {
			return serviceWatchEndMsg{gen: gen}
		}
		return m
	}
}

func (p *Services) remove(id string) tea.Cmd {
	if cmd := p.ready(); cmd != nil {
		return cmd
	}
	name := id
	for _, v := range p.snap.Services {
		if v.ID == id {
			name = svcTarget(v)
			for _, a := range v.Aliases {
				p.stopWatch(a)
			}
		}
	}
	mgr := p.mgr
	return func() tea.Msg {
		err := mgr.Remove(id)
		return ServiceRemoveMsg{Target: name, Err: err}
	}
}

func (p *Services) call() tea.Cmd {
	fn := strings.TrimSpace(p.fn.Value())
	args := strings.TrimSpace(p.args.Value())
	if fn == "" {
		p.formErr = "type the function to call"
		return p.focusField(0)
	}
	if e := svcArgsError(args); e != "" {
		p.formErr = e
		return p.focusField(1)
	}
	target := p.target
	for _, v := range p.snap.Services {
		if v.ID == target {
			target = svcTarget(v)
		}
	}
	p.formErr = ""
	p.form = svcNoForm
	p.focusField(0)
	p.callID++
	rec := &svcCall{id: p.callID, at: p.c.Now(), target: target, fn: fn, args: args, running: true}
	p.calls = append([]*svcCall{rec}, p.calls...)
	if len(p.calls) > svcMaxCalls {
		p.calls = p.calls[:svcMaxCalls]
	}
	mgr, id := p.mgr, rec.id
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), svcCallTimeout)
		defer cancel()
		start := time.Now()
		out, err := mgr.CallText(ctx, target, fn, args)
		return ServiceCallMsg{Target: target, Function: fn, Args: args, Result: out, Err: err, Took: time.Since(start), id: id}
	}
}

func (p *Services) called(msg ServiceCallMsg) tea.Cmd {
	var rec *svcCall
	for _, c := range p.calls {
		if c.id == msg.id {
			rec = c
		}
	}
	if rec == nil {
		return nil
	}
	rec.running, rec.took, rec.result = false, msg.Took, ppCutBytes(msg.Result, 4096)
	name := msg.Target + "." + msg.Function
	if msg.Err != nil {
		rec.err = ppCutBytes(msg.Err.Error(), 4096)
		return ppNotice("error", name+" failed: "+ppClean(rec.err))
	}
	return ppNotice("info", fmt.Sprintf("%s returned in %s", name, uitext.Latency(msg.Took)))
}

// LastCall returns the most recent call's result or error text ("" while it runs).
func (p *Services) LastCall() (result, errText string, ok bool) {
	if len(p.calls) == 0 || p.calls[0].running {
		return "", "", false
	}
	return p.calls[0].result, p.calls[0].err, true
}

func svcZoneID(id string) string { return "svc:" + id }

func (p *Services) styleInputs() {
	if p.inputsOf == p.c.Styles {
		return
	}
	p.inputsOf = p.c.Styles
	st := ppInputStyles(p.c.Styles)
	for _, in := range []*textinput.Model{&p.path, &p.alias, &p.fn, &p.args} {
		in.SetStyles(st)
	}
}
