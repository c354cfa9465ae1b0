package tui

import (
	"context"
	"embed"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/peer/p2p"
	"github.com/reefhq/reef/views"
)

// The demo's scripts: compiled Aqua from the conformance corpus (testdata/conformance,
// copied here so the binary carries them; a test checks the copies are identical).
//
//go:embed demoscripts/*.air
var demoFS embed.FS

// DemoBanner is the banner of reef demo.
const DemoBanner = "REEF DEMO │ tab/click focus · enter open trace · r replay hop · p ping · f DHT lookup · t theme · z zoom · ? help · q quit"

// scenario is one kind of sample traffic.
type scenario struct {
	name string
	file string
	// minPeers is how many peers the script indexes.
	minPeers int
	ttl      time.Duration
	args     func(peers []string, fake string) map[string]jsonv.Value
	// weight is how often it runs relative to the others.
	weight int
}

func peersArg(peers []string) jsonv.Value {
	vs := make([]jsonv.Value, len(peers))
	for i, p := range peers {
		vs[i] = jsonv.StringValue(p)
	}
	return jsonv.ArrayValue(vs...)
}

func intsArg(n int) jsonv.Value {
	vs := make([]jsonv.Value, n)
	for i := range vs {
		vs[i] = jsonv.UintValue(uint64(i + 1))
	}
	return jsonv.ArrayValue(vs...)
}

var scenarios = []scenario{
	{name: "fan-out (for … par, join)", file: "par_for_fanout.air", minPeers: 5, ttl: 20 * time.Second, weight: 3,
		args: func(p []string, _ string) map[string]jsonv.Value { return map[string]jsonv.Value{"peers": peersArg(p)} }},
	{name: "fan-out sum", file: "par_for_fanout_sum.air", minPeers: 5, ttl: 20 * time.Second, weight: 2,
		args: func(p []string, _ string) map[string]jsonv.Value {
			return map[string]jsonv.Value{"peers": peersArg(p), "xs": intsArg(5)}
		}},
	{name: "hop chain 3", file: "hop_chain_3.air", minPeers: 5, ttl: 20 * time.Second, weight: 2,
		args: func(p []string, _ string) map[string]jsonv.Value { return map[string]jsonv.Value{"peers": peersArg(p)} }},
	{name: "hop chain 4", file: "hop_chain_4.air", minPeers: 5, ttl: 20 * time.Second, weight: 2,
		args: func(p []string, _ string) map[string]jsonv.Value { return map[string]jsonv.Value{"peers": peersArg(p)} }},
	{name: "hop chain 5", file: "hop_chain_5.air", minPeers: 5, ttl: 20 * time.Second, weight: 2,
		args: func(p []string, _ string) map[string]jsonv.Value { return map[string]jsonv.Value{"peers": peersArg(p)} }},
	{name: "remote error caught (xor)", file: "xor_remote_catch.air", minPeers: 4, ttl: 20 * time.Second, weight: 2,
		args: func(p []string, _ string) map[string]jsonv.Value { return map[string]jsonv.Value{"peers": peersArg(p)} }},
	{name: "long fold (50 iterations)", file: "fold_long_50.air", minPeers: 0, ttl: 20 * time.Second, weight: 1,
		args: func([]string, string) map[string]jsonv.Value { return map[string]jsonv.Value{"xs": intsArg(50)} }},
	// A hop through a peer that is not on the network: the node looks it up in the
	// DHT (the topology pane shows the lookup), cannot reach it, and the particle
	// expires (the trace pane explains why).
	{name: "unreachable peer (timeout)", file: "hop_chain_3.air", minPeers: 5, ttl: 6 * time.Second, weight: 1,
		args: func(p []string, fake string) map[string]jsonv.Value {
			q := append([]string(nil), p...)
			q[1] = fake
			return map[string]jsonv.Value{"peers": peersArg(q)}
		}},
}

// TrafficOptions configure the demo's traffic.
type TrafficOptions struct {
	// Interval between two script starts (default 700 ms).
	Interval time.Duration
	// MaxInFlight bounds the scripts running at once (default 8); a start is skipped
	// while the bound is reached.
	MaxInFlight int
	// LookupEvery is how often a DHT lookup of a random key runs (default 7 s; < 0:
	// never).
	LookupEvery time.Duration
	Seed        uint64
}

// Traffic keeps running sample scripts through a ScriptRunner so every pane has
// something to show.
type Traffic struct {
	runner views.ScriptRunner
	probe  views.PeerProbe
	peers  func() []string
	log    *slog.Logger
	opts   TrafficOptions
	fake   string
	rng    *rand.Rand

	inFlight  atomic.Int32
	started   atomic.Uint64
	succeeded atomic.Uint64
	failed    atomic.Uint64
	wg        sync.WaitGroup
	cancel    context.CancelFunc
}

// StartTraffic starts the generator; Stop ends it. peers returns the peers scripts may
// visit (at least five for most scenarios; the others are skipped with fewer).
func StartTraffic(runner views.ScriptRunner, probe views.PeerProbe, peers func() []string, log *slog.Logger, o TrafficOptions) (*Traffic, error) {
	if o.Interval <= 0 {
		o.Interval = 700 * time.Millisecond
	}
	if o.MaxInFlight <= 0 {
		o.MaxInFlight = 8
	}
	if o.LookupEvery == 0 {
		o.LookupEvery = 7 * time.Second
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	fake, err := p2p.GenerateIdentity()
	if err != nil {
		return nil, err
	}
	t := &Traffic{runner: runner, probe: probe, peers: peers, log: log, opts: o, fake: fake.PeerID.String(),
		rng: rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))}
	for _, sc := range scenarios {
		if _, err := demoFS.ReadFile("demoscripts/" + sc.file); err != nil {
			return nil, fmt.Errorf("demo script %s: %w", sc.file, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.cancel = cancel
	t.wg.Add(1)
	go t.loop(ctx)
	return t, nil
}

// Stop ends the generator and waits for its scripts.
func (t *Traffic) Stop() {
	t.cancel()
	t.wg.Wait()
}

// Stats returns how many scripts were started, succeeded and failed.
func (t *Traffic) Stats() (started, succeeded, failed uint64) {
	return t.started.Load(), t.succeeded.Load(), t.failed.Load()
}

func (t *Traffic) loop(ctx context.Context) {
	defer t.wg.Done()
	tick := time.NewTicker(t.opts.Interval)
	defer tick.Stop()
	var lookups <-chan time.Time
	if t.opts.LookupEvery > 0 && t.probe != nil {
		lt := time.NewTicker(t.opts.LookupEvery)
		defer lt.Stop()
		lookups = lt.C
	}
	total := 0
	for _, sc := range scenarios {
		total += sc.weight
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-lookups:
			key := make([]byte, 32)
			for i := range key {
				key[i] = byte(t.rng.UintN(256))
			}
			t.wg.Add(1)
			go func() {
				defer t.wg.Done()
				lctx, cancel := context.WithTimeout(ctx, 10*time.Second)
				defer cancel()
				if _, err := t.probe.ClosestPeers(lctx, key); err != nil {
					t.log.Debug("demo lookup", "error", err)
				}
			}()
		case <-tick.C:
			if int(t.inFlight.Load()) >= t.opts.MaxInFlight {
				continue
			}
			n := t.rng.IntN(total)
			sc := scenarios[0]
			for _, s := range scenarios {
				if n < s.weight {
					sc = s
					break
				}
				n -= s.weight
			}
			peers := t.peers()
			if len(peers) < sc.minPeers {
				continue
			}
			t.rng.Shuffle(len(peers), func(i, j int) { peers[i], peers[j] = peers[j], peers[i] })
			t.run(ctx, sc, peers)
		}
	}
}

func (t *Traffic) run(ctx context.Context, sc scenario, peers []string) {
	script, _ := demoFS.ReadFile("demoscripts/" + sc.file)
	t.inFlight.Add(1)
	id, res, err := t.runner.RunScript(ctx, string(script), sc.args(peers, t.fake), sc.ttl)
	if err != nil {
		t.inFlight.Add(-1)
		if ctx.Err() == nil {
			t.log.Warn("demo script did not start", "scenario", sc.name, "error", err)
		}
		return
	}
	t.started.Add(1)
	t.log.Info("demo script started", "scenario", sc.name, "particle", id)
	t.wg.Add(1)
	go func() {
		defer t.wg.Done()
		defer t.inFlight.Add(-1)
		r, ok := <-res
		if !ok {
			return
		}
		if r.Error != "" {
			t.failed.Add(1)
			t.log.Info("demo script failed", "scenario", sc.name, "particle", id, "error", r.Error, "took", r.Duration.Round(time.Millisecond))
			return
		}
		t.succeeded.Add(1)
		t.log.Info("demo script finished", "scenario", sc.name, "particle", id, "result", r.Value.String(), "took", r.Duration.Round(time.Millisecond))
	}()
}
