package tui

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/internal/logbuf"
	"github.com/reefhq/reef/internal/uitest"
	"github.com/reefhq/reef/peer"
	"github.com/reefhq/reef/peer/events"
	"github.com/reefhq/reef/peer/p2p"
	"github.com/reefhq/reef/peer/recorder"
)

// The demo's embedded scripts are the conformance corpus's, byte for byte.
func TestDemoScriptsMatchCorpus(t *testing.T) {
	entries, err := demoFS.ReadDir("demoscripts")
	if err != nil || len(entries) == 0 {
		t.Fatalf("demo scripts: %v", err)
	}
	for _, e := range entries {
		got, _ := demoFS.ReadFile("demoscripts/" + e.Name())
		want, err := os.ReadFile(filepath.Join("..", "testdata", "conformance", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from testdata/conformance", e.Name())
		}
	}
	for _, sc := range scenarios {
		if _, err := demoFS.ReadFile("demoscripts/" + sc.file); err != nil {
			t.Errorf("scenario %s: %v", sc.name, err)
		}
	}
}

// startTestBackend starts a devnet of n peers and a node joined to it, with a recorder
// on all of them, as the console does.
func startTestBackend(t *testing.T, n int, demo *TrafficOptions) (*Backend, *recorder.Recorder, *logbuf.Ring) {
	t.Helper()
	ring := logbuf.NewRing(5000)
	log := slog.New(logbuf.NewHandler(slog.LevelInfo, nil, ring))
	rec := recorder.New(recorder.WithMaxParticles(1000))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	b, err := StartBackend(ctx, Config{DataDir: t.TempDir(), Devnet: n, Demo: demo}, log, rec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := b.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return b, rec, ring
}

func TestRunnerReturnsParticleIDAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a devnet; skipped with -short")
	}
	b, rec, _ := startTestBackend(t, 4, nil)
	script, _ := demoFS.ReadFile("demoscripts/hop_chain_3.air")
	peers := b.peers()
	ctx := context.Background()
	id, res, err := b.Runner.RunScript(ctx, string(script), map[string]jsonv.Value{"peers": peersArg(peers)}, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	r := <-res
	if r.Error != "" || r.TimedOut {
		t.Fatalf("result %+v", r)
	}
	if want := `["at-` + peers[3]; !strings.HasPrefix(r.Value.String(), want) {
		t.Fatalf("value %s", r.Value)
	}
	tr, ok := rec.Trace(id)
	if !ok || tr.InitPeerID != b.Node.ID() || len(tr.Hops) < 4 {
		t.Fatalf("the recorder's trace of %s: %+v %v", id, tr, ok)
	}
	// Hops ran on the devnet peers too: traces cover every peer of the process.
	seen := map[string]bool{}
	for _, h := range tr.Hops {
		seen[h.Peer] = true
	}
	for _, p := range []string{peers[3], peers[1], peers[4]} {
		if !seen[p] {
			t.Errorf("no hop on %s", p)
		}
	}
	// Concurrent runs get their own ids.
	type out struct {
		id  string
		err error
	}
	ch := make(chan out, 6)
	for range 6 {
		go func() {
			id, res, err := b.Runner.RunScript(ctx, string(script), map[string]jsonv.Value{"peers": peersArg(peers)}, 10*time.Second)
			if err == nil {
				<-res
			}
			ch <- out{id, err}
		}()
	}
	ids := map[string]bool{id: true}
	for range 6 {
		o := <-ch
		if o.err != nil || ids[o.id] {
			t.Fatalf("run: %q %v (ids %v)", o.id, o.err, ids)
		}
		ids[o.id] = true
	}
	// A script that times out reports it with a diagnosis.
	fake, _ := p2p.GenerateIdentity()
	q := append([]string(nil), peers...)
	q[1] = fake.PeerID.String()
	_, res, err = b.Runner.RunScript(ctx, string(script), map[string]jsonv.Value{"peers": peersArg(q)}, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if r := <-res; !r.TimedOut || !strings.Contains(r.Diagnosis, "expired") {
		t.Fatalf("timeout result %+v", r)
	}
	// A script the interpreter rejects still gets a particle (it is the network's
	// answer that fails), and its result says so.
	if _, _, err := b.Runner.RunScript(ctx, "(seq", nil, 0); err == nil {
		t.Fatal("a run without a TTL started")
	}
	_, res, err = b.Runner.RunScript(ctx, "(seq", nil, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if r := <-res; r.Error == "" {
		t.Fatalf("an unparsable script succeeded: %+v", r)
	}
}

func TestDemoTraffic(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a devnet; skipped with -short")
	}
	b, rec, ring := startTestBackend(t, 6, &TrafficOptions{Interval: 50 * time.Millisecond, LookupEvery: 200 * time.Millisecond, Seed: 1})
	deadline := time.Now().Add(20 * time.Second)
	for {
		started, ok, _ := b.Traffic.Stats()
		if started >= 25 && ok >= 15 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("traffic: %d started, %d succeeded", started, ok)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if rec.Len() < 15 {
		t.Fatalf("the recorder saw %d particles", rec.Len())
	}
	recs, _ := ring.Since(0, 0)
	var finished bool
	for _, r := range recs {
		if r.Msg == "demo script finished" && r.Particle != "" {
			finished = true
		}
		if r.Msg == "demo script did not start" {
			t.Errorf("a demo script did not start: %+v", r)
		}
	}
	if !finished {
		t.Fatal("no demo script finished in the logs")
	}
}

// The bridge drains events up to its bound per batch (the rest wait), counts the
// broker's drops, takes new log records once, and polls the node when the routing table
// changes.
func TestBridgeBatches(t *testing.T) {
	broker := events.NewBroker[events.Event]()
	ring := logbuf.NewRing(100)
	node := &fakeNode{}
	br := NewBridge(&Live{Node: node, Events: []*events.Broker[events.Event]{broker}, Rate: func() float64 { return 2.5 }},
		ring, nil, BridgeOptions{Buffer: 8, MaxEvents: 5, PollEvery: 3})
	defer br.Close()
	for i := range 12 { // 8 fit in the buffer, 4 are dropped
		broker.Publish(events.LookupEvent{Base: events.Base{Time: uitest.Now.Add(time.Duration(i))}, LookupID: uint64(i)})
	}
	ring.Add(logbuf.Record{Msg: "a"})
	b1 := br.Collect(uitest.Now, Request{})
	if len(b1.Events) != 5 || b1.Dropped != 4 || len(b1.Logs) != 1 || b1.Status == nil || b1.Rate != 2.5 {
		t.Fatalf("batch 1: %d events, %d dropped, %d logs, status %v", len(b1.Events), b1.Dropped, len(b1.Logs), b1.Status)
	}
	b2 := br.Collect(uitest.Now, Request{})
	if len(b2.Events) != 3 || len(b2.Logs) != 0 || b2.Status != nil {
		t.Fatalf("batch 2: %d events, %d logs, status %v", len(b2.Events), len(b2.Logs), b2.Status)
	}
	broker.Publish(events.RoutingTableChanged{Base: events.Base{Time: uitest.Now}, Added: true})
	if b3 := br.Collect(uitest.Now, Request{}); b3.Routing == nil || node.polls != 2 {
		t.Fatalf("a routing table change did not poll (polls %d)", node.polls)
	}
}

type fakeNode struct{ polls int }

func (f *fakeNode) Status() peer.Status { f.polls++; return peer.Status{PeerID: "x"} }
func (f *fakeNode) RoutingTable() p2p.RoutingSnapshot {
	return uitest.Snapshot(3)
}
