package peer

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	lpeer "github.com/libp2p/go-libp2p/core/peer"

	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/peer/p2p"
)

// chaosScript walks a client's particle through its relay, then through every peer of
// "path" in order (each appends its own id to $trail), back to the relay and to the
// client, which receives the trail.
const chaosScript = `
(xor
 (seq
  (seq
   (seq
    (call %init_peer_id% ("getDataSrv" "-relay-") [] -relay-)
    (call %init_peer_id% ("getDataSrv" "path") [] path)
   )
   (seq
    (seq
     (call -relay- ("op" "noop") [])
     (fold path p
      (seq
       (call p ("op" "identity") [p] $trail)
       (next p)
      )
     )
    )
    (canon -relay- $trail #trail)
   )
  )
  (call %init_peer_id% ("callbackSrv" "response") [#trail])
 )
 (call %init_peer_id% ("errorHandlingSrv" "error") [:error: 0])
)`

// chaosNet is a devnet whose nodes can be stopped and started again with the same
// identity on the same address.
type chaosNet struct {
	t     *testing.T
	dn    *Devnet
	ids   []p2p.Identity
	addrs []string // listen multiaddrs (no /p2p/)
	boot  string

	mu   sync.Mutex
	down [][]interval // per node, when it was down
}

type interval struct{ from, to time.Time }

func newChaosNet(t *testing.T, n int) *chaosNet {
	dn := startDevnet(t, n)
	c := &chaosNet{t: t, dn: dn, boot: dn.Addr(0), down: make([][]interval, n)}
	for _, node := range dn.Nodes {
		id, err := p2p.IdentityFromKey(node.Key())
		if err != nil {
			t.Fatal(err)
		}
		c.ids = append(c.ids, id)
		full := node.Net().Addrs()[0].String()
		c.addrs = append(c.addrs, full[:strings.Index(full, "/p2p/")])
	}
	return c
}

func (c *chaosNet) node(i int) *Node {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.dn.Nodes[i]
}

// kill stops node i: its particles in flight are lost, its connections drop.
func (c *chaosNet) kill(i int) {
	c.mu.Lock()
	c.down[i] = append(c.down[i], interval{from: time.Now()})
	n := c.dn.Nodes[i]
	c.mu.Unlock()
	if err := n.Close(); err != nil {
		c.t.Logf("closing node %d: %v", i, err)
	}
}

// restart starts node i again with its identity and address, and marks it up once it
// is connected to every node that is up (and they to it).
func (c *chaosNet) restart(i int, up []int) {
	t := c.t
	var n *Node
	var err error
	for attempt := 0; attempt < 50; attempt++ { // the port may linger for a moment
		n, err = New(WithIdentity(c.ids[i]), WithOpenDeploy(), WithWasmCacheDir(DefaultWasmCacheDir()), WithLogger(testLogger(t)),
			WithP2P(p2p.WithListen(c.addrs[i]), p2p.WithBootstrap(c.boot), p2p.WithMDNS(false), p2p.WithDevnetLimits()))
		if err == nil {
			if err = n.Start(context.Background()); err == nil {
				break
			}
			n.Close()
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("restarting node %d: %v", i, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// Up means joined: connected with every node that is up, both ways (its routing
	// table fills from the bootstrap node in the background).
	if err := n.Net().WaitForPeers(ctx, 1); err != nil {
		t.Fatalf("restarted node %d did not join: %v", i, err)
	}
	connect := func(from *Node, to lpeer.ID) error {
		var err error
		for ctx.Err() == nil {
			if err = from.Net().Connect(ctx, to); err == nil {
				return nil
			}
			time.Sleep(50 * time.Millisecond)
		}
		return err
	}
	for _, j := range up {
		if j == i {
			continue
		}
		if err := connect(n, c.ids[j].PeerID); err != nil {
			t.Fatalf("restarted node %d cannot reach node %d: %v", i, j, err)
		}
		if err := connect(c.node(j), c.ids[i].PeerID); err != nil {
			t.Fatalf("node %d cannot reach restarted node %d: %v", j, i, err)
		}
	}
	c.mu.Lock()
	c.dn.Nodes[i] = n
	c.down[i][len(c.down[i])-1].to = time.Now()
	c.mu.Unlock()
}

// downDuring returns the nodes of path that were down at some moment of [from, to].
func (c *chaosNet) downDuring(path []int, from, to time.Time) []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []int
	for _, i := range path {
		for _, d := range c.down[i] {
			end := d.to
			if end.IsZero() {
				end = time.Now()
			}
			if !d.from.After(to) && !end.Before(from) {
				out = append(out, i)
				break
			}
		}
	}
	return out
}

// chaosCall is one function of the traffic and its outcome.
type chaosCall struct {
	path       []int
	start, end time.Time
	value      string
	err        error
}

// chaosTraffic runs functions from clients until stopped.
type chaosTraffic struct {
	net     *chaosNet
	clients []*Node
	ttl     time.Duration
	stop    chan struct{}
	wg      sync.WaitGroup
	mu      sync.Mutex
	calls   []chaosCall
	seq     atomic.Uint64
}

func (c *chaosNet) startTraffic(clients []*Node, workers int, ttl time.Duration) *chaosTraffic {
	tr := &chaosTraffic{net: c, clients: clients, ttl: ttl, stop: make(chan struct{})}
	n := len(c.ids)
	for ci, cl := range clients {
		for w := range workers {
			rng := rand.New(rand.NewPCG(uint64(ci), uint64(w)+tr.seq.Add(1)<<32))
			tr.wg.Go(func() {
				for {
					select {
					case <-tr.stop:
						return
					default:
					}
					path := make([]int, 1+rng.IntN(3))
					for k := range path {
						path[k] = rng.IntN(n)
					}
					var ids []jsonv.Value
					for _, i := range path {
						ids = append(ids, jsonv.StringValue(c.ids[i].PeerID.String()))
					}
					call := chaosCall{path: path, start: time.Now()}
					ctx, cancel := context.WithTimeout(context.Background(), ttl+10*time.Second)
					res, err := cl.CallFunction(ctx, chaosScript, map[string]jsonv.Value{"path": jsonv.ArrayValue(ids...)}, ttl, WithTracing())
					cancel()
					call.end, call.err = time.Now(), err
					if err == nil {
						if res.ErrorObject != nil {
							call.err = fmt.Errorf("error object %s", res.ErrorObject)
						} else {
							call.value = res.Value.String()
						}
					}
					tr.mu.Lock()
					tr.calls = append(tr.calls, call)
					tr.mu.Unlock()
				}
			})
		}
	}
	return tr
}

// finish stops the traffic and returns its calls.
func (tr *chaosTraffic) finish() []chaosCall {
	close(tr.stop)
	tr.wg.Wait()
	return tr.calls
}

// chaosReport checks every call of a traffic run: a call whose path was up throughout
// completed with the right trail; any other completed or timed out with a diagnosis
// naming a peer of its path that was down.
type chaosReport struct {
	sent, completed int
	// unaffected: the whole path was up throughout; affected: a peer of the path
	// was down at some moment of the function's life.
	unaffected, affected int
	affectedCompleted    int
	timedOut, explained  int
	took                 time.Duration // mean duration of the completed
	slowest              time.Duration // the longest a completed one took
}

func (c *chaosNet) check(t *testing.T, calls []chaosCall) chaosReport {
	t.Helper()
	var r chaosReport
	failures := 0
	fail := func(format string, args ...any) {
		if failures++; failures <= 10 {
			t.Errorf(format, args...)
		}
	}
	for _, call := range calls {
		r.sent++
		var want []string
		for _, i := range call.path {
			want = append(want, `"`+c.ids[i].PeerID.String()+`"`)
		}
		wantValue := "[" + strings.Join(want, ",") + "]"
		down := c.downDuring(call.path, call.start, call.end)
		if call.err == nil {
			r.completed++
			r.took += (call.end.Sub(call.start) - r.took) / time.Duration(r.completed)
			r.slowest = max(r.slowest, call.end.Sub(call.start))
			if call.value != wantValue {
				fail("path %v: value %s, want %s", call.path, call.value, wantValue)
			}
		}
		if len(down) == 0 {
			r.unaffected++
			if call.err != nil {
				fail("path %v was up throughout, but: %v", call.path, call.err)
			}
			continue
		}
		r.affected++
		if call.err == nil {
			r.affectedCompleted++
			continue
		}
		var te *TimeoutError
		if !errors.As(call.err, &te) {
			fail("path %v (down: %v): %v, want a *TimeoutError", call.path, down, call.err)
			continue
		}
		r.timedOut++
		msg := te.Error()
		named := false
		for _, i := range down {
			if strings.Contains(msg, c.ids[i].PeerID.String()) {
				named = true
			}
		}
		if !named || len(te.Silent) == 0 {
			fail("path %v (down: %v): the timeout does not name a peer that was down:\n%s", call.path, down, msg)
			continue
		}
		r.explained++
	}
	return r
}

// settled returns the goroutines and the live heap after garbage collection.
func settled() (int, uint64) {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return runtime.NumGoroutine(), ms.HeapAlloc
}

// drained waits until no node holds a particle (their TTLs have ended).
func (c *chaosNet) drained(t *testing.T, extra []*Node, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		held := 0
		for i := range c.ids {
			held += c.node(i).Stats().InFlight
		}
		for _, n := range extra {
			held += n.Stats().InFlight
		}
		if held == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d particles still held %s after the traffic stopped", held, limit)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestChaos: a 20-node devnet runs continuous traffic (clients sending particles
// through stable relays along random paths of 1-3 peers, traced) while 6 nodes (30 %)
// are stopped and started again with the same identity and address, in overlapping
// waves. Every function whose path was up throughout completes with the right value;
// every other one completes or times out with a diagnosis that names a peer that was
// down. After the churn, once the particles' TTLs have ended, the goroutines and the
// live heap are back to their level before it. With -short: 10 nodes, 3 restarted.
func TestChaos(t *testing.T) {
	nodes, churn, step := 20, []int{14, 15, 16, 17, 18, 19}, 2*time.Second
	if testing.Short() {
		nodes, churn, step = 10, []int{7, 8, 9}, 1500*time.Millisecond
	}
	const ttl = 6 * time.Second
	began := time.Now()
	c := newChaosNet(t, nodes)
	var clients []*Node
	for i := range 4 {
		clients = append(clients, startClient(t, c.dn.Addr(i)))
	}
	t.Logf("%d-node devnet and %d clients up in %s", nodes, len(clients), time.Since(began).Round(time.Millisecond))

	// Warm-up: every path is up; this also opens the connections the traffic uses.
	tr := c.startTraffic(clients, 3, ttl)
	time.Sleep(3 * time.Second)
	warm := c.check(t, tr.finish())
	if t.Failed() || warm.completed == 0 {
		t.Fatalf("warm-up: %+v", warm)
	}
	c.drained(t, clients, ttl+5*time.Second)
	g0, h0 := settled()
	t.Logf("warm-up: %d functions completed (mean %s, slowest %s); baseline %d goroutines, heap %.1f MiB", warm.completed, warm.took.Round(time.Millisecond), warm.slowest.Round(time.Millisecond), g0, float64(h0)/(1<<20))

	// Churn in overlapping waves, then a stretch with everyone up again.
	alive := map[int]bool{}
	for i := range nodes {
		alive[i] = true
	}
	upNodes := func() []int {
		var out []int
		for i := range nodes {
			if alive[i] {
				out = append(out, i)
			}
		}
		return out
	}
	kill := func(is ...int) {
		for _, i := range is {
			alive[i] = false
			c.kill(i)
		}
	}
	restart := func(is ...int) {
		for _, i := range is {
			c.restart(i, upNodes())
			alive[i] = true
		}
	}
	tr = c.startTraffic(clients, 3, ttl)
	time.Sleep(step / 2)
	half := len(churn) / 2
	chaosStart := time.Now()
	if len(churn) >= 6 {
		a, b, d := churn[:2], churn[2:4], churn[4:6]
		kill(a...)
		time.Sleep(step)
		kill(b...)
		time.Sleep(step)
		restart(a...)
		kill(d...)
		time.Sleep(step)
		restart(b...)
		time.Sleep(step)
		restart(d...)
	} else {
		kill(churn[:half]...)
		time.Sleep(step)
		kill(churn[half:]...)
		time.Sleep(step)
		restart(churn[:half]...)
		time.Sleep(step)
		restart(churn[half:]...)
	}
	churnTook := time.Since(chaosStart)
	time.Sleep(step + step/2) // everyone up again
	calls := tr.finish()
	r := c.check(t, calls)
	t.Logf("churn of %d nodes over %s: %d functions sent, %d completed (mean %s, slowest %s); %d with their whole path up (all completed), %d touched a node while it was down: %d completed anyway, %d timed out, %d of them explained naming the down peer",
		len(churn), churnTook.Round(time.Millisecond), r.sent, r.completed, r.took.Round(time.Millisecond), r.slowest.Round(time.Millisecond),
		r.unaffected, r.affected, r.affectedCompleted, r.timedOut, r.explained)
	for _, call := range calls {
		var te *TimeoutError
		if errors.As(call.err, &te) {
			t.Logf("an explained timeout, for example:\n%v", te)
			break
		}
	}
	if r.affected == 0 || r.unaffected == 0 {
		t.Errorf("the traffic did not exercise both cases: %+v", r)
	}

	// Back to the baseline once the TTLs have ended.
	c.drained(t, clients, ttl+10*time.Second)
	var g1 int
	var h1 uint64
	deadline := time.Now().Add(30 * time.Second)
	for {
		g1, h1 = settled()
		gOK := g1 <= g0+g0/10+50
		hOK := h1 <= h0+h0/4+16<<20
		if gOK && hOK {
			break
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("after the churn: %d goroutines (baseline %d), heap %.1f MiB (baseline %.1f MiB)\n%s",
				g1, g0, float64(h1)/(1<<20), float64(h0)/(1<<20), buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(500 * time.Millisecond)
	}
	t.Logf("after the churn: %d goroutines (baseline %d), heap %.1f MiB (baseline %.1f MiB); whole test %s",
		g1, g0, float64(h1)/(1<<20), float64(h0)/(1<<20), time.Since(began).Round(time.Millisecond))
}

// silentPeers names the peers a particle was sent to that never reported a run from
// that sender, with the sender; arrivals balance sends per pair.
func TestSilentPeers(t *testing.T) {
	hops := []Hop{
		{Peer: "", NextPeers: []string{"relay"}}, // a local hop of the client "me"
		{Peer: "relay", From: "me", NextPeers: []string{"a"}, Source: HopReported},
		{Peer: "a", From: "relay", NextPeers: []string{"b"}, Source: HopReported},
		{Peer: "b", From: "a", NextPeers: []string{"a"}, Source: HopReported},
		{Peer: "a", From: "b", NextPeers: []string{"c", "relay"}, Source: HopReported},
		{Peer: "relay", From: "a", NextPeers: []string{"me"}, Source: HopReported},
	}
	if got := silentPeers(hops, "me"); !slices.Equal(got, []string{"c (sent by a)"}) {
		t.Fatalf("silent = %q", got)
	}
	if got := silentPeers(hops[:3], "me"); !slices.Equal(got, []string{"b (sent by a)"}) {
		t.Fatalf("silent = %q", got)
	}
}
