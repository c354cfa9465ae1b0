package aqua

import (
	"fmt"

	"github.com/reefhq/reef/aqua/data"
)

// resolvedLore is one input's fold lore with convoluted lengths (§9.5 "Reading lore"),
// keyed by the input position of the state that produced the iterated value.
type resolvedLore map[int]loreRanges

type loreRanges struct {
	before, after [2]int // pos, len
}

// resolveLore converts raw lore lengths into the sub-ranges each iteration must cover.
func resolveLore(lore []data.FoldLore, trace []data.State) (resolvedLore, int, error) {
	out := make(resolvedLore, len(lore))
	total := 0
	for _, e := range lore {
		total += int(e.Before.Len) + int(e.After.Len)
	}
	genOf := func(pos uint32) (uint32, error) {
		if int(pos) >= len(trace) {
			return 0, fmt.Errorf("fold lore refers to position %d outside the trace", pos)
		}
		s := &trace[pos]
		switch {
		case s.Kind == data.StateAp:
			return s.Generation, nil
		case s.Kind == data.StateCall && s.Call == data.CallStream:
			return s.Generation, nil
		}
		return 0, fmt.Errorf("fold lore refers to position %d, which holds a %s state, not a stream value", pos, kindName(s))
	}
	for start := 0; start < len(lore); {
		g, err := genOf(lore[start].ValuePos)
		if err != nil {
			return nil, 0, err
		}
		end := start + 1
		for end < len(lore) {
			g2, err := genOf(lore[end].ValuePos)
			if err != nil {
				return nil, 0, err
			}
			if g2 != g {
				break
			}
			end++
		}
		group := lore[start:end]
		// Cumulative after lengths, and before lengths covering the rest of the group.
		afterCum := make([]int, len(group))
		acc := 0
		for i, e := range group {
			acc += int(e.After.Len)
			afterCum[i] = acc
		}
		lastAfter := afterCum[len(group)-1]
		beforeSuffix := 0
		for i := len(group) - 1; i >= 0; i-- {
			e := group[i]
			beforeSuffix += int(e.Before.Len)
			pos := int(e.ValuePos)
			if _, dup := out[pos]; dup {
				return nil, 0, fmt.Errorf("fold lore holds value position %d twice", pos)
			}
			out[pos] = loreRanges{
				before: [2]int{int(e.Before.Pos), beforeSuffix + lastAfter},
				after:  [2]int{int(e.After.Pos), afterCum[i]},
			}
		}
		start = end
	}
	return out, total, nil
}

type ctorState uint8

const (
	beforeStarted ctorState = iota
	beforeCompleted
)

// loreCtor builds the lore entry of one iteration.
type loreCtor struct {
	valuePos               int
	beforeStart, beforeEnd int
	afterStart, afterEnd   int
	state                  ctorState
	hasBeforeEnd           bool
	hasAfterStart          bool
	hasAfterEnd            bool
	lp, lc                 *loreRanges
}

// foldFSM writes the Fold state of one fold over a stream while its iterations run.
type foldFSM struct {
	k           *keeper
	placeholder int
	prevLore    resolvedLore
	curLore     resolvedLore
	final       [2][2]int
	lore        []data.FoldLore
	ctors       []*loreCtor
	cursor      int
	backStarted bool
}

func (k *keeper) foldStart() (*foldFSM, error) {
	p, _, c, _, err := k.both(data.StateFold, "fold")
	if err != nil {
		return nil, err
	}
	f := &foldFSM{k: k, placeholder: len(k.result)}
	k.result = append(k.result, data.Par(0, 0))
	var pc, cc int
	if p != nil {
		if f.prevLore, pc, err = resolveLore(p.Lore, k.prev.trace); err != nil {
			return nil, fmt.Errorf("prev data: %w", err)
		}
	}
	if c != nil {
		if f.curLore, cc, err = resolveLore(c.Lore, k.cur.trace); err != nil {
			return nil, fmt.Errorf("current data: %w", err)
		}
	}
	for i, side := range []struct {
		s     *slider
		count int
	}{{&k.prev, pc}, {&k.cur, cc}} {
		rest := side.s.remaining() - side.count
		if rest < 0 {
			return nil, fmt.Errorf("fold lore describes %d states but only %d remain", side.count, side.s.remaining())
		}
		f.final[i] = [2]int{side.s.pos + side.count, rest}
	}
	return f, nil
}

func applyRange(s *slider, r *loreRanges, after bool) error {
	if r == nil {
		return s.setLen(0)
	}
	rg := r.before
	if after {
		rg = r.after
	}
	return s.setPosLen(rg[0], rg[1])
}

func take(l resolvedLore, pos int) *loreRanges {
	if l == nil || pos < 0 {
		return nil
	}
	r, ok := l[pos]
	if !ok {
		return nil
	}
	delete(l, pos)
	return &r
}

// iterationStart begins the iteration over the value produced at result position v.
func (f *foldFSM) iterationStart(v int) error {
	lp := take(f.prevLore, f.k.mapToPrev(v))
	lc := take(f.curLore, f.k.mapToCur(v))
	if err := applyRange(&f.k.prev, lp, false); err != nil {
		return err
	}
	if err := applyRange(&f.k.cur, lc, false); err != nil {
		return err
	}
	f.ctors = append(f.ctors, &loreCtor{valuePos: v, beforeStart: len(f.k.result), lp: lp, lc: lc})
	f.cursor = len(f.ctors)
	return nil
}

func (f *foldFSM) current() *loreCtor {
	if f.cursor-1 < 0 || f.cursor-1 >= len(f.ctors) {
		return nil
	}
	return f.ctors[f.cursor-1]
}

// iterationEnd closes the part of the current iteration before its next.
func (f *foldFSM) iterationEnd() {
	if c := f.current(); c != nil && c.state == beforeStarted {
		c.beforeEnd, c.hasBeforeEnd = len(f.k.result), true
		c.state = beforeCompleted
	}
}

func (f *foldFSM) applyAfter(c *loreCtor) error {
	c.afterStart, c.hasAfterStart = len(f.k.result), true
	if err := applyRange(&f.k.prev, c.lp, true); err != nil {
		return err
	}
	return applyRange(&f.k.cur, c.lc, true)
}

// backIterator moves to the part after next of the current (first call) or previous
// iteration.
func (f *foldFSM) backIterator() error {
	if !f.backStarted {
		c := f.current()
		if c == nil {
			return nil
		}
		if c.state == beforeStarted {
			c.beforeEnd, c.hasBeforeEnd = len(f.k.result), true
			c.state = beforeCompleted
		}
		f.backStarted = true
		return f.applyAfter(c)
	}
	if c := f.current(); c != nil {
		c.afterEnd, c.hasAfterEnd = len(f.k.result), true
	}
	f.cursor--
	c := f.current()
	if c == nil {
		return nil
	}
	return f.applyAfter(c)
}

// generationEnd finishes the lore of every iteration of the generation just run.
func (f *foldFSM) generationEnd() {
	n := len(f.k.result)
	for _, c := range f.ctors {
		if !c.hasBeforeEnd {
			c.beforeEnd = n
		}
		if !c.hasAfterStart {
			c.afterStart = n
		}
		if !c.hasAfterEnd {
			c.afterEnd = n
		}
		f.lore = append(f.lore, data.FoldLore{
			ValuePos: uint32(c.valuePos),
			Before:   data.SubTrace{Pos: uint32(c.beforeStart), Len: uint32(c.beforeEnd - c.beforeStart)},
			After:    data.SubTrace{Pos: uint32(c.afterStart), Len: uint32(c.afterEnd - c.afterStart)},
		})
	}
	f.ctors = f.ctors[:0]
	f.cursor = 0
	f.backStarted = false
}

// foldEnd writes the Fold state and moves the sliders past the fold.
func (f *foldFSM) foldEnd() error {
	f.k.result[f.placeholder] = data.State{Kind: data.StateFold, Lore: f.lore}
	if err := f.k.prev.setPosLen(f.final[0][0], f.final[0][1]); err != nil {
		return err
	}
	return f.k.cur.setPosLen(f.final[1][0], f.final[1][1])
}
