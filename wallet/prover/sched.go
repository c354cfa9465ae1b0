package prover

import (
	"sync"
	"sync/atomic"
	"time"
)

// foundProof is a proof a worker found.
type foundProof struct {
	Epoch      uint32
	Unit       int
	UnitID     [32]byte
	LocalNonce [32]byte
	Hash       [32]byte
	At         time.Time
}

// job is what the workers prove: one epoch's nonce and target.
type job struct {
	epoch  uint32
	nonce  [32]byte
	target [32]byte
	max    uint32
}

type unitSched struct {
	id     [32]byte
	found  uint32 // proofs this epoch, found here or already on chain
	busy   bool   // a worker is on it
	active bool   // needs proofs (not in a deal)
}

// sched hands units to workers: the unit with the fewest proofs this epoch that isn't at the
// maximum and has no worker, so units below the minimum get the cores first and units at the
// maximum park. Found proofs queue in order for the submitter.
type sched struct {
	gen atomic.Uint64 // bumped when the job changes; workers on an older generation stop

	mu     sync.Mutex
	wake   chan struct{} // closed and replaced when a unit may have become available
	job    *job
	units  []unitSched
	seq    uint64
	queue  []foundProof
	notify chan struct{} // has a value when queue is non-empty
}

func newSched(ids [][32]byte) *sched {
	s := &sched{wake: make(chan struct{}), notify: make(chan struct{}, 1)}
	for _, id := range ids {
		s.units = append(s.units, unitSched{id: id, active: true})
	}
	return s
}

func (s *sched) broadcast() {
	close(s.wake)
	s.wake = make(chan struct{})
}

// setJob starts proving j; counts are the proofs already on chain this epoch per unit, active
// which units need proofs. Proofs queued for another epoch are dropped.
func (s *sched) setJob(j job, counts []uint32, active []bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sameEpoch := s.job != nil && s.job.epoch == j.epoch
	s.job = &j
	for i := range s.units {
		u := &s.units[i]
		if !sameEpoch {
			u.found = 0
		}
		if i < len(counts) {
			u.found = max(u.found, counts[i])
		}
		if i < len(active) {
			u.active = active[i]
		}
		u.busy = false
	}
	s.dropQueuedLocked(j.epoch)
	s.gen.Add(1)
	s.broadcast()
}

// stopJob parks every worker.
func (s *sched) stopJob() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.job == nil {
		return
	}
	s.job = nil
	for i := range s.units {
		s.units[i].busy = false
	}
	s.queue = nil
	s.gen.Add(1)
	s.broadcast()
}

// current returns the job being proven, if any.
func (s *sched) current() (job, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.job == nil {
		return job{}, false
	}
	return *s.job, true
}

func (s *sched) dropQueuedLocked(epoch uint32) {
	kept := s.queue[:0]
	for _, p := range s.queue {
		if p.Epoch == epoch {
			kept = append(kept, p)
		}
	}
	s.queue = kept
}

// acquire blocks until a unit needs a worker, then returns it with its task and the job
// generation; ok is false once stop is closed.
func (s *sched) acquire(stop <-chan struct{}) (u int, t Task, gen uint64, ok bool) {
	for {
		select {
		case <-stop:
			return 0, Task{}, 0, false
		default:
		}
		s.mu.Lock()
		if s.job != nil {
			best := -1
			for i := range s.units {
				x := &s.units[i]
				if x.busy || !x.active || x.found >= s.job.max {
					continue
				}
				if best < 0 || x.found < s.units[best].found {
					best = i
				}
			}
			if best >= 0 {
				s.units[best].busy = true
				s.seq = max(s.seq+1, uint64(time.Now().UnixNano()))
				t = Task{GlobalNonce: s.job.nonce, UnitID: s.units[best].id, Target: s.job.target, Seq: s.seq}
				gen = s.gen.Load()
				s.mu.Unlock()
				return best, t, gen, true
			}
		}
		w := s.wake
		s.mu.Unlock()
		select {
		case <-stop:
			return 0, Task{}, 0, false
		case <-w:
		}
	}
}

// release gives unit u back; a proof found under the current generation is counted and queued.
func (s *sched) release(u int, gen uint64, p *foundProof) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if gen != s.gen.Load() || s.job == nil {
		return // the job changed: the unit was already freed and the proof is stale
	}
	x := &s.units[u]
	x.busy = false
	if p != nil && x.found < s.job.max {
		x.found++
		p.Epoch = s.job.epoch
		s.queue = append(s.queue, *p)
		select {
		case s.notify <- struct{}{}:
		default:
		}
	}
	s.broadcast()
}

// take removes and returns the queued proofs.
func (s *sched) take() []foundProof {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queue
	s.queue = nil
	return q
}

// requeue puts proofs back at the front of the queue (after a failed send), if their epoch is
// still being proven.
func (s *sched) requeue(ps []foundProof) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.job == nil {
		return
	}
	var keep []foundProof
	for _, p := range ps {
		if p.Epoch == s.job.epoch {
			keep = append(keep, p)
		}
	}
	s.queue = append(keep, s.queue...)
	if len(s.queue) > 0 {
		select {
		case s.notify <- struct{}{}:
		default:
		}
	}
}

// forget lowers a unit's count after proofs were dropped (their batch reverted), so the unit is
// proven again; the count never goes below what the chain has.
func (s *sched) forget(u int, epoch uint32, n uint32, onChain uint32) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.job == nil || s.job.epoch != epoch {
		return
	}
	x := &s.units[u]
	if x.found >= n {
		x.found -= n
	} else {
		x.found = 0
	}
	x.found = max(x.found, onChain)
	s.broadcast()
}

// counts returns the per-unit proofs this epoch as the scheduler knows them, and whether each
// unit has a worker.
func (s *sched) counts() (found []uint32, busy []bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.units {
		found = append(found, u.found)
		busy = append(busy, u.busy)
	}
	return found, busy
}

// floor raises the units' counts to what the chain has (after a restart or a dropped batch).
func (s *sched) floor(counts []uint32) {
	s.mu.Lock()
	defer s.mu.Unlock()
	changed := false
	for i := range s.units {
		if i < len(counts) && counts[i] > s.units[i].found {
			s.units[i].found = counts[i]
			changed = true
		}
	}
	if changed {
		s.broadcast()
	}
}

// reset replaces the units (the job stops).
func (s *sched) reset(ids [][32]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.units = s.units[:0]
	for _, id := range ids {
		s.units = append(s.units, unitSched{id: id, active: true})
	}
	s.job = nil
	s.queue = nil
	s.gen.Add(1)
	s.broadcast()
}
