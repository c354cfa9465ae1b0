package peer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/reefhq/reef/internal/perf"
	"github.com/reefhq/reef/peer/services"
)

// variantOf returns b with a custom section appended: the same module under another
// hash, which no cache has seen.
func variantOf(b []byte, tag string) []byte {
	name := "reef-bench"
	payload := append([]byte{byte(len(name))}, name+tag...)
	out := append(slices.Clone(b), 0, byte(len(payload)))
	return append(out, payload...)
}

// warmCache compiles b into cacheDir (see compileInto).
func warmCache(b testing.TB, cacheDir string, module []byte) {
	b.Helper()
	if err := compileInto(cacheDir, module); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkServiceCallParticle: one particle from a client through its relay (node 0)
// to node 1, one call there, and back through the relay to the client: a builtin
// (op.concat_strings), the Go guest's greet and the C guest's echo. The difference is
// what a Wasm service call adds to a network round trip.
func BenchmarkServiceCallParticle(b *testing.B) {
	kvgo, _, chaosc := loadGuests(b)
	dn := startDevnet(b, 2, WithWasmCacheDir(wasmTestCache(b)))
	n1 := dn.Nodes[1]
	ctx := context.Background()
	for alias, m := range map[string][]byte{"kv": kvgo, "c": chaosc} {
		if _, err := n1.Services().Deploy(ctx, alias, m); err != nil {
			b.Fatal(err)
		}
	}
	client := startClient(b, dn.Addr(0))
	for _, bc := range []struct{ name, call, want string }{
		{"builtin", `("op" "concat_strings") ["Hello, " "reef" "!"]`, `"Hello, reef!"`},
		{"wasm-go", `("kv" "greet") ["reef"]`, `"Hello, reef!"`},
		{"wasm-c", `("c" "echo") ["reef"]`, `["reef"]`},
	} {
		script := `(xor (seq (seq (seq (call %init_peer_id% ("getDataSrv" "-relay-") [] -relay-)` +
			` (call -relay- ("op" "noop") [])) (seq (call "` + n1.ID() + `" ` + bc.call + ` r) (call -relay- ("op" "noop") [])))` +
			` (call %init_peer_id% ("callbackSrv" "response") [r]))` +
			` (call %init_peer_id% ("errorHandlingSrv" "error") [:error: 0]))`
		b.Run(bc.name, func(b *testing.B) {
			var lat []time.Duration
			for b.Loop() {
				start := time.Now()
				res, err := client.CallFunction(ctx, script, nil, 10*time.Second)
				if err != nil || res.ErrorObject != nil || res.Value.String() != bc.want {
					b.Fatalf("%v %v %v", res.Value, res.ErrorObject, err)
				}
				lat = append(lat, time.Since(start))
			}
			b.ReportMetric(float64(perf.Percentile(lat, 0.5).Microseconds()), "p50-µs")
			b.ReportMetric(float64(perf.Percentile(lat, 0.99).Microseconds()), "p99-µs")
		})
	}
}

// BenchmarkDeploy: deploying the 3.4 MB Go guest. "api" is Services().Deploy on the
// node (the console's path); "particle" is DeployModule from a client through its relay
// (reef deploy's path: base64 upload, two particles). "cold": bytes no cache has seen;
// "cached": bytes compiled before into the node's cache directory (a new binary that
// was built and compiled once, or a restart). Every iteration deploys new bytes.
func BenchmarkDeploy(b *testing.B) {
	kvgo, _, _ := loadGuests(b)
	ctx := context.Background()
	for _, path := range []string{"api", "particle"} {
		for _, cached := range []bool{false, true} {
			name := path + "/cold"
			if cached {
				name = path + "/cached"
			}
			b.Run(name, func(b *testing.B) {
				cache := b.TempDir()
				dn := startDevnet(b, 1, WithWasmCacheDir(cache))
				client := startClient(b, dn.Addr(0))
				i := 0
				for b.Loop() {
					b.StopTimer()
					i++
					m := variantOf(kvgo, fmt.Sprintf("%s-%d-%d", name, i, time.Now().UnixNano()))
					if cached {
						warmCache(b, cache, m)
					}
					b.StartTimer()
					var err error
					if path == "api" {
						_, err = dn.Nodes[0].Services().Deploy(ctx, "kv", m)
					} else {
						_, err = client.DeployModule(ctx, m, "kv", time.Minute)
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkHotRedeploy: reef deploy --watch's loop, from the moment the module file is
// replaced to the moment a call by the alias answers from the new version. A Watcher
// (100 ms polls) sees the change, waits one poll for the file to be stable and calls
// DeployModule through the relay; the new service's first call creates its first
// instance. Versions alternate between kvgo and kvgo-v2, so each answer says which
// version served it.
//
//   - known: the two binaries alternate unchanged (both already on the node);
//   - cached: each change is a new binary whose compiled code is in the cache;
//   - cold: each change is a new binary no cache has seen (compiled on the node).
func BenchmarkHotRedeploy(b *testing.B) {
	kvgo, kvgoV2, _ := loadGuests(b)
	ctx := context.Background()
	for _, mode := range []string{"known", "cached", "cold"} {
		b.Run(mode, func(b *testing.B) {
			cache := b.TempDir()
			dn := startDevnet(b, 1, WithWasmCacheDir(cache))
			node := dn.Nodes[0]
			client := startClient(b, dn.Addr(0))
			file := filepath.Join(b.TempDir(), "kv.wasm")
			if err := os.WriteFile(file, kvgo, 0o644); err != nil {
				b.Fatal(err)
			}
			d, err := client.DeployModule(ctx, kvgo, "kv", time.Minute)
			if err != nil {
				b.Fatal(err)
			}
			if mode == "known" {
				warmCache(b, cache, kvgoV2)
				if _, err := client.DeployModule(ctx, kvgoV2, "kv", time.Minute); err != nil {
					b.Fatal(err)
				}
				if d, err = client.DeployModule(ctx, kvgo, "kv", time.Minute); err != nil {
					b.Fatal(err)
				}
			}
			deployed := make(chan error, 1)
			w := &services.Watcher{Path: file, Hash: d.Module, Changed: func(c services.FileChange) {
				_, err := client.DeployModule(ctx, c.Data, "kv", time.Minute)
				deployed <- err
			}}
			wctx, cancel := context.WithCancel(ctx)
			defer cancel()
			go func() { _ = w.Run(wctx) }()
			time.Sleep(3 * services.DefaultWatchInterval) // past the watcher's first poll
			var lat []time.Duration
			i := 0
			for b.Loop() {
				b.StopTimer()
				i++
				m, want := kvgo, `"1"`
				if i%2 == 1 {
					m, want = kvgoV2, `"2"`
				}
				if mode != "known" {
					m = variantOf(m, fmt.Sprintf("%s-%d-%d", mode, i, time.Now().UnixNano()))
				}
				if mode == "cached" {
					warmCache(b, cache, m)
				}
				tmp := file + ".tmp"
				if err := os.WriteFile(tmp, m, 0o644); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				start := time.Now()
				if err := os.Rename(tmp, file); err != nil {
					b.Fatal(err)
				}
				got := false // the deploy's result arrived
				for {
					v, err := node.Services().Call(ctx, "kv", "version", nil)
					if err != nil {
						b.Fatal(err)
					}
					if v.String() == want {
						break
					}
					select {
					case err := <-deployed:
						if err != nil {
							b.Fatal(err)
						}
						got = true
					case <-time.After(time.Millisecond):
					}
				}
				lat = append(lat, time.Since(start))
				b.StopTimer()
				if !got {
					if err := <-deployed; err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
			}
			b.StopTimer()
			b.ReportMetric(float64(perf.Percentile(lat, 0.5).Milliseconds()), "p50-ms")
			b.ReportMetric(float64(slices.Max(lat).Milliseconds()), "max-ms")
		})
	}
}
