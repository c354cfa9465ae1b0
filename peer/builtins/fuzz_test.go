package builtins

import (
	"context"
	"strings"
	"testing"

	"github.com/reefhq/reef/aqua/jsonv"
)

// FuzzBuiltins calls every registered function with arguments taken from a fuzzed JSON
// text (the elements of an array, or the value itself as the only argument). Handlers are
// called directly, not through Registry.Call, so that a panic is not hidden by its
// recover. Successful results must be valid JSON; failures must be a JSON string
// starting with "<service>.<function>: ".
func FuzzBuiltins(f *testing.F) {
	seeds := []string{
		`[]`, `[1,2]`, `[-1,0]`, `[2,63]`, `[-2,63]`, `[2,9]`, `[1.5,3]`, `[1e300,-1e300]`,
		`[9223372036854775807,1]`, `[-9223372036854775808,-1]`, `[18446744073709551615,0]`,
		`["a",1]`, `["a","b"]`, `[[1,2],[3]]`, `[["a","b"],["b","c"]]`, `[[9223372036854775807,1]]`,
		`[{"a":1},"b",2]`, `[{"a":1},"b",2,"c"]`, `[{"a":1},[["b",2]]]`, `[[["a",1],["b"]]]`,
		`["hello",true,[true]]`, `["hello",[],null]`, `["Cn8eVZg"]`, `["5Q"]`, `["0OIl"]`,
		`[[0,0,255]]`, `[[256]]`, `["{\"a\":[1,2]}"]`, `["[1,"]`, `[[1,2,3],1,2]`, `[[],4,1]`,
		`"x"`, `null`, `{"k":"v"}`, `[[[[[[[[[[1]]]]]]]]]]`,
	}
	for _, s := range seeds {
		f.Add(s)
	}
	r := newTestRegistry()
	type fn struct {
		name string
		f    Func
	}
	var fns []fn
	for _, s := range r.Services() {
		for _, name := range r.Functions(s) {
			h, _ := r.Lookup(s, name)
			fns = append(fns, fn{s + "." + name, h})
		}
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, text string) {
		v, err := jsonv.ParseString(text)
		if err != nil {
			return
		}
		args := []jsonv.Value{v}
		if v.Kind() == jsonv.Array {
			args = v.Elems()
		}
		for _, h := range fns {
			service, function, _ := strings.Cut(h.name, ".")
			res := h.f(ctx, &Call{Service: service, Function: function, Args: args})
			out, err := jsonv.ParseString(res.Result)
			if err != nil {
				t.Fatalf("%s%s: result %q is not JSON: %v", h.name, text, res.Result, err)
			}
			if res.RetCode == 0 {
				continue
			}
			msg, ok := out.Str()
			if !ok || !strings.HasPrefix(msg, h.name+": ") {
				t.Fatalf("%s%s: error result %s is not a JSON string naming the function", h.name, text, res.Result)
			}
		}
	})
}
