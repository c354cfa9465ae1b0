package prover

import (
	"encoding/binary"
	"testing"
	"time"
)

// BenchmarkHash compares, on one core, a bare keccak256 loop over 96-byte inputs with the
// prover's search round and with a whole prover worker (scheduler, meter, generation checks).
// The worker's rate should be at least 90% of the bare loop's.
//
//	go test -run '^$' -bench Hash -benchtime 3s ./wallet/prover/
func BenchmarkHash(b *testing.B) {
	b.Run("bare-keccak", func(b *testing.B) {
		BareKeccak(b.N)
		report(b)
	})
	b.Run("search-round", func(b *testing.B) {
		SearchRounds(b.N)
		report(b)
	})
	b.Run("worker", func(b *testing.B) {
		total := RunWorkers(1, func(total uint64) bool { return total >= uint64(b.N) })
		b.StopTimer()
		// the worker ran slightly past b.N; charge the extra hashes to the time measured
		b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "H/s")
	})
}

func report(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "H/s")
}

func TestSearchFindsValidIncreasingNonces(t *testing.T) {
	task := Task{GlobalNonce: [32]byte{7}, UnitID: [32]byte{9}, Seq: 42}
	task.Target[0] = 0x02 // about 1 in 128
	s := newSearcher()
	s.start(&task)
	var last [32]byte
	found := 0
	for range 64 {
		if _, ok := s.round(RoundSize); !ok {
			continue
		}
		ln := s.localNonce()
		h := s.hash()
		if ProofHash(task.GlobalNonce, task.UnitID, ln) != h || h[0] > 0x02 || h == [32]byte{} {
			t.Fatalf("bad proof %x -> %x", ln, h)
		}
		if binary.BigEndian.Uint64(ln[:8]) != 42 {
			t.Fatalf("session number not in the nonce: %x", ln)
		}
		if found > 0 && string(ln[:]) <= string(last[:]) {
			t.Fatalf("nonces not increasing: %x then %x", last, ln)
		}
		last = ln
		found++
	}
	if found < 10 {
		t.Fatalf("found only %d proofs", found)
	}
}

// TestSchedPriority: units below the others get the workers; units at the maximum park.
func TestSchedPriority(t *testing.T) {
	s := newSched([][32]byte{{1}, {2}, {3}})
	s.setJob(job{epoch: 3, max: 2}, []uint32{2, 1, 0}, []bool{true, true, true})
	stop := make(chan struct{})
	u, task, gen, ok := s.acquire(stop)
	if !ok || u != 2 || task.UnitID != [32]byte{3} {
		t.Fatalf("first pick %d", u)
	}
	u2, t2, _, _ := s.acquire(stop)
	if u2 != 1 || t2.Seq <= task.Seq {
		t.Fatalf("second pick %d (seq %d after %d)", u2, t2.Seq, task.Seq)
	}
	// unit 0 is at the maximum and the others are busy: nothing left
	done := make(chan int)
	go func() {
		u, _, _, ok := s.acquire(stop)
		if !ok {
			u = -1
		}
		done <- u
	}()
	select {
	case u := <-done:
		t.Fatalf("acquired %d while all units are busy or done", u)
	case <-time.After(50 * time.Millisecond):
	}
	s.release(2, gen, &foundProof{Unit: 2})
	if u := <-done; u != 2 {
		t.Fatalf("after a release got %d", u)
	}
	if q := s.take(); len(q) != 1 || q[0].Epoch != 3 {
		t.Fatalf("queue %+v", q)
	}
	// a proof from an old generation is dropped
	s.setJob(job{epoch: 4, max: 2}, nil, nil)
	s.release(1, gen, &foundProof{Unit: 1})
	if q := s.take(); len(q) != 0 {
		t.Fatalf("stale proof queued: %+v", q)
	}
	close(stop)
	if _, _, _, ok := s.acquire(stop); ok {
		t.Fatal("acquire after stop")
	}
}
