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
	"sync"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/jsonv"
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
		c.Void = !strings.Contains(c.AIR, `"callbackSrv"`)
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

// Client emulates the reference client for one run of a case. It is safe for concurrent
// use.
type Client struct {
	c     *Case
	peers []string
	relay string

	mu       sync.Mutex
	done     bool
	result   jsonv.Value
	errMsg   *string
	finished chan struct{}
}

// NewClient returns the client of case c on a network whose peers are peers (peers[0] is
// the relay).
func NewClient(c *Case, peers []string) *Client {
	return &Client{c: c, peers: peers, relay: peers[0], finished: make(chan struct{})}
}

// Finished is closed when the script delivered its result or error.
func (cl *Client) Finished() <-chan struct{} { return cl.finished }

// Handle answers the client-side services. It reports false for calls it does not
// serve (they go to the builtins).
func (cl *Client) Handle(req aqua.CallRequest) (aqua.CallResult, bool) {
	switch req.Service {
	case "getDataSrv":
		if req.Function == "-relay-" {
			return aqua.Ok(jsonv.StringValue(cl.relay)), true
		}
		v, ok := cl.c.Args[req.Function]
		if !ok {
			return aqua.CallResult{}, false
		}
		return aqua.Ok(cl.substitute(v)), true
	case "callbackSrv":
		if req.Function != "response" {
			return aqua.CallResult{}, false
		}
		var r jsonv.Value
		switch len(req.Args) {
		case 0:
		case 1:
			r = req.Args[0]
		default:
			r = jsonv.ArrayValue(req.Args...)
		}
		cl.finish(r, nil)
		return aqua.Ok(jsonv.ObjectValue()), true
	case "errorHandlingSrv":
		if req.Function != "error" {
			return aqua.CallResult{}, false
		}
		msg := "Unknown error happened when executing aqua code"
		if len(req.Args) > 0 {
			if m, ok := req.Args[0].Field("message"); ok {
				if s, ok := m.Str(); ok {
					msg = s
				}
			} else if s, ok := req.Args[0].Str(); ok {
				msg = s
			}
		}
		cl.finish(jsonv.Value{}, &msg)
		return aqua.Ok(jsonv.ObjectValue()), true
	}
	return aqua.CallResult{}, false
}

// RunFinished tells the client that one of its own interpreter runs ended with the given
// number of call requests. Like the reference client, a void function is done (with a null
// result) at the first such run that issued no calls.
func (cl *Client) RunFinished(requests int) {
	if cl.c.Void && requests == 0 {
		cl.finish(jsonv.Value{}, nil)
	}
}

// substitute replaces the "$peers" placeholder with the peer ids.
func (cl *Client) substitute(v jsonv.Value) jsonv.Value {
	if s, ok := v.Str(); ok && s == "$peers" {
		ids := make([]jsonv.Value, len(cl.peers))
		for i, p := range cl.peers {
			ids[i] = jsonv.StringValue(p)
		}
		return jsonv.ArrayValue(ids...)
	}
	return v
}

func (cl *Client) finish(r jsonv.Value, errMsg *string) {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	if cl.done {
		return
	}
	cl.done, cl.result, cl.errMsg = true, r, errMsg
	close(cl.finished)
}

// Outcome returns what the script delivered so far. A void function that delivered
// nothing reports a null result, as the reference client does once its own run issued no
// further calls.
func (cl *Client) Outcome() (result jsonv.Value, errMsg *string, delivered bool) {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	return cl.result, cl.errMsg, cl.done
}

// Check compares the client's outcome with the case's expectation; peer ids are written
// as $peerN first.
func (cl *Client) Check() error {
	res, errMsg, delivered := cl.Outcome()
	c := cl.c
	if !delivered && !c.Void {
		return fmt.Errorf("%s: the script delivered neither a result nor an error", c.Name)
	}
	if errMsg != nil {
		got := cl.placeholders(*errMsg)
		if c.WantErr == nil {
			return fmt.Errorf("%s: got error %q, want result %s", c.Name, got, c.Want)
		}
		return compareErrText(c, got, *c.WantErr)
	}
	if c.WantErr != nil {
		return fmt.Errorf("%s: got result %s, want error %q", c.Name, cl.placeholders(res.String()), *c.WantErr)
	}
	got, err := jsonv.ParseString(cl.placeholders(res.String()))
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

func (cl *Client) placeholders(s string) string {
	for i, p := range cl.peers {
		s = strings.ReplaceAll(s, p, fmt.Sprintf("$peer%d", i))
	}
	return s
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
