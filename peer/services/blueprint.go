package services

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/reefhq/reef/aqua/jsonv"
)

// A blueprint's text (dist.make_blueprint's result, dist.add_blueprint's argument) is
// the DAG-JSON form nox uses, with module hashes as links:
//
//	{"dependencies":[{"/":"<module sha256>"}],"name":"kv"}
//
// Its id is the sha256 (hex) of that canonical text, so the same name and module always
// give the same id. add_blueprint also accepts plain strings as dependencies, and the
// blueprint as a JSON object instead of a string.

// BlueprintText is the canonical DAG-JSON text of a blueprint.
func BlueprintText(name string, deps []string) string {
	links := make([]jsonv.Value, len(deps))
	for i, d := range deps {
		links[i] = jsonv.ObjectValue(jsonv.Member{Key: "/", Value: jsonv.StringValue(d)})
	}
	return jsonv.ObjectValue(
		jsonv.Member{Key: "dependencies", Value: jsonv.ArrayValue(links...)},
		jsonv.Member{Key: "name", Value: jsonv.StringValue(name)},
	).String()
}

// BlueprintID is the id of a blueprint: the sha256 of BlueprintText, hex.
func BlueprintID(name string, deps []string) string {
	sum := sha256.Sum256([]byte(BlueprintText(name, deps)))
	return hex.EncodeToString(sum[:])
}

// ParseBlueprint reads a blueprint given as its text or as an object.
func ParseBlueprint(v jsonv.Value) (name string, deps []string, err error) {
	if s, ok := v.Str(); ok {
		if v, err = jsonv.ParseString(s); err != nil {
			return "", nil, fmt.Errorf("the blueprint is not JSON: %v", err)
		}
	}
	if v.Kind() != jsonv.Object {
		return "", nil, fmt.Errorf("the blueprint must be an object {name, dependencies} (dist.make_blueprint's result), got %s", v.TypeName())
	}
	nv, _ := v.Field("name")
	if name, _ = nv.Str(); name == "" {
		return "", nil, fmt.Errorf("the blueprint has no name")
	}
	dv, _ := v.Field("dependencies")
	if dv.Kind() != jsonv.Array {
		return "", nil, fmt.Errorf("the blueprint's dependencies must be an array of module hashes")
	}
	for i, d := range dv.Elems() {
		if d.Kind() == jsonv.Object {
			d, _ = d.Field("/")
		}
		s, ok := d.Str()
		if !ok || s == "" {
			return "", nil, fmt.Errorf("dependency %d is not a module hash: %s", i, d)
		}
		deps = append(deps, s)
	}
	return name, deps, nil
}
