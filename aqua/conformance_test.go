package aqua_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/memnet"
	"github.com/reefhq/reef/internal/conformance"
	"github.com/reefhq/reef/peer/builtins"
)

// corpusDir holds Aqua programs compiled by the real Aqua compiler, with the outcomes the
// reference AquaVM network produced (see testdata/conformance/README.md).
const corpusDir = "../testdata/conformance"

// runCase runs one conformance case on an in-memory network shaped like the reference
// one: five peers with the pure builtins, and a client connected to peer0.
func runCase(t *testing.T, c *conformance.Case, opts ...memnet.Option) *conformance.Client {
	t.Helper()
	reg := builtins.NewRegistry()
	builtins.RegisterPure(reg)
	var client *conformance.Client
	var clientID string
	opts = append(opts, memnet.OnRun(func(r *memnet.RunRecord) {
		if r.Peer.ID == clientID && client != nil {
			client.RunFinished(len(r.Outcome.CallRequests))
		}
	}))
	net, err := memnet.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	serve := func(p *memnet.Peer, pt *memnet.Particle, req aqua.CallRequest) aqua.CallResult {
		if p.ID == clientID {
			if r, ok := client.Handle(req); ok {
				return r
			}
		}
		return reg.Call(context.Background(), builtins.NewCall(req, builtins.Particle{
			InitPeerID: pt.InitPeerID, CurrentPeerID: p.ID, ParticleID: pt.ID, Timestamp: pt.Timestamp, TTL: pt.TTL,
		}))
	}
	var peers []string
	for i := range conformance.NumPeers {
		peers = append(peers, net.AddPeer(fmt.Sprintf("peer%d", i), serve).ID)
	}
	clientID = net.AddPeer("client", serve).ID
	client = conformance.NewClient(c, peers)
	if err := net.Start(&memnet.Particle{ID: "particle-" + c.Name, InitPeerID: clientID, Timestamp: 1700000000000, TTL: 20000, Script: c.AIR}); err != nil {
		t.Fatal(err)
	}
	if _, err := net.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	return client
}

func TestConformanceCorpus(t *testing.T) {
	cases, err := conformance.Load(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 60 {
		t.Fatalf("corpus has %d cases, want at least 60", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			if err := runCase(t, c).Check(); err != nil {
				t.Error(err)
			}
		})
	}
}

// The corpus outcomes do not depend on delivery order: a real network delivers particles
// in any order and nox batches call results. Running every case under seeded random
// orders, LIFO, and batched results checks that merging converges.
func TestConformanceCorpusAnyOrder(t *testing.T) {
	cases, err := conformance.Load(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	variants := []struct {
		name string
		opts []memnet.Option
	}{
		{"lifo", []memnet.Option{memnet.WithOrder(memnet.LIFO, 0)}},
		{"batched", []memnet.Option{memnet.WithResultMode(memnet.Batched)}},
	}
	for seed := uint64(1); seed <= 4; seed++ {
		variants = append(variants, struct {
			name string
			opts []memnet.Option
		}{fmt.Sprintf("random%d", seed), []memnet.Option{memnet.WithOrder(memnet.Random, seed), memnet.WithResultMode(memnet.ResultMode(seed % 2))}})
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			for _, c := range cases {
				if err := runCase(t, c, v.opts...).Check(); err != nil {
					t.Error(err)
				}
			}
		})
	}
}
