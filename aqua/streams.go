package aqua

import (
	"math"

	"github.com/reefhq/reef/aqua/air"
	"github.com/reefhq/reef/aqua/data"
)

// maxStreamValues is AquaVM's cap on the values of one stream (the 1024th append is an
// uncatchable error); it bounds runaway recursive streams.
const maxStreamValues = 1023

// source tells which input a replayed state came from.
type source uint8

const (
	fromNew  source = iota // executed in this run
	fromPrev               // prev_data, or both inputs
	fromCur                // current_data only
)

// stream holds a stream's values in three matrices of generations (§7.1).
type stream struct {
	prev, cur, new [][]value
	size           int
}

// add appends v: replayed values go to generation g of their source's matrix, new
// values to the last generation of the new matrix.
func (s *stream) add(v value, src source, g uint32) *execErr {
	if s.size >= maxStreamValues {
		return uncatchable(CodeStreamSizeLimit, "stream size limit of %d values exceeded", maxStreamValues)
	}
	s.size++
	switch src {
	case fromPrev:
		s.prev = addTo(s.prev, int(g), v)
	case fromCur:
		s.cur = addTo(s.cur, int(g), v)
	default:
		if len(s.new) == 0 {
			s.new = append(s.new, nil)
		}
		s.new[len(s.new)-1] = append(s.new[len(s.new)-1], v)
	}
	return nil
}

func addTo(m [][]value, g int, v value) [][]value {
	for len(m) <= g {
		m = append(m, nil)
	}
	m[g] = append(m[g], v)
	return m
}

// values returns every value in iteration order: previous, current, then new
// generations, each in insertion order.
func (s *stream) values() []value {
	out := make([]value, 0, s.size)
	for _, m := range [3][][]value{s.prev, s.cur, s.new} {
		for _, g := range m {
			out = append(out, g...)
		}
	}
	return out
}

// counts returns the number of generations in each matrix (empty ones included).
func (s *stream) counts() [3]int { return [3]int{len(s.prev), len(s.cur), len(s.new)} }

// generationsAfter lists the non-empty generations of each matrix, skipping the first
// cursor[m] of them (AquaVM's recursive-fold cursor quirk: the cursor counts empty
// generations while the listing has already dropped them).
func (s *stream) generationsAfter(cursor [3]int) [][]value {
	var out [][]value
	for m, gens := range [3][][]value{s.prev, s.cur, s.new} {
		skip := cursor[m]
		for _, g := range gens {
			if len(g) == 0 {
				continue
			}
			if skip > 0 {
				skip--
				continue
			}
			out = append(out, g)
		}
	}
	return out
}

func (s *stream) openNewGeneration() { s.new = append(s.new, nil) }

func (s *stream) dropEmptyLastNew() {
	if n := len(s.new); n > 0 && len(s.new[n-1]) == 0 {
		s.new = s.new[:n-1]
	}
}

// compact renumbers the generations consecutively (previous, then current, then new,
// empty ones dropped) and writes the final numbers into the states that produced the
// values (§7.3).
func (s *stream) compact(trace []data.State) *execErr {
	gen := uint32(0)
	for _, m := range [3][][]value{s.prev, s.cur, s.new} {
		for _, g := range m {
			if len(g) == 0 {
				continue
			}
			for _, v := range g {
				if v.pos < 0 || v.pos >= len(trace) {
					return uncatchable(CodeCompaction, "stream value refers to trace position %d outside the trace", v.pos)
				}
				st := &trace[v.pos]
				switch {
				case st.Kind == data.StateAp:
					st.Generation = gen
				case st.Kind == data.StateCall && st.Call == data.CallStream:
					st.Generation = gen
				default:
					return uncatchable(CodeCompaction, "stream value refers to trace position %d, which holds no ap or stream call state", v.pos)
				}
			}
			gen++
		}
	}
	return nil
}

// streamScope is one instance of a stream name: the global one (span covers everything)
// or one opened by `new` (span of the new instruction).
type streamScope struct {
	span air.Span
	s    *stream
}

var globalSpan = air.Span{Start: -1, End: math.MaxInt}

// streams resolves stream and stream map names by the position of the reference (§4.2).
type streams struct {
	scopes map[string][]streamScope
}

// lookup returns the stream a reference at pos sees, or nil.
func (ss *streams) lookup(name string, pos int) *stream {
	scopes := ss.scopes[name]
	for i := len(scopes) - 1; i >= 0; i-- {
		if scopes[i].span.Contains(pos) {
			return scopes[i].s
		}
	}
	return nil
}

// forWrite returns the stream a write at pos goes to, creating the global one lazily.
func (ss *streams) forWrite(name string, pos int) *stream {
	if s := ss.lookup(name, pos); s != nil {
		return s
	}
	s := &stream{}
	// The global scope goes to the bottom of the stack so that `new` scopes keep
	// hiding it.
	ss.scopes[name] = append([]streamScope{{span: globalSpan, s: s}}, ss.scopes[name]...)
	return s
}

func (ss *streams) push(name string, span air.Span) {
	ss.scopes[name] = append(ss.scopes[name], streamScope{span: span, s: &stream{}})
}

func (ss *streams) pop(name string) *stream {
	scopes := ss.scopes[name]
	s := scopes[len(scopes)-1].s
	if len(scopes) == 1 {
		delete(ss.scopes, name)
	} else {
		ss.scopes[name] = scopes[:len(scopes)-1]
	}
	return s
}
