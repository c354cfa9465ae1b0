package builtins

import (
	"fmt"

	"github.com/reefhq/reef/aqua/jsonv"
)

// registerJSON adds the "json" and "debug" services.
func registerJSON(r *Registry) {
	reg := func(name string, nests bool, f pureFunc) { r.Register("json", name, wrap("json", name, nests, f)) }
	reg("obj", true, jsonObj)
	reg("put", true, jsonPut)
	reg("puts", true, jsonPuts)
	reg("parse", false, jsonParse)
	reg("stringify", false, jsonStringify)
	reg("obj_pairs", false, jsonObjPairs) // [[k, v]] -> {k: v} never nests deeper
	reg("puts_pairs", false, jsonPutsPairs)
	r.Register("debug", "stringify", wrap("debug", "stringify", false, debugStringify))
}

// withMembers returns obj (members, possibly nil) with extra members set; later members
// win over earlier ones and over obj's.
func withMembers(obj []jsonv.Member, extra []jsonv.Member) jsonv.Value {
	all := make([]jsonv.Member, 0, len(obj)+len(extra))
	all = append(all, obj...)
	all = append(all, extra...)
	return jsonv.ObjectValue(all...) // stable sort; the last of equal keys wins
}

// kvArgs reads key-value pairs from args[from:]; the count has been checked to be even.
func kvArgs(args []jsonv.Value, from int) ([]jsonv.Member, error) {
	out := make([]jsonv.Member, 0, (len(args)-from)/2)
	for i := from; i+1 < len(args); i += 2 {
		k, ok := args[i].Str()
		if !ok {
			return nil, argError(argPath(i), "a string (a key)", args[i])
		}
		out = append(out, jsonv.Member{Key: k, Value: args[i+1]})
	}
	return out, nil
}

// jsonObj builds an object from k1, v1, k2, v2, …; a repeated key keeps its last value.
func jsonObj(args []jsonv.Value) (jsonv.Value, error) {
	if len(args)%2 != 0 {
		return jsonv.Value{}, fmt.Errorf("expected an even number of arguments (key, value, …), got %d", len(args))
	}
	kvs, err := kvArgs(args, 0)
	if err != nil {
		return jsonv.Value{}, err
	}
	return jsonv.ObjectValue(kvs...), nil
}

// jsonPut returns obj with one key set.
func jsonPut(args []jsonv.Value) (jsonv.Value, error) {
	if err := wantArgs(args, 3); err != nil {
		return jsonv.Value{}, err
	}
	if _, err := toObject(args[0], argPath(0)); err != nil {
		return jsonv.Value{}, err
	}
	k, err := toString(args[1], argPath(1))
	if err != nil {
		return jsonv.Value{}, err
	}
	return args[0].With(k, args[2]), nil
}

// jsonPuts returns obj with keys set from k1, v1, k2, v2, ….
func jsonPuts(args []jsonv.Value) (jsonv.Value, error) {
	if len(args)%2 != 1 {
		return jsonv.Value{}, fmt.Errorf("expected an odd number of arguments (object, key, value, …), got %d", len(args))
	}
	obj, err := toObject(args[0], argPath(0))
	if err != nil {
		return jsonv.Value{}, err
	}
	kvs, err := kvArgs(args, 1)
	if err != nil {
		return jsonv.Value{}, err
	}
	return withMembers(obj, kvs), nil
}

// jsonParse parses JSON text.
func jsonParse(args []jsonv.Value) (jsonv.Value, error) {
	if err := wantArgs(args, 1); err != nil {
		return jsonv.Value{}, err
	}
	s, err := toString(args[0], argPath(0))
	if err != nil {
		return jsonv.Value{}, err
	}
	v, err := jsonv.ParseString(s)
	if err != nil {
		return jsonv.Value{}, fmt.Errorf("argument 1 is not valid JSON: %w", err)
	}
	return v, nil
}

// jsonStringify returns the canonical JSON text of any value.
func jsonStringify(args []jsonv.Value) (jsonv.Value, error) {
	if err := wantArgs(args, 1); err != nil {
		return jsonv.Value{}, err
	}
	return jsonv.StringValue(args[0].String()), nil
}

// pairs reads an array of [key, value] pairs.
func pairs(v jsonv.Value, path string) ([]jsonv.Member, error) {
	elems, err := toArray(v, path)
	if err != nil {
		return nil, err
	}
	out := make([]jsonv.Member, len(elems))
	for j, e := range elems {
		if e.Kind() != jsonv.Array || e.Len() != 2 {
			return nil, argError(elemPath(path, j), wantPair, e)
		}
		kv := e.Elems()
		k, ok := kv[0].Str()
		if !ok {
			return nil, argError(elemPath(elemPath(path, j), 0), wantString, kv[0])
		}
		out[j] = jsonv.Member{Key: k, Value: kv[1]}
	}
	return out, nil
}

// jsonObjPairs builds an object from [[k, v], …].
func jsonObjPairs(args []jsonv.Value) (jsonv.Value, error) {
	if err := wantArgs(args, 1); err != nil {
		return jsonv.Value{}, err
	}
	kvs, err := pairs(args[0], argPath(0))
	if err != nil {
		return jsonv.Value{}, err
	}
	return jsonv.ObjectValue(kvs...), nil
}

// jsonPutsPairs returns obj with keys set from [[k, v], …].
func jsonPutsPairs(args []jsonv.Value) (jsonv.Value, error) {
	if err := wantArgs(args, 2); err != nil {
		return jsonv.Value{}, err
	}
	obj, err := toObject(args[0], argPath(0))
	if err != nil {
		return jsonv.Value{}, err
	}
	kvs, err := pairs(args[1], argPath(1))
	if err != nil {
		return jsonv.Value{}, err
	}
	return withMembers(obj, kvs), nil
}

// debugStringify returns the canonical JSON text of its argument, of the array of its
// arguments when there are several, or "<empty argument list>" (quotes included, as nox
// and the JS client produce) when there are none.
func debugStringify(args []jsonv.Value) (jsonv.Value, error) {
	switch len(args) {
	case 0:
		return jsonv.StringValue(`"<empty argument list>"`), nil
	case 1:
		return jsonv.StringValue(args[0].String()), nil
	}
	return jsonv.StringValue(jsonv.ArrayValue(args...).String()), nil
}
