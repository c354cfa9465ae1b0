package prover

import (
	"encoding/binary"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
)

// Hash-rate measurement shared by the package's benchmark (bench_test.go) and
// `reef bench prover`: the bare keccak256 loop a worker is compared with, the search round,
// and whole workers.

// BareKeccak hashes n 96-byte inputs (the size of a proof's preimage) in a bare keccak256
// loop, with a counter in the last bytes: the ceiling of one core's proving rate.
func BareKeccak(n int) {
	h := crypto.NewKeccakState()
	var buf [96]byte
	var out [32]byte
	for i := range n {
		binary.BigEndian.PutUint64(buf[88:], uint64(i))
		h.Reset()
		h.Write(buf[:])
		h.Read(out[:])
	}
}

// SearchRounds hashes n local nonces through the prover's search round, with a target no
// hash meets.
func SearchRounds(n int) {
	s := newSearcher()
	s.start(&Task{Seq: 1}) // target 0: nothing is ever found
	for n > 0 {
		k, _ := s.round(min(n, RoundSize))
		n -= k
	}
}

// RunWorkers runs threads prover workers (scheduler, hash-rate meter, generation checks,
// one unit each) on a job no hash satisfies until done(total hashes) returns true, polled
// every millisecond, then stops them and returns the total hashed (slightly past the
// point where done said stop).
func RunWorkers(threads int, done func(total uint64) bool) uint64 {
	threads = max(1, threads)
	ids := make([][32]byte, threads)
	for i := range ids {
		ids[i][0] = byte(i + 1)
		ids[i][1] = byte((i + 1) >> 8)
	}
	p := &Provider{cfg: config{duty: 1}, sched: newSched(ids), meter: NewMeter(threads, 60, 10), stop: make(chan struct{})}
	p.sched.setJob(job{epoch: 1, max: 5}, nil, nil) // target 0
	for range threads {
		p.wg.Add(1)
		go p.worker()
	}
	for !done(p.meter.Total()) {
		time.Sleep(time.Millisecond)
	}
	close(p.stop)
	p.sched.stopJob()
	p.wg.Wait()
	return p.meter.Total()
}
