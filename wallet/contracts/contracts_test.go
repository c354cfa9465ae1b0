package contracts_test

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/reefhq/reef/wallet/chain"
	"github.com/reefhq/reef/wallet/contracts"
	"github.com/reefhq/reef/wallet/internal/chaintest"
	"github.com/reefhq/reef/wallet/txsend"
)

// env is one fresh chain with the test parameters (chaintest.Params) and a few funded senders.
type env struct {
	t        *testing.T
	ctx      context.Context
	c        *chain.Chain
	a        contracts.Addresses
	cap      *contracts.Capacity
	mkt      *contracts.Market
	tok      *contracts.TestUSD
	owner    *txsend.Sender // DevKey(0): deployer, token holder
	prov     *txsend.Sender // DevKey(1): provider
	other    *txsend.Sender // DevKey(2): another provider
	customer *txsend.Sender // DevKey(3)
	p        contracts.Params
}

func newEnv(t *testing.T) *env {
	t.Helper()
	c := chaintest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return &env{
		t: t, ctx: ctx, c: c, a: c.Addresses(),
		cap: contracts.NewCapacity(), mkt: contracts.NewMarket(), tok: contracts.NewTestUSD(),
		owner: chaintest.Sender(t, c, chain.DevKey(0)), prov: chaintest.Sender(t, c, chain.DevKey(1)),
		other: chaintest.Sender(t, c, chain.DevKey(2)), customer: chaintest.Sender(t, c, chain.DevKey(3)),
		p: chaintest.Params(),
	}
}

func (e *env) tx(s *txsend.Sender, label string, to common.Address, data []byte, value *big.Int) *types.Receipt {
	e.t.Helper()
	r, err := s.Transact(e.ctx, txsend.Call{Label: label, To: &to, Data: data, Value: value})
	if err != nil {
		e.t.Fatalf("%s: %v", label, err)
	}
	return r
}

// reverts checks that sending fails with the custom error `name`, and returns the error.
func (e *env) reverts(s *txsend.Sender, name string, to common.Address, data []byte, value *big.Int) *txsend.RevertError {
	e.t.Helper()
	_, err := s.Transact(e.ctx, txsend.Call{Label: name, To: &to, Data: data, Value: value})
	re, ok := err.(*txsend.RevertError)
	if !ok || re.Name != name {
		e.t.Fatalf("want revert %s, got %v", name, err)
	}
	return re
}

func call[T any](e *env, to common.Address, data []byte, unpack func([]byte) (T, error)) T {
	e.t.Helper()
	out, err := e.c.Client().CallContract(e.ctx, ethereum.CallMsg{To: &to, Data: data}, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	v, err := unpack(out)
	if err != nil {
		e.t.Fatal(err)
	}
	return v
}

func (e *env) epoch() contracts.EpochParamsOutput {
	return call(e, e.a.Capacity, e.cap.PackEpochParams(), e.cap.UnpackEpochParams)
}

func (e *env) next(n int) { chaintest.NextEpoch(e.t, e.c, n, e.p.EpochDuration) }

func (e *env) balance(a common.Address) *big.Int {
	b, err := e.c.Client().BalanceAt(e.ctx, a, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

func (e *env) units(ids ...[32]byte) []contracts.CapacityUnitView {
	return call(e, e.a.Capacity, e.cap.PackUnitStates(ids), e.cap.UnpackUnitStates)
}

func (e *env) commitment(id uint64) contracts.CapacityCommitmentView {
	return call(e, e.a.Capacity, e.cap.PackCommitmentInfo(id), e.cap.UnpackCommitmentInfo)
}

// provider registers peer with n units from s and commits them for duration epochs; it returns
// the commitment id and the unit ids. The commitment starts next epoch.
func (e *env) provider(s *txsend.Sender, peer string, n uint32, duration uint32) (uint64, [][32]byte) {
	e.t.Helper()
	pid := crypto.Keccak256Hash([]byte(peer))
	e.tx(s, "registerPeer", e.a.Capacity, e.cap.PackRegisterPeer(pid, n), nil)
	value := new(big.Int).Mul(e.p.CollateralPerUnit, big.NewInt(int64(n)))
	r := e.tx(s, "createCommitment", e.a.Capacity, e.cap.PackCreateCommitment(pid, duration), value)
	var id uint64
	for _, l := range r.Logs {
		if ev, err := e.cap.UnpackCommitmentCreatedEvent(l); err == nil {
			id = ev.CommitmentId
		}
	}
	if id == 0 {
		e.t.Fatal("no CommitmentCreated event")
	}
	ids := make([][32]byte, n)
	for i := range ids {
		ids[i] = contracts.UnitID(pid, uint32(i))
		if got := call(e, e.a.Capacity, e.cap.PackUnitId(pid, uint32(i)), e.cap.UnpackUnitId); got != ids[i] {
			e.t.Fatalf("UnitID(%d) = %x, contract says %x", i, ids[i], got)
		}
	}
	return id, ids
}

// prover finds proofs for one unit with strictly increasing local nonces.
type prover struct{ ctr uint64 }

// next returns the next local nonce whose hash is at most target.
func (p *prover) next(nonce, unit [32]byte, target *big.Int) [32]byte {
	for {
		var ln [32]byte
		binary.BigEndian.PutUint64(ln[24:], p.ctr)
		p.ctr++
		h := crypto.Keccak256(nonce[:], unit[:], ln[:])
		if new(big.Int).SetBytes(h).Cmp(target) <= 0 {
			return ln
		}
	}
}

// bad returns the next local nonce whose hash is above target.
func (p *prover) bad(nonce, unit [32]byte, target *big.Int) [32]byte {
	for {
		var ln [32]byte
		binary.BigEndian.PutUint64(ln[24:], p.ctr)
		p.ctr++
		h := crypto.Keccak256(nonce[:], unit[:], ln[:])
		if new(big.Int).SetBytes(h).Cmp(target) > 0 {
			return ln
		}
	}
}

// submit sends proofs for the current epoch.
func (e *env) submit(s *txsend.Sender, units [][32]byte, nonces [][32]byte) *types.Receipt {
	e.t.Helper()
	return e.tx(s, "submitProofs", e.a.Capacity, e.cap.PackSubmitProofs(e.epoch().Epoch, units, nonces), nil)
}

func events[T any](r *types.Receipt, unpack func(*types.Log) (*T, error)) []*T {
	var out []*T
	for _, l := range r.Logs {
		if ev, err := unpack(l); err == nil {
			out = append(out, ev)
		}
	}
	return out
}

func TestAcceptedProof(t *testing.T) {
	e := newEnv(t)
	id, units := e.provider(e.prov, "peer-a", 2, 10)
	e.next(1)
	// the first proof of the epoch rotates the nonce lazily: compute against the rotated nonce
	e.tx(e.prov, "advanceEpoch", e.a.Capacity, e.cap.PackAdvanceEpoch(), nil)
	ep := e.epoch()
	if ep.NonceEpoch != ep.Epoch {
		t.Fatalf("nonce epoch %d, epoch %d", ep.NonceEpoch, ep.Epoch)
	}
	var pr prover
	ln := pr.next(ep.Nonce, units[0], ep.Target)
	r := e.submit(e.prov, units[:1], [][32]byte{ln})
	evs := events(r, e.cap.UnpackProofSubmittedEvent)
	if len(evs) != 1 || evs[0].CommitmentId != id || evs[0].UnitId != units[0] || evs[0].Count != 1 || evs[0].LocalNonce != ln || evs[0].Epoch != ep.Epoch {
		t.Fatalf("ProofSubmitted events %+v", evs)
	}
	u := e.units(units...)
	if u[0].ProofsThisEpoch != 1 || u[1].ProofsThisEpoch != 0 || u[0].LastNonce != ln {
		t.Fatalf("unit states %+v", u)
	}
	if c := e.commitment(id); c.Status != contracts.StatusActive {
		t.Fatalf("commitment status %s", contracts.StatusName(c.Status))
	}
	t.Logf("gas: one proof %d", r.GasUsed)
}

func TestRejectedProofs(t *testing.T) {
	e := newEnv(t)
	_, units := e.provider(e.prov, "peer-a", 1, 10)
	_, unitsB := e.provider(e.other, "peer-b", 1, 10)
	u := units[0]

	// before the commitment starts
	ep := e.epoch()
	var pr prover
	re := e.reverts(e.prov, "CommitmentNotActive", e.a.Capacity, e.cap.PackSubmitProofs(ep.Epoch, units, [][32]byte{pr.next(ep.Nonce, u, ep.Target)}), nil)
	if re.Arg("status") != contracts.StatusWaitStart {
		t.Errorf("status %v, want WaitStart", re.Arg("status"))
	}

	e.next(1)
	e.tx(e.prov, "advanceEpoch", e.a.Capacity, e.cap.PackAdvanceEpoch(), nil)
	ep = e.epoch()
	cur := ep.Epoch
	sub := func(epoch uint32, ids [][32]byte, ns ...[32]byte) []byte {
		return e.cap.PackSubmitProofs(epoch, ids, ns)
	}

	t.Run("wrong global nonce", func(t *testing.T) {
		var p prover
		wrong := crypto.Keccak256Hash([]byte("not the nonce"))
		ln := p.next(wrong, u, ep.Target)
		for !(new(big.Int).SetBytes(crypto.Keccak256(ep.Nonce[:], u[:], ln[:])).Cmp(ep.Target) > 0) {
			ln = p.next(wrong, u, ep.Target)
		}
		e.reverts(e.prov, "ProofAboveTarget", e.a.Capacity, sub(cur, units, ln), nil)
	})
	t.Run("hash above target", func(t *testing.T) {
		var p prover
		e.reverts(e.prov, "ProofAboveTarget", e.a.Capacity, sub(cur, units, p.bad(ep.Nonce, u, ep.Target)), nil)
	})
	t.Run("stale epoch", func(t *testing.T) {
		var p prover
		re := e.reverts(e.prov, "StaleEpoch", e.a.Capacity, sub(cur-1, units, p.next(ep.Nonce, u, ep.Target)), nil)
		if re.Arg("currentEpoch") != cur {
			t.Errorf("currentEpoch %v, want %d", re.Arg("currentEpoch"), cur)
		}
	})
	t.Run("unknown unit", func(t *testing.T) {
		var p prover
		x := crypto.Keccak256Hash([]byte("nobody"))
		e.reverts(e.prov, "UnknownUnit", e.a.Capacity, sub(cur, [][32]byte{x}, p.next(ep.Nonce, x, ep.Target)), nil)
	})
	t.Run("wrong owner", func(t *testing.T) {
		var p prover
		re := e.reverts(e.other, "NotUnitOwner", e.a.Capacity, sub(cur, units, p.next(ep.Nonce, u, ep.Target)), nil)
		if re.Arg("sender") != e.other.Address() {
			t.Errorf("sender %v", re.Arg("sender"))
		}
	})
	t.Run("duplicate and non-increasing nonce", func(t *testing.T) {
		var p prover
		p.ctr = 1 << 40
		ln := p.next(ep.Nonce, u, ep.Target)
		e.submit(e.prov, units, [][32]byte{ln})
		e.reverts(e.prov, "NonceNotIncreasing", e.a.Capacity, sub(cur, units, ln), nil) // the same again
		var low prover
		e.reverts(e.prov, "NonceNotIncreasing", e.a.Capacity, sub(cur, units, low.next(ep.Nonce, u, ep.Target)), nil)
		// the same nonce twice in one batch
		next := p.next(ep.Nonce, u, ep.Target)
		e.reverts(e.prov, "NonceNotIncreasing", e.a.Capacity, sub(cur, [][32]byte{u, u}, next, next), nil)
	})
	t.Run("beyond max", func(t *testing.T) {
		var p prover
		p.ctr = 1 << 50
		have := e.units(u)[0].ProofsThisEpoch
		var ids, ns [][32]byte
		for range e.p.MaxProofsPerEpoch - have {
			ids, ns = append(ids, u), append(ns, p.next(ep.Nonce, u, ep.Target))
		}
		e.submit(e.prov, ids, ns)
		if got := e.units(u)[0].ProofsThisEpoch; got != e.p.MaxProofsPerEpoch {
			t.Fatalf("count %d, want max %d", got, e.p.MaxProofsPerEpoch)
		}
		re := e.reverts(e.prov, "TooManyProofs", e.a.Capacity, sub(cur, units, p.next(ep.Nonce, u, ep.Target)), nil)
		if re.Arg("maxProofsPerEpoch") != e.p.MaxProofsPerEpoch {
			t.Errorf("max %v", re.Arg("maxProofsPerEpoch"))
		}
	})
	t.Run("bad batch", func(t *testing.T) {
		e.reverts(e.prov, "BadBatch", e.a.Capacity, e.cap.PackSubmitProofs(cur, units, nil), nil)
	})
	t.Run("other provider unaffected", func(t *testing.T) {
		var p prover
		e.submit(e.other, unitsB, [][32]byte{p.next(ep.Nonce, unitsB[0], ep.Target)})
	})
}

func TestMinCreditsReward(t *testing.T) {
	e := newEnv(t)
	id, units := e.provider(e.prov, "peer-a", 2, 10)
	e.next(1)
	e.tx(e.prov, "advanceEpoch", e.a.Capacity, e.cap.PackAdvanceEpoch(), nil)
	ep := e.epoch()
	var p0, p1 prover
	// unit 0 reaches the minimum in one batch; unit 1 stays one short
	var ids, ns [][32]byte
	for range e.p.MinProofsPerEpoch {
		ids, ns = append(ids, units[0]), append(ns, p0.next(ep.Nonce, units[0], ep.Target))
	}
	for range e.p.MinProofsPerEpoch - 1 {
		ids, ns = append(ids, units[1]), append(ns, p1.next(ep.Nonce, units[1], ep.Target))
	}
	r := e.submit(e.prov, ids, ns)
	wins := events(r, e.cap.UnpackUnitSucceededEvent)
	if len(wins) != 1 || wins[0].UnitId != units[0] || wins[0].Reward.Cmp(e.p.RewardPerUnitEpoch) != 0 {
		t.Fatalf("UnitSucceeded %+v", wins)
	}
	rw := call(e, e.a.Capacity, e.cap.PackRewardsOf(e.prov.Address()), e.cap.UnpackRewardsOf)
	if rw.Earned.Cmp(e.p.RewardPerUnitEpoch) != 0 || rw.Withdrawable.Cmp(e.p.RewardPerUnitEpoch) != 0 {
		t.Fatalf("rewards %+v", rw)
	}
	// more proofs above the minimum earn nothing more
	r = e.submit(e.prov, units[:1], [][32]byte{p0.next(ep.Nonce, units[0], ep.Target)})
	if len(events(r, e.cap.UnpackUnitSucceededEvent)) != 0 {
		t.Fatal("a second success in one epoch")
	}
	if c := e.commitment(id); c.Rewards.Cmp(e.p.RewardPerUnitEpoch) != 0 {
		t.Fatalf("commitment rewards %v", c.Rewards)
	}
	if u := e.units(units...); u[0].SuccessEpochs != 1 || u[1].SuccessEpochs != 0 {
		t.Fatalf("success epochs %+v", u)
	}

	// withdrawal pays the reward (minus gas), once
	before := e.balance(e.prov.Address())
	r = e.tx(e.prov, "withdrawRewards", e.a.Capacity, e.cap.PackWithdrawRewards(), nil)
	fee := new(big.Int).Mul(r.EffectiveGasPrice, new(big.Int).SetUint64(r.GasUsed))
	want := new(big.Int).Sub(new(big.Int).Add(before, e.p.RewardPerUnitEpoch), fee)
	if got := e.balance(e.prov.Address()); got.Cmp(want) != 0 {
		t.Fatalf("balance after withdrawal %v, want %v", got, want)
	}
	e.reverts(e.prov, "NothingToWithdraw", e.a.Capacity, e.cap.PackWithdrawRewards(), nil)
	rw = call(e, e.a.Capacity, e.cap.PackRewardsOf(e.prov.Address()), e.cap.UnpackRewardsOf)
	if rw.Withdrawn.Cmp(e.p.RewardPerUnitEpoch) != 0 || rw.Withdrawable.Sign() != 0 {
		t.Fatalf("rewards after withdrawal %+v", rw)
	}
}

// proveMin brings every unit to the minimum in the current epoch.
func (e *env) proveMin(s *txsend.Sender, units [][32]byte, ps []prover) {
	e.t.Helper()
	e.tx(s, "advanceEpoch", e.a.Capacity, e.cap.PackAdvanceEpoch(), nil)
	ep := e.epoch()
	var ids, ns [][32]byte
	for i, u := range units {
		for range e.p.MinProofsPerEpoch {
			ids, ns = append(ids, u), append(ns, ps[i].next(ep.Nonce, u, ep.Target))
		}
	}
	e.submit(s, ids, ns)
}

func TestMissedEpochSlashes(t *testing.T) {
	e := newEnv(t)
	id, units := e.provider(e.prov, "peer-a", 1, 10)
	ps := make([]prover, 1)
	e.next(1)
	e.proveMin(e.prov, units, ps) // epoch start: success
	e.next(2)                     // start+1 missed entirely
	// the next proof settles: one missed epoch, slashed 10% of the unit's collateral
	e.tx(e.prov, "advanceEpoch", e.a.Capacity, e.cap.PackAdvanceEpoch(), nil)
	ep := e.epoch()
	r := e.submit(e.prov, units, [][32]byte{ps[0].next(ep.Nonce, units[0], ep.Target)})
	sl := events(r, e.cap.UnpackUnitSlashedEvent)
	wantSlash := new(big.Int).Div(new(big.Int).Mul(e.p.CollateralPerUnit, big.NewInt(int64(e.p.SlashingRateBps))), big.NewInt(10000))
	if len(sl) != 1 || sl[0].MissedEpochs != 1 || sl[0].Amount.Cmp(wantSlash) != 0 || sl[0].CommitmentId != id {
		t.Fatalf("UnitSlashed %+v (want one epoch, %v wei)", sl, wantSlash)
	}
	c := e.commitment(id)
	if c.Slashed.Cmp(wantSlash) != 0 || c.FailCount != 1 || c.Status != contracts.StatusActive {
		t.Fatalf("commitment %+v", c)
	}
	if want := new(big.Int).Sub(e.p.CollateralPerUnit, wantSlash); c.Collateral.Cmp(want) != 0 {
		t.Fatalf("collateral %v, want %v", c.Collateral, want)
	}
	if u := e.units(units...)[0]; u.MissedEpochs != 1 || u.SuccessEpochs != 1 {
		t.Fatalf("unit %+v", u)
	}
	// settleUnits (anyone) accounts misses without a proof; views count pending misses first
	e.next(1) // this epoch had 1 proof (< min): a miss
	if u := e.units(units...)[0]; u.MissedEpochs != 2 {
		t.Fatalf("pending misses: unit %+v", u)
	}
	r = e.tx(e.other, "settleUnits", e.a.Capacity, e.cap.PackSettleUnits(units), nil)
	if sl := events(r, e.cap.UnpackUnitSlashedEvent); len(sl) != 1 || sl[0].MissedEpochs != 1 {
		t.Fatalf("settleUnits slashed %+v", sl)
	}
}

func TestCommitmentFailsAndFinishes(t *testing.T) {
	e := newEnv(t)
	id, units := e.provider(e.prov, "peer-a", 1, 20)
	ps := make([]prover, 1)
	e.next(1)
	e.proveMin(e.prov, units, ps)
	e.next(1 + int(e.p.MaxFailedRatio)) // MaxFailedRatio missed epochs: the limit for one unit
	if c := e.commitment(id); c.Status != contracts.StatusFailed || c.FailCount != e.p.MaxFailedRatio {
		t.Fatalf("view before settling: %+v", c)
	}
	// a proof settles the misses: the commitment fails in that transaction, the proof is ignored
	e.tx(e.prov, "advanceEpoch", e.a.Capacity, e.cap.PackAdvanceEpoch(), nil)
	ep := e.epoch()
	r := e.submit(e.prov, units, [][32]byte{ps[0].next(ep.Nonce, units[0], ep.Target)})
	if f := events(r, e.cap.UnpackCommitmentFailedEvent); len(f) != 1 || f[0].CommitmentId != id {
		t.Fatalf("CommitmentFailed %+v", f)
	}
	if n := len(events(r, e.cap.UnpackProofSubmittedEvent)); n != 0 {
		t.Fatalf("%d proofs recorded for a failed commitment", n)
	}
	re := e.reverts(e.prov, "CommitmentNotActive", e.a.Capacity, e.cap.PackSubmitProofs(ep.Epoch, units, [][32]byte{ps[0].next(ep.Nonce, units[0], ep.Target)}), nil)
	if re.Arg("status") != contracts.StatusFailed {
		t.Fatalf("status %v", re.Arg("status"))
	}
	// finish returns what is left of the collateral
	c := e.commitment(id)
	slashed := new(big.Int).Div(new(big.Int).Mul(e.p.CollateralPerUnit, big.NewInt(int64(e.p.SlashingRateBps)*int64(e.p.MaxFailedRatio))), big.NewInt(10000))
	if c.Slashed.Cmp(slashed) != 0 {
		t.Fatalf("slashed %v, want %v", c.Slashed, slashed)
	}
	e.reverts(e.other, "NotCommitmentOwner", e.a.Capacity, e.cap.PackFinish(id), nil)
	before := e.balance(e.prov.Address())
	r = e.tx(e.prov, "finish", e.a.Capacity, e.cap.PackFinish(id), nil)
	fin := events(r, e.cap.UnpackCommitmentFinishedEvent)
	left := new(big.Int).Sub(e.p.CollateralPerUnit, slashed)
	if len(fin) != 1 || fin[0].CollateralReturned.Cmp(left) != 0 {
		t.Fatalf("CommitmentFinished %+v, want %v back", fin, left)
	}
	fee := new(big.Int).Mul(r.EffectiveGasPrice, new(big.Int).SetUint64(r.GasUsed))
	if got, want := e.balance(e.prov.Address()), new(big.Int).Sub(new(big.Int).Add(before, left), fee); got.Cmp(want) != 0 {
		t.Fatalf("balance %v, want %v", got, want)
	}
	if c := e.commitment(id); c.Status != contracts.StatusFinished || c.Collateral.Sign() != 0 {
		t.Fatalf("after finish %+v", c)
	}
	e.reverts(e.prov, "CannotFinish", e.a.Capacity, e.cap.PackFinish(id), nil)
}

func TestExpiryAndRecommit(t *testing.T) {
	e := newEnv(t)
	const duration = 2
	id, units := e.provider(e.prov, "peer-a", 2, duration)
	pid := crypto.Keccak256Hash([]byte("peer-a"))
	ps := make([]prover, 2)
	e.reverts(e.prov, "CannotFinish", e.a.Capacity, e.cap.PackFinish(id), nil) // not started
	for range duration {
		e.next(1)
		e.proveMin(e.prov, units, ps)
	}
	e.reverts(e.prov, "CannotFinish", e.a.Capacity, e.cap.PackFinish(id), nil) // last epoch still running
	e.next(1)
	c := e.commitment(id)
	if c.Status != contracts.StatusInactive || c.FailCount != 0 {
		t.Fatalf("after the end: %+v", c)
	}
	// proofs after the end are rejected
	e.tx(e.prov, "advanceEpoch", e.a.Capacity, e.cap.PackAdvanceEpoch(), nil)
	ep := e.epoch()
	e.reverts(e.prov, "CommitmentNotActive", e.a.Capacity, e.cap.PackSubmitProofs(ep.Epoch, units[:1], [][32]byte{ps[0].next(ep.Nonce, units[0], ep.Target)}), nil)
	r := e.tx(e.prov, "finish", e.a.Capacity, e.cap.PackFinish(id), nil)
	full := new(big.Int).Mul(e.p.CollateralPerUnit, big.NewInt(2))
	if fin := events(r, e.cap.UnpackCommitmentFinishedEvent); len(fin) != 1 || fin[0].CollateralReturned.Cmp(full) != 0 {
		t.Fatalf("CommitmentFinished %+v, want all %v back", fin, full)
	}
	rw := call(e, e.a.Capacity, e.cap.PackRewardsOf(e.prov.Address()), e.cap.UnpackRewardsOf)
	if want := new(big.Int).Mul(e.p.RewardPerUnitEpoch, big.NewInt(2*duration)); rw.Earned.Cmp(want) != 0 {
		t.Fatalf("rewards %v, want %v", rw.Earned, want)
	}
	// the peer can commit again
	e.tx(e.prov, "createCommitment", e.a.Capacity, e.cap.PackCreateCommitment(pid, 5), full)
	info := call(e, e.a.Capacity, e.cap.PackPeerInfo(pid), e.cap.UnpackPeerInfo)
	if info.CommitmentId != id+1 {
		t.Fatalf("new commitment %d", info.CommitmentId)
	}
}

func TestRegistrationErrors(t *testing.T) {
	e := newEnv(t)
	pid := crypto.Keccak256Hash([]byte("peer-a"))
	e.reverts(e.prov, "BadUnitCount", e.a.Capacity, e.cap.PackRegisterPeer(pid, 0), nil)
	e.reverts(e.prov, "BadUnitCount", e.a.Capacity, e.cap.PackRegisterPeer(pid, 65), nil)
	e.reverts(e.prov, "ZeroPeerId", e.a.Capacity, e.cap.PackRegisterPeer([32]byte{}, 1), nil)
	e.tx(e.prov, "registerPeer", e.a.Capacity, e.cap.PackRegisterPeer(pid, 1), nil)
	e.reverts(e.other, "PeerExists", e.a.Capacity, e.cap.PackRegisterPeer(pid, 1), nil)
	e.reverts(e.other, "NotPeerOwner", e.a.Capacity, e.cap.PackCreateCommitment(pid, 5), e.p.CollateralPerUnit)
	re := e.reverts(e.prov, "WrongCollateral", e.a.Capacity, e.cap.PackCreateCommitment(pid, 5), big.NewInt(1))
	if re.Arg("required").(*big.Int).Cmp(e.p.CollateralPerUnit) != 0 {
		t.Fatalf("required %v", re.Arg("required"))
	}
	e.reverts(e.prov, "DurationTooShort", e.a.Capacity, e.cap.PackCreateCommitment(pid, 0), e.p.CollateralPerUnit)
	e.tx(e.prov, "createCommitment", e.a.Capacity, e.cap.PackCreateCommitment(pid, 5), e.p.CollateralPerUnit)
	e.reverts(e.prov, "CommitmentExists", e.a.Capacity, e.cap.PackCreateCommitment(pid, 5), e.p.CollateralPerUnit)
	e.reverts(e.prov, "OnlyOwner", e.a.Capacity, e.cap.PackSetProofLimits(1, 2), nil)
	e.reverts(e.prov, "OnlyMarket", e.a.Capacity, e.cap.PackSetUnitDeal(contracts.UnitID(pid, 0), 1), nil)
}

func TestTargetSchedule(t *testing.T) {
	e := newEnv(t)
	harder := contracts.TargetForBits(12)
	r := e.tx(e.owner, "scheduleTarget", e.a.Capacity, e.cap.PackScheduleTarget(harder), nil)
	cur := e.epoch().Epoch
	if ev := events(r, e.cap.UnpackTargetScheduledEvent); len(ev) != 1 || ev[0].FromEpoch != cur+1 {
		t.Fatalf("TargetScheduled %+v", ev)
	}
	if got := e.epoch().Target; got.Cmp(e.p.Target) != 0 {
		t.Fatalf("target changed early: %x", got)
	}
	e.next(1)
	if got := e.epoch().Target; got.Cmp(harder) != 0 {
		t.Fatalf("target %x, want %x", got, harder)
	}
	r = e.tx(e.prov, "advanceEpoch", e.a.Capacity, e.cap.PackAdvanceEpoch(), nil)
	adv := events(r, e.cap.UnpackEpochAdvancedEvent)
	if len(adv) != 1 || adv[0].Target.Cmp(harder) != 0 || adv[0].Epoch != cur+1 {
		t.Fatalf("EpochAdvanced %+v", adv)
	}
	// advancing twice in an epoch is a no-op
	r = e.tx(e.prov, "advanceEpoch", e.a.Capacity, e.cap.PackAdvanceEpoch(), nil)
	if len(r.Logs) != 0 {
		t.Fatal("second advance emitted events")
	}
}

func TestDealPaymentsAndWithdrawal(t *testing.T) {
	e := newEnv(t)
	_, units := e.provider(e.prov, "peer-a", 2, 50)
	pid := crypto.Keccak256Hash([]byte("peer-a"))
	usd := func(n int64) *big.Int { return big.NewInt(n * 1_000_000) }
	price := usd(2)

	// the customer gets tokens and creates a deal for 2 workers at 2 tUSD per worker-epoch
	e.tx(e.owner, "transfer", e.a.Token, e.tok.PackTransfer(e.customer.Address(), usd(1000)), nil)
	e.tx(e.customer, "approve", e.a.Token, e.tok.PackApprove(e.a.Market, usd(1000)), nil)
	e.reverts(e.customer, "DepositTooSmall", e.a.Market, e.mkt.PackCreateDeal([32]byte{1}, e.a.Token, price, 2, usd(7)), nil)
	r := e.tx(e.customer, "createDeal", e.a.Market, e.mkt.PackCreateDeal([32]byte{1}, e.a.Token, price, 2, usd(10)), nil)
	dealID := events(r, e.mkt.UnpackDealCreatedEvent)[0].DealId

	// the provider offers its peer and joins unit 0
	e.reverts(e.prov, "NoOffer", e.a.Market, e.mkt.PackJoinDeal(dealID, units[0]), nil)
	e.reverts(e.other, "NotPeerOwner", e.a.Market, e.mkt.PackRegisterOffer(usd(1), e.a.Token, [][32]byte{pid}), nil)
	e.tx(e.prov, "registerOffer", e.a.Market, e.mkt.PackRegisterOffer(usd(1), e.a.Token, [][32]byte{pid}), nil)
	e.reverts(e.other, "NotUnitOwner", e.a.Market, e.mkt.PackJoinDeal(dealID, units[0]), nil)
	e.tx(e.prov, "joinDeal", e.a.Market, e.mkt.PackJoinDeal(dealID, units[0]), nil)
	e.reverts(e.prov, "UnitBusy", e.a.Market, e.mkt.PackJoinDeal(dealID, units[0]), nil)
	if u := e.units(units...); u[0].DealId != dealID || u[1].DealId != 0 {
		t.Fatalf("deal ids %+v", u)
	}

	// a unit in a deal needs no proofs: proofs are rejected, and no misses are counted
	e.next(1)
	e.tx(e.prov, "advanceEpoch", e.a.Capacity, e.cap.PackAdvanceEpoch(), nil)
	ep := e.epoch()
	var p0, p1 prover
	e.reverts(e.prov, "UnitInDeal", e.a.Capacity, e.cap.PackSubmitProofs(ep.Epoch, units[:1], [][32]byte{p0.next(ep.Nonce, units[0], ep.Target)}), nil)
	e.submit(e.prov, [][32]byte{units[1], units[1]}, [][32]byte{p1.next(ep.Nonce, units[1], ep.Target), p1.next(ep.Nonce, units[1], ep.Target)})

	// a worker makes the unit paid from the next epoch on
	r = e.tx(e.prov, "setWorker", e.a.Market, e.mkt.PackSetWorker(dealID, units[0], [32]byte{9}), nil)
	ws := events(r, e.mkt.UnpackWorkerSetEvent)
	if len(ws) != 1 || ws[0].StartEpoch != ep.Epoch+1 {
		t.Fatalf("WorkerSet %+v (epoch %d)", ws, ep.Epoch)
	}
	e.next(1) // epoch start: paid once completed
	ud := call(e, e.a.Market, e.mkt.PackUnitDeal(units[0]), e.mkt.UnpackUnitDeal)
	if ud.Earned.Sign() != 0 {
		t.Fatalf("earned %v before any paid epoch completed", ud.Earned)
	}
	e.next(2) // two completed paid epochs
	ud = call(e, e.a.Market, e.mkt.PackUnitDeal(units[0]), e.mkt.UnpackUnitDeal)
	if want := usd(4); ud.Earned.Cmp(want) != 0 {
		t.Fatalf("earned %v after 2 epochs, want %v", ud.Earned, want)
	}
	// withdrawal pays the token to the provider
	before := call(e, e.a.Token, e.tok.PackBalanceOf(e.prov.Address()), e.tok.UnpackBalanceOf)
	e.reverts(e.other, "NotUnitOwner", e.a.Market, e.mkt.PackWithdrawEarnings(dealID, units[0]), nil)
	r = e.tx(e.prov, "withdrawEarnings", e.a.Market, e.mkt.PackWithdrawEarnings(dealID, units[0]), nil)
	if w := events(r, e.mkt.UnpackEarningsWithdrawnEvent); len(w) != 1 || w[0].Amount.Cmp(usd(4)) != 0 {
		t.Fatalf("EarningsWithdrawn %+v", w)
	}
	after := call(e, e.a.Token, e.tok.PackBalanceOf(e.prov.Address()), e.tok.UnpackBalanceOf)
	if d := new(big.Int).Sub(after, before); d.Cmp(usd(4)) != 0 {
		t.Fatalf("token balance grew by %v, want 4 tUSD", d)
	}
	e.reverts(e.prov, "NothingToWithdraw", e.a.Market, e.mkt.PackWithdrawEarnings(dealID, units[0]), nil)

	// underfunded: 10 tUSD pays 5 epochs of one worker; the rest are gaps
	e.next(5)
	di := call(e, e.a.Market, e.mkt.PackDealInfo(dealID), e.mkt.UnpackDealInfo)
	if di.GapEpochs != 2 || di.Balance.Sign() != 0 || di.Status != contracts.DealInsufficientFunds {
		t.Fatalf("deal %+v (want 2 gap epochs, empty, insufficient funds)", di)
	}
	ud = call(e, e.a.Market, e.mkt.PackUnitDeal(units[0]), e.mkt.UnpackUnitDeal)
	if want := usd(6); ud.Earned.Cmp(want) != 0 {
		t.Fatalf("earned %v, want %v (3 more paid epochs)", ud.Earned, want)
	}
	// a deposit pays from now on, not the gaps
	e.tx(e.customer, "deposit", e.a.Market, e.mkt.PackDeposit(dealID, usd(20)), nil)
	e.next(1)
	ud = call(e, e.a.Market, e.mkt.PackUnitDeal(units[0]), e.mkt.UnpackUnitDeal)
	if want := usd(8); ud.Earned.Cmp(want) != 0 {
		t.Fatalf("earned %v after the deposit, want %v", ud.Earned, want)
	}

	// leaving pays the earnings and returns the unit to its commitment from the next epoch
	before = call(e, e.a.Token, e.tok.PackBalanceOf(e.prov.Address()), e.tok.UnpackBalanceOf)
	r = e.tx(e.prov, "leaveDeal", e.a.Market, e.mkt.PackLeaveDeal(dealID, units[0]), nil)
	if l := events(r, e.mkt.UnpackUnitLeftEvent); len(l) != 1 || l[0].EarningsPaid.Cmp(usd(8)) != 0 {
		t.Fatalf("UnitLeft %+v", l)
	}
	after = call(e, e.a.Token, e.tok.PackBalanceOf(e.prov.Address()), e.tok.UnpackBalanceOf)
	if d := new(big.Int).Sub(after, before); d.Cmp(usd(8)) != 0 {
		t.Fatalf("paid %v on leaving, want 8 tUSD", d)
	}
	u := e.units(units...)[0]
	if u.DealId != 0 || u.MissedEpochs != 0 {
		t.Fatalf("unit after leaving %+v", u)
	}
	e.next(1)
	e.proveMin(e.prov, units, []prover{p0, p1})
	if u := e.units(units...)[0]; u.MissedEpochs != 0 || u.SuccessEpochs != 1 {
		t.Fatalf("unit proving again %+v", u)
	}

	// stopping refunds the rest to the customer
	cb := call(e, e.a.Token, e.tok.PackBalanceOf(e.customer.Address()), e.tok.UnpackBalanceOf)
	di = call(e, e.a.Market, e.mkt.PackDealInfo(dealID), e.mkt.UnpackDealInfo)
	r = e.tx(e.customer, "stopDeal", e.a.Market, e.mkt.PackStopDeal(dealID), nil)
	st := events(r, e.mkt.UnpackDealStoppedEvent)
	if len(st) != 1 || st[0].Refund.Cmp(di.Balance) != 0 {
		t.Fatalf("DealStopped %+v, balance was %v", st, di.Balance)
	}
	ca := call(e, e.a.Token, e.tok.PackBalanceOf(e.customer.Address()), e.tok.UnpackBalanceOf)
	if d := new(big.Int).Sub(ca, cb); d.Cmp(di.Balance) != 0 {
		t.Fatalf("refund %v, want %v", d, di.Balance)
	}
	e.reverts(e.customer, "DealEnded", e.a.Market, e.mkt.PackDeposit(dealID, usd(1)), nil)
	if di = call(e, e.a.Market, e.mkt.PackDealInfo(dealID), e.mkt.UnpackDealInfo); di.Status != contracts.DealEnded {
		t.Fatalf("status %s", contracts.DealStatusName(di.Status))
	}
}

func TestTokenFaucetAndErrors(t *testing.T) {
	e := newEnv(t)
	me := e.customer.Address()
	e.tx(e.customer, "faucet", e.a.Token, e.tok.PackFaucet(big.NewInt(5_000_000)), nil)
	if b := call(e, e.a.Token, e.tok.PackBalanceOf(me), e.tok.UnpackBalanceOf); b.Int64() != 5_000_000 {
		t.Fatalf("balance %v", b)
	}
	re := e.reverts(e.customer, "ERC20InsufficientBalance", e.a.Token, e.tok.PackTransfer(e.prov.Address(), big.NewInt(6_000_000)), nil)
	if re.Arg("needed").(*big.Int).Int64() != 6_000_000 {
		t.Fatalf("needed %v", re.Arg("needed"))
	}
	e.reverts(e.customer, "FaucetLimit", e.a.Token, e.tok.PackFaucet(new(big.Int).Lsh(big.NewInt(1), 64)), nil)
	e.reverts(e.customer, "OnlyOwner", e.a.Token, e.tok.PackMint(me, big.NewInt(1)), nil)
}

// TestProofGas records the gas of submitProofs for the performance notes.
func TestProofGas(t *testing.T) {
	e := newEnv(t)
	_, units := e.provider(e.prov, "peer-a", 8, 10)
	ps := make([]prover, 8)
	e.next(1)
	r := e.tx(e.prov, "advanceEpoch", e.a.Capacity, e.cap.PackAdvanceEpoch(), nil)
	t.Logf("advanceEpoch: %d gas", r.GasUsed)
	ep := e.epoch()
	one := e.submit(e.prov, units[:1], [][32]byte{ps[0].next(ep.Nonce, units[0], ep.Target)})
	again := e.submit(e.prov, units[:1], [][32]byte{ps[0].next(ep.Nonce, units[0], ep.Target)}) // reaches min: reward credit
	third := e.submit(e.prov, units[:1], [][32]byte{ps[0].next(ep.Nonce, units[0], ep.Target)})
	var ids, ns [][32]byte
	for i := 1; i < 8; i++ {
		ids, ns = append(ids, units[i]), append(ns, ps[i].next(ep.Nonce, units[i], ep.Target))
	}
	batch := e.submit(e.prov, ids, ns)
	perProof := batch.GasUsed / 7
	t.Logf("submitProofs: first proof of a unit in an epoch %d gas; second (min reached, reward) %d; third %d; batch of 7 units %d (%d per proof)",
		one.GasUsed, again.GasUsed, third.GasUsed, batch.GasUsed, perProof)
	if one.GasUsed > 150_000 || perProof > 60_000 {
		t.Fatalf("gas regression: %d for one proof, %d per proof in a batch", one.GasUsed, perProof)
	}
	// steady state: the units' slots exist, a later epoch only rewrites them
	e.next(1)
	e.tx(e.prov, "advanceEpoch", e.a.Capacity, e.cap.PackAdvanceEpoch(), nil)
	ep = e.epoch()
	one = e.submit(e.prov, units[:1], [][32]byte{ps[0].next(ep.Nonce, units[0], ep.Target)})
	ids, ns = nil, nil
	for i := 1; i < 8; i++ {
		ids, ns = append(ids, units[i]), append(ns, ps[i].next(ep.Nonce, units[i], ep.Target))
	}
	batch = e.submit(e.prov, ids, ns)
	ids, ns = nil, nil
	for i := 1; i < 8; i++ {
		ids, ns = append(ids, units[i]), append(ns, ps[i].next(ep.Nonce, units[i], ep.Target))
	}
	batch2 := e.submit(e.prov, ids, ns) // the second proof of 7 units: each reaches min and earns
	t.Logf("later epoch: one proof %d gas; batch of 7 units %d (%d per proof); 7 more reaching min %d (%d per proof)",
		one.GasUsed, batch.GasUsed, batch.GasUsed/7, batch2.GasUsed, batch2.GasUsed/7)
}

// TestArtifactsMatchBindings: the committed build/*.abi and build/*.bin are what the bindings
// embed (gen.sh writes both; this catches a half-regenerated tree).
func TestArtifactsMatchBindings(t *testing.T) {
	for _, c := range []struct {
		name string
		meta *bind.MetaData
	}{{"Capacity", &contracts.CapacityMetaData}, {"Market", &contracts.MarketMetaData}, {"TestUSD", &contracts.TestUSDMetaData}} {
		bin, err := os.ReadFile(filepath.Join("build", c.name+".bin"))
		if err != nil {
			t.Fatal(err)
		}
		if "0x"+strings.TrimSpace(string(bin)) != c.meta.Bin {
			t.Errorf("%s: build/%s.bin differs from the binding's bytecode: run gen.sh", c.name, c.name)
		}
		abiJSON, err := os.ReadFile(filepath.Join("build", c.name+".abi"))
		if err != nil {
			t.Fatal(err)
		}
		var a, b any
		// abigen drops the spaces solc writes in internalType ("struct Capacity.Params")
		if err := json.Unmarshal([]byte(strings.ReplaceAll(string(abiJSON), " ", "")), &a); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(c.meta.ABI), &b); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: build/%s.abi differs from the binding's ABI: run gen.sh", c.name, c.name)
		}
	}
}
