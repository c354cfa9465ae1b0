package aqua

import (
	"fmt"
	"math"
	"strconv"

	"github.com/reefhq/reef/aqua/air"
	"github.com/reefhq/reef/aqua/data"
	"github.com/reefhq/reef/aqua/jsonv"
)

// literal returns a literal value (tetraplet {init_peer_id, "", "", ""}).
func (x *execCtx) literal(v jsonv.Value) value {
	return value{v: v, t: x.initT, prov: data.Provenance{Kind: data.ProvLiteral}, pos: -1}
}

// resolve evaluates an operand to one value. A whole canon stream (map) becomes its JSON
// array (object) with the canon's tetraplet.
func (x *execCtx) resolve(v air.Value) (value, *execErr) {
	switch v.Kind {
	case air.InitPeerID:
		return x.literal(jsonv.StringValue(x.p.InitPeerID)), nil
	case air.Timestamp:
		return x.literal(jsonv.UintValue(x.p.Timestamp)), nil
	case air.TTL:
		return x.literal(jsonv.UintValue(uint64(x.p.TTL))), nil
	case air.Literal:
		return x.literal(jsonv.StringValue(v.Name)), nil
	case air.Int:
		return x.literal(jsonv.IntValue(v.Int)), nil
	case air.Float:
		return x.literal(jsonv.FloatValue(v.Float)), nil
	case air.Bool:
		return x.literal(jsonv.BoolValue(v.Bool)), nil
	case air.EmptyArray:
		return x.literal(jsonv.ArrayValue()), nil
	case air.LastError:
		return x.errorRegister(x.lastErr, x.lastErrT, v.Lens)
	case air.ErrorValue:
		return x.errorRegister(x.errVal, x.errT, v.Lens)
	case air.Scalar:
		base, err := x.scalar(v.Name)
		if err != nil {
			return value{}, err
		}
		if v.Lens == nil {
			return base, nil
		}
		return x.applyScalarLens(base, v.Lens, v.Name)
	case air.CanonStream, air.CanonMap:
		c, err := x.canon(v.Name)
		if err != nil {
			return value{}, err
		}
		if v.Lens == nil {
			jv := c.json()
			return value{v: jv, t: c.t, prov: data.Provenance{Kind: data.ProvCanon, CID: c.cid}, pos: -1}, nil
		}
		if c.isMap {
			return x.applyCanonMapLens(c, v.Lens)
		}
		return x.applyCanonLens(c.elems, c.t, v.Lens, v.Name)
	}
	return value{}, catchable(CodeVariableNotFound, "value %s cannot be used here", v.String())
}

// resolveArg evaluates a call argument: its value and tetraplets (one per element for a
// whole canon stream or canon map).
func (x *execCtx) resolveArg(v air.Value) (jsonv.Value, []Tetraplet, *execErr) {
	if (v.Kind == air.CanonStream || v.Kind == air.CanonMap) && v.Lens == nil {
		c, err := x.canon(v.Name)
		if err != nil {
			return jsonv.Value{}, nil, err
		}
		ts := make([]Tetraplet, len(c.elems))
		for i, e := range c.elems {
			ts[i] = *e.t
		}
		return c.json(), ts, nil
	}
	val, err := x.resolve(v)
	if err != nil {
		return jsonv.Value{}, nil, err
	}
	return val.v, []Tetraplet{*val.t}, nil
}

// resolveString evaluates a peer, service or function operand, which must be a string.
func (x *execCtx) resolveString(v air.Value) (string, *execErr) {
	val, err := x.resolve(v)
	if err != nil {
		return "", err
	}
	s, ok := val.v.Str()
	if !ok {
		return "", catchable(CodeNonStringTriplet, "call cannot resolve non-String triplet variable part `%s` with value '%s'", v.String(), val.v)
	}
	return s, nil
}

// scalar reads a scalar name: a live fold iterator first, then the scalar matrix.
func (x *execCtx) scalar(name string) (value, *execErr) {
	if it, ok := x.iters[name]; ok {
		return it.current(), nil
	}
	c, err := x.sc.get(name)
	if err != nil {
		return value{}, err
	}
	return c.val, nil
}

func (x *execCtx) canon(name string) (*canonStream, *execErr) {
	c, err := x.sc.get(name)
	if err != nil {
		return nil, err
	}
	return c.canon, nil
}

func (x *execCtx) errorRegister(obj jsonv.Value, t *Tetraplet, lens *air.Lens) (value, *execErr) {
	val := value{v: obj, t: t, prov: data.Provenance{Kind: data.ProvLiteral}, pos: -1}
	if t == nil {
		val.t = x.initT
	}
	if lens == nil {
		return val, nil
	}
	if lens.Length {
		n, err := lengthOf(obj)
		if err != nil {
			return value{}, err
		}
		return value{v: n, t: val.t, prov: val.prov, pos: -1}, nil
	}
	jv, err := x.walk(obj, lens.Path)
	if err != nil {
		return value{}, err
	}
	nt := *val.t
	nt.Lens += lens.String()
	return value{v: jv, t: &nt, prov: val.prov, pos: -1}, nil
}

// applyScalarLens applies a lens to a scalar's value. Service results and canon values
// get the lens appended to their tetraplet; literals keep {init_peer_id, "", "", ""}.
func (x *execCtx) applyScalarLens(base value, lens *air.Lens, name string) (value, *execErr) {
	if lens.Length {
		n, err := lengthOf(base.v)
		if err != nil {
			return value{}, err
		}
		return value{v: n, t: &Tetraplet{Lens: ".length"}, prov: data.Provenance{Kind: data.ProvLiteral}, pos: -1}, nil
	}
	jv, err := x.walk(base.v, lens.Path)
	if err != nil {
		return value{}, err
	}
	return x.withLens(base, jv, lens.String()), nil
}

// withLens derives the value selected by a lens from base.
func (x *execCtx) withLens(base value, jv jsonv.Value, lens string) value {
	out := value{v: jv, prov: base.prov, pos: -1}
	if base.prov.Kind == data.ProvLiteral {
		out.t = x.initT
		return out
	}
	nt := *base.t
	nt.Lens += lens
	out.t = &nt
	return out
}

func lengthOf(v jsonv.Value) (jsonv.Value, *execErr) {
	if v.Kind() != jsonv.Array {
		return jsonv.Value{}, catchable(CodeLengthFunctor, "the length functor could applied only to an array-like value, but it's applied to '%s'", v)
	}
	return jsonv.UintValue(uint64(v.Len())), nil
}

// applyCanonLens applies a lens to a canon stream: the first accessor selects an element,
// the rest walks its JSON; the element keeps its own tetraplet.
func (x *execCtx) applyCanonLens(elems []value, ct *Tetraplet, lens *air.Lens, name string) (value, *execErr) {
	if lens.Length {
		return value{v: jsonv.UintValue(uint64(len(elems))), t: &Tetraplet{PeerPK: x.p.CurrentPeerID, ServiceID: ".length"}, prov: data.Provenance{Kind: data.ProvLiteral}, pos: -1}, nil
	}
	first := lens.Path[0]
	var idx uint64
	switch first.Kind {
	case air.FieldAccessor:
		return value{}, catchable(CodeLambdaApplier, "field accessor (with field_name = '%s') can't be applied to a stream", first.Name)
	case air.IndexAccessor:
		idx = uint64(first.Index)
	case air.VarAccessor:
		v, err := x.scalar(first.Name)
		if err != nil {
			return value{}, err
		}
		u, ok := v.v.Uint64()
		if !ok || u > math.MaxUint32 {
			return value{}, catchable(CodeLambdaApplier, "stream accessor `%s` should has number (u32) type", v.v)
		}
		idx = u
	}
	if idx >= uint64(len(elems)) {
		return value{}, catchable(CodeLambdaApplier, "lambda is applied to a stream that have only '%d' elements, but '%d' requested", len(elems), idx)
	}
	e := elems[idx]
	if len(lens.Path) == 1 {
		return value{v: e.v, t: e.t, prov: e.prov, pos: -1}, nil
	}
	jv, err := x.walk(e.v, lens.Path[1:])
	if err != nil {
		return value{}, err
	}
	return value{v: jv, t: e.t, prov: e.prov, pos: -1}, nil
}

// applyCanonMapLens applies a lens to a canon map: the first accessor is a key selecting
// the canon stream of the values stored under it (empty when absent).
func (x *execCtx) applyCanonMapLens(c *canonStream, lens *air.Lens) (value, *execErr) {
	if lens.Length {
		return value{v: jsonv.UintValue(uint64(len(c.elems))), t: &Tetraplet{PeerPK: x.p.CurrentPeerID, Lens: "length"}, prov: data.Provenance{Kind: data.ProvLiteral}, pos: -1}, nil
	}
	key, err := x.mapKey(lens.Path[0])
	if err != nil {
		return value{}, err
	}
	elems := c.valuesUnder(key)
	if len(lens.Path) == 1 {
		arr := make([]jsonv.Value, len(elems))
		for i, e := range elems {
			arr[i] = e.v
		}
		keyLens := &air.Lens{Path: lens.Path[:1]}
		return value{v: jsonv.ArrayValue(arr...), t: &Tetraplet{PeerPK: c.t.PeerPK, Lens: keyLens.String()}, prov: data.Provenance{Kind: data.ProvCanon, CID: c.cid}, pos: -1}, nil
	}
	rest := &air.Lens{Path: lens.Path[1:]}
	e, err := x.applyCanonLens(elems, c.t, rest, "")
	if err != nil {
		return value{}, err
	}
	if len(rest.Path) > 1 && e.prov.Kind != data.ProvLiteral {
		nt := *e.t
		nt.Lens += (&air.Lens{Path: rest.Path[1:]}).String()
		e.t = &nt
	}
	return e, nil
}

// walk applies accessors to a JSON value (§3.3).
func (x *execCtx) walk(v jsonv.Value, path []air.Accessor) (jsonv.Value, *execErr) {
	for _, a := range path {
		switch a.Kind {
		case air.IndexAccessor:
			next, err := index(v, uint64(a.Index))
			if err != nil {
				return jsonv.Value{}, err
			}
			v = next
		case air.FieldAccessor:
			next, err := field(v, a.Name)
			if err != nil {
				return jsonv.Value{}, err
			}
			v = next
		case air.VarAccessor:
			key, err := x.scalar(a.Name)
			if err != nil {
				return jsonv.Value{}, err
			}
			if s, ok := key.v.Str(); ok {
				next, err := field(v, s)
				if err != nil {
					return jsonv.Value{}, err
				}
				v = next
				continue
			}
			if !key.v.IsNumber() {
				return jsonv.Value{}, catchable(CodeLambdaApplier, "scalar accessor `%s` should has number or string type", key.v)
			}
			u, ok := key.v.Uint64()
			if !ok || u > math.MaxUint32 {
				return jsonv.Value{}, catchable(CodeLambdaApplier, "index accessor `%s can't be converted to u32", key.v)
			}
			next, err := index(v, u)
			if err != nil {
				return jsonv.Value{}, err
			}
			v = next
		}
	}
	return v, nil
}

func index(v jsonv.Value, i uint64) (jsonv.Value, *execErr) {
	if v.Kind() != jsonv.Array {
		return jsonv.Value{}, catchable(CodeLambdaApplier, "value '%s' is not an array-type to match array accessor with idx = '%d'", v, i)
	}
	e, ok := v.Index(int(i))
	if !ok || i > math.MaxInt32 {
		return jsonv.Value{}, catchable(CodeLambdaApplier, "value '%s' does not contain element for idx = '%d'", v, i)
	}
	return e, nil
}

func field(v jsonv.Value, name string) (jsonv.Value, *execErr) {
	if v.Kind() != jsonv.Object {
		return jsonv.Value{}, catchable(CodeLambdaApplier, "value '%s' is not an map-type to match field accessor with field_name = '%s'", v, name)
	}
	e, ok := v.Field(name)
	if !ok {
		return jsonv.Value{}, catchable(CodeLambdaApplier, "value '%s' does not contain element with field name = '%s'", v, name)
	}
	return e, nil
}

// iterableElems evaluates a scalar-like fold iterable to its elements.
func (x *execCtx) iterableElems(v air.Value) ([]value, *execErr) {
	switch v.Kind {
	case air.EmptyArray:
		return nil, nil
	case air.CanonStream:
		c, err := x.canon(v.Name)
		if err != nil {
			return nil, err
		}
		return c.elems, nil
	case air.CanonMap:
		c, err := x.canon(v.Name)
		if err != nil {
			return nil, err
		}
		if v.Lens == nil {
			return c.elems, nil
		}
		if v.Lens.Length {
			n := jsonv.UintValue(uint64(len(c.elems)))
			return nil, catchable(CodeFoldIteratesOverNonArr, "expression '%s' returned non-array value '%s' for fold iterable", v.String(), n)
		}
		key, err := x.mapKey(v.Lens.Path[0])
		if err != nil {
			return nil, err
		}
		elems := c.valuesUnder(key)
		if len(v.Lens.Path) == 1 {
			return elems, nil
		}
		val, err := x.applyCanonLens(elems, c.t, &air.Lens{Path: v.Lens.Path[1:]}, v.Name)
		if err != nil {
			return nil, err
		}
		return x.arrayElems(val, v)
	case air.Scalar:
		base, err := x.scalar(v.Name)
		if err != nil {
			return nil, err
		}
		val := base
		if v.Lens != nil {
			if val, err = x.applyScalarLens(base, v.Lens, v.Name); err != nil {
				return nil, err
			}
		}
		return x.arrayElems(val, v)
	}
	return nil, catchable(CodeFoldIteratesOverNonArr, "expression '%s' cannot be iterated", v.String())
}

// mapKey evaluates the first accessor of a canon map lens to a key.
func (x *execCtx) mapKey(a air.Accessor) (string, *execErr) {
	switch a.Kind {
	case air.FieldAccessor:
		return a.Name, nil
	case air.IndexAccessor:
		return strconv.FormatUint(uint64(a.Index), 10), nil
	}
	if _, isIter := x.iters[a.Name]; isIter {
		return "", catchable(CodeLambdaApplier, "canon stream map accessor must not be iterable")
	}
	v, err := x.scalar(a.Name)
	if err != nil {
		return "", err
	}
	if s, ok := v.v.Str(); ok {
		return s, nil
	}
	if v.v.IsInteger() {
		return v.v.String(), nil
	}
	return "", catchable(CodeLambdaApplier, "canon stream map accessor `%s` should be either string or number", v.v)
}

// arrayElems splits an array value into fold elements whose tetraplets get ".$.[i]".
func (x *execCtx) arrayElems(val value, expr air.Value) ([]value, *execErr) {
	if val.v.Kind() != jsonv.Array {
		return nil, catchable(CodeFoldIteratesOverNonArr, "expression '%s' returned non-array value '%s' for fold iterable", expr.String(), val.v)
	}
	elems := val.v.Elems()
	out := make([]value, len(elems))
	for i, e := range elems {
		out[i] = x.withLens(val, e, fmt.Sprintf(".$.[%d]", i))
	}
	return out, nil
}
