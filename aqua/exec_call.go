package aqua

import (
	"fmt"
	"math"

	"github.com/reefhq/reef/aqua/air"
	"github.com/reefhq/reef/aqua/data"
	"github.com/reefhq/reef/aqua/jsonv"
)

// callErr attributes an error raised by a call to it: :error: then shows peer_id, and the
// call's tetraplet (once resolved) is recorded with the error.
func callErr(err *execErr, t *Tetraplet, peer string) *execErr {
	err.withPeer = true
	if t != nil && err.tetraplet == nil {
		err.tetraplet = t
	}
	if peer != "" && err.peerID == "" {
		err.peerID = peer
	}
	return err
}

func (x *execCtx) execCall(n *air.Call, ev *stepEvent) *execErr {
	peer, err := x.resolveString(n.Peer)
	if err == nil {
		var svc, fn string
		if svc, err = x.resolveString(n.Service); err == nil {
			if fn, err = x.resolveString(n.Function); err == nil {
				return x.call(n, ev, &Tetraplet{PeerPK: peer, ServiceID: svc, FunctionName: fn})
			}
		}
	}
	if isJoin(err) {
		x.complete = false
		if ev != nil {
			ev.call = &CallStep{Outcome: CallJoined}
		}
		return nil
	}
	return callErr(err, nil, "")
}

func (x *execCtx) call(n *air.Call, ev *stepEvent, ct *Tetraplet) *execErr {
	if n.Output.Kind == air.Scalar {
		if _, ok := x.iters[n.Output.Name]; ok {
			return uncatchable(CodeIterableShadowing, "variable '%s' can't be shadowed: it is a fold iterator", n.Output.Name)
		}
		if err := x.sc.canWrite(n.Output.Name); err != nil {
			return err
		}
	}
	args := make([]jsonv.Value, 0, len(n.Args))
	tets := make([][]Tetraplet, 0, len(n.Args))
	ready := true
	for _, a := range n.Args {
		v, t, err := x.resolveArg(a)
		if isJoin(err) {
			ready = false
			continue
		}
		if err != nil {
			return callErr(err, ct, "")
		}
		args = append(args, v)
		tets = append(tets, t)
	}
	var argHash data.CID
	if ready {
		argHash = data.ValueCID(jsonv.ArrayValue(args...).Append(nil))
	}
	var step *CallStep
	if ev != nil {
		step = &CallStep{Peer: ct.PeerPK, Service: ct.ServiceID, Function: ct.FunctionName, Args: args}
		ev.call = step
	}
	m, terr := x.k.mergeCall()
	if terr != nil {
		return errTrace(air.Display(n), "%v", terr)
	}
	local := ct.PeerPK == x.p.CurrentPeerID
	st := m.st
	switch {
	case st == nil:
		if !local {
			return x.route(ct.PeerPK, m, step)
		}
		if !ready {
			x.complete = false
			setOutcome(step, CallJoined)
			return nil
		}
		return x.request(n, ct, args, tets, m, step)

	case st.Call == data.CallScalar || st.Call == data.CallStream || st.Call == data.CallUnused:
		return x.replayExecuted(n, ct, st, m, ready, argHash, step)

	case st.Call == data.CallFailed:
		return x.replayFailed(n, ct, st, m, ready, argHash, step)

	case st.Call == data.CallSentByWithID && st.Peer == x.p.CurrentPeerID:
		r, ok := x.results[st.CallID]
		if !ok {
			x.k.appendState(*st, m)
			x.complete = false
			if step != nil {
				step.Outcome, step.CallID = CallWaiting, st.CallID
			}
			return nil
		}
		delete(x.results, st.CallID)
		if !ready {
			return uncatchable(CodeParametersMismatch, "call %d got its result but its arguments can no longer be resolved", st.CallID)
		}
		if step != nil {
			step.CallID = st.CallID
		}
		return x.apply(n, ct, argHash, r, m, step)

	default: // sent by another peer
		if local {
			if !ready {
				x.k.appendState(*st, m)
				x.complete = false
				setOutcome(step, CallJoined)
				return nil
			}
			return x.request(n, ct, args, tets, m, step)
		}
		x.k.appendState(*st, m)
		x.complete = false
		setOutcome(step, CallWaiting)
		return nil
	}
}

func setOutcome(s *CallStep, o CallOutcome) {
	if s != nil {
		s.Outcome = o
	}
}

// route sends the particle to the call's peer.
func (x *execCtx) route(peer string, m merged, step *CallStep) *execErr {
	x.addNextPeer(peer)
	x.k.appendState(data.SentBy(x.p.CurrentPeerID), m)
	x.complete = false
	setOutcome(step, CallRouted)
	return nil
}

// request asks the host to execute a local call.
func (x *execCtx) request(n *air.Call, ct *Tetraplet, args []jsonv.Value, tets [][]Tetraplet, m merged, step *CallStep) *execErr {
	x.lcid++
	id := x.lcid
	x.requests = append(x.requests, CallRequest{ID: id, Service: ct.ServiceID, Function: ct.FunctionName, Args: args, Tetraplets: tets})
	x.k.appendState(data.SentByWithID(x.p.CurrentPeerID, id), m)
	x.complete = false
	if step != nil {
		step.Outcome, step.CallID = CallRequested, id
	}
	return nil
}

func localServiceError(retCode int64, result string, peer string, t *Tetraplet) *execErr {
	return &execErr{
		code:      CodeLocalServiceError,
		msg:       fmt.Sprintf("Local service error, ret_code is %d, error message is '%s'", retCode, result),
		peerID:    peer,
		withPeer:  true,
		tetraplet: t,
	}
}

// apply applies a call result delivered by the host (§5.3 step 6).
func (x *execCtx) apply(n *air.Call, ct *Tetraplet, argHash data.CID, r CallResult, m merged, step *CallStep) *execErr {
	tc := x.out.AddTetraplet(*ct)
	if r.RetCode == 0 {
		v, perr := jsonv.ParseString(r.Result)
		if perr == nil {
			text := v.Append(nil)
			vc := x.out.AddValue(text)
			x.values[vc] = v
			if step != nil {
				step.Outcome, step.Result = CallApplied, &v
			}
			switch n.Output.Kind {
			case air.Scalar:
				sr := x.out.AddServiceResult(data.ServiceResult{Value: vc, ArgHash: argHash, Tetraplet: tc})
				x.k.appendState(data.State{Kind: data.StateCall, Call: data.CallScalar, CID: sr}, m)
				return x.setScalar(n.Output.Name, cell{val: value{v: v, t: ct, prov: data.Provenance{Kind: data.ProvServiceResult, CID: sr}, pos: -1}})
			case air.Stream:
				sr := x.out.AddServiceResult(data.ServiceResult{Value: vc, ArgHash: argHash, Tetraplet: tc})
				pos := x.k.appendState(data.State{Kind: data.StateCall, Call: data.CallStream, CID: sr}, m)
				s := x.st.forWrite(n.Output.Name, n.Output.Pos)
				return s.add(value{v: v, t: ct, prov: data.Provenance{Kind: data.ProvServiceResult, CID: sr}, pos: pos}, fromNew, 0)
			default:
				x.k.appendState(data.State{Kind: data.StateCall, Call: data.CallUnused, CID: vc}, m)
				return nil
			}
		}
		r = CallResult{
			RetCode: math.MaxInt32,
			Result:  fmt.Sprintf("call_service result 'ret_code: 0, result: '%s'' can't be serialized or deserialized with an error: %v", r.Result, perr),
		}
	}
	failure := jsonv.ObjectValue(
		jsonv.Member{Key: "message", Value: jsonv.StringValue(r.Result)},
		jsonv.Member{Key: "ret_code", Value: jsonv.IntValue(int64(r.RetCode))},
	)
	vc := x.out.AddValue(failure.Append(nil))
	x.values[vc] = failure
	sr := x.out.AddServiceResult(data.ServiceResult{Value: vc, ArgHash: argHash, Tetraplet: tc})
	x.k.appendState(data.State{Kind: data.StateCall, Call: data.CallFailed, CID: sr}, m)
	x.complete = false
	if step != nil {
		step.Outcome, step.RetCode = CallFailed, r.RetCode
	}
	return localServiceError(int64(r.RetCode), r.Result, x.p.CurrentPeerID, ct)
}

// serviceResult loads a service result and checks it against the call being replayed.
func (x *execCtx) serviceResult(n *air.Call, ct *Tetraplet, cid data.CID, ready bool, argHash data.CID) (data.ServiceResult, *Tetraplet, *execErr) {
	sr, ok := x.out.ServiceResults[cid]
	if !ok {
		return sr, nil, uncatchable(CodeValueForCIDNotFound, "service result %s not found in particle data", cid)
	}
	t, ok := x.out.Tetraplets[sr.Tetraplet]
	if !ok {
		return sr, nil, uncatchable(CodeValueForCIDNotFound, "tetraplet %s not found in particle data", sr.Tetraplet)
	}
	if t.ServiceID != ct.ServiceID || t.FunctionName != ct.FunctionName || t.PeerPK != ct.PeerPK || t.Lens != "" {
		return sr, nil, uncatchable(CodeParametersMismatch, "call '%s' resolved to %s.%s on %s, but its stored result was produced by %s.%s on %s",
			air.Display(n), ct.ServiceID, ct.FunctionName, ct.PeerPK, t.ServiceID, t.FunctionName, t.PeerPK)
	}
	if ready && sr.ArgHash != argHash {
		return sr, nil, uncatchable(CodeParametersMismatch, "call '%s' has arguments that differ from the ones its stored result was produced with", air.Display(n))
	}
	return sr, &t, nil
}

func (x *execCtx) value(cid data.CID) (jsonv.Value, *execErr) {
	if v, ok := x.values[cid]; ok {
		return v, nil
	}
	text, ok := x.out.Values[cid]
	if !ok {
		return jsonv.Value{}, uncatchable(CodeValueForCIDNotFound, "value %s not found in particle data", cid)
	}
	v, err := jsonv.Parse(text)
	if err != nil {
		return jsonv.Value{}, uncatchable(CodeValueForCIDNotFound, "value %s is not JSON: %v", cid, err)
	}
	x.values[cid] = v
	return v, nil
}

func (x *execCtx) replayExecuted(n *air.Call, ct *Tetraplet, st *data.State, m merged, ready bool, argHash data.CID, step *CallStep) *execErr {
	want := map[air.ValueKind]data.CallKind{air.Scalar: data.CallScalar, air.Stream: data.CallStream, air.None: data.CallUnused}[n.Output.Kind]
	if st.Call != want {
		return uncatchable(CodeCallResultMismatch, "call result %v doesn't correspond to the instruction '%s'", st.CID, air.Display(n))
	}
	setOutcome(step, CallReplayed)
	if st.Call == data.CallUnused {
		x.k.appendState(*st, m)
		return nil
	}
	sr, t, err := x.serviceResult(n, ct, st.CID, ready, argHash)
	if err != nil {
		return err
	}
	v, err := x.value(sr.Value)
	if err != nil {
		return err
	}
	if step != nil {
		step.Result = &v
	}
	val := value{v: v, t: t, prov: data.Provenance{Kind: data.ProvServiceResult, CID: st.CID}, pos: -1}
	if st.Call == data.CallScalar {
		x.k.appendState(*st, m)
		return x.setScalar(n.Output.Name, cell{val: val})
	}
	val.pos = x.k.appendState(*st, m)
	return x.st.forWrite(n.Output.Name, n.Output.Pos).add(val, m.src, st.Generation)
}

func (x *execCtx) replayFailed(n *air.Call, ct *Tetraplet, st *data.State, m merged, ready bool, argHash data.CID, step *CallStep) *execErr {
	sr, t, err := x.serviceResult(n, ct, st.CID, ready, argHash)
	if err != nil {
		return err
	}
	v, err := x.value(sr.Value)
	if err != nil {
		return err
	}
	msgV, _ := v.Field("message")
	codeV, _ := v.Field("ret_code")
	msg, ok1 := msgV.Str()
	code, ok2 := codeV.Int64()
	if !ok1 || !ok2 {
		return uncatchable(20012, "failed call result %s is malformed: %s", st.CID, v)
	}
	x.k.appendState(*st, m)
	x.complete = false
	if step != nil {
		step.Outcome, step.RetCode = CallFailed, int32(code)
	}
	return localServiceError(code, msg, t.PeerPK, t)
}
