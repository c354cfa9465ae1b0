package aqua

import (
	"github.com/reefhq/reef/aqua/air"
	"github.com/reefhq/reef/aqua/data"
	"github.com/reefhq/reef/aqua/jsonv"
)

// stored returns v as it is kept in a variable: literal values lose any tetraplet they
// were resolved with (AquaVM's literal aggregate only knows the init peer).
func (x *execCtx) stored(v value) value {
	if v.prov.Kind == data.ProvLiteral {
		v.t = x.initT
	}
	v.pos = -1
	return v
}

func (x *execCtx) execAp(n *air.Ap) *execErr {
	v, err := x.resolve(n.Arg)
	if isJoin(err) {
		x.complete = false
		return nil
	}
	if err != nil {
		return err
	}
	v = x.stored(v)
	if n.Result.Kind == air.Scalar {
		return x.setScalar(n.Result.Name, cell{val: v})
	}
	return x.apToStream(v, n.Result, n)
}

func (x *execCtx) apToStream(v value, target air.Value, n air.Instr) *execErr {
	m, terr := x.k.mergeAp()
	if terr != nil {
		return errTrace(air.Display(n), "%v", terr)
	}
	return x.appendAp(v, target, m)
}

func (x *execCtx) appendAp(v value, target air.Value, m merged) *execErr {
	s := x.st.forWrite(target.Name, target.Pos)
	if m.st == nil {
		v.pos = x.k.appendState(data.Ap(0), m)
		return s.add(v, fromNew, 0)
	}
	v.pos = x.k.appendState(data.Ap(m.st.Generation), m)
	return s.add(v, m.src, m.st.Generation)
}

func (x *execCtx) execApMap(n *air.ApMap) *execErr {
	v, err := x.resolve(n.Arg)
	if isJoin(err) {
		x.complete = false
		return nil
	}
	if err != nil {
		return err
	}
	// AquaVM consumes the ap state before resolving the key; resolving it first keeps the
	// trace aligned when the key is unknown or invalid, and is otherwise the same.
	key, err := x.resolve(n.Key)
	if isJoin(err) {
		x.complete = false
		return nil
	}
	if err != nil {
		return err
	}
	switch key.v.Kind() {
	case jsonv.String, jsonv.Uint, jsonv.Int:
	default:
		return catchable(CodeStreamMapKey, "unsupported type for %s map's key", n.Map.Name)
	}
	m, terr := x.k.mergeAp()
	if terr != nil {
		return errTrace(air.Display(n), "%v", terr)
	}
	v = x.stored(v)
	v.v = jsonv.ObjectValue(jsonv.Member{Key: "key", Value: key.v}, jsonv.Member{Key: "value", Value: v.v})
	return x.appendAp(v, n.Map, m)
}

func canonErr(err *execErr, peer string) *execErr {
	err.withPeer = true
	if err.peerID == "" {
		err.peerID = peer
	}
	return err
}

func (x *execCtx) execCanon(n *air.Canon, ev *stepEvent) *execErr {
	// The peer is resolved before a state is consumed, so a canon that fails here leaves
	// the trace aligned for the next run.
	peer, err := x.resolveString(n.Peer)
	if err != nil {
		if isJoin(err) && !x.k.prev.hasNext() && !x.k.cur.hasNext() {
			x.complete = false
			if ev != nil {
				ev.canon = &CanonStep{Outcome: CallJoined}
			}
			return nil
		}
		return canonErr(err, x.p.CurrentPeerID)
	}
	st, terr := x.k.mergeCanon()
	if terr != nil {
		return errTrace(air.Display(n), "%v", terr)
	}
	if st != nil && st.Canon == data.CanonExecuted {
		if ev != nil {
			ev.canon = &CanonStep{Peer: peer, Outcome: CallReplayed}
		}
		return x.replayCanon(n, peer, st)
	}
	if peer != x.p.CurrentPeerID {
		if ev != nil {
			ev.canon = &CanonStep{Peer: peer, Outcome: CallRouted}
		}
		x.addNextPeer(peer)
		if st != nil {
			x.k.result = append(x.k.result, *st)
		} else {
			x.k.result = append(x.k.result, data.State{Kind: data.StateCanon, Canon: data.CanonSentBy, Peer: x.p.CurrentPeerID})
		}
		x.complete = false
		return nil
	}
	var elems []value
	if s := x.st.lookup(n.Source.Name, n.Source.Pos); s != nil {
		elems = s.values()
	}
	ct := &Tetraplet{PeerPK: peer}
	res := data.CanonResult{Tetraplet: x.out.AddTetraplet(*ct), Values: make([]data.CID, len(elems))}
	kept := make([]value, len(elems))
	for i, e := range elems {
		vc := x.out.AddValue(e.v.Append(nil))
		x.values[vc] = e.v
		res.Values[i] = x.out.AddCanonElement(data.CanonElement{Value: vc, Tetraplet: x.out.AddTetraplet(*e.t), Provenance: e.prov})
		e.pos = -1
		kept[i] = e
	}
	cid := x.out.AddCanonResult(res)
	x.k.result = append(x.k.result, data.State{Kind: data.StateCanon, Canon: data.CanonExecuted, CID: cid})
	if ev != nil {
		ev.canon = &CanonStep{Peer: peer, Outcome: CallApplied, Values: len(kept)}
	}
	return x.bindCanon(n, &canonStream{t: ct, elems: kept, cid: cid, isMap: n.Source.Kind == air.StreamMap})
}

func (x *execCtx) replayCanon(n *air.Canon, peer string, st *data.State) *execErr {
	res, ok := x.out.CanonResults[st.CID]
	if !ok {
		return uncatchable(CodeValueForCIDNotFound, "canon result %s not found in particle data", st.CID)
	}
	t, ok := x.out.Tetraplets[res.Tetraplet]
	if !ok {
		return uncatchable(CodeValueForCIDNotFound, "tetraplet %s not found in particle data", res.Tetraplet)
	}
	if t != (Tetraplet{PeerPK: peer}) {
		return uncatchable(CodeParametersMismatch, "canon '%s' resolved its peer to %s, but its stored result was produced on %s", air.Display(n), peer, t.PeerPK)
	}
	elems := make([]value, len(res.Values))
	for i, ec := range res.Values {
		e, ok := x.out.CanonElements[ec]
		if !ok {
			return uncatchable(CodeValueForCIDNotFound, "canon element %s not found in particle data", ec)
		}
		et, ok := x.out.Tetraplets[e.Tetraplet]
		if !ok {
			return uncatchable(CodeValueForCIDNotFound, "tetraplet %s not found in particle data", e.Tetraplet)
		}
		v, err := x.value(e.Value)
		if err != nil {
			return err
		}
		elems[i] = value{v: v, t: &et, prov: e.Provenance, pos: -1}
	}
	x.k.result = append(x.k.result, *st)
	return x.bindCanon(n, &canonStream{t: &t, elems: elems, cid: st.CID, isMap: n.Source.Kind == air.StreamMap})
}

func (x *execCtx) bindCanon(n *air.Canon, c *canonStream) *execErr {
	if n.Result.Kind == air.Scalar {
		v := value{v: c.firstValues(), t: c.t, prov: data.Provenance{Kind: data.ProvCanon, CID: c.cid}, pos: -1}
		return x.setScalar(n.Result.Name, cell{val: v})
	}
	return x.setScalar(n.Result.Name, cell{canon: c})
}

func (x *execCtx) execFold(n *air.Fold) *execErr {
	if n.Iterable.Kind == air.Stream || n.Iterable.Kind == air.StreamMap {
		return x.foldStream(n)
	}
	elems, err := x.iterableElems(n.Iterable)
	if isJoin(err) {
		x.complete = false
		return nil
	}
	if err != nil {
		return err
	}
	if len(elems) == 0 {
		return nil
	}
	return x.foldOver(n, elems, nil)
}

// foldOver runs a scalar-style fold over elems (for stream folds: one generation).
func (x *execCtx) foldOver(n *air.Fold, elems []value, fsm *foldFSM) *execErr {
	if _, live := x.iters[n.Iterator]; live {
		return uncatchable(CodeMultipleIterableValues, "multiple iterable values found for iterator '%s'", n.Iterator)
	}
	x.sc.enterFold()
	x.iters[n.Iterator] = &iterator{elems: elems, fsm: fsm, fold: n}
	err := x.exec(n.Body)
	delete(x.iters, n.Iterator)
	x.sc.leaveFold()
	return err
}

// foldStream folds over a stream generation by generation, including generations the
// body itself appends (§7.4).
func (x *execCtx) foldStream(n *air.Fold) *execErr {
	s := x.st.lookup(n.Iterable.Name, n.Iterable.Pos)
	if s == nil {
		x.complete = false
		return nil
	}
	fsm, terr := x.k.foldStart()
	if terr != nil {
		return errTrace(air.Display(n), "%v", terr)
	}
	var cursor [3]int
	visible := s.generationsAfter(cursor)
	cursor = s.counts()
	if len(visible) > 0 {
		s.openNewGeneration()
	}
	anyComplete := false
	for len(visible) > 0 {
		for _, g := range visible {
			if terr := fsm.iterationStart(g[0].pos); terr != nil {
				return errTrace(air.Display(n), "%v", terr)
			}
			x.complete = true
			if err := x.foldOver(n, g, fsm); err != nil && !err.catchable() {
				return err
			}
			fsm.generationEnd()
			anyComplete = anyComplete || x.complete
		}
		visible = s.generationsAfter(cursor)
		s.dropEmptyLastNew()
		cursor = s.counts()
		s.openNewGeneration()
	}
	x.complete = anyComplete
	if terr := fsm.foldEnd(); terr != nil {
		return errTrace(air.Display(n), "%v", terr)
	}
	return nil
}

func (x *execCtx) execNext(n *air.Next) *execErr {
	it := x.iters[n.Iterator]
	if it == nil {
		return uncatchable(20003, "fold state for iterator '%s' not found", n.Iterator)
	}
	if it.fsm != nil {
		it.fsm.iterationEnd()
	}
	if it.cursor+1 < len(it.elems) {
		if x.foldDepth >= x.foldDepthLimit {
			return uncatchable(CodeFoldDepthLimit, "fold iterations nested deeper than the limit of %d", x.foldDepthLimit)
		}
		it.cursor++
		if it.fsm != nil {
			if terr := it.fsm.iterationStart(it.elems[it.cursor].pos); terr != nil {
				return errTrace(air.Display(n), "%v", terr)
			}
		}
		x.sc.beforeNext()
		x.foldDepth++
		err := x.exec(it.fold.Body)
		x.foldDepth--
		x.sc.afterNext()
		it.cursor--
		if it.fsm != nil {
			if terr := it.fsm.backIterator(); terr != nil && (err == nil || err.catchable()) {
				return errTrace(air.Display(n), "%v", terr)
			}
		}
		return err
	}
	if it.fsm != nil {
		if terr := it.fsm.backIterator(); terr != nil {
			return errTrace(air.Display(n), "%v", terr)
		}
	}
	if it.fold.Last != nil {
		x.complete = true
		return x.exec(it.fold.Last)
	}
	if it.fsm != nil {
		x.complete = false
	}
	return nil
}
