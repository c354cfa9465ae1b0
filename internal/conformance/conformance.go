// Package conformance loads the AIR conformance corpus (testdata/conformance: Aqua programs
// compiled by the real Aqua compiler, with outcomes recorded from the reference AquaVM
// network) and emulates the reference client, so the interpreter and the node can be
// checked against it.
//
// The client emulation follows testdata/conformance/README.md: getDataSrv serves the
// arguments and "-relay-", callbackSrv.response delivers the result (no argument: null,
// one: that value, several: their array), errorHandlingSrv.error delivers the error
// object, whose "message" field is the recorded error string.
package conformance

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/internal/aquafn"
)

// NumPeers is the size of the reference network the corpus was recorded on.
const NumPeers = 5

// Case is one conformance case.
type Case struct {
	Name string
	// AIR is the compiled script.
	AIR string
	// Func is the Aqua function the script runs; Args its arguments, with the
	// placeholder "$peers" for the peer list.
	Func string
	Args map[string]jsonv.Value
	// Want is the expected result, or WantErr the expected error message.
	Want    *jsonv.Value
	WantErr *string
	// Void reports a function without a result (no callbackSrv call in the script).
	Void bool
	// Divergence explains why Want is Reef's documented result rather than the recorded
	// reference result (kept in ReferenceWant); see host-divergences.json.
	Divergence    string
	ReferenceWant *jsonv.Value
}

// hostSpecific lists cases whose expected error text comes, after AquaVM's own prefix,
// from the reference host's builtin implementations (see the corpus README).
var hostSpecific = map[string]bool{
	"error_after_partial_work":     true,
	"error_builtin_bad_args":       true,
	"error_catch_field_missing":    true,
	"error_in_fold":                true,
	"error_inside_if":              true,
	"error_unknown_service_local":  true,
	"error_unknown_service_remote": true,
	"xor_builtin_bad_args":         true,
	"xor_builtin_messages":         true,
	"xor_catch_through_if":         true,
	"xor_local_catch":              true,
	"xor_nested_try":               true,
	"xor_remote_catch":             true,
	"xor_unknown_function":         true,
}

// HostSpecific reports whether the case's expected text depends on the reference host's
// builtin error messages.
func (c *Case) HostSpecific() bool { return hostSpecific[c.Name] }

// Load reads every case in dir.
func Load(dir string) ([]*Case, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	slices.Sort(files)
	var out []*Case
	for _, f := range files {
		if filepath.Base(f) == DivergencesFile {
			continue
		}
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var rec struct {
			Call   string                     `json:"call"`
			Args   map[string]json.RawMessage `json:"args"`
			Result json.RawMessage            `json:"result"`
			Error  *string                    `json:"error"`
		}
		if err := json.Unmarshal(raw, &rec); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		air, err := os.ReadFile(filepath.Join(dir, name+".air"))
		if err != nil {
			return nil, fmt.Errorf("case %s: %w", name, err)
		}
		c := &Case{Name: name, AIR: string(air), Func: rec.Call, Args: map[string]jsonv.Value{}, WantErr: rec.Error}
		for k, v := range rec.Args {
			jv, err := jsonv.Parse(v)
			if err != nil {
				return nil, fmt.Errorf("case %s: argument %s: %w", name, k, err)
			}
			c.Args[k] = jv
		}
		if rec.Error == nil {
			res := []byte(rec.Result)
			if len(res) == 0 {
				res = []byte("null")
			}
			jv, err := jsonv.Parse(res)
			if err != nil {
				return nil, fmt.Errorf("case %s: result: %w", name, err)
			}
			c.Want = &jv
		}
		c.Void = aquafn.Void(c.AIR)
		out = append(out, c)
	}
	return out, applyDivergences(dir, out)
}

// DivergencesFile names the file listing cases whose expected outcome depends on the
// reference host's builtins, with Reef's result for each.
const DivergencesFile = "host-divergences.json"

func applyDivergences(dir string, cases []*Case) error {
	raw, err := os.ReadFile(filepath.Join(dir, DivergencesFile))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	var entries map[string]json.RawMessage
	if err := json.Unmarshal(raw, &entries); err != nil {
		return fmt.Errorf("%s: %w", DivergencesFile, err)
	}
	byName := map[string]*Case{}
	for _, c := range cases {
		byName[c.Name] = c
	}
	for name, e := range entries {
		if strings.HasPrefix(name, "_") {
			continue
		}
		var d struct {
			Reason string          `json:"reason"`
			Result json.RawMessage `json:"result"`
		}
		if err := json.Unmarshal(e, &d); err != nil {
			return fmt.Errorf("%s: %s: %w", DivergencesFile, name, err)
		}
		c := byName[name]
		if c == nil || c.Want == nil || d.Reason == "" {
			return fmt.Errorf("%s: %s: no such result case, or no reason given", DivergencesFile, name)
		}
		want, err := jsonv.Parse(d.Result)
		if err != nil {
			return fmt.Errorf("%s: %s: %w", DivergencesFile, name, err)
		}
		c.ReferenceWant, c.Want, c.Divergence = c.Want, &want, d.Reason
	}
	return nil
}

// Client emulates the reference client for one run of a case.
type Client struct {
	*aquafn.Client
	c     *Case
	peers []string
}

// NewClient returns the client of case c on a network whose peers are peers (peers[0] is
// the relay).
func NewClient(c *Case, peers []string) *Client {
	return &Client{Client: aquafn.New(c.ArgsFor(peers), peers[0]), c: c, peers: peers}
}

// ArgsFor returns the case's arguments with "$peers" replaced by peers.
func (c *Case) ArgsFor(peers []string) map[string]jsonv.Value {
	args := make(map[string]jsonv.Value, len(c.Args))
	for k, v := range c.Args {
		args[k] = substitutePeers(v, peers)
	}
	return args
}

// RunFinished tells the client that one of its own interpreter runs ended with the given
// number of call requests. Like the reference client, a void function is done (with a null
// result) at the first such run that issued no calls.
func (cl *Client) RunFinished(requests int) {
	if cl.c.Void && requests == 0 {
		cl.Finish()
	}
}

// substitutePeers replaces the "$peers" placeholder with the peer ids.
func substitutePeers(v jsonv.Value, peers []string) jsonv.Value {
	if s, ok := v.Str(); ok && s == "$peers" {
		ids := make([]jsonv.Value, len(peers))
		for i, p := range peers {
			ids[i] = jsonv.StringValue(p)
		}
		return jsonv.ArrayValue(ids...)
	}
	return v
}

// Check compares the client's outcome with the case's expectation.
func (cl *Client) Check() error {
	res, errObj, delivered := cl.Outcome()
	if !delivered && !cl.c.Void {
		return fmt.Errorf("%s: the script delivered neither a result nor an error", cl.c.Name)
	}
	return cl.c.Check(cl.peers, res, errObj)
}

// Check compares an outcome (the result, or the error object the script reported) with
// the case's expectation; peer ids are written as $peerN first.
func (c *Case) Check(peers []string, res jsonv.Value, errObj *jsonv.Value) error {
	placeholders := func(s string) string {
		for i, p := range peers {
			s = strings.ReplaceAll(s, p, fmt.Sprintf("$peer%d", i))
		}
		return s
	}
	if errObj != nil {
		got := placeholders(aquafn.ErrorMessage(*errObj))
		if c.WantErr == nil {
			return fmt.Errorf("%s: got error %q, want result %s", c.Name, got, c.Want)
		}
		return compareErrText(c, got, *c.WantErr)
	}
	if c.WantErr != nil {
		return fmt.Errorf("%s: got result %s, want error %q", c.Name, placeholders(res.String()), *c.WantErr)
	}
	got, err := jsonv.ParseString(placeholders(res.String()))
	if err != nil {
		return err
	}
	got = jsView(got)
	if c.ReferenceWant != nil && jsonv.Equal(got, *c.ReferenceWant) {
		return fmt.Errorf("%s: result %s now equals the reference result; remove the entry from %s", c.Name, got, DivergencesFile)
	}
	if !jsonv.Equal(got, *c.Want) {
		if c.HostSpecific() && hostEquivalent(got, *c.Want) {
			return nil
		}
		return fmt.Errorf("%s: result\n got: %s\nwant: %s", c.Name, got, c.Want)
	}
	return nil
}

// jsView returns v as the reference client reports it: its results pass through
// JavaScript numbers, which print integral floats as integers (1.0 becomes 1).
func jsView(v jsonv.Value) jsonv.Value {
	switch v.Kind() {
	case jsonv.Float:
		f, _ := v.Float64()
		if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			return jsonv.IntValue(int64(f))
		}
	case jsonv.Array:
		elems := make([]jsonv.Value, v.Len())
		for i, e := range v.Elems() {
			elems[i] = jsView(e)
		}
		return jsonv.ArrayValue(elems...)
	case jsonv.Object:
		members := make([]jsonv.Member, v.Len())
		for i, m := range v.Members() {
			members[i] = jsonv.Member{Key: m.Key, Value: jsView(m.Value)}
		}
		return jsonv.ObjectValue(members...)
	}
	return v
}

// serviceErrPrefix starts every error message AquaVM builds from a failed service call;
// what follows it is the host's text.
const serviceErrPrefix = "Local service error, ret_code is "

// compareErrText compares error texts exactly, except that for host-specific cases the
// host's part of a service error only has to be present.
func compareErrText(c *Case, got, want string) error {
	if got == want {
		return nil
	}
	if c.HostSpecific() && sameAquaVMPart(got, want) {
		return nil
	}
	return fmt.Errorf("%s: error\n got: %q\nwant: %q", c.Name, got, want)
}

// sameAquaVMPart reports whether two service-error texts agree on everything AquaVM
// produces: the text before the prefix, the ret code, and the presence of a host message.
func sameAquaVMPart(got, want string) bool {
	gi, wi := strings.Index(got, serviceErrPrefix), strings.Index(want, serviceErrPrefix)
	if gi < 0 || wi < 0 || got[:gi] != want[:wi] {
		return false
	}
	g, w := got[gi+len(serviceErrPrefix):], want[wi+len(serviceErrPrefix):]
	gc, _, _ := strings.Cut(g, ",")
	wc, _, _ := strings.Cut(w, ",")
	return gc == wc && strings.Contains(g, "error message is '") && len(g) > len(gc)+len(", error message is ''")
}

// hostEquivalent compares results of host-specific cases, which may embed host error
// texts in strings anywhere inside the result.
func hostEquivalent(got, want jsonv.Value) bool {
	if got.Kind() != want.Kind() {
		return false
	}
	switch got.Kind() {
	case jsonv.String:
		g, _ := got.Str()
		w, _ := want.Str()
		return g == w || sameAquaVMPart(g, w)
	case jsonv.Array:
		if got.Len() != want.Len() {
			return false
		}
		for i := range got.Elems() {
			if !hostEquivalent(got.Elems()[i], want.Elems()[i]) {
				return false
			}
		}
		return true
	case jsonv.Object:
		if strings.Join(got.Keys(), ",") != strings.Join(want.Keys(), ",") {
			return false
		}
		for i, m := range got.Members() {
			if !hostEquivalent(m.Value, want.Members()[i].Value) {
				return false
			}
		}
		return true
	}
	return jsonv.Equal(got, want)
}
