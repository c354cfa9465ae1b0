package prover

import (
	"math"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/reefhq/reef/wallet/contracts"
)

// chainNow estimates the chain's clock: the head's timestamp plus the time since it was seen.
func chainNow(headTime, seenAt, now time.Time) time.Time {
	if headTime.IsZero() {
		return now
	}
	return headTime.Add(now.Sub(seenAt))
}

// Capacity returns the capacity pane's snapshot.
func (p *Provider) Capacity() CapacitySnapshot {
	now := time.Now()
	cs := p.ch.State()
	found, busy := p.sched.counts()
	rate := p.meter.Rate()
	samples := p.meter.Samples()
	_, running := p.sched.current()

	p.mu.Lock()
	defer p.mu.Unlock()
	st := &p.st
	s := CapacitySnapshot{
		At: now, Chain: cs, HeadAge: cs.HeadAge(now), Address: p.Address(), PeerKey: p.peerKey, Phase: st.phase,
		LastError: st.lastErr, ErrorAt: st.errAt,
		Epoch: st.epoch, EpochDuration: st.epochDur,
		GlobalNonce: st.nonce, NonceEpoch: st.nonceEpoch, MinProofs: st.min, MaxProofs: st.max,
		HashRate: rate, HashRateSamples: samples, TotalHashes: p.meter.Total(),
		Threads: p.cfg.threads, Workers: min(p.cfg.threads, p.cfg.units),
		ProofsFound: st.found, ProofsSubmitted: st.submitted, ProofsConfirmed: st.confirmed, ProofsDropped: st.dropped,
		RecentProofs: append([]ProofRecord(nil), st.recent...),
		Commitment:   st.commitment,
	}
	if st.commitment.Collateral != nil {
		s.Commitment.Collateral = new(big.Int).Set(st.commitment.Collateral)
	}
	if st.epochDur > 0 && st.epoch > 0 {
		s.EpochStart = st.init.Add(time.Duration(st.epoch-1) * st.epochDur)
		s.EpochEnd = s.EpochStart.Add(st.epochDur)
		cn := chainNow(cs.HeadTime, cs.HeadSeenAt, now)
		s.EpochEndsIn = max(s.EpochEnd.Sub(cn), 0)
		s.EpochProgress = math.Min(1, math.Max(0, float64(cn.Sub(s.EpochStart))/float64(st.epochDur)))
		s.NonceStale = st.nonceEpoch < st.epoch || cn.After(s.EpochEnd)
	}
	if st.target != nil {
		s.Target = "0x" + st.target.Text(16)
		s.ExpectedHashes = contracts.ExpectedHashes(st.target)
		s.TargetBits = contracts.TargetBits(st.target)
		if rate > 0 {
			s.ExpectedProofTime = time.Duration(s.ExpectedHashes / rate * float64(time.Second))
		}
	}
	for _, b := range busy {
		if b {
			s.BusyWorkers++
		}
	}
	for i, id := range st.unitIDs {
		u := st.units[i]
		us := UnitSnapshot{Index: i, ID: common.Hash(id), SuccessEpochs: u.chain.SuccessEpochs, MissedEpochs: u.chain.MissedEpochs,
			DealID: u.chain.DealId, HashRate: p.meter.UnitRate(i)}
		if u.epoch == st.epoch {
			us.Submitted, us.Confirmed = u.submitted, u.confirmed
		}
		if running && i < len(found) {
			us.Found = max(found[i], us.Confirmed)
		} else {
			us.Found = us.Confirmed
		}
		us.Status = unitStatus(st, us)
		if us.Status == UnitProving {
			s.UnitsProving++
			need := float64(st.min) - float64(us.Found)
			if need > 0 && s.ExpectedHashes > 0 {
				r := us.HashRate
				if r <= 0 && s.Workers > 0 {
					r = rate / float64(max(1, len(st.unitIDs)))
				}
				eta := math.Inf(1)
				if r > 0 {
					eta = need * s.ExpectedHashes / r
				}
				us.AtRisk = eta > s.EpochEndsIn.Seconds()
			}
		} else if us.Status == UnitMinReached {
			s.UnitsProving++
		}
		s.Units = append(s.Units, us)
	}
	s.Network = NetworkSnapshot{Epoch: st.netEpoch, UnitsThisEpoch: len(st.netUnits), Recent: append([]NetworkProof(nil), st.netRecent...)}
	for _, c := range st.netUnits {
		s.Network.ProofsThisEpoch += int(c)
	}
	return s
}

func unitStatus(st *pstate, u UnitSnapshot) string {
	switch {
	case u.DealID != 0:
		return UnitInDeal
	case st.commitment.StatusCode == contracts.StatusWaitStart:
		return UnitWaiting
	case st.commitment.StatusCode == contracts.StatusFailed:
		return UnitFailed
	case st.commitment.StatusCode != contracts.StatusActive:
		return UnitIdle
	case st.max > 0 && u.Confirmed >= st.max:
		return UnitMaxReached
	case st.min > 0 && u.Confirmed >= st.min:
		return UnitMinReached
	}
	return UnitProving
}

// Wallet returns the balances pane's snapshot.
func (p *Provider) Wallet() WalletSnapshot {
	p.mu.Lock()
	defer p.mu.Unlock()
	w := p.st.wallet
	w.Address = p.Address()
	w.Deals = append([]DealSnapshot(nil), w.Deals...)
	w.CollateralLocked = p.st.commitment.Collateral
	w.CollateralSlashed = p.st.commitment.Slashed
	w.RewardsThisEpoch = new(big.Int)
	if p.st.rewardEpoch == p.st.epoch && p.st.rewardAcc != nil {
		w.RewardsThisEpoch.Set(p.st.rewardAcc)
	}
	w.GasSpent = new(big.Int).Set(p.st.gasSpent)
	w.GasSpentEpoch = new(big.Int)
	if p.st.gasEpoch == p.st.epoch {
		w.GasSpentEpoch.Set(p.st.gasSpentEp)
	}
	w.GasUsed = p.st.gasUsed
	w.TxCount = len(p.st.txs)
	w.RecentTxs = append([]TxRecord(nil), p.st.txs...)
	return w
}

// Status returns the provider's part of GET /status.
func (p *Provider) Status() Status {
	c := p.Capacity()
	w := p.Wallet()
	st := Status{
		Capacity: CapacityStatus{
			Chain: string(c.Chain.Kind), ChainURL: c.Chain.URL, ChainID: c.Chain.ChainID, Connected: c.Chain.Connected,
			Head: c.Chain.Head, Phase: c.Phase, Commitment: c.Commitment.Status, Epoch: c.Epoch,
			EpochEndsInS: math.Round(c.EpochEndsIn.Seconds()*10) / 10, HashRate: math.Round(c.HashRate),
			Units: len(c.Units), ProofsFound: c.ProofsFound, ProofsConfirmed: c.ProofsConfirmed,
			Rewards: bigString(w.RewardsEarned), LastError: c.LastError,
		},
		Wallet: WalletStatus{Address: w.Address.Hex(), Balance: bigString(w.Native), TokenBalance: bigString(w.Token)},
	}
	n := c.Network
	st.Capacity.NetworkEpoch, st.Capacity.NetworkProofs, st.Capacity.NetworkUnits = n.Epoch, n.ProofsThisEpoch, n.UnitsThisEpoch
	for _, r := range n.Recent {
		if !r.Mine {
			st.Capacity.NetworkOthersRecent++
		}
	}
	return st
}

func bigString(v *big.Int) string {
	if v == nil {
		return "0"
	}
	return v.String()
}
