package wasm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"math"
)

// This file is Reef's implementation of the Extism "kernel": the memory that Extism
// plug-ins exchange data through (input, output, error, config and var values), and the
// extism:host/env functions over it.
//
// go-sdk runs Extism's own kernel, a small wasm module with its own linear memory, and
// routes every guest→kernel call through Go into that module. Here the kernel memory is
// a Go byte slice owned by the instance, and every function is plain Go, so a guest call
// of load_u64 or store_u8 costs one wasm→Go transition and a bounds check.
//
// Semantics follow the kernel that go-sdk v1.7.1 embeds (extism-runtime.wasm 1.7.0, built
// with its default "bounds-checking" feature):
//
//   - Memory is addressed by u64 offsets ("handles"). 0 is the null handle: alloc(0)
//     returns 0, and so does an allocation that fails.
//   - length/length_unsafe return the size of the block that starts at a handle, and 0
//     for anything that is not the start of a live block.
//   - Loads outside the kernel memory return 0 and stores outside it are ignored.
//     input_load_* outside the input return 0. (go-sdk replaces the kernel's
//     load_u64/store_u64/input_load_u64 with Go versions that trap instead; no
//     well-behaved guest can tell the difference.)
//   - free marks a block reusable; freeing the input block sets the input length to 0.
//   - reset clears every block and the input, output and error registers.
//   - input_set/output_set/error_set ignore a range outside the kernel memory.
//
// Differences, none visible to the PDKs: blocks are 8-byte aligned, and freed blocks are
// reused whole (never split).

// kernelBase is the offset of the first block. Offsets below it are never valid handles,
// so 0 stays the null handle.
const kernelBase = 64

// kernelShrink is the kernel memory capacity kept between calls; a call that needed more
// gets a fresh, smaller buffer afterwards so an idle instance does not pin a large one.
const kernelShrink = 1 << 20

// block is one allocation in kernel memory.
type block struct {
	off, size, used uint64
	free            bool
}

// kernel is one instance's Extism memory and registers. It is used by one call at a time.
type kernel struct {
	mem       []byte  // kernel memory; len is the bump position
	blocks    []block // sorted by off
	freeCount int

	input, inputLen   uint64
	output, outputLen uint64
	errH              uint64
}

func (k *kernel) init() {
	k.mem = make([]byte, kernelBase, 64<<10)
}

// reset clears all blocks and registers, keeping (up to kernelShrink of) the buffer.
func (k *kernel) reset() {
	if cap(k.mem) > kernelShrink {
		k.mem = make([]byte, kernelBase, 64<<10)
	} else {
		k.mem = k.mem[:kernelBase]
	}
	k.blocks = k.blocks[:0]
	k.freeCount = 0
	k.input, k.inputLen = 0, 0
	k.output, k.outputLen = 0, 0
	k.errH = 0
}

// alloc returns a block of n bytes or 0. budget is how many bytes the kernel memory may
// hold in total.
func (k *kernel) alloc(n uint64, budget uint64) uint64 {
	if n == 0 {
		return 0
	}
	if k.freeCount > 0 {
		for i := range k.blocks {
			b := &k.blocks[i]
			if b.free && b.size >= n {
				b.free = false
				b.used = n
				k.freeCount--
				return b.off
			}
		}
	}
	off := (uint64(len(k.mem)) + 7) &^ 7
	if n > math.MaxUint32 || off+n > budget {
		return 0
	}
	end := off + n
	if end > uint64(cap(k.mem)) {
		c := max(end, 2*uint64(cap(k.mem)))
		c = min(c, max(budget, end))
		nm := make([]byte, end, c)
		copy(nm, k.mem)
		k.mem = nm
	} else {
		k.mem = k.mem[:end]
		clear(k.mem[off:end])
	}
	k.blocks = append(k.blocks, block{off: off, size: n, used: n})
	return off
}

// find returns the index of the block starting at h, or -1.
func (k *kernel) find(h uint64) int {
	lo, hi := 0, len(k.blocks)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch off := k.blocks[m].off; {
		case off == h:
			return m
		case off < h:
			lo = m + 1
		default:
			hi = m
		}
	}
	return -1
}

// length is the used size of the live block starting at h, or 0.
func (k *kernel) length(h uint64) uint64 {
	if h < kernelBase {
		return 0
	}
	if i := k.find(h); i >= 0 && !k.blocks[i].free {
		return k.blocks[i].used
	}
	return 0
}

func (k *kernel) free(h uint64) {
	if h < kernelBase {
		return
	}
	if i := k.find(h); i >= 0 && !k.blocks[i].free {
		k.blocks[i].free = true
		k.freeCount++
		if h == k.input {
			k.inputLen = 0
		}
	}
}

// in reports whether [p, p+n) lies in kernel memory.
func (k *kernel) in(p, n uint64) bool {
	return p >= kernelBase && p <= uint64(len(k.mem)) && n <= uint64(len(k.mem))-p
}

// bytes returns the contents of the live block at h (nil if none). The slice aliases
// kernel memory.
func (k *kernel) bytes(h uint64) []byte {
	n := k.length(h)
	if n == 0 {
		return nil
	}
	return k.mem[h : h+n]
}

// setInput copies data into a new block and makes it the input.
func (k *kernel) setInput(data []byte, budget uint64) bool {
	if len(data) == 0 {
		return true
	}
	h := k.alloc(uint64(len(data)), budget)
	if h == 0 {
		return false
	}
	copy(k.mem[h:], data)
	k.input, k.inputLen = h, uint64(len(data))
	return true
}

// outputBytes returns a copy of the output.
func (k *kernel) outputBytes() []byte {
	if k.outputLen == 0 || !k.in(k.output, k.outputLen) {
		return []byte{}
	}
	return append([]byte(nil), k.mem[k.output:k.output+k.outputLen]...)
}

// errorMessage returns the error registered with error_set and whether one is set. As in
// go-sdk, an error handle that no longer names a live block reads as no error.
func (k *kernel) errorMessage() (string, bool) {
	if k.errH == 0 {
		return "", false
	}
	b := k.bytes(k.errH)
	if len(b) == 0 {
		return "", false
	}
	return string(b), true
}

// Extism log levels as get_log_level reports them (go-sdk's ExtismCompat).
const (
	extismTrace int32 = 0
	extismDebug int32 = 1
	extismInfo  int32 = 2
	extismWarn  int32 = 3
	extismError int32 = 4
	extismOff   int32 = math.MaxInt32
)

// LevelTrace is the slog level of an Extism log_trace message.
const LevelTrace = slog.LevelDebug - 4

// extismLevel converts a slog level threshold to get_log_level's answer.
func extismLevel(l slog.Level) int32 {
	switch {
	case l <= LevelTrace:
		return extismTrace
	case l <= slog.LevelDebug:
		return extismDebug
	case l <= slog.LevelInfo:
		return extismInfo
	case l <= slog.LevelWarn:
		return extismWarn
	case l <= slog.LevelError:
		return extismError
	}
	return extismOff
}

// Errors raised inside host functions. They become traps; the call fails with KindTrap
// and the message, and the instance is discarded.
var (
	errHTTPNotAllowed = errors.New("extism: http_request is not allowed: Reef services have no network access")
	errVarsDisabled   = errors.New("extism: var_set: vars are disabled for this service")
)

func errVarStoreFull(limit int) error {
	return fmt.Errorf("extism: var_set: the var store is full (limit %d bytes)", limit)
}

// varEntryOverhead is what one var costs beyond its key and value bytes, as go-sdk counts
// it (a slice header and a string header).
const varEntryOverhead = 40

// varSet stores (or, with a nil value, deletes) a var, enforcing the size bound.
func (in *instance) varSet(key string, value []byte) error {
	limit := in.svc.opts.maxVarBytes
	if limit <= 0 {
		return errVarsDisabled
	}
	if value == nil {
		if old, ok := in.vars[key]; ok {
			in.varBytes -= len(key) + len(old) + varEntryOverhead
			delete(in.vars, key)
		}
		return nil
	}
	size := in.varBytes + len(key) + len(value) + varEntryOverhead
	if old, ok := in.vars[key]; ok {
		size -= len(key) + len(old) + varEntryOverhead
	}
	if size >= limit {
		return errVarStoreFull(limit)
	}
	if in.vars == nil {
		in.vars = make(map[string][]byte)
	}
	in.vars[key] = value
	in.varBytes = size
	return nil
}

func putU64(b []byte, v uint64) { binary.LittleEndian.PutUint64(b, v) }
func getU64(b []byte) uint64    { return binary.LittleEndian.Uint64(b) }
