package aqua

import (
	"sort"

	"github.com/reefhq/reef/aqua/air"
	"github.com/reefhq/reef/aqua/jsonv"
)

// Observer receives every instruction a run executes, in completion order (children
// before their parent). Runs without an observer pay nothing for this.
type Observer interface {
	Step(s *Step)
}

// ObserverFunc adapts a function to Observer.
type ObserverFunc func(s *Step)

// Step implements Observer.
func (f ObserverFunc) Step(s *Step) { f(s) }

// CallOutcome tells what a call instruction did in a run.
type CallOutcome uint8

// Call outcomes.
const (
	CallJoined    CallOutcome = iota + 1 // an operand is not known yet: nothing happened
	CallRouted                           // the particle goes to the call's peer
	CallRequested                        // a call request was issued to the host
	CallWaiting                          // still waiting for the host's result or another peer
	CallApplied                          // the host's result was applied
	CallReplayed                         // the result was already in the data
	CallFailed                           // the service failed (now or in the data)
)

var callOutcomeNames = [...]string{"", "joined", "routed", "requested", "waiting", "applied", "replayed", "failed"}

func (o CallOutcome) String() string {
	if int(o) < len(callOutcomeNames) {
		return callOutcomeNames[o]
	}
	return "unknown"
}

// CallStep describes what a call instruction did.
type CallStep struct {
	Peer, Service, Function string
	Args                    []jsonv.Value
	Outcome                 CallOutcome
	CallID                  uint32
	// Result is the value applied or replayed, if any.
	Result *jsonv.Value
	// RetCode is the service's error code for failed calls.
	RetCode int32
}

// CanonStep describes what a canon instruction did.
type CanonStep struct {
	// Peer is the canon's resolved peer.
	Peer string
	// Outcome is CallRouted (sent to Peer), CallApplied (snapshot taken here),
	// CallReplayed (taken from the data) or CallJoined (peer not known yet).
	Outcome CallOutcome
	// Values is the number of values in the snapshot, when one exists.
	Values int
}

// Step is one executed instruction.
type Step struct {
	// Seq numbers the steps of a run from 0 in completion order.
	Seq int
	// Depth is the instruction's nesting depth in the script (the root is 0).
	Depth int
	Instr air.Instr
	// Kind is the instruction keyword ("call", "seq", "fold", ...).
	Kind string
	// Reads and Writes name the variables the instruction reads and writes.
	Reads, Writes []string
	// Call is set for call instructions.
	Call *CallStep
	// Canon is set for canon instructions.
	Canon *CanonStep
	// Err is the catchable or uncatchable error the instruction raised, if any.
	Err *Error
	// Complete is the subgraph completeness after the instruction.
	Complete bool

	x *execCtx
}

// Scalars returns the scalars (and fold iterators) visible after the step, by name. It
// may only be called during Observer.Step.
func (s *Step) Scalars() map[string]jsonv.Value {
	out := map[string]jsonv.Value{}
	if s.x == nil {
		return out
	}
	for name := range s.x.sc.cells {
		c, err := s.x.sc.get(name)
		if err != nil {
			continue
		}
		if c.canon != nil {
			out[name] = c.canon.json()
		} else {
			out[name] = c.val.v
		}
	}
	for name, it := range s.x.iters {
		out[name] = it.current().v
	}
	return out
}

// Streams returns the values of every stream and stream map instance visible at the
// instruction's position, by name. It may only be called during Observer.Step.
func (s *Step) Streams() map[string][]jsonv.Value {
	out := map[string][]jsonv.Value{}
	if s.x == nil {
		return out
	}
	pos := s.Instr.Span().Start
	for name := range s.x.st.scopes {
		st := s.x.st.lookup(name, pos)
		if st == nil {
			continue
		}
		vals := st.values()
		vs := make([]jsonv.Value, len(vals))
		for i, v := range vals {
			vs[i] = v.v
		}
		out[name] = vs
	}
	return out
}

// stepEvent is the in-progress step of an instruction.
type stepEvent struct {
	depth int
	instr air.Instr
	call  *CallStep
	canon *CanonStep
}

func (x *execCtx) beginStep(i air.Instr) *stepEvent {
	ev := &stepEvent{depth: x.depth, instr: i}
	x.depth++
	return ev
}

func (x *execCtx) endStep(ev *stepEvent, err *execErr) {
	x.depth--
	s := &Step{
		Seq:      x.stepSeq,
		Depth:    ev.depth,
		Instr:    ev.instr,
		Kind:     keyword(ev.instr),
		Call:     ev.call,
		Canon:    ev.canon,
		Complete: x.complete,
		x:        x,
	}
	x.stepSeq++
	s.Reads, s.Writes = readsWrites(ev.instr)
	if err != nil {
		s.Err = &Error{Code: err.code, Message: err.msg}
	}
	x.obs.Step(s)
	s.x = nil
}

func keyword(i air.Instr) string {
	switch n := i.(type) {
	case *air.Call:
		return "call"
	case *air.Canon:
		return "canon"
	case *air.Ap, *air.ApMap:
		return "ap"
	case *air.Seq:
		return "seq"
	case *air.Par:
		return "par"
	case *air.Xor:
		return "xor"
	case *air.Null:
		return "null"
	case *air.Never:
		return "never"
	case *air.New:
		return "new"
	case *air.Fail:
		return "fail"
	case *air.Fold:
		return "fold"
	case *air.Next:
		return "next"
	case *air.Match:
		if n.Mismatch {
			return "mismatch"
		}
		return "match"
	}
	return "?"
}

// readsWrites lists the variables an instruction reads and writes (its own operands,
// not its children's).
func readsWrites(i air.Instr) (reads, writes []string) {
	read := func(vs ...air.Value) {
		for _, v := range vs {
			if v.IsVariable() {
				reads = append(reads, v.Name)
			}
			if v.Lens != nil {
				for _, a := range v.Lens.Path {
					if a.Kind == air.VarAccessor {
						reads = append(reads, a.Name)
					}
				}
			}
		}
	}
	switch n := i.(type) {
	case *air.Call:
		read(n.Peer, n.Service, n.Function)
		read(n.Args...)
		if n.Output.Kind != air.None {
			writes = append(writes, n.Output.Name)
		}
	case *air.Canon:
		read(n.Peer, n.Source)
		writes = append(writes, n.Result.Name)
	case *air.Ap:
		read(n.Arg)
		writes = append(writes, n.Result.Name)
	case *air.ApMap:
		read(n.Key, n.Arg)
		writes = append(writes, n.Map.Name)
	case *air.New:
		writes = append(writes, n.Var.Name)
	case *air.Fail:
		read(n.Value)
	case *air.Fold:
		read(n.Iterable)
		writes = append(writes, n.Iterator)
	case *air.Next:
		reads = append(reads, n.Iterator)
	case *air.Match:
		read(n.Left, n.Right)
	}
	sort.Strings(reads)
	return reads, writes
}
