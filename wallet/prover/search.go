package prover

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"math/big"

	"github.com/ethereum/go-ethereum/crypto"
)

// RoundSize is how many hashes a worker computes between looking at its stop flag and updating
// the hash-rate meter.
const RoundSize = 4096

// Layout of a local nonce (32 bytes, compared by the contract as a big-endian number, which must
// increase per unit within an epoch):
//
//	[0:8]   session number, big-endian: increases every time a worker starts on a unit (it is
//	        derived from the clock, so it also increases across restarts)
//	[8:24]  random
//	[24:32] counter, big-endian, incremented per hash
//
// Proofs of one session come out in counter order, and sessions of a unit never overlap, so a
// unit's proofs come out in increasing nonce order.
const (
	seqOff     = 0
	randOff    = 8
	counterOff = 24
)

// Task is one search: a unit of an epoch.
type Task struct {
	GlobalNonce [32]byte
	UnitID      [32]byte
	Target      [32]byte // big-endian; a hash is a proof when hash <= Target
	Seq         uint64   // the session number
}

// TargetBytes returns t as 32 big-endian bytes (t must fit).
func TargetBytes(t *big.Int) [32]byte {
	var b [32]byte
	t.FillBytes(b[:])
	return b
}

// searcher holds one worker's hashing state; it is not safe for concurrent use.
type searcher struct {
	h   crypto.KeccakState
	buf [96]byte // globalNonce ‖ unitId ‖ localNonce
	out [32]byte
	ctr uint64
	tgt [32]byte
}

func newSearcher() *searcher { return &searcher{h: crypto.NewKeccakState()} }

// start begins a session for t with a fresh random middle part.
func (s *searcher) start(t *Task) {
	copy(s.buf[0:32], t.GlobalNonce[:])
	copy(s.buf[32:64], t.UnitID[:])
	binary.BigEndian.PutUint64(s.buf[64+seqOff:], t.Seq)
	_, _ = rand.Read(s.buf[64+randOff : 64+counterOff])
	s.ctr = 0
	binary.BigEndian.PutUint64(s.buf[64+counterOff:], 0)
	s.tgt = t.Target
}

// round hashes up to n local nonces from the current counter. It returns the number hashed and
// whether the last one is a proof (then localNonce and hash hold it, and the counter is already
// past it).
func (s *searcher) round(n int) (hashed int, found bool) {
	h, buf, out := s.h, s.buf[:], s.out[:]
	ctr := s.ctr
	for i := 0; i < n; i++ {
		binary.BigEndian.PutUint64(buf[64+counterOff:], ctr)
		ctr++
		h.Reset()
		h.Write(buf)
		h.Read(out)
		if bytes.Compare(out, s.tgt[:]) <= 0 {
			s.ctr = ctr
			return i + 1, true
		}
	}
	s.ctr = ctr
	return n, false
}

// localNonce is the nonce that produced the last hash.
func (s *searcher) localNonce() (ln [32]byte) {
	copy(ln[:], s.buf[64:96])
	return ln
}

func (s *searcher) hash() [32]byte { return s.out }

// ProofHash computes keccak256(globalNonce ‖ unitId ‖ localNonce), as the contract does.
func ProofHash(globalNonce, unitID, localNonce [32]byte) [32]byte {
	return crypto.Keccak256Hash(globalNonce[:], unitID[:], localNonce[:])
}

// IsProof reports whether the triple is a proof for target.
func IsProof(globalNonce, unitID, localNonce [32]byte, target *big.Int) bool {
	h := ProofHash(globalNonce, unitID, localNonce)
	return new(big.Int).SetBytes(h[:]).Cmp(target) <= 0
}
