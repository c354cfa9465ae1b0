package tui

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/reefhq/reef/internal/logbuf"
	"github.com/reefhq/reef/internal/provider"
	"github.com/reefhq/reef/peer/recorder"
	"github.com/reefhq/reef/wallet/chain"
	"github.com/reefhq/reef/wallet/contracts"
	"github.com/reefhq/reef/wallet/prover"
)

// TestConsoleBackendChain: with Config.Chain and Config.Provider the console starts one chain
// for the node and its devnet, the embedded node proves (throttled) and Live.Capacity is its
// provider; the devnet's nodes name the same chain in /status. Without them, no chain starts
// and Live.Capacity is nil.
func TestConsoleBackendChain(t *testing.T) {
	ring := logbuf.NewRing(5000)
	log := slog.New(logbuf.NewHandler(slog.LevelInfo, nil, ring))
	rec := recorder.New(recorder.WithMaxParticles(100))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	p := contracts.DevParams()
	p.EpochDuration, p.Target = 4*time.Second, contracts.TargetForBits(8)
	cfg := Config{
		DataDir: t.TempDir(), Devnet: 2,
		Chain:    &provider.ChainConfig{Params: &p, Options: []chain.Option{chain.WithInstantMining()}},
		Provider: &provider.Role{Key: chain.DevKey(1), Units: 2, Threads: 1, DutyCycle: 0.5, Options: []prover.Option{prover.WithBatch(4, 50*time.Millisecond)}},
	}
	b, err := StartBackend(ctx, cfg, log, rec)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	live := b.Live(rec)
	if live.Capacity == nil || b.Chain == nil || b.Provider == nil {
		t.Fatalf("capacity source %v, chain %v, provider %v", live.Capacity, b.Chain, b.Provider)
	}
	deadline := time.Now().Add(60 * time.Second)
	for live.Capacity.Capacity().ProofsConfirmed == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no confirmed proof: %+v", live.Capacity.Capacity())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if w := live.Capacity.Wallet(); w.Address != chain.DevKey(1).Address() {
		t.Fatalf("wallet %+v", w)
	}
	want := b.Chain.Chain().Addresses()
	for i, n := range b.Devnet.Nodes {
		rr := httptest.NewRecorder()
		n.APIHandler().ServeHTTP(rr, httptest.NewRequest("GET", "/status", nil))
		var st struct {
			Chain    *provider.ChainStatus `json:"chain"`
			Capacity json.RawMessage       `json:"capacity"`
		}
		if err := json.Unmarshal(rr.Body.Bytes(), &st); err != nil {
			t.Fatal(err)
		}
		if st.Chain == nil || st.Chain.Contracts == nil || *st.Chain.Contracts != want || st.Chain.State != provider.StateConnected || st.Capacity != nil {
			t.Fatalf("devnet node %d: %s", i, rr.Body.String())
		}
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	plain, err := StartBackend(ctx, Config{DataDir: t.TempDir(), Listen: []string{"/ip4/127.0.0.1/tcp/0"}, NoMDNS: true}, log, rec)
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	if l := plain.Live(rec); l.Capacity != nil || plain.Chain != nil {
		t.Fatalf("a console without a chain has capacity source %v", l.Capacity)
	}
}
