package prover

import (
	"errors"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/reefhq/reef/wallet/txsend"
)

// benignReverts are reverts a prover runs into in normal operation: its proofs are dropped,
// nothing is wrong.
var benignReverts = []string{
	"StaleEpoch",          // the epoch ended before the transaction was mined
	"TooManyProofs",       // the unit already has the maximum this epoch
	"NonceNotIncreasing",  // a proof already landed (a retried transaction)
	"CommitmentNotActive", // the commitment ended or failed meanwhile
	"UnitInDeal",          // the unit moved into a deal meanwhile
	"NoCommitment",        // the commitment was finished meanwhile
}

// submitLoop batches found proofs into submitProofs transactions.
func (p *Provider) submitLoop() {
	defer p.wg.Done()
	var batch []foundProof
	var first time.Time
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-p.sched.notify:
			for _, fp := range p.sched.take() {
				batch = append(batch, fp)
				p.recordFound(fp)
			}
		case <-timer.C:
		}
		j, running := p.sched.current()
		kept := batch[:0]
		for _, fp := range batch {
			if running && fp.Epoch == j.epoch {
				kept = append(kept, fp)
			} else {
				p.recordDropped([]foundProof{fp}, common.Hash{}, "epoch ended before it was sent")
			}
		}
		batch = kept
		if len(batch) == 0 {
			first = time.Time{}
			continue
		}
		if first.IsZero() {
			first = time.Now()
		}
		if len(batch) < p.cfg.batchMax && time.Since(first) < p.cfg.batchWait && !p.epochEnding() {
			timer.Reset(p.cfg.batchWait - time.Since(first))
			continue
		}
		n := min(len(batch), p.cfg.batchMax)
		sending := append([]foundProof(nil), batch[:n]...)
		batch = append(batch[:0], batch[n:]...)
		first = time.Time{}
		if len(batch) > 0 {
			first = time.Now()
			timer.Reset(0)
		}
		p.submit(sending)
	}
}

// epochEnding reports whether the current epoch is in its last fifth (at most the last minute).
func (p *Provider) epochEnding() bool {
	c := p.Capacity()
	if c.EpochDuration == 0 {
		return false
	}
	window := min(c.EpochDuration/5, time.Minute)
	return c.EpochEndsIn < window
}

// submit sends one batch and accounts for the outcome.
func (p *Provider) submit(ps []foundProof) {
	s := p.sender.Load()
	if s == nil {
		p.sched.requeue(ps)
		return
	}
	epoch := ps[0].Epoch
	ids := make([][32]byte, len(ps))
	nonces := make([][32]byte, len(ps))
	for i, fp := range ps {
		ids[i], nonces[i] = fp.UnitID, fp.LocalNonce
	}
	p.recordSubmitted(ps)
	capAddr := p.addresses().Capacity
	r, err := p.transact(p.ctx, "submitProofs", capAddr, p.capABI.PackSubmitProofs(epoch, ids, nonces), nil)
	switch {
	case err == nil:
		var rewards = new(big.Int)
		confirmed := map[[32]byte]uint32{}
		for _, l := range r.Logs {
			if ev, err := p.capABI.UnpackProofSubmittedEvent(l); err == nil {
				confirmed[ev.UnitId] = max(confirmed[ev.UnitId], ev.Count)
			} else if ev, err := p.capABI.UnpackUnitSucceededEvent(l); err == nil {
				rewards.Add(rewards, ev.Reward)
			}
		}
		p.recordConfirmed(ps, r.TxHash, epoch, confirmed, rewards)
		p.log.Debug("proofs confirmed", "epoch", epoch, "proofs", len(ps), "tx", r.TxHash.Hex(), "gas_used", r.GasUsed)
		p.Refresh()
	case txsend.IsRevert(err):
		var re *txsend.RevertError
		errors.As(err, &re)
		benign := txsend.IsRevert(err, benignReverts...)
		reason := re.Name
		if reason == "" {
			reason = re.Error()
		}
		p.recordDropped(ps, re.TxHash, reason)
		if !benign {
			p.setError(err)
		} else {
			p.log.Debug("proofs dropped", "epoch", epoch, "proofs", len(ps), "reason", reason)
		}
		p.Refresh()
	default:
		if p.ctx.Err() != nil {
			return
		}
		// Unknown outcome (the endpoint is down, or the receipt didn't come): try again; if the
		// first transaction lands after all, the retry is dropped as NonceNotIncreasing.
		p.setError(err)
		p.unsubmit(ps)
		p.sched.requeue(ps)
		select {
		case <-p.stop:
		case <-time.After(time.Second):
		}
	}
}

func (p *Provider) recordFound(fp foundProof) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.st.found++
	p.st.recent = prepend(p.st.recent, ProofRecord{
		At: fp.At, Epoch: fp.Epoch, Unit: fp.Unit, UnitID: fp.UnitID, LocalNonce: fp.LocalNonce, Hash: fp.Hash, Status: ProofFound,
	}, 32)
}

func (p *Provider) updateRecordsLocked(ps []foundProof, f func(r *ProofRecord)) {
	for _, fp := range ps {
		for i := range p.st.recent {
			r := &p.st.recent[i]
			if r.UnitID == fp.UnitID && r.LocalNonce == fp.LocalNonce {
				f(r)
				break
			}
		}
	}
}

func (p *Provider) unitLocked(fp foundProof) *unitState {
	if fp.Unit < 0 || fp.Unit >= len(p.st.units) {
		return nil
	}
	u := &p.st.units[fp.Unit]
	if u.epoch != fp.Epoch {
		*u = unitState{epoch: fp.Epoch, chain: u.chain}
	}
	return u
}

func (p *Provider) recordSubmitted(ps []foundProof) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.st.submitted += uint64(len(ps))
	for _, fp := range ps {
		if u := p.unitLocked(fp); u != nil {
			u.submitted++
		}
	}
	p.updateRecordsLocked(ps, func(r *ProofRecord) { r.Status = ProofSubmitted })
}

func (p *Provider) unsubmit(ps []foundProof) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.st.submitted -= uint64(len(ps))
	for _, fp := range ps {
		if u := p.unitLocked(fp); u != nil && u.submitted > 0 {
			u.submitted--
		}
	}
	p.updateRecordsLocked(ps, func(r *ProofRecord) { r.Status = ProofFound })
}

func (p *Provider) recordConfirmed(ps []foundProof, tx common.Hash, epoch uint32, counts map[[32]byte]uint32, rewards *big.Int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.st.confirmed += uint64(len(ps))
	for _, fp := range ps {
		if u := p.unitLocked(fp); u != nil {
			u.confirmed = max(u.confirmed, counts[fp.UnitID])
		}
	}
	p.updateRecordsLocked(ps, func(r *ProofRecord) { r.Status, r.Tx = ProofConfirmed, tx })
	if p.st.rewardEpoch != epoch {
		p.st.rewardEpoch, p.st.rewardAcc = epoch, new(big.Int)
	}
	p.st.rewardAcc = new(big.Int).Add(p.st.rewardAcc, rewards)
}

func (p *Provider) recordDropped(ps []foundProof, tx common.Hash, reason string) {
	p.mu.Lock()
	per := map[int]uint32{}
	onChain := map[int]uint32{}
	for _, fp := range ps {
		per[fp.Unit]++
		if u := p.unitLocked(fp); u != nil {
			onChain[fp.Unit] = u.confirmed
		}
	}
	p.st.dropped += uint64(len(ps))
	status := ProofDropped
	if !strings.Contains(strings.Join(benignReverts, " "), reason) && reason != "epoch ended before it was sent" {
		status = ProofRejected
	}
	p.updateRecordsLocked(ps, func(r *ProofRecord) { r.Status, r.Reason, r.Tx = status, reason, tx })
	p.mu.Unlock()
	for u, n := range per {
		p.sched.forget(u, ps[0].Epoch, n, onChain[u])
	}
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
