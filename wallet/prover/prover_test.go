package prover_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"math/big"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/reefhq/reef/wallet/chain"
	"github.com/reefhq/reef/wallet/contracts"
	"github.com/reefhq/reef/wallet/internal/chaintest"
	"github.com/reefhq/reef/wallet/prover"
	"github.com/reefhq/reef/wallet/txsend"
)

// syncBuffer is a goroutine-safe log sink.
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

func start(t *testing.T, c prover.Chain, key int, peer string, opts ...prover.Option) *prover.Provider {
	t.Helper()
	all := append([]prover.Option{prover.WithPeerID([]byte(peer)), prover.WithBatch(4, 50*time.Millisecond),
		prover.WithWalletRefresh(100 * time.Millisecond)}, opts...)
	p, err := prover.New(c, chain.DevKey(key), all...)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func allAt(s prover.CapacitySnapshot, n uint32) bool {
	if len(s.Units) == 0 || s.Epoch == 0 {
		return false
	}
	for _, u := range s.Units {
		if u.Confirmed < n {
			return false
		}
	}
	return true
}

// TestProverLoop: units reach the maximum and park; at the next epoch the counters reset, the
// global nonce rotates and the new proofs are valid under the new nonce; rewards are credited;
// the logs never contain the key.
func TestProverLoop(t *testing.T) {
	c := chaintest.Start(t)
	var logs syncBuffer
	log := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	p := start(t, c, 1, "peer-loop", prover.WithUnits(3), prover.WithThreads(2), prover.WithLogger(log))
	max := chaintest.Params().MaxProofsPerEpoch

	chaintest.Eventually(t, 10*time.Second, "the commitment", func() bool { return p.Capacity().Phase == prover.PhaseWaitingStart })
	chaintest.NextEpoch(t, c, 1, chaintest.Epoch)
	chaintest.Eventually(t, 20*time.Second, "every unit at the maximum", func() bool {
		s := p.Capacity()
		return allAt(s, max) && s.ProofsConfirmed == uint64(3*max)
	})
	s1 := p.Capacity()
	if s1.Phase != prover.PhaseProving || s1.Commitment.Status != "active" || s1.NonceEpoch != s1.Epoch || s1.NonceStale {
		t.Fatalf("snapshot %+v", s1)
	}
	for _, u := range s1.Units {
		if u.Status != prover.UnitMaxReached || u.Confirmed != max || u.Found != max {
			t.Fatalf("unit %+v", u)
		}
	}
	if s1.Workers != 2 || s1.ProofsConfirmed != uint64(3*max) || s1.TotalHashes == 0 {
		t.Fatalf("workers %d, confirmed %d, hashes %d", s1.Workers, s1.ProofsConfirmed, s1.TotalHashes)
	}
	chaintest.Eventually(t, 5*time.Second, "the workers to park", func() bool { return p.Capacity().BusyWorkers == 0 })

	chaintest.NextEpoch(t, c, 1, chaintest.Epoch)
	chaintest.Eventually(t, 20*time.Second, "the next epoch's maximum", func() bool {
		s := p.Capacity()
		return s.Epoch == s1.Epoch+1 && allAt(s, max)
	})
	s2 := p.Capacity()
	if s2.GlobalNonce == s1.GlobalNonce || s2.NonceEpoch != s2.Epoch {
		t.Fatalf("nonce did not rotate: %s (epoch %d) then %s (epoch %d)", s1.GlobalNonce, s1.NonceEpoch, s2.GlobalNonce, s2.NonceEpoch)
	}
	target := contracts.TargetForBits(8)
	n := 0
	for _, r := range s2.RecentProofs {
		if r.Epoch != s2.Epoch || r.Status != prover.ProofConfirmed {
			continue
		}
		n++
		if !prover.IsProof(s2.GlobalNonce, r.UnitID, r.LocalNonce, target) {
			t.Fatalf("proof %+v is not valid under the new nonce", r)
		}
		if r.Tx == (common.Hash{}) {
			t.Fatalf("confirmed proof without a transaction: %+v", r)
		}
	}
	if n == 0 {
		t.Fatal("no confirmed proofs of the new epoch in the recent list")
	}

	// rewards: every unit reached the minimum in both epochs
	want := new(big.Int).Mul(chaintest.Params().RewardPerUnitEpoch, big.NewInt(6))
	chaintest.Eventually(t, 5*time.Second, "the rewards", func() bool {
		w := p.Wallet()
		return w.RewardsEarned != nil && w.RewardsEarned.Cmp(want) == 0
	})
	w := p.Wallet()
	if w.CollateralLocked.Cmp(contracts.Ether(3)) != 0 || w.GasSpent.Sign() <= 0 || w.TxCount == 0 || w.NativeDelta.Sign() >= 0 {
		t.Fatalf("wallet %+v", w)
	}
	if w.RewardsThisEpoch.Cmp(new(big.Int).Mul(chaintest.Params().RewardPerUnitEpoch, big.NewInt(3))) != 0 {
		t.Fatalf("rewards this epoch %v", w.RewardsThisEpoch)
	}
	got, err := p.WithdrawRewards(context.Background())
	if err != nil || got.Cmp(want) != 0 {
		t.Fatalf("withdrew %v, %v", got, err)
	}

	// /status carries the documented keys
	b, _ := json.Marshal(p.Status())
	var st map[string]map[string]any
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"epoch", "epoch_ends_in_s", "hash_rate", "units", "proofs_found", "proofs_confirmed", "rewards"} {
		if _, ok := st["capacity"][k]; !ok {
			t.Errorf("status capacity lacks %q: %s", k, b)
		}
	}
	for _, k := range []string{"address", "balance", "token_balance"} {
		if _, ok := st["wallet"][k]; !ok {
			t.Errorf("status wallet lacks %q: %s", k, b)
		}
	}
	if st["capacity"]["units"].(float64) != 3 || st["wallet"]["address"] != chain.DevKey(1).Address().Hex() {
		t.Fatalf("status %s", b)
	}

	p.Close()
	out := strings.ToLower(logs.String())
	if !strings.Contains(out, "proving epoch") || !strings.Contains(out, strings.ToLower(chain.DevKey(1).Address().Hex())) {
		t.Fatalf("logs don't show the run:\n%s", out)
	}
	keyHex := hex.EncodeToString(crypto.FromECDSA(chain.DevKey(1).ECDSA()))
	if strings.Contains(out, keyHex) || strings.Contains(out, keyHex[:20]) {
		t.Fatal("the private key appears in the logs")
	}
}

// TestTwoProvidersOneChain: two providers, one in the chain's process and one over its HTTP
// endpoint (--chain-http / --chain-rpc), each see the other's proofs.
func TestTwoProvidersOneChain(t *testing.T) {
	host := chaintest.Start(t, chain.WithHTTP("127.0.0.1:0"))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	remote, err := chain.Dial(ctx, host.URL(), chain.WithPollInterval(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer remote.Close()
	a := start(t, host, 1, "peer-a", prover.WithUnits(2), prover.WithThreads(1))
	b := start(t, remote, 2, "peer-b", prover.WithUnits(2), prover.WithThreads(1))
	chaintest.Eventually(t, 10*time.Second, "both commitments", func() bool {
		return a.Capacity().Commitment.ID != 0 && b.Capacity().Commitment.ID != 0
	})
	chaintest.NextEpoch(t, host, 1, chaintest.Epoch)
	minP := chaintest.Params().MinProofsPerEpoch
	chaintest.Eventually(t, 20*time.Second, "both at the minimum", func() bool {
		return allAt(a.Capacity(), minP) && allAt(b.Capacity(), minP)
	})
	sees := func(who *prover.Provider, other *prover.Provider) bool {
		ids := map[common.Hash]bool{}
		for _, id := range other.UnitIDs() {
			ids[id] = true
		}
		for _, np := range who.Capacity().Network.Recent {
			if ids[np.UnitID] && !np.Mine {
				return true
			}
		}
		return false
	}
	chaintest.Eventually(t, 10*time.Second, "each to see the other's proofs", func() bool {
		na, nb := a.Capacity().Network, b.Capacity().Network
		return sees(a, b) && sees(b, a) && na.UnitsThisEpoch == 4 && nb.UnitsThisEpoch == 4 &&
			na.ProofsThisEpoch >= 8 && nb.ProofsThisEpoch >= 8
	})
	if ca, cb := a.Capacity().Chain, b.Capacity().Chain; ca.Kind != chain.KindEmbedded || cb.Kind != chain.KindRPC || cb.URL != host.URL() {
		t.Fatalf("chain kinds %s %s", ca.Kind, cb.Kind)
	}
}

// TestProviderWaitsForChain: a provider pointed at an endpoint that is down keeps running and
// says so; when the endpoint comes up it registers and proves.
func TestProviderWaitsForChain(t *testing.T) {
	port := freePort(t)
	url := "http://127.0.0.1:" + strconv.Itoa(port)
	remote, err := chain.Connect(url, chain.WithBackoff(50*time.Millisecond, 200*time.Millisecond), chain.WithPollInterval(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer remote.Close()
	p := start(t, remote, 3, "peer-late", prover.WithUnits(1))
	chaintest.Eventually(t, 5*time.Second, "the outage to show", func() bool {
		s := p.Capacity()
		return s.Phase == prover.PhaseWaitingChain && s.Chain.Reconnecting && s.Chain.LastError != ""
	})
	host := chaintest.Start(t, chain.WithHTTP("127.0.0.1:"+strconv.Itoa(port)))
	chaintest.Eventually(t, 20*time.Second, "the commitment", func() bool { return p.Capacity().Commitment.ID != 0 })
	chaintest.NextEpoch(t, host, 1, chaintest.Epoch)
	chaintest.Eventually(t, 20*time.Second, "proofs", func() bool { return allAt(p.Capacity(), 1) })
}

// TestProviderRenews: an expired commitment is finished and replaced.
func TestProviderRenews(t *testing.T) {
	c := chaintest.Start(t)
	p := start(t, c, 4, "peer-renew", prover.WithUnits(1), prover.WithDuration(1))
	chaintest.Eventually(t, 10*time.Second, "the commitment", func() bool { return p.Capacity().Commitment.ID != 0 })
	first := p.Capacity().Commitment.ID
	chaintest.NextEpoch(t, c, 1, chaintest.Epoch)
	chaintest.Eventually(t, 20*time.Second, "proofs", func() bool { return allAt(p.Capacity(), chaintest.Params().MaxProofsPerEpoch) })
	chaintest.NextEpoch(t, c, 1, chaintest.Epoch) // the commitment (1 epoch) has ended
	chaintest.Eventually(t, 20*time.Second, "a new commitment", func() bool {
		s := p.Capacity()
		return s.Commitment.ID > first && s.Commitment.Status == "waiting to start"
	})
	if txs := p.Wallet().RecentTxs; !hasLabel(txs, "finish") {
		t.Fatalf("no finish transaction: %+v", txs)
	}
}

func hasLabel(txs []prover.TxRecord, l string) bool {
	for _, t := range txs {
		if t.Label == l && t.Status == "ok" {
			return true
		}
	}
	return false
}

func TestPeerKey(t *testing.T) {
	var pub [32]byte
	for i := range pub {
		pub[i] = byte(i + 1)
	}
	id := append([]byte{0x00, 0x24, 0x08, 0x01, 0x12, 0x20}, pub[:]...)
	if prover.PeerKey(id) != pub {
		t.Fatal("the Ed25519 key is not taken from an identity peer id")
	}
	other := []byte("QmSomethingElse")
	if prover.PeerKey(other) != crypto.Keccak256Hash(other) {
		t.Fatal("other ids are not hashed")
	}
}

// TestDevDefaultsFirstProofSoon runs the embedded chain exactly as a node does (1 s blocks,
// contracts.DevParams: 20 s epochs, 21-bit target) and checks that a new provider's first
// proofs are confirmed within a minute. It takes up to ~30 s of wall time, so it runs only with
// REEF_SLOW_TESTS=1.
func TestDevDefaultsFirstProofSoon(t *testing.T) {
	if os.Getenv("REEF_SLOW_TESTS") == "" {
		t.Skip("set REEF_SLOW_TESTS=1 to run (about 30 s)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := chain.OpenEmbedded(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	begin := time.Now()
	p, err := prover.New(c, chain.DevKey(1), prover.WithPeerID([]byte("dev-defaults")), prover.WithUnits(2), prover.WithThreads(2))
	if err != nil {
		t.Fatal(err)
	}
	p.Start(ctx)
	defer p.Close()
	chaintest.Eventually(t, time.Minute, "the first confirmed proof", func() bool { return p.Capacity().ProofsConfirmed > 0 })
	s := p.Capacity()
	t.Logf("first proof confirmed after %v (epoch %d, %.0f H/s, %.1f target bits, expected %v per proof)",
		time.Since(begin).Round(100*time.Millisecond), s.Epoch, s.HashRate, s.TargetBits, s.ExpectedProofTime.Round(10*time.Millisecond))
	chaintest.Eventually(t, time.Minute, "every unit at the minimum", func() bool { return allAt(p.Capacity(), 2) })
	t.Logf("all units at the minimum after %v", time.Since(begin).Round(100*time.Millisecond))
}

// TestProviderAdoptsRegisteredUnits: a peer registered earlier with another unit count is
// proven with the units it has on chain.
func TestProviderAdoptsRegisteredUnits(t *testing.T) {
	c := chaintest.Start(t)
	s := chaintest.Sender(t, c, chain.DevKey(5))
	capAddr := c.Addresses().Capacity
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	peer := []byte("peer-registered")
	if _, err := s.Transact(ctx, txsend.Call{To: &capAddr, Data: contracts.NewCapacity().PackRegisterPeer(prover.PeerKey(peer), 3)}); err != nil {
		t.Fatal(err)
	}
	p := start(t, c, 5, string(peer), prover.WithUnits(1))
	chaintest.Eventually(t, 10*time.Second, "the commitment", func() bool { return p.Capacity().Commitment.ID != 0 })
	if n := len(p.UnitIDs()); n != 3 {
		t.Fatalf("%d units, want the 3 registered", n)
	}
	chaintest.NextEpoch(t, c, 1, chaintest.Epoch)
	chaintest.Eventually(t, 20*time.Second, "all three at the minimum", func() bool {
		s := p.Capacity()
		return len(s.Units) == 3 && allAt(s, chaintest.Params().MinProofsPerEpoch)
	})
}

// TestProviderRestartMidEpoch: a provider restarted in the middle of an epoch picks up the
// on-chain counts and its new local nonces are above the old ones (no dropped proofs).
func TestProviderRestartMidEpoch(t *testing.T) {
	params := chaintest.Params()
	params.MaxProofsPerEpoch = 30
	c := chaintest.Start(t, chain.WithDeployParams(params))
	p1 := start(t, c, 6, "peer-restart", prover.WithUnits(2), prover.WithBatch(2, 10*time.Millisecond))
	chaintest.Eventually(t, 10*time.Second, "the commitment", func() bool { return p1.Capacity().Commitment.ID != 0 })
	chaintest.NextEpoch(t, c, 1, chaintest.Epoch)
	chaintest.Eventually(t, 20*time.Second, "some proofs", func() bool { return p1.Capacity().ProofsConfirmed >= 4 })
	p1.Close()
	before := p1.Capacity()
	// let transactions p1 abandoned in flight land first
	for range 2 {
		if err := c.Mine(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if allAt(before, params.MaxProofsPerEpoch) {
		t.Skip("the first run reached the maximum before it was stopped")
	}
	p2 := start(t, c, 6, "peer-restart", prover.WithUnits(2), prover.WithBatch(8, 10*time.Millisecond))
	chaintest.Eventually(t, 30*time.Second, "the maximum after the restart", func() bool { return allAt(p2.Capacity(), params.MaxProofsPerEpoch) })
	s := p2.Capacity()
	if s.Epoch != before.Epoch || s.Commitment.ID != before.Commitment.ID {
		t.Fatalf("after restart: epoch %d (was %d), commitment %d (was %d)", s.Epoch, before.Epoch, s.Commitment.ID, before.Commitment.ID)
	}
	for _, r := range s.RecentProofs {
		if r.Reason == "NonceNotIncreasing" {
			t.Fatalf("a proof after the restart was below an earlier nonce: %+v", r)
		}
	}
	// transactions in flight when p1 stopped may have landed after its last snapshot
	if most := uint64(2*params.MaxProofsPerEpoch) - before.ProofsConfirmed; s.ProofsConfirmed > most {
		t.Fatalf("confirmed %d after the restart, at most %d expected", s.ProofsConfirmed, most)
	}
}
