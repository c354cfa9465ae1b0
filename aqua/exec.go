package aqua

import (
	"context"

	"github.com/reefhq/reef/aqua/air"
	"github.com/reefhq/reef/aqua/data"
	"github.com/reefhq/reef/aqua/jsonv"
)

// execCtx is the state of one run.
type execCtx struct {
	ctx    context.Context // nil when the run cannot be cancelled
	p      *RunParams
	script *air.Script
	k      *keeper
	// prev and cur are the decoded inputs; out collects the stores of the new data.
	prev, cur, out *data.Data
	values         map[data.CID]jsonv.Value // parsed store values

	sc    scalars
	iters map[string]*iterator
	st    streams

	complete bool

	// Error registers (§6.4).
	lastErr         jsonv.Value
	lastErrT        *Tetraplet
	lastErrSettable bool
	errVal          jsonv.Value
	errT            *Tetraplet
	errSettable     bool
	// handling is the error the innermost running xor right branch handles.
	handling *execErr

	nextPeers []string
	nextSet   map[string]bool
	requests  []CallRequest
	lcid      uint32
	results   map[uint32]CallResult

	initT *Tetraplet

	instrCount     int
	instrLimit     int
	foldDepth      int
	foldDepthLimit int

	obs     Observer
	stepSeq int
	depth   int
}

func (x *execCtx) addNextPeer(p string) {
	if x.nextSet[p] {
		return
	}
	x.nextSet[p] = true
	x.nextPeers = append(x.nextPeers, p)
}

// isJoin reports whether err means "not yet known": the instruction waits instead of
// failing.
func isJoin(err *execErr) bool { return err != nil && err.code == CodeVariableNotFound }

// exec runs one instruction.
func (x *execCtx) exec(i air.Instr) *execErr {
	x.instrCount++
	if x.instrCount > x.instrLimit {
		return uncatchable(CodeInstructionLimit, "the run exceeded the limit of %d executed instructions", x.instrLimit)
	}
	if x.ctx != nil && x.instrCount&1023 == 0 && x.ctx.Err() != nil {
		return uncatchable(CodeCancelled, "the run was cancelled: %v", x.ctx.Err())
	}
	var ev *stepEvent
	if x.obs != nil {
		ev = x.beginStep(i)
	}
	var err *execErr
	switch n := i.(type) {
	case *air.Seq:
		err = x.execSeq(n)
	case *air.Par:
		err = x.execPar(n)
	case *air.Xor:
		err = x.execXor(n)
	case *air.Call:
		err = x.execCall(n, ev)
	case *air.Ap:
		err = x.execAp(n)
	case *air.ApMap:
		err = x.execApMap(n)
	case *air.Canon:
		err = x.execCanon(n, ev)
	case *air.New:
		err = x.execNew(n)
	case *air.Fold:
		err = x.execFold(n)
	case *air.Next:
		err = x.execNext(n)
	case *air.Match:
		err = x.execMatch(n)
	case *air.Fail:
		err = x.execFail(n)
	case *air.Null:
	case *air.Never:
		x.complete = false
	}
	if err != nil && err.catchable() && !err.recorded {
		x.record(err, i)
	}
	if ev != nil {
		x.endStep(ev, err)
	}
	return err
}

// record updates the error registers with an error raised by instruction i (§6.4). Only
// the innermost attempt can succeed, so recording once where the error arises is
// equivalent to AquaVM's attempt at every instruction boundary.
func (x *execCtx) record(err *execErr, i air.Instr) {
	err.recorded = true
	if err.instr == "" {
		err.instr = air.Display(i)
	}
	if err.peerID == "" {
		err.peerID = x.p.CurrentPeerID
	}
	t := err.tetraplet
	if t == nil {
		t = x.initT
	}
	if x.errSettable {
		x.errVal = err.object(err.withPeer)
		x.errT = t
	}
	x.errSettable = false
	if err.code == CodeMatchValuesNotEqual || err.code == CodeMismatchValuesEqual {
		return
	}
	if x.lastErrSettable {
		if err.thrown != nil {
			x.lastErr = *err.thrown
		} else {
			x.lastErr = err.object(true)
		}
		x.lastErrT = t
		x.lastErrSettable = false
	}
}

func (x *execCtx) execSeq(n *air.Seq) *execErr {
	x.complete = true
	if err := x.exec(n.Left); err != nil {
		return err
	}
	if !x.complete {
		return nil
	}
	return x.exec(n.Right)
}

func isNext(i air.Instr) bool {
	_, ok := i.(*air.Next)
	return ok
}

func (x *execCtx) execPar(n *air.Par) *execErr {
	f, terr := x.k.parStart()
	if terr != nil {
		return errTrace("par", "%v", terr)
	}
	x.complete = !isNext(n.Left)
	lerr := x.exec(n.Left)
	if lerr != nil && !lerr.catchable() {
		return lerr
	}
	lc := x.complete && lerr == nil
	if terr := x.k.parMiddle(f); terr != nil {
		return errTrace("par", "%v", terr)
	}
	x.complete = !isNext(n.Right)
	rerr := x.exec(n.Right)
	if rerr != nil && !rerr.catchable() {
		return rerr
	}
	rc := x.complete && rerr == nil
	if terr := x.k.parEnd(f); terr != nil {
		return errTrace("par", "%v", terr)
	}
	x.complete = lc || rc
	if lerr != nil && rerr != nil {
		return rerr
	}
	// At least one branch succeeded: %last_error% becomes settable again.
	x.lastErrSettable = true
	return nil
}

func (x *execCtx) execXor(n *air.Xor) *execErr {
	x.complete = true
	err := x.exec(n.Left)
	if err == nil || !err.catchable() {
		return err
	}
	prevHandling := x.handling
	x.handling = err
	x.errSettable = true
	x.lastErrSettable = true
	x.complete = true
	rerr := x.exec(n.Right)
	x.handling = prevHandling
	if x.errSettable {
		x.errVal, x.errT = noErrorObject, x.initT
	}
	if rerr == nil {
		x.errSettable = true
	}
	return rerr
}

func (x *execCtx) execMatch(n *air.Match) *execErr {
	l, err := x.resolve(n.Left)
	if isJoin(err) {
		x.complete = false
		return nil
	}
	if err != nil {
		return err
	}
	r, err := x.resolve(n.Right)
	if isJoin(err) {
		x.complete = false
		return nil
	}
	if err != nil {
		return err
	}
	eq := jsonv.Equal(l.v, r.v)
	switch {
	case !n.Mismatch && !eq:
		return catchable(CodeMatchValuesNotEqual, "compared values do not match")
	case n.Mismatch && eq:
		return catchable(CodeMismatchValuesEqual, "compared values do not mismatch")
	}
	return x.exec(n.Body)
}

func (x *execCtx) execNew(n *air.New) *execErr {
	name := n.Var.Name
	switch n.Var.Kind {
	case air.Stream, air.StreamMap:
		x.st.push(name, n.Sp)
		err := x.exec(n.Body)
		s := x.st.pop(name)
		if cerr := s.compact(x.k.result); cerr != nil && err == nil {
			err = cerr
		}
		return err
	default:
		x.sc.pushNew(name)
		err := x.exec(n.Body)
		if perr := x.sc.popNew(name); perr != nil && err == nil {
			err = perr
		}
		return err
	}
}

func (x *execCtx) execFail(n *air.Fail) *execErr {
	x.complete = false
	switch n.Form {
	case air.FailLiteral:
		instr := air.Display(n)
		obj := jsonv.ObjectValue(
			jsonv.Member{Key: "error_code", Value: jsonv.IntValue(n.Code)},
			jsonv.Member{Key: "instruction", Value: jsonv.StringValue(instr)},
			jsonv.Member{Key: "message", Value: jsonv.StringValue(n.Message)},
			jsonv.Member{Key: "peer_id", Value: jsonv.StringValue(x.p.InitPeerID)},
		)
		return x.userError(obj, x.initT, instr)
	case air.FailError:
		if x.handling != nil {
			re := *x.handling
			re.recorded = false
			return &re
		}
		return x.failWith(value{v: x.errVal, t: x.errT}, n)
	case air.FailLastError:
		return x.failWith(value{v: x.lastErr, t: x.lastErrT}, n)
	default:
		v, err := x.resolve(n.Value)
		if err != nil {
			err.joinable = false
			return err
		}
		return x.failWith(v, n)
	}
}

// failWith throws a user error object after checking its shape.
func (x *execCtx) failWith(v value, n *air.Fail) *execErr {
	obj := v.v
	if obj.Kind() != jsonv.Object {
		return catchable(CodeInvalidErrorObject, "scalar should have an object type to be converted into error object, but '%s' doesn't have", obj)
	}
	code, ok := obj.Field("error_code")
	if !ok {
		return catchable(CodeInvalidErrorObject, "scalar '%s' must have field with name '%s'", obj, "error_code")
	}
	c, ok := code.Int64()
	if !ok {
		return catchable(CodeInvalidErrorObject, "%s of scalar '%s' must have %s type", "error_code", obj, "integer")
	}
	msg, ok := obj.Field("message")
	if !ok {
		return catchable(CodeInvalidErrorObject, "scalar '%s' must have field with name '%s'", obj, "message")
	}
	if _, ok := msg.Str(); !ok {
		return catchable(CodeInvalidErrorObject, "%s of scalar '%s' must have %s type", "message", obj, "string")
	}
	if c == 0 {
		return catchable(CodeInvalidErrorObject, "error code must be non-zero, but it is zero")
	}
	t := v.t
	if t == nil {
		t = x.initT
	}
	return x.userError(obj, t, air.Display(n))
}

func (x *execCtx) userError(obj jsonv.Value, t *Tetraplet, instr string) *execErr {
	return &execErr{
		code:      CodeUserError,
		msg:       "fail with '" + obj.String() + "' is used without corresponding xor",
		instr:     instr,
		tetraplet: t,
		thrown:    &obj,
	}
}

// setScalar binds a scalar (or canon) name at the current depth.
func (x *execCtx) setScalar(name string, c cell) *execErr {
	if _, ok := x.iters[name]; ok {
		return uncatchable(CodeIterableShadowing, "variable '%s' can't be shadowed: it is a fold iterator", name)
	}
	return x.sc.set(name, c)
}
