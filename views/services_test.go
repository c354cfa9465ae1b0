package views

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/reefhq/reef/peer/events"
	"github.com/reefhq/reef/peer/services"
	"github.com/reefhq/reef/wasm"
)

// svcChaos is the C test guest (wasm/testdata/guests/chaosc), written to dir as name.
func svcChaos(t testing.TB, dir, name string) (string, []byte) {
	t.Helper()
	b, err := os.ReadFile("../wasm/testdata/guests/chaosc/chaosc.wasm")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, b
}

// svcVariant is b with a custom section appended: the same module under another hash.
func svcVariant(b []byte, n int) []byte {
	name, data := "reef-test", fmt.Sprint(n)
	payload := append([]byte{byte(len(name))}, name+data...)
	out := append(slices.Clone(b), 0, byte(len(payload)))
	return append(out, payload...)
}

func svcSum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// svcManager is a real services.Manager (in memory) whose events are recorded.
type svcManager struct {
	*services.Manager
	mu  sync.Mutex
	evs []events.Event
}

func newSvcManager(t testing.TB) *svcManager {
	t.Helper()
	sm := &svcManager{}
	m, err := services.New(services.Config{PeerID: "12D3KooWConsoleOwner", OpenDeploy: true, Publish: func(e events.Event) {
		sm.mu.Lock()
		sm.evs = append(sm.evs, e)
		sm.mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	sm.Manager = m
	t.Cleanup(func() { _ = m.Close(context.Background()) })
	return sm
}

func (sm *svcManager) events() []events.Event {
	sm.mu.Lock()
	defer sm.mu.Unlock()
	return slices.Clone(sm.evs)
}

// svcQueue runs a pane's commands, each on its own goroutine (some wait on a file
// watch), and hands their messages to the test.
type svcQueue struct {
	t  testing.TB
	ch chan tea.Msg
	// notices are the footer notices seen so far.
	notices []NoticeMsg
}

func newSvcQueue(t testing.TB) *svcQueue { return &svcQueue{t: t, ch: make(chan tea.Msg, 64)} }

func (q *svcQueue) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		msg := cmd()
		if b, ok := msg.(tea.BatchMsg); ok {
			for _, c := range b {
				q.run(c)
			}
			return
		}
		if msg != nil {
			q.ch <- msg
		}
	}()
}

// svcWait returns the next message of type T, keeping the notices that come before it.
// The bound only keeps a broken test from hanging; nothing is timed.
func svcWait[T any](q *svcQueue) T {
	q.t.Helper()
	guard := time.After(2 * time.Minute)
	for {
		select {
		case msg := <-q.ch:
			if n, ok := msg.(NoticeMsg); ok {
				q.notices = append(q.notices, n)
			}
			if v, ok := msg.(T); ok {
				return v
			}
		case <-guard:
			var zero T
			q.t.Fatalf("no %T arrived", zero)
			return zero
		}
	}
}

// noticed waits for a footer notice containing sub (the bound only keeps a broken test
// from hanging).
func (q *svcQueue) noticed(sub string) bool {
	guard := time.After(time.Minute)
	for {
		for _, n := range q.notices {
			if strings.Contains(n.Text, sub) {
				return true
			}
		}
		select {
		case msg := <-q.ch:
			if n, ok := msg.(NoticeMsg); ok {
				q.notices = append(q.notices, n)
			}
		case <-guard:
			return false
		}
	}
}

func svcPress(q *svcQueue, p *Services, keys ...string) {
	for _, k := range keys {
		q.run(p.Update(ppKey(k)))
	}
}

func svcType(q *svcQueue, p *Services, text string) {
	for _, r := range text {
		q.run(p.Update(tea.KeyPressMsg{Code: r, Text: string(r)}))
	}
}

func newTestServices(t testing.TB, m ServiceManager) *Services {
	t.Helper()
	p := NewServices(ppCommon(t))
	t.Cleanup(p.Close)
	p.SetSize(120, 40)
	if m != nil {
		p.SetManager(m)
	}
	return p
}

// Deploy a file, call its functions (a result, a guest error, bad arguments) and remove
// it, all from the pane's keys, against a real services.Manager.
func TestServicesDeployCallRemove(t *testing.T) {
	sm := newSvcManager(t)
	q := newSvcQueue(t)
	p := newTestServices(t, sm)
	path, _ := svcChaos(t, t.TempDir(), "chaos.wasm")

	svcPress(q, p, "d")
	if !p.Typing() {
		t.Fatal("d did not open the deploy form")
	}
	svcType(q, p, path)
	svcPress(q, p, "enter") // no alias: the file's name
	if p.Typing() {
		t.Fatal("the form stayed open after enter")
	}
	dm := svcWait[ServiceDeployMsg](q)
	if dm.Err != nil || dm.Alias != "chaos" || dm.Deployed.ServiceID == "" {
		t.Fatalf("deploy: %+v", dm)
	}
	q.run(p.Update(dm))
	p.SetServices(sm.Snapshot())
	if v, ok := p.Selected(); !ok || v.ID != dm.Deployed.ServiceID || !slices.Equal(v.Aliases, []string{"chaos"}) {
		t.Fatalf("selected %+v", v)
	}
	if !q.noticed("deployed chaos.wasm as chaos") {
		t.Fatalf("notices %+v", q.notices)
	}

	// The function field completes from the exports: tab takes the completion, then
	// moves to the arguments.
	svcPress(q, p, "c")
	svcType(q, p, "ec")
	svcPress(q, p, "tab")
	if p.fn.Value() != "echo" || p.field != 0 {
		t.Fatalf("tab completed %q (field %d)", p.fn.Value(), p.field)
	}
	svcPress(q, p, "tab")
	if p.field != 1 {
		t.Fatal("tab did not move to the arguments")
	}
	svcPress(q, p, "esc")

	// Calls with arguments.
	call := func(fn, args string) ServiceCallMsg {
		t.Helper()
		svcPress(q, p, "c", "ctrl+u")
		svcType(q, p, fn)
		svcPress(q, p, "tab", "ctrl+u")
		svcType(q, p, args)
		svcPress(q, p, "enter")
		cm := svcWait[ServiceCallMsg](q)
		q.run(p.Update(cm))
		return cm
	}
	if cm := call("echo", `["hi", 2]`); cm.Err != nil || cm.Result != `["hi",2]` || cm.Target != "chaos" {
		t.Fatalf("echo: %+v", cm)
	}
	if res, errText, ok := p.LastCall(); !ok || res != `["hi",2]` || errText != "" {
		t.Fatalf("last call %q %q", res, errText)
	}
	if out := ansi.Strip(p.View()); !strings.Contains(out, `chaos.echo("hi", 2) → ["hi",2]`) {
		t.Fatalf("the call is not shown:\n%s", out)
	}
	if cm := call("fail", ""); cm.Err == nil || !strings.Contains(cm.Err.Error(), "chaosc: failure requested") {
		t.Fatalf("fail: %+v", cm)
	}
	if _, errText, _ := p.LastCall(); !strings.Contains(errText, "failure requested") {
		t.Fatalf("last error %q", errText)
	}
	if out := ansi.Strip(p.View()); !strings.Contains(out, "✗") || !strings.Contains(out, "failure requested") {
		t.Fatalf("the error is not shown:\n%s", out)
	}

	// Arguments that are not a JSON array are refused in the form, without a call.
	svcPress(q, p, "c", "tab", "ctrl+u")
	svcType(q, p, `{"a": 1}`)
	svcPress(q, p, "enter")
	if !p.Typing() || !strings.Contains(ansi.Strip(p.View()), "one JSON array") {
		t.Fatalf("bad arguments were not refused:\n%s", ansi.Strip(p.View()))
	}
	svcPress(q, p, "esc")
	if p.Typing() {
		t.Fatal("esc did not close the form")
	}

	// Remove: any key but y keeps the service; y removes it.
	svcPress(q, p, "x")
	if !p.Typing() || !strings.Contains(ansi.Strip(p.View()), "Remove chaos") {
		t.Fatal("x did not ask")
	}
	svcPress(q, p, "n")
	if len(sm.Snapshot().Services) != 1 {
		t.Fatal("n removed the service")
	}
	svcPress(q, p, "x", "y")
	rm := svcWait[ServiceRemoveMsg](q)
	if rm.Err != nil || rm.Target != "chaos" {
		t.Fatalf("remove: %+v", rm)
	}
	q.run(p.Update(rm))
	if n := len(sm.Snapshot().Services); n != 0 {
		t.Fatalf("%d services after remove", n)
	}
	p.SetServices(sm.Snapshot())
	if _, ok := p.Selected(); ok || !strings.Contains(ansi.Strip(p.View()), "No services on this node yet") {
		t.Fatal("the removed service is still shown")
	}
}

// A deploy that fails (not a module) says why; the pane keeps working.
func TestServicesDeployRefused(t *testing.T) {
	sm := newSvcManager(t)
	q := newSvcQueue(t)
	p := newTestServices(t, sm)
	bad := filepath.Join(t.TempDir(), "bad.wasm")
	if err := os.WriteFile(bad, []byte("not wasm"), 0o644); err != nil {
		t.Fatal(err)
	}
	svcPress(q, p, "d")
	svcType(q, p, bad)
	svcPress(q, p, "tab")
	svcType(q, p, "has space")
	svcPress(q, p, "enter")
	if !p.Typing() || !strings.Contains(ansi.Strip(p.View()), "alias:") {
		t.Fatalf("a bad alias was not refused:\n%s", ansi.Strip(p.View()))
	}
	svcPress(q, p, "ctrl+u")
	svcType(q, p, "bad")
	svcPress(q, p, "enter")
	dm := svcWait[ServiceDeployMsg](q)
	if dm.Err == nil {
		t.Fatal("a file that is not wasm deployed")
	}
	q.run(p.Update(dm))
	if !q.noticed("deploy of bad.wasm failed") {
		t.Fatalf("notices %+v", q.notices)
	}
}

// A hot redeploy (the alias moved to a new service) flashes the new service's row for
// ServicesFlashFor, and the selection follows the alias to it.
func TestServicesFlashOnRedeploy(t *testing.T) {
	sm := newSvcManager(t)
	ctx := context.Background()
	_, b := svcChaos(t, t.TempDir(), "chaos.wasm")
	d1, err := sm.Deploy(ctx, "chaos", b)
	if err != nil {
		t.Fatal(err)
	}
	p := newTestServices(t, sm)
	p.ApplyEvents(sm.events())
	p.SetServices(sm.Snapshot())
	if v, _ := p.Selected(); v.ID != d1.ServiceID || p.Flashing(d1.ServiceID) {
		t.Fatal("a first deploy flashes")
	}
	seen := len(sm.events())
	d2, err := sm.Deploy(ctx, "chaos", svcVariant(b, 1))
	if err != nil {
		t.Fatal(err)
	}
	evs := sm.events()[seen:]
	var at time.Time
	for _, e := range evs {
		if d, ok := e.(events.ServiceDeployed); ok && d.Redeploy && d.ID == d2.ServiceID && d.Previous == d1.ServiceID {
			at = d.Time
		}
	}
	if at.IsZero() {
		t.Fatalf("no redeploy event in %+v", evs)
	}
	p.c.Now = func() time.Time { return at.Add(time.Second) }
	p.ApplyEvents(evs)
	p.SetServices(sm.Snapshot())
	if !p.Flashing(d2.ServiceID) {
		t.Fatal("the redeployed service does not flash")
	}
	if v, _ := p.Selected(); v.ID != d2.ServiceID {
		t.Fatalf("the selection stayed on %s", v.ID)
	}
	out := ansi.Strip(p.View())
	if !strings.Contains(out, "⟳ chaos") || !strings.Contains(out, "redeployed") || !strings.Contains(out, "replaced "+d1.ServiceID[:8]) {
		t.Fatalf("no flash:\n%s", out)
	}
	p.c.Now = func() time.Time { return at.Add(ServicesFlashFor + time.Second) }
	p.SetServices(sm.Snapshot())
	if p.Flashing(d2.ServiceID) || strings.Contains(ansi.Strip(p.View()), "⟳") {
		t.Fatal("the flash did not end")
	}
}

// Watch: deployed with ctrl+w, the file is watched as reef deploy --watch does, a change
// redeploys it behind the same alias, and w stops the watch.
func TestServicesWatchRedeploysOnChange(t *testing.T) {
	sm := newSvcManager(t)
	q := newSvcQueue(t)
	p := newTestServices(t, sm)
	path, b := svcChaos(t, t.TempDir(), "chaos.wasm")

	svcPress(q, p, "d")
	svcType(q, p, path)
	svcPress(q, p, "ctrl+w", "enter")
	dm := svcWait[ServiceDeployMsg](q)
	if dm.Err != nil {
		t.Fatal(dm.Err)
	}
	q.run(p.Update(dm))
	p.SetServices(sm.Snapshot())
	if got, ok := p.Watching("chaos"); !ok || got != path {
		t.Fatalf("watching %q %v", got, ok)
	}
	if !strings.Contains(ansi.Strip(p.View()), "◉ watching "+path) {
		t.Fatalf("the watch is not shown:\n%s", ansi.Strip(p.View()))
	}

	v1 := svcVariant(b, 1)
	if err := os.WriteFile(path, v1, 0o644); err != nil {
		t.Fatal(err)
	}
	rd := svcWait[ServiceDeployMsg](q)
	if !rd.Redeploy || rd.Err != nil || rd.Deployed.Module != svcSum(v1) || !slices.Equal(rd.Deployed.Replaced, []string{dm.Deployed.ServiceID}) {
		t.Fatalf("redeploy: %+v", rd)
	}
	q.run(p.Update(rd))
	if id, _ := sm.ResolveAlias("chaos"); id != rd.Deployed.ServiceID {
		t.Fatalf("the alias points at %s, want %s", id, rd.Deployed.ServiceID)
	}
	p.ApplyEvents(sm.events())
	p.SetServices(sm.Snapshot())
	if !strings.Contains(ansi.Strip(p.View()), "1 redeploy") {
		t.Fatalf("the redeploy is not counted:\n%s", ansi.Strip(p.View()))
	}

	// w stops watching; the watch's goroutine ends.
	svcPress(q, p, "w")
	if _, ok := p.Watching("chaos"); ok {
		t.Fatal("w did not stop the watch")
	}
	svcWait[serviceWatchEndMsg](q)

	// w on a service the pane did not deploy from a file opens the deploy form, with the
	// alias and the watch set.
	if _, err := sm.Deploy(context.Background(), "other", svcVariant(b, 2)); err != nil {
		t.Fatal(err)
	}
	p.SetServices(sm.Snapshot())
	svcPress(q, p, "G", "w")
	if p.form != svcDeployForm || !p.autoWatch || p.alias.Value() != "other" {
		t.Fatalf("form %v watch %v alias %q", p.form, p.autoWatch, p.alias.Value())
	}
}

// Keys move the selection, switch to the modules and to a service's log, and enable
// only what applies.
func TestServicesKeys(t *testing.T) {
	p := newTestServices(t, nil)
	q := newSvcQueue(t)
	svcPress(q, p, "d")
	if p.Typing() || !q.noticed("not up yet") {
		t.Fatal("d before the node is up")
	}
	p.SetManager(nil)
	if !strings.Contains(ansi.Strip(p.View()), "No Wasm services here") {
		t.Fatal("no explanation for a node without services")
	}
	p.SetManager(newSvcManager(t))
	p.SetServices(npServicesSnapshot(0))
	tests := []struct {
		key  string
		want int
	}{{"down", 1}, {"j", 2}, {"down", 2}, {"up", 1}, {"g", 0}, {"G", 2}, {"k", 1}}
	for _, tt := range tests {
		svcPress(q, p, tt.key)
		if p.sel != tt.want {
			t.Fatalf("%s: selection %d, want %d", tt.key, p.sel, tt.want)
		}
	}
	// The selection follows its service when the list changes.
	snap := npServicesSnapshot(0)
	snap.Services = slices.Insert(snap.Services, 0, services.ServiceView{ID: npUUID(0), Aliases: []string{"new"}})
	p.SetServices(snap)
	if v, _ := p.Selected(); v.ID != npUUID(2) {
		t.Fatalf("selection moved to %s", v.ID)
	}
	svcPress(q, p, "l")
	if p.LogsTarget() != npUUID(2) {
		t.Fatalf("logs target %q", p.LogsTarget())
	}
	p.SetServiceLogs(npUUID(2), []wasm.LogEntry{{Time: ppT0, Instance: 1, Source: wasm.SourceStdout, Text: "hello from chaos"}}, nil)
	if !strings.Contains(ansi.Strip(p.View()), "hello from chaos") {
		t.Fatal("the log is not shown")
	}
	svcPress(q, p, "m")
	if p.LogsTarget() != "" || !strings.Contains(ansi.Strip(p.View()), "Modules (3)") {
		t.Fatal("m did not show the modules")
	}
	km := p.KeyMap().(ServicesKeyMap)
	if km.Call.Enabled() || km.Remove.Enabled() || !km.Deploy.Enabled() {
		t.Fatal("service actions enabled on the modules list")
	}
	svcPress(q, p, "m", "x")
	km = p.KeyMap().(ServicesKeyMap)
	if !km.Confirm.Enabled() || km.Deploy.Enabled() {
		t.Fatal("the removal question's keys")
	}
	svcPress(q, p, "esc")
	if p.Typing() {
		t.Fatal("esc did not cancel the removal")
	}
}

// svcGoldenPane is the Services pane in a named state, from canned snapshots.
func svcGoldenPane(t testing.TB, name string, w, h int) *Services {
	p := NewServices(ppCommon(t))
	t.Cleanup(p.Close)
	p.SetSize(w, h)
	if name == "waiting" {
		return p
	}
	p.SetManager(newSvcManager(t))
	if name == "empty" {
		p.SetServices(services.Snapshot{DeployRule: "open"})
		return p
	}
	snap := npServicesSnapshot(0)
	p.SetServices(snap)
	p.flash[npUUID(2)] = ppT0.Add(-2 * time.Second)
	p.prev[npUUID(2)] = npUUID(9)
	p.files["kv"] = "/home/dev/kv/kv.wasm"
	p.watches["kv"] = &svcWatch{alias: "kv", path: "/home/dev/kv/kv.wasm", cancel: func() {}, redeploys: 3, last: ppT0.Add(-12 * time.Second)}
	p.calls = []*svcCall{
		{id: 3, at: ppT0.Add(-time.Second), target: "kv", fn: "put", args: `["lang", "go"]`, running: true},
		{id: 2, at: ppT0.Add(-5 * time.Second), target: "chaos", fn: "fail", args: "", err: "chaos.fail: chaosc: failure requested", took: 310 * time.Microsecond},
		{id: 1, at: ppT0.Add(-9 * time.Second), target: "kv", fn: "get", args: `["lang"]`, result: `"go"`, took: 2100 * time.Microsecond},
	}
	p.callID = 3
	switch name {
	case "deploy":
		p.form, p.autoWatch, p.field = svcDeployForm, true, 1
		p.path.SetValue("build/kv.wasm")
		p.alias.SetValue("kv")
	case "call":
		p.form, p.target, p.field = svcCallForm, npUUID(1), 1
		p.fn.SetValue("get")
		p.args.SetValue(`["lang"`)
		p.formErr = svcArgsError(p.args.Value())
	case "remove":
		p.form, p.target = svcConfirmRemove, npUUID(1)
	case "modules":
		p.modules = true
	case "logs":
		p.showLogs = true
		p.SetServiceLogs(npUUID(1), []wasm.LogEntry{
			{Time: ppT0.Add(-3 * time.Second), Instance: 1, Source: wasm.SourceStdout, Text: "put lang=go"},
			{Time: ppT0.Add(-2 * time.Second), Instance: 2, Source: wasm.SourceStderr, Level: 4, Text: "get: no key \"x\""},
			{Time: ppT0.Add(-time.Second), Instance: 1, Source: wasm.SourceLog, Text: "version 2"},
		}, nil)
	case "selected-error":
		p.selectIndex(2)
	}
	return p
}

func TestServicesGolden(t *testing.T) {
	npGoldens(t, "services", []string{"waiting", "empty", "loaded", "deploy", "call", "remove", "modules", "logs", "selected-error"},
		func(t testing.TB, name string, w, h int) Pane { return svcGoldenPane(t, name, w, h) })
}

// BenchmarkServicesView renders the pane at 200×60 with 40 services, a flash, a watch
// and a call history.
func BenchmarkServicesView(b *testing.B) {
	p := svcGoldenPane(b, "loaded", 200, 60)
	p.SetServices(npServicesSnapshot(40))
	b.ReportAllocs()
	for b.Loop() {
		_ = p.View()
	}
}
