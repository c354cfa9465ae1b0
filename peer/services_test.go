package peer

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/peer/events"
	"github.com/reefhq/reef/peer/p2p"
	"github.com/reefhq/reef/peer/services"
	"github.com/reefhq/reef/wasm"
)

// The guests of package wasm (wasm/testdata/guests): kvgo (Go, 3.4 MB), the same guest
// built with version() returning "2", and chaosc (C, misbehaves on request).
var guests struct {
	once                 sync.Once
	kvgo, kvgoV2, chaosc []byte
	err                  error
}

// loadGuests reads the guests and, once per test binary, compiles them into the test
// cache: with an empty cache (a fresh CI machine) the Go guest takes over 30 s to
// compile under -race, longer than the particles' TTLs in the tests.
func loadGuests(t testing.TB) (kvgo, kvgoV2, chaosc []byte) {
	t.Helper()
	guests.once.Do(func() {
		read := func(p string) []byte {
			b, err := os.ReadFile(filepath.Join("../wasm/testdata/guests", p))
			if err != nil && guests.err == nil {
				guests.err = err
			}
			return b
		}
		guests.kvgo, guests.kvgoV2, guests.chaosc = read("kvgo/kvgo.wasm"), read("kvgo/kvgo-v2.wasm"), read("chaosc/chaosc.wasm")
		if guests.err == nil {
			guests.err = compileInto(wasmTestCache(t), guests.kvgo, guests.kvgoV2, guests.chaosc)
		}
	})
	if guests.err != nil {
		t.Fatal(guests.err)
	}
	return guests.kvgo, guests.kvgoV2, guests.chaosc
}

// wasmTestCache is the compilation cache shared with package wasm's tests: it persists
// across runs (compiling the Go guest takes seconds, half a minute under -race).
func wasmTestCache(t testing.TB) string {
	t.Helper()
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	dir := filepath.Join(base, "reef", "wasm-test-cache")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	return dir
}

// compileInto compiles modules with a runtime of its own on cacheDir, so that later
// compiles of them there (by nodes) are cache hits.
func compileInto(cacheDir string, modules ...[]byte) error {
	ctx := context.Background()
	rt, err := wasm.New(ctx, wasm.WithCacheDir(cacheDir))
	if err != nil {
		return err
	}
	defer rt.Close(ctx)
	for _, b := range modules {
		if _, err := rt.Compile(ctx, b); err != nil {
			return err
		}
	}
	return nil
}

func hashOf(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// wasiCommand is a minimal WASI command: it exports _start and imports nothing.
var wasiCommand = []byte("\x00asm\x01\x00\x00\x00" +
	"\x01\x04\x01\x60\x00\x00" + // type section: () -> ()
	"\x03\x02\x01\x00" + // function section: one function of type 0
	"\x07\x0a\x01\x06_start\x00\x00" + // export section: _start = function 0
	"\x0a\x04\x01\x02\x00\x0b") // code section: an empty body

// airClient runs hand-written AIR through a client: body runs on a target peer reached
// through the relay (as Aqua's "on TARGET via RELAY"), must set res, and may use T (the
// target), R (the relay) and getDataSrv arguments fetched into variables of their names.
type airClient struct {
	t      testing.TB
	c      *Node
	relay  string
	target string
}

// in returns a copy reporting to t (for subtests).
func (a airClient) in(t testing.TB) airClient { a.t = t; return a }

func (a airClient) run(body string, args map[string]jsonv.Value) (jsonv.Value, error) {
	a.t.Helper()
	fetch := `(call %init_peer_id% ("getDataSrv" "-relay-") [] -relay-)`
	for name := range args {
		fetch = `(seq ` + fetch + ` (call %init_peer_id% ("getDataSrv" "` + name + `") [] ` + name + `))`
	}
	script := `(xor (seq (seq ` + fetch + ` (seq (call -relay- ("op" "noop") []) (seq ` + body +
		` (call -relay- ("op" "noop") [])))) (call %init_peer_id% ("callbackSrv" "response") [res]))` +
		` (seq (call -relay- ("op" "noop") []) (call %init_peer_id% ("errorHandlingSrv" "error") [:error: 0])))`
	script = strings.ReplaceAll(script, " T ", ` "`+a.target+`" `)
	script = strings.ReplaceAll(script, "(call T ", `(call "`+a.target+`" `)
	script = strings.ReplaceAll(script, " R ", ` "`+a.relay+`" `)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	res, err := a.c.CallFunction(ctx, script, args, 30*time.Second)
	if err != nil {
		return jsonv.Value{}, err
	}
	if res.ErrorObject != nil {
		m, _ := res.ErrorObject.Field("message")
		s, _ := m.Str()
		return jsonv.Value{}, errors.New(s)
	}
	return res.Value, nil
}

func (a airClient) must(body string, args map[string]jsonv.Value) jsonv.Value {
	a.t.Helper()
	v, err := a.run(body, args)
	if err != nil {
		a.t.Fatalf("%s\n-> %v", body, err)
	}
	return v
}

// mustFail runs body and checks that it fails with a message containing every want.
func (a airClient) mustFail(body string, args map[string]jsonv.Value, want ...string) string {
	a.t.Helper()
	v, err := a.run(body, args)
	if err == nil {
		a.t.Fatalf("%s\n-> %s, want an error", body, v)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			a.t.Fatalf("%s\n-> error %q, want it to contain %q", body, err, w)
		}
	}
	return err.Error()
}

func str(v jsonv.Value, path ...any) string {
	for _, p := range path {
		switch p := p.(type) {
		case string:
			v, _ = v.Field(p)
		case int:
			v, _ = v.Index(p)
		}
	}
	if s, ok := v.Str(); ok {
		return s
	}
	return v.String()
}

func b64(b []byte) jsonv.Value { return jsonv.StringValue(base64.StdEncoding.EncodeToString(b)) }

// deployBody adds module (a getDataSrv argument) on T as NAME, makes a blueprint and a
// service of it, aliases it as NAME and returns [service id, module hash, blueprint id].
const deployBody = `(seq (seq (seq (seq (seq (seq
 (call T ("dist" "default_module_config") ["NAME"] cfg)
 (call T ("dist" "add_module") [module cfg] hash))
 (call T ("op" "array") [hash] deps))
 (call T ("dist" "make_blueprint") ["NAME" deps] bp))
 (call T ("dist" "add_blueprint") [bp] bpid))
 (call T ("srv" "create") [bpid] sid))
 (seq (call T ("srv" "add_alias") ["NAME" sid]) (call T ("op" "array") [sid hash bpid] res)))`

// Deploy on node 1 of a 3-node devnet through a client of node 0, call the service by
// id and by alias, and check every dist.* and srv.* builtin's result shape.
func TestServicesAcrossDevnet(t *testing.T) {
	kvgo, _, _ := loadGuests(t)
	dn := startDevnet(t, 3, WithWasmCacheDir(wasmTestCache(t)))
	n1 := dn.Nodes[1]
	sub := n1.Events().Subscribe(256)
	defer sub.Close()
	client := startClient(t, dn.Addr(0))
	on1 := airClient{t, client, dn.Nodes[0].ID(), n1.ID()}
	on2 := airClient{t, client, dn.Nodes[0].ID(), dn.Nodes[2].ID()}

	out := on1.must(strings.ReplaceAll(deployBody, "NAME", "kv"), map[string]jsonv.Value{"module": b64(kvgo)})
	sid, hash, bpid := str(out, 0), str(out, 1), str(out, 2)
	if hash != hashOf(kvgo) {
		t.Fatalf("dist.add_module returned %s, want the sha256 %s", hash, hashOf(kvgo))
	}
	if bpid != services.BlueprintID("kv", []string{hash}) {
		t.Fatalf("blueprint id %s", bpid)
	}
	ev := waitEvent(t, sub, 5*time.Second, func(e events.ServiceDeployed) bool { return e.Alias == "kv" })
	if ev.ID != sid || ev.Module != hash || ev.Redeploy {
		t.Fatalf("ServiceDeployed = %+v", ev)
	}

	t.Run("call by id and by alias", func(t *testing.T) {
		on1, on2 := on1.in(t), on2.in(t)
		v := on1.must(`(seq (seq (call T ("`+sid+`" "greet") ["id"] a) (call T ("kv" "add") [2 40] b)) (call T ("op" "array") [a b] res))`, nil)
		if v.String() != `["Hello, id!",42]` {
			t.Fatalf("got %s", v)
		}
		on2.mustFail(`(call T ("kv" "greet") ["x"] res)`, nil, "No service found for service call: serviceId='kv', fnName='greet'")
		on1.mustFail(`(call T ("kv" "nosuch") ["x"] res)`, nil, "No service found for service call: serviceId='kv', fnName='nosuch'")
	})

	t.Run("list, info and interfaces", func(t *testing.T) {
		on1 := on1.in(t)
		want := fmt.Sprintf(`{"aliases":["kv"],"blueprint_id":%q,"id":%q,"owner_id":%q,"service_type":"service","worker_id":%q}`,
			bpid, sid, client.ID(), n1.ID())
		if v := on1.must(`(call T ("srv" "list") [] res)`, nil); v.String() != "["+want+"]" {
			t.Fatalf("srv.list = %s\nwant [%s]", v, want)
		}
		if v := on1.must(`(call T ("srv" "info") ["kv"] res)`, nil); v.String() != want {
			t.Fatalf("srv.info = %s", v)
		}
		iface := on1.must(`(call T ("srv" "get_interface") ["`+sid+`"] res)`, nil)
		fns, _ := iface.Field("function_signatures")
		rts, _ := iface.Field("record_types")
		if fns.Len() < 10 || rts.String() != "[]" {
			t.Fatalf("get_interface = %s", iface)
		}
		if f := str(iface, "function_signatures", 0); f != `{"arguments":[],"name":"add","output_types":["json"]}` {
			t.Fatalf("first signature %s", f)
		}
		if v := on1.must(`(call T ("dist" "get_module_interface") ["`+hash+`"] res)`, nil); v.String() != iface.String() {
			t.Fatalf("get_module_interface = %s", v)
		}
		mods := on1.must(`(call T ("dist" "list_modules") [] res)`, nil)
		if mods.Len() != 1 || str(mods, 0, "hash") != hash || str(mods, 0, "name") != "kv" ||
			str(mods, 0, "config") != `{"logger_enabled":[],"logging_mask":[],"max_heap_size":[],"mem_pages_count":[],"name":"kv","wasi":[]}` ||
			str(mods, 0, "interface") != iface.String() {
			t.Fatalf("list_modules = %s", mods)
		}
		wantBP := fmt.Sprintf(`{"dependencies":[%q],"id":%q,"name":"kv"}`, hash, bpid)
		if v := on1.must(`(call T ("dist" "list_blueprints") [] res)`, nil); v.String() != "["+wantBP+"]" {
			t.Fatalf("list_blueprints = %s", v)
		}
		if v := on1.must(`(call T ("dist" "get_blueprint") ["`+bpid+`"] res)`, nil); v.String() != wantBP {
			t.Fatalf("get_blueprint = %s", v)
		}
		if v := on1.must(`(seq (call T ("op" "array") ["h1"] d) (call T ("dist" "make_blueprint") ["x" d] res))`, nil); str(v) != `{"dependencies":[{"/":"h1"}],"name":"x"}` {
			t.Fatalf("make_blueprint = %s", v)
		}
		on1.mustFail(`(seq (call T ("op" "array") [hash hash] d) (seq (call T ("dist" "make_blueprint") ["two" d] bp) (call T ("dist" "add_blueprint") [bp] res)))`,
			map[string]jsonv.Value{"hash": jsonv.StringValue(hash)}, "dist.add_blueprint: the blueprint has 2 modules", "multi-module blueprints")
		on1.mustFail(`(call T ("dist" "get_blueprint") ["nope"] res)`, nil, "blueprint nope is not on this node")
		on1.mustFail(`(call T ("srv" "info") ["nope"] res)`, nil, `no service with id or alias 'nope'`)
	})

	t.Run("aliases", func(t *testing.T) {
		on1 := on1.in(t)
		sid2 := str(on1.must(`(call T ("srv" "create") ["`+bpid+`"] res)`, nil))
		// Re-aliasing moves the alias.
		on1.must(`(seq (call T ("srv" "add_alias") ["kv" "`+sid2+`"]) (call T ("srv" "resolve_alias") ["kv"] res))`, nil)
		if v := on1.must(`(call T ("srv" "resolve_alias_opt") ["kv"] res)`, nil); v.String() != `["`+sid2+`"]` {
			t.Fatalf("resolve_alias_opt = %s", v)
		}
		if v := on1.must(`(call T ("srv" "info") ["`+sid+`"] res)`, nil); str(v, "aliases") != "[]" {
			t.Fatalf("the old service kept the alias: %s", v)
		}
		ev := waitEvent(t, sub, 5*time.Second, func(e events.ServiceDeployed) bool { return e.ID == sid2 })
		if !ev.Redeploy || ev.Previous != sid {
			t.Fatalf("ServiceDeployed = %+v", ev)
		}
		if v := on1.must(`(call T ("srv" "resolve_alias_opt") ["missing"] res)`, nil); v.String() != "[]" {
			t.Fatalf("resolve_alias_opt of a missing alias = %s", v)
		}
		on1.mustFail(`(call T ("srv" "resolve_alias") ["missing"] res)`, nil, `srv.resolve_alias: alias 'missing' does not exist`)
		on1.mustFail(`(seq (call T ("srv" "add_alias") ["`+sid+`" "`+sid2+`"]) (ap 1 res))`, nil, "an alias may not equal a service id")
		on1.mustFail(`(seq (call T ("srv" "add_alias") ["op" "`+sid2+`"]) (ap 1 res))`, nil, `'op' is reserved`)
		on1.mustFail(`(seq (call T ("srv" "add_alias") ["callbackSrv" "`+sid2+`"]) (ap 1 res))`, nil, `'callbackSrv' is reserved`)
		on1.mustFail(`(seq (call T ("srv" "add_alias") ["a b" "`+sid2+`"]) (ap 1 res))`, nil, "spaces")
		on1.mustFail(`(seq (call T ("srv" "add_alias") ["x" "nope"]) (ap 1 res))`, nil, `no service with id or alias 'nope'`)
		// A second alias, then remove by alias: both aliases go.
		on1.must(`(seq (call T ("srv" "add_alias") ["kv2" "`+sid2+`"]) (seq (call T ("srv" "remove") ["kv"]) (call T ("srv" "list") [] res)))`, nil)
		on1.mustFail(`(call T ("kv2" "greet") ["x"] res)`, nil, "No service found")
		if v := on1.must(`(call T ("srv" "list") [] res)`, nil); v.Len() != 1 || str(v, 0, "id") != sid {
			t.Fatalf("srv.list after remove = %s", v)
		}
		rm := waitEvent(t, sub, 5*time.Second, func(e events.ServiceRemoved) bool { return e.ID == sid2 })
		if strings.Join(rm.Aliases, ",") != "kv,kv2" {
			t.Fatalf("ServiceRemoved = %+v", rm)
		}
		// The first service is still callable by id.
		if v := on1.must(`(call T ("`+sid+`" "greet") ["again"] res)`, nil); str(v) != "Hello, again!" {
			t.Fatalf("got %s", v)
		}
	})

	t.Run("status section", func(t *testing.T) {
		srv := httptest.NewServer(n1.APIHandler())
		defer srv.Close()
		resp, err := srv.Client().Get(srv.URL + "/status")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		var st struct {
			Services services.StatusSection `json:"services"`
		}
		if err := json.Unmarshal(body, &st); err != nil {
			t.Fatal(err)
		}
		if st.Services.Count != 1 || st.Services.Services[0].ID != sid || st.Services.Services[0].Calls < 2 || st.Services.DeployRule != "open" {
			t.Fatalf("status services = %+v", st.Services)
		}
	})
}

// startNode starts a standalone node on loopback with a data directory.
func startNode(t testing.TB, dir string, opts ...Option) *Node {
	t.Helper()
	n, err := New(append([]Option{
		WithDataDir(dir), WithLogger(testLogger(t)), WithWasmCacheDir(wasmTestCache(t)),
		WithP2P(p2p.WithListen("/ip4/127.0.0.1/tcp/0"), p2p.WithMDNS(false), p2p.WithDevnetLimits()),
	}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

func addrOf(n *Node) string { return n.Net().Addrs()[0].String() }

// A node with a data directory keeps its modules and services: restarted, it serves the
// same services under the same ids and aliases.
func TestServicesRestart(t *testing.T) {
	kvgo, _, chaosc := loadGuests(t)
	dir := t.TempDir()
	ident, err := p2p.GenerateIdentity()
	if err != nil {
		t.Fatal(err)
	}
	n := startNode(t, dir, WithAllowDeploy(ident.PeerID.String()))
	client := startClient(t, addrOf(n), WithIdentity(ident))
	ctx := context.Background()
	d, err := client.DeployModule(ctx, kvgo, "kv", 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if d.Alias != "kv" || d.Module != hashOf(kvgo) || len(d.Replaced) != 0 {
		t.Fatalf("deployed %+v", d)
	}
	owned, err := n.Services().Deploy(ctx, "chaos", chaosc)
	if err != nil {
		t.Fatal(err)
	}
	on := airClient{t, client, n.ID(), n.ID()}
	on.must(`(seq (call T ("srv" "add_alias") ["kv-too" "`+d.ServiceID+`"]) (call T ("kv" "greet") ["before"] res))`, nil)
	before := n.Services().ListServices()
	id := n.ID()
	client.Close()
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}

	raw, err := os.ReadFile(filepath.Join(dir, "services", services.StateFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"version": 1`, d.ServiceID, owned.ServiceID, `"kv-too"`, `"owner_id": "` + ident.PeerID.String()} {
		if !strings.Contains(string(raw), want) {
			t.Fatalf("state file lacks %s:\n%s", want, raw)
		}
	}
	for _, h := range []string{hashOf(kvgo), hashOf(chaosc)} {
		if _, err := os.Stat(filepath.Join(dir, "services", services.ModulesDir, h+".wasm")); err != nil {
			t.Fatal(err)
		}
	}

	n2 := startNode(t, dir)
	if n2.ID() != id {
		t.Fatalf("restarted node has id %s, want %s", n2.ID(), id)
	}
	after := n2.Services().ListServices()
	if fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("services after restart:\n%v\nbefore:\n%v", after, before)
	}
	client2 := startClient(t, addrOf(n2))
	on2 := airClient{t, client2, n2.ID(), n2.ID()}
	v := on2.must(`(seq (seq (seq (call T ("kv" "greet") ["after"] a) (call T ("kv-too" "add") [1 2] b)) (call T ("`+owned.ServiceID+`" "echo") ["c"] c)) (call T ("op" "array") [a b c] res))`, nil)
	if v.String() != `["Hello, after!",3,["c"]]` {
		t.Fatalf("calls after restart: %s", v)
	}
	// The restarted node was started without --allow-deploy: the client's deploys are
	// refused now (and anyone may still call).
	on2.mustFail(`(seq (call T ("srv" "remove") ["kv"]) (ap 1 res))`, nil, "may not deploy on this node")
}

// Only the node itself and --allow-deploy peers may deploy; everyone may call.
func TestServicesDeployPermissions(t *testing.T) {
	kvgo, _, chaosc := loadGuests(t)
	n := startNode(t, t.TempDir())
	ctx := context.Background()
	if _, err := n.Services().Deploy(ctx, "kv", kvgo); err != nil { // the node's owner
		t.Fatal(err)
	}
	client := startClient(t, addrOf(n))
	me := client.ID()
	_, err := client.DeployModule(ctx, chaosc, "chaos", 30*time.Second)
	var de *DeployError
	want := "dist.add_module: peer " + me + " may not deploy on this node: start it with --allow-deploy " + me
	if !errors.As(err, &de) || !de.Refused() || !strings.Contains(de.Message, want) {
		t.Fatalf("deploy by a stranger: %v, want %q", err, want)
	}
	on := airClient{t, client, n.ID(), n.ID()}
	sid := str(on.must(`(call T ("srv" "resolve_alias") ["kv"] res)`, nil))
	bp := n.Services().ListBlueprints()[0].ID
	for _, body := range []string{
		`(call T ("srv" "create") ["` + bp + `"] res)`,
		`(seq (call T ("srv" "add_alias") ["mine" "kv"]) (ap 1 res))`,
		`(seq (call T ("srv" "remove") ["kv"]) (ap 1 res))`,
		`(seq (call T ("dist" "make_blueprint") ["x" []] b) (call T ("dist" "add_blueprint") [b] res))`,
	} {
		on.mustFail(body, nil, "peer "+me+" may not deploy on this node: start it with --allow-deploy "+me)
	}
	if v := on.must(`(call T ("`+sid+`" "greet") ["stranger"] res)`, nil); str(v) != "Hello, stranger!" {
		t.Fatalf("call by a stranger: %s", v)
	}

	// Restarted with --allow-deploy, the same client may deploy, and change its own
	// services, but not the owner's.
	dir := t.TempDir()
	ident, _ := p2p.GenerateIdentity()
	n2 := startNode(t, dir, WithAllowDeploy(ident.PeerID.String()))
	if _, err := n2.Services().Deploy(ctx, "owners", chaosc); err != nil {
		t.Fatal(err)
	}
	allowed := startClient(t, addrOf(n2), WithIdentity(ident))
	d, err := allowed.DeployModule(ctx, chaosc, "chaos", 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	on2 := airClient{t, allowed, n2.ID(), n2.ID()}
	if v := on2.must(`(call T ("chaos" "echo") ["hi"] res)`, nil); v.String() != `["hi"]` {
		t.Fatalf("echo = %s", v)
	}
	on2.mustFail(`(seq (call T ("srv" "remove") ["owners"]) (ap 1 res))`, nil, "may not change service", "it belongs to "+n2.ID())
	on2.mustFail(`(seq (call T ("srv" "add_alias") ["owners" "`+d.ServiceID+`"]) (ap 1 res))`, nil, "may not change service")
	on2.must(`(seq (call T ("srv" "remove") ["chaos"]) (ap 1 res))`, nil)
	if st := n2.Services().Status(); st.DeployRule != "owner and 1 allowed peer(s)" || st.Count != 1 {
		t.Fatalf("status %+v", st)
	}
}

// Every limit of a call gives its clear error (catchable by xor) and the node keeps
// serving; bad modules are refused at dist.add_module with the reason.
func TestServicesLimits(t *testing.T) {
	kvgo, _, chaosc := loadGuests(t)
	dn := startDevnet(t, 2, WithWasmCacheDir(wasmTestCache(t)),
		WithWasmCallTimeout(300*time.Millisecond), WithWasmMemoryLimit(16<<20))
	n0 := dn.Nodes[0]
	ctx := context.Background()
	for alias, b := range map[string][]byte{"kv": kvgo, "chaos": chaosc} {
		if _, err := n0.Services().Deploy(ctx, alias, b); err != nil {
			t.Fatal(err)
		}
	}
	client := startClient(t, dn.Addr(0))
	on := airClient{t, client, n0.ID(), n0.ID()}
	alive := func(on airClient) {
		on.t.Helper()
		if v := on.must(`(call T ("kv" "greet") ["still here"] res)`, nil); str(v) != "Hello, still here!" {
			on.t.Fatalf("after the failure: %s", v)
		}
	}
	for _, tt := range []struct{ call, want string }{
		{`("chaos" "spin") []`, "chaos.spin: timeout: the call ran past its deadline of 300ms"},
		{`("chaos" "hog") []`, "chaos.hog: memory: the instance reached the memory limit of 16 MiB"},
		{`("chaos" "trap") []`, "chaos.trap: trap: "},
		{`("chaos" "fail") []`, "chaos.fail: chaosc: failure requested"},
		{`("kv" "fail") ["boom"]`, "kv.fail: kvgo: boom"},
		{`("kv" "panic") []`, "kv.panic: trap: "},
		{`("kv" "nosuch") []`, "No service found for service call: serviceId='kv', fnName='nosuch'"},
		{`("nosuch" "greet") []`, "No service found for service call: serviceId='nosuch', fnName='greet'"},
	} {
		t.Run(tt.call, func(t *testing.T) {
			on := on.in(t)
			on.mustFail(`(call T `+tt.call+` res)`, nil, tt.want)
			alive(on)
		})
	}
	t.Run("xor catches a failed call", func(t *testing.T) {
		on := on.in(t)
		v := on.must(`(xor (call T ("chaos" "trap") [] x) (seq (ap :error:.$.message m) (call T ("op" "array") [m] res)))`, nil)
		if !strings.Contains(str(v, 0), "chaos.trap: trap:") {
			t.Fatalf("caught %s", v)
		}
	})
	t.Run("bad modules", func(t *testing.T) {
		on := on.in(t)
		add := `(seq (call T ("dist" "default_module_config") ["bad"] cfg) (call T ("dist" "add_module") [module cfg] res))`
		for _, tt := range []struct {
			module jsonv.Value
			want   string
		}{
			{jsonv.StringValue("%%%"), "dist.add_module: the module is not valid base64"},
			{b64([]byte("hello, this is not wasm")), "dist.add_module: wasm: invalid module: not a WebAssembly binary"},
			{b64(kvgo[:len(kvgo)/2]), "dist.add_module: wasm: invalid module: section"},
			{b64(wasiCommand), "dist.add_module: wasm: module refused (wasi-command): this is a WASI command"},
		} {
			on.mustFail(add, map[string]jsonv.Value{"module": tt.module}, tt.want)
		}
		on.mustFail(`(call T ("dist" "add_module") ["AGFzbQEAAAA=" "cfg"] res)`, nil, "argument 2 (config) must be a ModuleConfig")
		alive(on)
		if mods := n0.Services().ListModules(); len(mods) != 2 {
			t.Fatalf("modules %v", mods)
		}
	})
	snap := n0.Services().Snapshot()
	for _, s := range snap.Services {
		if s.Aliases[0] == "chaos" && (s.Errors < 4 || s.ErrorsByKind["timeout"] != 1 || s.ErrorsByKind["memory"] != 1) {
			t.Fatalf("chaos stats %+v", s)
		}
	}
}

// Hot redeploy under load: callers hammer the alias (through particles and directly)
// while the alias is redeployed v1 → v2 → v1 → ... → v2 through the deploy particles and
// the node's API. No
// call fails; every call returns "1" or "2", and calls started after the last deploy
// returned get "2".
func TestServicesHotRedeploy(t *testing.T) {
	kvgo, kvgoV2, _ := loadGuests(t)
	dn := startDevnet(t, 2, WithWasmCacheDir(wasmTestCache(t)))
	n0 := dn.Nodes[0]
	deployer := startClient(t, dn.Addr(0))
	caller := startClient(t, dn.Addr(0))
	ctx := context.Background()
	first, err := deployer.DeployModule(ctx, kvgo, "kv", 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}

	var lastDeploy atomic.Int64 // unix nanos when the final deploy returned; 0 before
	var calls, particles, v1, v2, late atomic.Int64
	stop := make(chan struct{})
	errs := make(chan error, 100)
	check := func(started time.Time, v jsonv.Value, err error) {
		calls.Add(1)
		switch {
		case err != nil:
			errs <- err
		case v.String() == `"1"`:
			v1.Add(1)
			if ld := lastDeploy.Load(); ld != 0 && started.UnixNano() > ld {
				errs <- fmt.Errorf("a call started %s after the last deploy returned got version 1", started.Sub(time.Unix(0, ld)))
			}
		case v.String() == `"2"`:
			v2.Add(1)
			if ld := lastDeploy.Load(); ld != 0 && started.UnixNano() > ld {
				late.Add(1)
			}
		default:
			errs <- fmt.Errorf("version() = %s", v)
		}
	}
	var wg sync.WaitGroup
	for range 4 { // direct calls on the node, as the console makes them
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				case <-time.After(200 * time.Microsecond):
				}
				start := time.Now()
				v, err := n0.Services().Call(ctx, "kv", "version", nil)
				check(start, v, err)
			}
		})
	}
	script := `(xor (seq (seq (call %init_peer_id% ("getDataSrv" "-relay-") [] -relay-) (call -relay- ("kv" "version") [] r)) (call %init_peer_id% ("callbackSrv" "response") [r])) (call %init_peer_id% ("errorHandlingSrv" "error") [:error: 0]))`
	for range 4 { // calls through particles
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				start := time.Now()
				res, err := caller.CallFunction(ctx, script, nil, 20*time.Second)
				if err == nil && res.ErrorObject != nil {
					err = fmt.Errorf("particle call failed: %s", res.ErrorObject)
				}
				var v jsonv.Value
				if res != nil {
					v = res.Value
				}
				check(start, v, err)
				particles.Add(1)
			}
		})
	}
	prev := first.ServiceID
	// Through the deploy particles (as reef deploy) and the node's API (as the console).
	versions := []struct {
		module   []byte
		particle bool
	}{{kvgoV2, true}, {kvgo, false}, {kvgoV2, false}, {kvgo, true}, {kvgoV2, false}}
	for i, v := range versions {
		time.Sleep(100 * time.Millisecond)
		start := time.Now()
		var d services.Deployed
		var err error
		if v.particle {
			d, err = deployer.DeployModule(ctx, v.module, "kv", 30*time.Second)
		} else {
			d, err = n0.Services().Deploy(ctx, "kv", v.module)
		}
		if err != nil {
			t.Fatalf("redeploy %d: %v", i, err)
		}
		t.Logf("redeploy %d (particles: %v) took %s", i, v.particle, time.Since(start).Round(time.Millisecond))
		if len(d.Replaced) != 1 || d.Replaced[0] != prev {
			t.Fatalf("redeploy %d replaced %v, want [%s]", i, d.Replaced, prev)
		}
		prev = d.ServiceID
	}
	lastDeploy.Store(time.Now().UnixNano())
	time.Sleep(300 * time.Millisecond)
	close(stop)
	wg.Wait()
	close(errs)
	n := 0
	for err := range errs {
		if n++; n <= 10 {
			t.Error(err)
		}
	}
	t.Logf("%d calls (%d through particles): %d answered by v1, %d by v2 (%d after the last deploy)",
		calls.Load(), particles.Load(), v1.Load(), v2.Load(), late.Load())
	if v1.Load() == 0 || late.Load() == 0 {
		t.Fatal("the callers did not see both versions, or none called after the last deploy")
	}
	// The replaced services are gone, their modules stay in the store.
	snap := n0.Services().Snapshot()
	if len(snap.Services) != 1 || snap.Services[0].ID != prev || len(snap.Modules) != 2 {
		t.Fatalf("snapshot after the redeploys: %+v", snap)
	}
}
