package provider

import (
	"context"
	"encoding/json"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/reefhq/reef/peer"
	"github.com/reefhq/reef/peer/p2p"
	"github.com/reefhq/reef/wallet/chain"
	"github.com/reefhq/reef/wallet/contracts"
)

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestOpenChecksTheConfiguration(t *testing.T) {
	ctx := context.Background()
	p := contracts.DevParams()
	for _, tt := range []struct {
		cfg  ChainConfig
		want string
	}{
		{ChainConfig{RPC: "http://127.0.0.1:1", HTTP: "127.0.0.1:0"}, "needs the embedded chain"},
		{ChainConfig{RPC: "http://127.0.0.1:1", Params: &p}, "apply to the embedded chain"},
		{ChainConfig{Contracts: &contracts.Addresses{}}, "apply to an RPC endpoint"},
		{ChainConfig{RPC: "ftp://x"}, "RPC URL"},
	} {
		if _, err := Open(ctx, tt.cfg); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: %v, want %q", tt.cfg, err, tt.want)
		}
	}
}

// TestStatusOfADeadEndpoint: an endpoint nobody listens on opens, and its status goes down
// with the error.
func TestStatusOfADeadEndpoint(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	s, err := Open(context.Background(), ChainConfig{RPC: url, Options: []chain.Option{chain.WithBackoff(20*time.Millisecond, 50*time.Millisecond)}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	waitFor(t, "the chain down", func() bool { return s.Status().State == StateDown })
	st := s.Status()
	if st.Kind != chain.KindRPC || st.URL != url || !strings.Contains(st.LastError, "refused") || st.Failures == 0 || st.Contracts != nil {
		t.Fatalf("status %+v", st)
	}
}

// TestAttachWithoutProving: a node that does not prove gets the chain section and its
// account's balances; nothing attaches after Close.
func TestAttachWithoutProving(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := Open(ctx, ChainConfig{Options: []chain.Option{chain.WithInstantMining()}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n, err := peer.New(peer.WithP2P(p2p.WithListen("/ip4/127.0.0.1/tcp/0"), p2p.WithMDNS(false)))
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	addr := chain.DevKey(3).Address()
	p, err := s.Attach(ctx, n, Role{Address: addr})
	if err != nil || p != nil {
		t.Fatalf("attach: %v %v", p, err)
	}
	var doc struct {
		Chain    ChainStatus     `json:"chain"`
		Wallet   json.RawMessage `json:"wallet"`
		Capacity json.RawMessage `json:"capacity"`
	}
	waitFor(t, "the balance", func() bool {
		rr := httptest.NewRecorder()
		n.APIHandler().ServeHTTP(rr, httptest.NewRequest("GET", "/status", nil))
		if err := json.Unmarshal(rr.Body.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		return strings.Contains(string(doc.Wallet), chain.DevAccountBalance.String())
	})
	if doc.Chain.State != StateConnected || doc.Chain.Kind != chain.KindEmbedded || doc.Chain.Contracts == nil ||
		*doc.Chain.Contracts != s.Chain().Addresses() || doc.Capacity != nil || !strings.Contains(string(doc.Wallet), addr.Hex()) {
		t.Fatalf("status chain %+v wallet %s capacity %s", doc.Chain, doc.Wallet, doc.Capacity)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Attach(ctx, n, Role{Address: addr}); err == nil {
		t.Fatal("attached to a closed chain")
	}
}
