package services

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/peer/events"
	"github.com/reefhq/reef/wasm"
)

const owner = "12D3KooWOwner"

func chaosc(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("../../wasm/testdata/guests/chaosc/chaosc.wasm")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// variant returns b with a custom section appended: the same module under another hash.
func variant(b []byte, n int) []byte {
	name := "reef-test"
	data := fmt.Sprint(n)
	payload := append([]byte{byte(len(name))}, name+data...)
	out := append(slices.Clone(b), 0, byte(len(payload)))
	return append(out, payload...)
}

func newManager(t testing.TB, cfg Config) *Manager {
	t.Helper()
	if cfg.PeerID == "" {
		cfg.PeerID = owner
	}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close(context.Background()) })
	return m
}

func call(t testing.TB, m *Manager, target, fn, args string) string {
	t.Helper()
	out, err := m.CallText(context.Background(), target, fn, args)
	if err != nil {
		t.Fatalf("%s.%s(%s): %v", target, fn, args, err)
	}
	return out
}

func TestPersistAndRestore(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	var evs []events.Event
	var mu sync.Mutex
	m := newManager(t, Config{Dir: dir, Publish: func(e events.Event) { mu.Lock(); evs = append(evs, e); mu.Unlock() }})
	d, err := m.Deploy(ctx, "c", chaosc(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.AddAlias(owner, "c2", "c"); err != nil {
		t.Fatal(err)
	}
	if got := call(t, m, "c", "echo", `["x",1]`); got != `["x",1]` {
		t.Fatalf("echo = %s", got)
	}
	mu.Lock()
	kinds := fmt.Sprintf("%T %T %T", evs[0], evs[1], evs[2])
	mu.Unlock()
	if kinds != "events.ServiceCreated events.ServiceDeployed events.ServiceDeployed" {
		t.Fatalf("events %s", kinds)
	}
	before := m.ListServices()
	if err := m.Close(ctx); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, StateFile))
	if err != nil {
		t.Fatal(err)
	}
	var st state
	if err := json.Unmarshal(raw, &st); err != nil || st.Version != 1 || len(st.Services) != 1 || len(st.Modules) != 1 || len(st.Blueprints) != 1 {
		t.Fatalf("state %s (%v)", raw, err)
	}
	if st.Services[0].ID != d.ServiceID || strings.Join(st.Services[0].Aliases, ",") != "c,c2" || st.Services[0].Owner != owner {
		t.Fatalf("persisted service %+v", st.Services[0])
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 { // services.json and modules/, no temporary files
		t.Fatalf("dir holds %v", entries)
	}

	m2 := newManager(t, Config{Dir: dir})
	if err := m2.Restore(ctx); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(m2.ListServices()) != fmt.Sprint(before) {
		t.Fatalf("restored %v, want %v", m2.ListServices(), before)
	}
	if got := call(t, m2, "c2", "echo", `[]`); got != `[]` {
		t.Fatalf("echo after restore = %s", got)
	}
}

func TestRestoreBrokenModule(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	m := newManager(t, Config{Dir: dir})
	d, err := m.Deploy(ctx, "c", chaosc(t))
	if err != nil {
		t.Fatal(err)
	}
	_ = m.Close(ctx)
	if err := os.WriteFile(filepath.Join(dir, ModulesDir, d.Module+".wasm"), []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	m2 := newManager(t, Config{Dir: dir})
	if err := m2.Restore(ctx); err == nil || !strings.Contains(err.Error(), "is corrupt") {
		t.Fatalf("Restore = %v", err)
	}
	snap := m2.Snapshot()
	if len(snap.Services) != 1 || !strings.Contains(snap.Services[0].Error, "is corrupt") {
		t.Fatalf("snapshot %+v", snap)
	}
	if _, err := m2.CallText(ctx, "c", "echo", "[]"); err == nil || !strings.Contains(err.Error(), "could not be started") {
		t.Fatalf("call = %v", err)
	}
	// Removing it still works.
	if err := m2.Remove("c"); err != nil {
		t.Fatal(err)
	}
}

func TestCorruptState(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, StateFile), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Config{Dir: dir}); err == nil || !strings.Contains(err.Error(), "is corrupt") {
		t.Fatalf("New = %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, StateFile), []byte(`{"version":7}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Config{Dir: dir}); err == nil || !strings.Contains(err.Error(), "version 7") {
		t.Fatalf("New = %v", err)
	}
}

// Modules no service uses are kept up to KeepModules, the most recently used ones.
func TestUnusedModulesAreTrimmed(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	m := newManager(t, Config{Dir: dir, KeepModules: 2})
	base := chaosc(t)
	var last Deployed
	for i := range 5 {
		d, err := m.Deploy(ctx, "c", variant(base, i)) // each redeploy replaces the service
		if err != nil {
			t.Fatal(err)
		}
		last = d
	}
	// Retired services are closed (and their modules trimmed) in the background.
	deadline := time.Now().Add(10 * time.Second)
	for len(m.ListModules()) != 3 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	mods := m.ListModules()
	if len(mods) != 3 || mods[2].Hash != last.Module { // the one in use and the 2 most recent others
		t.Fatalf("modules %v", mods)
	}
	if bps := m.ListBlueprints(); len(bps) != 3 {
		t.Fatalf("blueprints %v", bps)
	}
	files, _ := os.ReadDir(filepath.Join(dir, ModulesDir))
	if len(files) != 3 {
		t.Fatalf("module files %v", files)
	}
	if len(m.ListServices()) != 1 {
		t.Fatalf("services %v", m.ListServices())
	}
}

func TestDeployKeepsAServiceOtherAliasesName(t *testing.T) {
	ctx := context.Background()
	m := newManager(t, Config{})
	d1, err := m.Deploy(ctx, "a", chaosc(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.AddAlias(owner, "b", "a"); err != nil {
		t.Fatal(err)
	}
	d2, err := m.Deploy(ctx, "a", variant(chaosc(t), 1))
	if err != nil {
		t.Fatal(err)
	}
	if len(d2.Replaced) != 0 {
		t.Fatalf("replaced %v", d2.Replaced)
	}
	if r, ok := m.Resolve("b"); !ok || r.ID != d1.ServiceID || len(r.Aliases) != 1 {
		t.Fatalf("b = %+v", r)
	}
	if r, _ := m.Resolve("a"); r.ID != d2.ServiceID {
		t.Fatalf("a = %+v", r)
	}
	d3, err := m.Deploy(ctx, "b", variant(chaosc(t), 2))
	if err != nil {
		t.Fatal(err)
	}
	if len(d3.Replaced) != 1 || d3.Replaced[0] != d1.ServiceID {
		t.Fatalf("replaced %v", d3.Replaced)
	}
}

// A call in flight when its service is removed (or replaced) finishes on it.
func TestRemoveWaitsForCallsInFlight(t *testing.T) {
	ctx := context.Background()
	m := newManager(t, Config{})
	if _, err := m.Deploy(ctx, "c", chaosc(t)); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		out, err := m.CallText(ctx, "c", "busy", "[300]")
		if err == nil && out != "300" {
			err = fmt.Errorf("busy = %s", out)
		}
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	if _, err := m.Deploy(ctx, "c", variant(chaosc(t), 1)); err != nil {
		t.Fatal(err)
	}
	if got := call(t, m, "c", "echo", `["new"]`); got != `["new"]` {
		t.Fatal(got)
	}
	if err := <-done; err != nil {
		t.Fatalf("the call in flight on the replaced service: %v", err)
	}
	if err := m.Remove("c"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.CallText(ctx, "c", "echo", "[]"); !errors.Is(err, ErrServiceNotFound) {
		t.Fatalf("call after remove = %v", err)
	}
}

func TestAliasesAndPermissions(t *testing.T) {
	ctx := context.Background()
	const alice, bob = "12D3KooWAlice", "12D3KooWBob"
	m := newManager(t, Config{AllowDeploy: []string{alice}, Reserved: func(n string) bool { return n == "op" }})
	for _, tt := range []struct{ alias, want string }{
		{"", "empty"}, {"a b", "spaces"}, {"a\x01", "control"}, {strings.Repeat("x", 257), "over the limit"},
		{"op", "'op' is reserved: it is the name of a builtin service"}, {"self", "'self' is reserved"},
		{"getDataSrv", "reserved"},
	} {
		if _, err := m.Deploy(ctx, tt.alias, chaosc(t)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("alias %q: %v, want %q", tt.alias, err, tt.want)
		}
	}
	if _, err := m.AddModule(ctx, bob, "x", chaosc(t)); err == nil ||
		err.Error() != "peer "+bob+" may not deploy on this node: start it with --allow-deploy "+bob {
		t.Fatalf("bob's add_module: %v", err)
	}
	mine, err := m.deploy(ctx, alice, "alice", chaosc(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Deploy(ctx, "owners", chaosc(t)); err != nil {
		t.Fatal(err)
	}
	if _, err := m.AddAlias(alice, "owners", mine.ServiceID); err == nil || !strings.Contains(err.Error(), "it belongs to "+owner) {
		t.Fatalf("alice takes the owner's alias: %v", err)
	}
	if err := m.RemoveService(alice, "owners"); err == nil || !strings.Contains(err.Error(), "may not change service") {
		t.Fatalf("alice removes the owner's service: %v", err)
	}
	if _, err := m.AddAlias(alice, mine.ServiceID, "owners"); err == nil {
		t.Fatal("an alias equal to a service id was accepted")
	}
	// The owner may change anything.
	if _, err := m.AddAlias(owner, "alice", "owners"); err != nil {
		t.Fatal(err)
	}
	if m.DeployRule() != "owner and 1 allowed peer(s)" {
		t.Fatal(m.DeployRule())
	}
	open := newManager(t, Config{OpenDeploy: true})
	if _, err := open.deploy(ctx, bob, "b", chaosc(t)); err != nil {
		t.Fatal(err)
	}
	if err := open.RemoveService(alice, "b"); err != nil {
		t.Fatal(err)
	}
}

func TestBlueprints(t *testing.T) {
	h := strings.Repeat("ab", 32)
	text := BlueprintText("kv", []string{h})
	if text != `{"dependencies":[{"/":"`+h+`"}],"name":"kv"}` {
		t.Fatal(text)
	}
	for _, in := range []jsonv.Value{
		jsonv.StringValue(text),
		jsonv.MustParse(`{"name":"kv","dependencies":["` + h + `"]}`),
	} {
		name, deps, err := ParseBlueprint(in)
		if err != nil || name != "kv" || len(deps) != 1 || deps[0] != h {
			t.Fatalf("%s: %s %v %v", in, name, deps, err)
		}
	}
	for in, want := range map[string]string{
		`"nope"`:                          "not JSON",
		`[]`:                              "must be an object",
		`{"dependencies":[]}`:             "no name",
		`{"name":"x","dependencies":{}}`:  "array of module hashes",
		`{"name":"x","dependencies":[1]}`: "dependency 0",
	} {
		if _, _, err := ParseBlueprint(jsonv.MustParse(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", in, err, want)
		}
	}
	m := newManager(t, Config{})
	if _, err := m.AddBlueprint(owner, "kv", nil); err == nil || !strings.Contains(err.Error(), "no module") {
		t.Fatal(err)
	}
	if _, err := m.AddBlueprint(owner, "kv", []string{h}); err == nil || !strings.Contains(err.Error(), "add it with dist.add_module first") {
		t.Fatal(err)
	}
}

func TestCallErrors(t *testing.T) {
	ctx := context.Background()
	m := newManager(t, Config{CallTimeout: 500 * time.Millisecond, MemoryLimit: 8 << 20})
	if _, err := m.Deploy(ctx, "c", chaosc(t)); err != nil {
		t.Fatal(err)
	}
	for fn, want := range map[string]string{
		"spin": "timeout: the call ran past its deadline of 500ms",
		"hog":  "memory: the instance reached the memory limit of 8 MiB",
		"trap": "trap: ",
		"fail": "chaosc: failure requested",
	} {
		_, err := m.CallText(ctx, "c", fn, "[]")
		if err == nil || !strings.HasPrefix(CallErrorText(err), want) {
			t.Errorf("%s: %v, want %q", fn, err, want)
		}
	}
	if _, err := m.CallText(ctx, "c", "nope", "[]"); !errors.Is(err, errNoFunction) {
		t.Fatal(err)
	}
	if _, err := m.CallText(ctx, "c", "echo", "{}"); err == nil || !strings.Contains(err.Error(), "JSON array") {
		t.Fatal(err)
	}
	snap := m.Snapshot()
	if s := snap.Services[0]; s.Calls != 4 || s.Errors != 4 || s.ErrorsByKind[wasm.KindTimeout] != 1 || len(s.Functions) == 0 || s.Size == 0 {
		t.Fatalf("snapshot %+v", s)
	}
	call(t, m, "c", "print", "[2]")
	logs, err := m.Logs("c")
	if err != nil || len(logs) < 3 {
		t.Fatalf("logs %v, %v", logs, err)
	}
}

func TestWatcher(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.wasm")
	good := chaosc(t)
	if err := os.WriteFile(path, good, 0o644); err != nil {
		t.Fatal(err)
	}
	changes := make(chan FileChange, 10)
	invalid := make(chan error, 10)
	w := &Watcher{Path: path, Interval: 10 * time.Millisecond, Hash: hashOfBytes(good),
		Changed: func(c FileChange) { changes <- c }, Invalid: func(_ string, err error) { invalid <- err }}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	expect := func(want []byte) {
		t.Helper()
		select {
		case c := <-changes:
			if string(c.Data) != string(want) || c.Hash != hashOfBytes(want) || c.Detected.IsZero() {
				t.Fatalf("change of %d bytes, want %d", len(c.Data), len(want))
			}
		case err := <-invalid:
			t.Fatalf("invalid: %v", err)
		case <-time.After(5 * time.Second):
			t.Fatal("no change reported")
		}
	}

	// Written in steps, slower than the interval: one change, for the whole file.
	v1 := variant(good, 1)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(v1); i += len(v1) / 3 {
		_, _ = f.Write(v1[i:min(i+len(v1)/3, len(v1))])
		time.Sleep(5 * time.Millisecond)
	}
	f.Close()
	expect(v1)

	// A half-written file that stays so is reported invalid once.
	if err := os.WriteFile(path, v1[:len(v1)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-invalid:
		if !strings.Contains(err.Error(), "invalid module") {
			t.Fatal(err)
		}
	case c := <-changes:
		t.Fatalf("a half-written file was reported as a change (%d bytes)", len(c.Data))
	case <-time.After(5 * time.Second):
		t.Fatal("no invalid report")
	}

	// Same size and modification time as before: found by the periodic hash.
	v2 := variant(good, 2)
	if err := os.WriteFile(path, v2, 0o644); err != nil {
		t.Fatal(err)
	}
	expect(v2)
	st, _ := os.Stat(path)
	v3 := variant(good, 3)
	if err := os.WriteFile(path, v3, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
	expect(v3)

	// Removed and written again (an editor's rename).
	_ = os.Remove(path)
	time.Sleep(30 * time.Millisecond)
	if err := os.WriteFile(path+".tmp", good, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(path+".tmp", path); err != nil {
		t.Fatal(err)
	}
	expect(good)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	select {
	case c := <-changes:
		t.Fatalf("extra change of %d bytes", len(c.Data))
	default:
	}
}

func hashOfBytes(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
