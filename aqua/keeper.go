package aqua

import (
	"fmt"

	"github.com/reefhq/reef/aqua/data"
)

// slider walks one input trace within a sub-range (§9.2).
type slider struct {
	trace []data.State
	pos   int // absolute index of the next state
	len   int // size of the current sub-range
	seen  int // states consumed in the sub-range
}

func newSlider(trace []data.State) slider { return slider{trace: trace, len: len(trace)} }

// next returns the next state of the sub-range, if any, and its absolute position.
func (s *slider) next() (*data.State, int) {
	if s.seen >= s.len || s.pos >= len(s.trace) {
		return nil, -1
	}
	st := &s.trace[s.pos]
	s.pos++
	s.seen++
	return st, s.pos - 1
}

func (s *slider) remaining() int { return s.len - s.seen }

// hasNext reports whether next would return a state.
func (s *slider) hasNext() bool { return s.seen < s.len && s.pos < len(s.trace) }

func (s *slider) setLen(n int) error {
	if len(s.trace)-s.pos < n || n < 0 {
		return fmt.Errorf("sub-trace of %d states at position %d exceeds the trace of %d states", n, s.pos, len(s.trace))
	}
	s.len, s.seen = n, 0
	return nil
}

func (s *slider) setPosLen(p, n int) error {
	if n < 0 || p < 0 || (n != 0 && p+n > len(s.trace)) {
		return fmt.Errorf("sub-trace [%d, %d) exceeds the trace of %d states", p, p+n, len(s.trace))
	}
	s.pos, s.len, s.seen = p, n, 0
	return nil
}

// keeper merges the prev and current traces into the result trace as the AST is walked.
type keeper struct {
	prev, cur slider
	result    []data.State
	// newToPrev[i] / newToCur[i] give the input position a result Call or Ap state was
	// merged from, or -1.
	newToPrev, newToCur []int32
}

func newKeeper(prev, cur []data.State) *keeper {
	return &keeper{
		prev:   newSlider(prev),
		cur:    newSlider(cur),
		result: make([]data.State, 0, len(prev)+len(cur)+8),
	}
}

// merged is the outcome of merging one leaf state.
type merged struct {
	st      *data.State // nil: no state in either input
	src     source
	prevPos int // input positions, or -1
	curPos  int
}

// appendState appends st to the result and returns its position. For Call and Ap
// states the position maps are recorded from m.
func (k *keeper) appendState(st data.State, m merged) int {
	i := len(k.result)
	k.result = append(k.result, st)
	if st.Kind == data.StateCall || st.Kind == data.StateAp {
		for len(k.newToPrev) <= i {
			k.newToPrev = append(k.newToPrev, -1)
			k.newToCur = append(k.newToCur, -1)
		}
		k.newToPrev[i] = int32(m.prevPos)
		k.newToCur[i] = int32(m.curPos)
	}
	return i
}

func (k *keeper) mapToPrev(i int) int {
	if i < 0 || i >= len(k.newToPrev) {
		return -1
	}
	return int(k.newToPrev[i])
}

func (k *keeper) mapToCur(i int) int {
	if i < 0 || i >= len(k.newToCur) {
		return -1
	}
	return int(k.newToCur[i])
}

func kindName(s *data.State) string {
	switch s.Kind {
	case data.StatePar:
		return "par"
	case data.StateCall:
		return "call"
	case data.StateFold:
		return "fold"
	case data.StateAp:
		return "ap"
	case data.StateCanon:
		return "canon"
	}
	return "unknown"
}

// both takes the next state of each slider and checks that present states have kind.
func (k *keeper) both(kind data.StateKind, what string) (p *data.State, pp int, c *data.State, cp int, err error) {
	p, pp = k.prev.next()
	c, cp = k.cur.next()
	if p != nil && p.Kind != kind {
		return nil, -1, nil, -1, fmt.Errorf("expected a %s state in prev data at position %d, found %s", what, pp, kindName(p))
	}
	if c != nil && c.Kind != kind {
		return nil, -1, nil, -1, fmt.Errorf("expected a %s state in current data at position %d, found %s", what, cp, kindName(c))
	}
	return p, pp, c, cp, nil
}

func executed(s *data.State) bool {
	return s.Call == data.CallScalar || s.Call == data.CallStream || s.Call == data.CallUnused
}

func sentBy(s *data.State) bool { return s.Call == data.CallSentBy || s.Call == data.CallSentByWithID }

// mergeCall merges the next call states (§9.3, Call table).
func (k *keeper) mergeCall() (merged, error) {
	p, pp, c, cp, err := k.both(data.StateCall, "call")
	if err != nil {
		return merged{}, err
	}
	prevOnly := merged{st: p, src: fromPrev, prevPos: pp, curPos: -1}
	curOnly := merged{st: c, src: fromCur, prevPos: -1, curPos: cp}
	switch {
	case p == nil && c == nil:
		return merged{prevPos: -1, curPos: -1}, nil
	case c == nil:
		return prevOnly, nil
	case p == nil:
		return curOnly, nil
	}
	switch {
	case p.Call == data.CallFailed && c.Call == data.CallFailed:
		if p.CID != c.CID {
			return merged{}, fmt.Errorf("prev and current data hold different failed results for the same call (%s, %s)", p.CID, c.CID)
		}
		return prevOnly, nil
	case sentBy(p) && c.Call == data.CallFailed:
		return curOnly, nil
	case p.Call == data.CallFailed && sentBy(c):
		return prevOnly, nil
	case sentBy(p) && sentBy(c):
		return prevOnly, nil
	case sentBy(p) && executed(c):
		return curOnly, nil
	case executed(p) && sentBy(c):
		return prevOnly, nil
	case executed(p) && executed(c):
		if p.Call != c.Call {
			return merged{}, fmt.Errorf("prev and current data hold different kinds of result for the same call")
		}
		if p.CID != c.CID {
			return merged{}, fmt.Errorf("prev and current data hold different values for the same call (%s, %s)", p.CID, c.CID)
		}
		return merged{st: p, src: fromPrev, prevPos: pp, curPos: cp}, nil
	default:
		return merged{}, fmt.Errorf("a call is executed in one input and failed in the other")
	}
}

// mergeAp merges the next ap states.
func (k *keeper) mergeAp() (merged, error) {
	p, pp, c, cp, err := k.both(data.StateAp, "ap")
	if err != nil {
		return merged{}, err
	}
	switch {
	case p != nil && c != nil:
		return merged{st: p, src: fromPrev, prevPos: pp, curPos: cp}, nil
	case p != nil:
		return merged{st: p, src: fromPrev, prevPos: pp, curPos: -1}, nil
	case c != nil:
		return merged{st: c, src: fromCur, prevPos: -1, curPos: cp}, nil
	}
	return merged{prevPos: -1, curPos: -1}, nil
}

// mergeCanon merges the next canon states.
func (k *keeper) mergeCanon() (*data.State, error) {
	p, _, c, _, err := k.both(data.StateCanon, "canon")
	if err != nil {
		return nil, err
	}
	switch {
	case p == nil:
		return c, nil
	case c == nil:
		return p, nil
	case p.Canon == data.CanonExecuted && c.Canon == data.CanonExecuted:
		if p.CID != c.CID {
			return nil, fmt.Errorf("prev and current data hold different canon results (%s, %s)", p.CID, c.CID)
		}
		return p, nil
	case c.Canon == data.CanonExecuted:
		return c, nil
	default:
		return p, nil
	}
}

// parFrame is the bookkeeping of one par (§9.4).
type parFrame struct {
	placeholder int
	startLen    int
	leftCount   int
	lp, rp      int // prev par sizes
	lc, rc      int // current par sizes
	afterLeft   [2][2]int
	afterRight  [2][2]int
}

func (k *keeper) parStart() (*parFrame, error) {
	p, _, c, _, err := k.both(data.StatePar, "par")
	if err != nil {
		return nil, err
	}
	f := &parFrame{placeholder: len(k.result)}
	k.result = append(k.result, data.Par(0, 0))
	if p != nil {
		f.lp, f.rp = int(p.Left), int(p.Right)
	}
	if c != nil {
		f.lc, f.rc = int(c.Left), int(c.Right)
	}
	for i, side := range []struct {
		s    *slider
		l, r int
	}{{&k.prev, f.lp, f.rp}, {&k.cur, f.lc, f.rc}} {
		rest := side.s.remaining() - (side.l + side.r)
		if rest < 0 {
			return nil, fmt.Errorf("par sizes (%d, %d) exceed the %d remaining states", side.l, side.r, side.s.remaining())
		}
		f.afterLeft[i] = [2]int{side.s.pos + side.l, side.r}
		f.afterRight[i] = [2]int{side.s.pos + side.l + side.r, rest}
	}
	f.startLen = len(k.result)
	if err := k.prev.setLen(f.lp); err != nil {
		return nil, err
	}
	if err := k.cur.setLen(f.lc); err != nil {
		return nil, err
	}
	return f, nil
}

func (k *keeper) parMiddle(f *parFrame) error {
	f.leftCount = len(k.result) - f.startLen
	if err := k.prev.setPosLen(f.afterLeft[0][0], f.afterLeft[0][1]); err != nil {
		return err
	}
	return k.cur.setPosLen(f.afterLeft[1][0], f.afterLeft[1][1])
}

func (k *keeper) parEnd(f *parFrame) error {
	right := len(k.result) - f.startLen - f.leftCount
	k.result[f.placeholder] = data.Par(uint32(f.leftCount), uint32(right))
	if err := k.prev.setPosLen(f.afterRight[0][0], f.afterRight[0][1]); err != nil {
		return err
	}
	return k.cur.setPosLen(f.afterRight[1][0], f.afterRight[1][1])
}
