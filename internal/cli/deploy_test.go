package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reefhq/reef/peer"
	"github.com/reefhq/reef/peer/p2p"
	"github.com/reefhq/reef/wasm"
)

const (
	kvgoPath   = "../../wasm/testdata/guests/kvgo/kvgo.wasm"
	kvgoV2Path = "../../wasm/testdata/guests/kvgo/kvgo-v2.wasm"
)

var warmOnce sync.Once

// wasmTestCache is the compilation cache shared with the wasm and peer tests. The
// guests are compiled into it once per test binary: with an empty cache (a fresh CI
// machine) the Go guest takes over 30 s to compile under -race, past the node's call
// timeout.
func wasmTestCache(t *testing.T) string {
	t.Helper()
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	dir := filepath.Join(base, "reef", "wasm-test-cache")
	warmOnce.Do(func() {
		ctx := context.Background()
		rt, err := wasm.New(ctx, wasm.WithCacheDir(dir))
		if err != nil {
			t.Fatal(err)
		}
		defer rt.Close(ctx)
		for _, p := range []string{kvgoPath, kvgoV2Path} {
			b, err := os.ReadFile(p)
			if err == nil {
				_, err = rt.Compile(ctx, b)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	})
	return dir
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader on different goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestDeployBadInput(t *testing.T) {
	notWasm := writeTemp(t, "m.wasm", "not wasm")
	keys := t.TempDir()
	relay := "/ip4/127.0.0.1/tcp/1/p2p/12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo"
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"deploy", "--name", "kv", kvgoPath}, "--relay is required"},
		{[]string{"deploy", "--relay", relay, kvgoPath}, "--name is required"},
		{[]string{"deploy", "--relay", relay, "--name", "a b", kvgoPath}, "spaces"},
		{[]string{"deploy", "--relay", relay, "--name", "callbackSrv", kvgoPath}, "reserved"},
		{[]string{"deploy", "--relay", relay, "--name", "kv", "--key-dir", keys, "/nonexistent.wasm"}, "no such file"},
		{[]string{"deploy", "--relay", relay, "--name", "kv", "--key-dir", keys, notWasm}, "not a WebAssembly binary"},
		{[]string{"deploy", "--relay", "not-a-multiaddr", "--name", "kv", "--key-dir", keys, kvgoPath}, "relay address"},
		{[]string{"deploy", "--relay", relay, "--name", "kv"}, "accepts 1 arg"},
		{[]string{"node", "--allow-deploy", "nope"}, `--allow-deploy "nope" is not a peer id`},
		{[]string{"node", "--wasm-memory-mib", "0"}, "--wasm-memory-mib 0"},
		{[]string{"devnet", "--wasm-call-timeout", "0s"}, "--wasm-call-timeout must be positive"},
	} {
		code, out, errOut := run(t, "", tt.args...)
		if code != ExitBadInput || out != "" || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", tt.args, code, out, errOut, tt.want)
		}
	}
}

func startTestNode(t *testing.T, opts ...peer.Option) *peer.Node {
	t.Helper()
	n, err := peer.New(append([]peer.Option{
		peer.WithDataDir(t.TempDir()), peer.WithWasmCacheDir(wasmTestCache(t)),
		peer.WithP2P(p2p.WithListen("/ip4/127.0.0.1/tcp/0"), p2p.WithMDNS(false), p2p.WithDevnetLimits()),
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

func TestDeployRefusedAndAllowed(t *testing.T) {
	keys := t.TempDir()
	ident, err := p2p.LoadOrCreateIdentity(keys)
	if err != nil {
		t.Fatal(err)
	}
	me := ident.PeerID.String()

	n := startTestNode(t)
	relay := n.Net().Addrs()[0].String()
	code, out, errOut := run(t, "", "deploy", "--relay", relay, "--name", "kv", "--key-dir", keys, kvgoPath)
	if code != ExitFailure || out != "" || !strings.Contains(errOut, "deploy refused: dist.add_module: peer "+me+" may not deploy on this node: start it with --allow-deploy "+me) {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}

	n2 := startTestNode(t, peer.WithAllowDeploy(me))
	relay2 := n2.Net().Addrs()[0].String()
	code, out, errOut = run(t, "", "deploy", "--relay", relay2, "--name", "kv", "--key-dir", keys, kvgoPath)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var line map[string]any
	if err := json.Unmarshal([]byte(out), &line); err != nil || line["alias"] != "kv" || line["service_id"] == "" || len(line) != 3 {
		t.Fatalf("stdout %q (%v)", out, err)
	}
	if r, ok := n2.Services().Resolve("kv"); !ok || r.ID != line["service_id"] || r.Owner != me || r.Module != line["module"] {
		t.Fatalf("service %+v", r)
	}
	// A module the node does not run is bad input.
	wasi := writeTemp(t, "cmd.wasm", "\x00asm\x01\x00\x00\x00\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00\x07\x0a\x01\x06_start\x00\x00\x0a\x04\x01\x02\x00\x0b")
	code, _, errOut = run(t, "", "deploy", "--relay", relay2, "--name", "cmd", "--key-dir", keys, wasi)
	if code != ExitBadInput || !strings.Contains(errOut, "the node refused the module: dist.add_module: wasm: module refused (wasi-command)") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

func TestDeployWatch(t *testing.T) {
	dn, err := peer.StartDevnet(context.Background(), 1, peer.WithWasmCacheDir(wasmTestCache(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer dn.Close()
	file := filepath.Join(t.TempDir(), "kv.wasm")
	v1, _ := os.ReadFile(kvgoPath)
	v2, _ := os.ReadFile(kvgoV2Path)
	if err := os.WriteFile(file, v1, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- executeWithInput(ctx, BuildInfo{}, []string{"deploy", "--relay", dn.Addr(0), "--name", "kv",
			"--key-dir", t.TempDir(), "--watch", "--poll", "20ms", file}, strings.NewReader(""), &out, &errOut)
	}()
	lines := func(n int) []map[string]any {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		for time.Now().Before(deadline) {
			var ls []map[string]any
			for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
				var m map[string]any
				if json.Unmarshal([]byte(l), &m) == nil {
					ls = append(ls, m)
				}
			}
			if len(ls) >= n {
				return ls
			}
			select {
			case code := <-done:
				t.Fatalf("deploy exited with %d: %s", code, errOut.String())
			case <-time.After(20 * time.Millisecond):
			}
		}
		t.Fatalf("no %d lines: stdout %q, stderr %q", n, out.String(), errOut.String())
		return nil
	}
	first := lines(1)[0]
	if first["time"] == nil || first["redeploy"] != nil {
		t.Fatalf("first line %v", first)
	}
	version := func() string {
		v, err := dn.Nodes[0].Services().CallText(ctx, "kv", "version", "[]")
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := version(); v != `"1"` {
		t.Fatalf("version %s", v)
	}
	if err := os.WriteFile(file, v2, 0o644); err != nil {
		t.Fatal(err)
	}
	second := lines(2)[1]
	if second["redeploy"] != true || second["replaced"].([]any)[0] != first["service_id"] || second["module"] == first["module"] {
		t.Fatalf("second line %v after %v", second, first)
	}
	if v := version(); v != `"2"` {
		t.Fatalf("version after the redeploy %s", v)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("deploy --watch did not stop")
	}
	if snap := dn.Nodes[0].Services().Snapshot(); len(snap.Services) != 1 {
		t.Fatalf("services %+v", snap.Services)
	}
}
