package views

// Canned snapshots of the node panes (Services, Capacity, Wallet) for golden renders and
// benchmarks. Everything is relative to ppT0, the fixed clock of ppCommon.

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/reefhq/reef/peer/services"
	"github.com/reefhq/reef/wallet/chain"
	"github.com/reefhq/reef/wallet/prover"
	"github.com/reefhq/reef/wasm"
)

func npHash(seed string) string {
	s := sha256.Sum256([]byte(seed))
	return hex.EncodeToString(s[:])
}

func npH(seed string) common.Hash { return common.HexToHash(npHash(seed)) }

func npUUID(n int) string { return fmt.Sprintf("%08x-0000-4000-8000-%012x", 0x1a2b3c00+n, n) }

// eth is a whole number of ETH plus milli-ETH, in wei.
func eth(whole, milli int64) *big.Int {
	v := new(big.Int).Mul(big.NewInt(whole*1000+milli), big.NewInt(1e15))
	return v
}

func usd(cents int64) *big.Int { return big.NewInt(cents * 10_000) }

var kvFns = []string{"greet", "add", "incr", "get", "put", "keys", "version", "echo", "raw", "fail", "config", "setvar"}
var chaosFns = []string{"echo", "spin", "hog", "trap", "fail", "busy", "raw", "empty", "print", "kalloc"}

// npServicesSnapshot has three services (one failing to start) on three modules (one
// unused).
func npServicesSnapshot(extra int) services.Snapshot {
	owner := "12D3KooWRmy9cYvHGN52nchDXm7PT4gdr5RLd2TgMnEhzbQnaNHW"
	kv, chaos, old := npHash("kv"), npHash("chaos"), npHash("old")
	s := services.Snapshot{
		DeployRule: "open",
		Modules: []services.ModuleView{
			{Hash: old, Name: "kv", Size: 3_400_100, Functions: kvFns, Added: ppT0.Add(-40 * time.Minute)},
			{Hash: kv, Name: "kv", Size: 3_411_996, Functions: kvFns, Added: ppT0.Add(-3 * time.Minute), Services: 1, Loaded: true},
			{Hash: chaos, Name: "chaos", Size: 31_396, Functions: chaosFns, Added: ppT0.Add(-2 * time.Minute), Services: 2, Loaded: true},
		},
		Services: []services.ServiceView{
			{ID: npUUID(1), Aliases: []string{"kv"}, Module: kv, ModuleName: "kv", Owner: owner, Created: ppT0.Add(-3 * time.Minute),
				Size: 3_411_996, Functions: kvFns, Calls: 1204, Errors: 2, ErrorsByKind: map[wasm.ErrorKind]uint64{wasm.KindGuest: 2},
				LatencyP50: 4100 * time.Nanosecond, LatencyP99: 88 * time.Microsecond, MemoryBytes: 12 << 20, MemoryLimit: 64 << 20,
				Instances: 2, PoolSize: 4},
			{ID: npUUID(2), Aliases: []string{"chaos", "chaos-latest"}, Module: chaos, ModuleName: "chaos", Owner: owner, Created: ppT0.Add(-2 * time.Minute),
				Size: 31_396, Functions: chaosFns, Calls: 57, Errors: 14,
				ErrorsByKind: map[wasm.ErrorKind]uint64{wasm.KindGuest: 6, wasm.KindTimeout: 3, wasm.KindTrap: 5},
				LatencyP50:   2 * time.Millisecond, LatencyP99: 5 * time.Second, MemoryBytes: 1 << 20, MemoryLimit: 64 << 20,
				Instances: 1, PoolSize: 4},
			{ID: npUUID(3), Module: chaos, ModuleName: "chaos", Owner: "12D3KooWAER6JZP6x1oAqjLp2fhdGSC4jFzXGKTNGRj8GukPKbra",
				Created: ppT0.Add(-90 * time.Second), Size: 31_396, Functions: chaosFns,
				Error: "module " + chaos[:12] + " could not be compiled: wasm: memory limit exceeded"},
		},
	}
	for i := range extra {
		v := s.Services[i%2]
		v.ID = npUUID(10 + i)
		v.Aliases = []string{fmt.Sprintf("svc-%03d", i)}
		v.Calls = uint64(i * 37)
		s.Services = append(s.Services, v)
	}
	return s
}

// npCapacitySnapshot is a provider proving 4 units, one at risk, with recent proofs.
func npCapacitySnapshot() prover.CapacitySnapshot {
	samples := make([]float64, 60)
	for i := range samples {
		samples[i] = 1_150_000 + float64((i*7919)%13)*25_000
	}
	start := ppT0.Add(-12 * time.Second)
	s := prover.CapacitySnapshot{
		At:      ppT0,
		Chain:   chain.State{Kind: chain.KindEmbedded, URL: "http://127.0.0.1:8545", ChainID: 1337, Connected: true, Head: 1234, HeadHash: npH("head").Hex(), HeadTime: ppT0.Add(-time.Second), HeadSeenAt: ppT0},
		HeadAge: time.Second,
		Address: common.HexToAddress("0x71C7656EC7ab88b098defB751B7401B5f6d8976F"),
		PeerKey: npH("peer"),
		Phase:   prover.PhaseProving,
		Epoch:   42, EpochDuration: 20 * time.Second, EpochStart: start, EpochEnd: start.Add(20 * time.Second),
		EpochEndsIn: 8 * time.Second, EpochProgress: 0.6,
		GlobalNonce: npH("nonce42"), NonceEpoch: 42,
		Target: "0x3fffff" + "ff", TargetBits: 18, ExpectedHashes: 262_144, MinProofs: 2, MaxProofs: 5,
		HashRate: 1_240_000, HashRateSamples: samples, TotalHashes: 1_234_567_890,
		ExpectedProofTime: 211 * time.Millisecond, Threads: 2, Workers: 2, BusyWorkers: 2, UnitsProving: 3,
		ProofsFound: 48, ProofsSubmitted: 46, ProofsConfirmed: 44, ProofsDropped: 2,
		Commitment: prover.CommitmentSnapshot{ID: 3, Status: "active", StatusCode: 2, StartEpoch: 10, EndEpoch: 110,
			SuccessEpochs: 84, FailCount: 1, FailLimit: 10, Collateral: eth(4, 0), Slashed: eth(0, 10), Rewards: eth(0, 840)},
		Network: prover.NetworkSnapshot{Epoch: 42, ProofsThisEpoch: 25, UnitsThisEpoch: 6},
	}
	units := []prover.UnitSnapshot{
		{Found: 5, Submitted: 5, Confirmed: 5, HashRate: 410_000, Status: prover.UnitMaxReached, SuccessEpochs: 30},
		{Found: 3, Submitted: 3, Confirmed: 2, HashRate: 420_000, Status: prover.UnitMinReached, SuccessEpochs: 29, MissedEpochs: 1},
		{Found: 0, HashRate: 410_000, Status: prover.UnitProving, AtRisk: true, SuccessEpochs: 25},
		{Status: prover.UnitInDeal, DealID: 7, SuccessEpochs: 0},
	}
	for i := range units {
		units[i].Index = i
		units[i].ID = npH(fmt.Sprint("unit", i))
	}
	s.Units = units
	statuses := []string{prover.ProofFound, prover.ProofSubmitted, prover.ProofConfirmed, prover.ProofConfirmed, prover.ProofDropped, prover.ProofConfirmed}
	for i, st := range statuses {
		r := prover.ProofRecord{At: ppT0.Add(-time.Duration(i*2) * time.Second), Epoch: 42, Unit: i % 2, UnitID: npH(fmt.Sprint("unit", i%2)),
			LocalNonce: npH(fmt.Sprint("nonce", i)), Hash: common.HexToHash("0x00003" + npHash(fmt.Sprint("h", i))[:59]), Status: st}
		if st != prover.ProofFound {
			r.Tx = npH(fmt.Sprint("tx", i/2))
		}
		if st == prover.ProofDropped {
			r.Reason = "maximum proofs reached for this unit"
		}
		s.RecentProofs = append(s.RecentProofs, r)
	}
	for i := range 5 {
		s.Network.Recent = append(s.Network.Recent, prover.NetworkProof{Block: uint64(1234 - i), Tx: npH(fmt.Sprint("ntx", i)), Epoch: 42,
			CommitmentID: uint64(3 + i%3), UnitID: npH(fmt.Sprint("nunit", i)), Count: uint32(1 + i%2), Mine: i%3 == 0})
	}
	return s
}

// npWalletSnapshot is a provider's wallet with rewards, a deal and transactions.
func npWalletSnapshot() prover.WalletSnapshot {
	w := prover.WalletSnapshot{
		At:      ppT0,
		Address: common.HexToAddress("0x71C7656EC7ab88b098defB751B7401B5f6d8976F"),
		Native:  eth(999_994, 123), NativeDelta: new(big.Int).Neg(eth(4, 12)),
		Token: usd(1_234_550), TokenDelta: usd(1_250),
		RewardPerUnitEpoch: eth(0, 10), RewardsEarned: eth(0, 840), RewardsWithdrawn: eth(0, 40), RewardsWithdrawable: eth(0, 800),
		RewardsThisEpoch: eth(0, 20), CollateralLocked: eth(4, 0), CollateralSlashed: eth(0, 10),
		Deals: []prover.DealSnapshot{
			{ID: 7, Status: "active", Price: usd(250), OurUnits: 1, Workers: 1, PaidThrough: 41, FundedThrough: 90, Balance: usd(12_250), Earned: usd(1_250)},
			{ID: 9, Status: "insufficient funds", Price: usd(100), OurUnits: 2, Workers: 2, PaidThrough: 30, FundedThrough: 30, Balance: usd(0), Earned: usd(0)},
		},
		GasSpent: eth(0, 12), GasSpentEpoch: big.NewInt(123_000_000_000_000), GasUsed: 1_234_567, TxCount: 42,
	}
	labels := []string{"submitProofs", "submitProofs", "advanceEpoch", "submitProofs", "createCommitment", "registerPeer"}
	for i, l := range labels {
		t := prover.TxRecord{Hash: npH(fmt.Sprint("wtx", i)), Label: l, Status: "ok", GasUsed: uint64(82_341 + i*1000),
			Fee: big.NewInt(int64(82_341+i*1000) * 1_000_000_000), Block: uint64(1234 - i*3), At: ppT0.Add(-time.Duration(i*7) * time.Second)}
		switch i {
		case 0:
			t.Status, t.GasUsed, t.Fee, t.Block = "pending", 0, nil, 0
		case 3:
			t.Status, t.Err = "reverted", "execution reverted: Capacity: max proofs reached"
		}
		w.RecentTxs = append(w.RecentTxs, t)
	}
	return w
}
