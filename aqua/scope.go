package aqua

import (
	"github.com/reefhq/reef/aqua/air"
	"github.com/reefhq/reef/aqua/data"
	"github.com/reefhq/reef/aqua/jsonv"
)

// value is a runtime value with its security tetraplet and provenance (AquaVM's value
// aggregate).
type value struct {
	v jsonv.Value
	// t is the tetraplet. Literal values carry {init_peer_id, "", "", ""}.
	t *Tetraplet
	// prov is where the value came from: a literal, a service result or a canon.
	prov data.Provenance
	// pos is the position in the new trace of the state that produced a stream value,
	// or -1.
	pos int
}

// canonStream is an immutable snapshot of a stream (or of a stream map, whose elements
// are {"key": K, "value": V} pairs).
type canonStream struct {
	// t is the canon's own tetraplet {canon_peer, "", "", ""}.
	t     *Tetraplet
	elems []value
	cid   data.CID
	isMap bool
}

// json returns the canon as one JSON value: an array of the elements, or for a canon map
// an object mapping each key (as a string) to the array of its values.
func (c *canonStream) json() jsonv.Value {
	if !c.isMap {
		arr := make([]jsonv.Value, len(c.elems))
		for i, e := range c.elems {
			arr[i] = e.v
		}
		return jsonv.ArrayValue(arr...)
	}
	var keys []string
	groups := map[string][]jsonv.Value{}
	for _, e := range c.elems {
		k := mapKeyString(e.v)
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		val, _ := e.v.Field("value")
		groups[k] = append(groups[k], val)
	}
	members := make([]jsonv.Member, len(keys))
	for i, k := range keys {
		members[i] = jsonv.Member{Key: k, Value: jsonv.ArrayValue(groups[k]...)}
	}
	return jsonv.ObjectValue(members...)
}

// firstValues returns the canon map as an object holding the first value of every key
// (the scalar form of `canon PEER %m scalar`).
func (c *canonStream) firstValues() jsonv.Value {
	var members []jsonv.Member
	seen := map[string]bool{}
	for _, e := range c.elems {
		k := mapKeyString(e.v)
		if seen[k] {
			continue
		}
		seen[k] = true
		val, _ := e.v.Field("value")
		members = append(members, jsonv.Member{Key: k, Value: val})
	}
	return jsonv.ObjectValue(members...)
}

// valuesUnder returns the canon stream of the values a canon map holds under key.
func (c *canonStream) valuesUnder(key string) []value {
	var out []value
	for _, e := range c.elems {
		if mapKeyString(e.v) != key {
			continue
		}
		val, _ := e.v.Field("value")
		out = append(out, value{v: val, t: e.t, prov: e.prov, pos: e.pos})
	}
	return out
}

// mapKeyString is the string form of a stream map pair's key.
func mapKeyString(pair jsonv.Value) string {
	k, _ := pair.Field("key")
	if s, ok := k.Str(); ok {
		return s
	}
	return k.String()
}

// cell is one entry of a scalar's stack: a value (or a canon) bound at a fold depth.
type cell struct {
	depth int
	set   bool // false for a cell pushed by `new` and not written yet
	val   value
	canon *canonStream
}

// scalars is AquaVM's depth-indexed "sparse matrix" for scalars, canon streams and canon
// maps (their names differ by sigil, so one namespace serves all three).
type scalars struct {
	cells   map[string][]cell
	depth   int
	allowed []bool // allowed[d] tells whether depth d is visible
}

func newScalars() scalars {
	return scalars{cells: map[string][]cell{}, allowed: []bool{true}}
}

func (s *scalars) allow(d int, on bool) {
	for len(s.allowed) <= d {
		s.allowed = append(s.allowed, false)
	}
	s.allowed[d] = on
}

func (s *scalars) isAllowed(d int) bool { return d < len(s.allowed) && s.allowed[d] }

// enterFold opens a fold scope.
func (s *scalars) enterFold() {
	s.depth++
	s.allow(s.depth, true)
}

// leaveFold closes a fold scope and drops the scalars written inside it.
func (s *scalars) leaveFold() {
	s.allow(s.depth, false)
	s.depth--
	s.cleanup()
}

// beforeNext hides the current iteration's scalars from the next iteration.
func (s *scalars) beforeNext() {
	s.allow(s.depth, false)
	s.depth++
	s.allow(s.depth, true)
}

// afterNext returns to the iteration that called next.
func (s *scalars) afterNext() {
	s.allow(s.depth, false)
	s.depth--
	s.allow(s.depth, true)
	s.cleanup()
}

func (s *scalars) cleanup() {
	for name, stack := range s.cells {
		n := len(stack)
		for n > 0 && stack[n-1].depth > s.depth && stack[n-1].depth != 0 {
			n--
		}
		if n == 0 {
			delete(s.cells, name)
		} else if n != len(stack) {
			s.cells[name] = stack[:n]
		}
	}
}

// get returns the visible cell of name.
func (s *scalars) get(name string) (*cell, *execErr) {
	stack := s.cells[name]
	if len(stack) == 0 {
		return nil, errVariableNotFound(name)
	}
	top := &stack[len(stack)-1]
	if !s.isAllowed(top.depth) {
		return nil, errVariableNotFound(name)
	}
	if !top.set {
		return nil, errNotInitialized(name)
	}
	return top, nil
}

// canWrite checks, before a call executes, that writing name will be allowed.
func (s *scalars) canWrite(name string) *execErr {
	stack := s.cells[name]
	if len(stack) == 0 {
		return nil
	}
	top := stack[len(stack)-1]
	if s.depth == 0 && top.set && s.isAllowed(top.depth) {
		return errShadowing(name)
	}
	return nil
}

// set writes name at the current depth.
func (s *scalars) set(name string, c cell) *execErr {
	c.depth = s.depth
	c.set = true
	stack := s.cells[name]
	if len(stack) == 0 {
		s.cells[name] = []cell{c}
		return nil
	}
	top := &stack[len(stack)-1]
	if s.depth == 0 && top.set {
		return errShadowing(name)
	}
	if top.depth == s.depth {
		*top = c
		return nil
	}
	s.cells[name] = append(stack, c)
	return nil
}

// pushNew pushes the empty cell of `new name`.
func (s *scalars) pushNew(name string) {
	s.cells[name] = append(s.cells[name], cell{depth: s.depth})
}

// popNew pops the cell pushed by `new name`.
func (s *scalars) popNew(name string) *execErr {
	stack := s.cells[name]
	if len(stack) == 0 || stack[len(stack)-1].depth != s.depth {
		return uncatchable(CodeScalarsStateCorrupted, "scalars state is corrupted: variable '%s' has no cell at depth %d to remove at the end of new", name, s.depth)
	}
	if len(stack) == 1 {
		delete(s.cells, name)
	} else {
		s.cells[name] = stack[:len(stack)-1]
	}
	return nil
}

// iterator is a live fold iterator.
type iterator struct {
	elems  []value
	cursor int
	// stream folds drive the fold trace FSM.
	fsm  *foldFSM
	fold *air.Fold
}

func (it *iterator) current() value { return it.elems[it.cursor] }
