package aqua_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/data"
	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/aqua/memnet"
)

// world is a small in-memory network whose peers are named P1, P2, ... in scripts and
// expectations; P1 starts particles.
type world struct {
	t     testing.TB
	net   *memnet.Network
	names []string
	ids   map[string]string
	// calls logs every call request as "Pn svc.fn args".
	calls []string
	// tets logs the tetraplets of every call request, keyed like calls.
	tets []string
	runs []*memnet.RunRecord
	svc  func(peer string, req aqua.CallRequest) aqua.CallResult
}

func newWorld(t testing.TB, n int, svc func(peer string, req aqua.CallRequest) aqua.CallResult, opts ...memnet.Option) *world {
	t.Helper()
	w := &world{t: t, ids: map[string]string{}, svc: svc}
	opts = append(opts, memnet.OnRun(func(r *memnet.RunRecord) { w.runs = append(w.runs, r) }))
	net, err := memnet.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	w.net = net
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("P%d", i)
		p := net.AddPeer(name, w.handle)
		w.names = append(w.names, name)
		w.ids[name] = p.ID
	}
	return w
}

func (w *world) handle(p *memnet.Peer, _ *memnet.Particle, req aqua.CallRequest) aqua.CallResult {
	args := jsonv.ArrayValue(req.Args...).String()
	w.calls = append(w.calls, fmt.Sprintf("%s %s.%s %s", p.Name, req.Service, req.Function, w.unsub(args)))
	var ts []string
	for _, list := range req.Tetraplets {
		var one []string
		for _, t := range list {
			one = append(one, fmt.Sprintf("{%s,%s,%s,%s}", w.unsub(t.PeerPK), t.ServiceID, t.FunctionName, t.Lens))
		}
		ts = append(ts, "["+strings.Join(one, " ")+"]")
	}
	w.tets = append(w.tets, fmt.Sprintf("%s.%s %s", req.Service, req.Function, strings.Join(ts, " ")))
	if w.svc == nil {
		return aqua.Ok(jsonv.StringValue("ok"))
	}
	return w.svc(p.Name, req)
}

// sub replaces peer names with peer ids.
func (w *world) sub(s string) string {
	for i := len(w.names) - 1; i >= 0; i-- { // P10 before P1
		s = strings.ReplaceAll(s, w.names[i], w.ids[w.names[i]])
	}
	return s
}

// unsub replaces peer ids with names.
func (w *world) unsub(s string) string {
	for _, n := range w.names {
		s = strings.ReplaceAll(s, w.ids[n], n)
	}
	return s
}

// run starts script on P1 and delivers until quiescent.
func (w *world) run(script string) {
	w.t.Helper()
	p := &memnet.Particle{ID: "particle-1", InitPeerID: w.ids["P1"], Timestamp: 1700000000000, TTL: 10000, Script: w.sub(script)}
	if err := w.net.Start(p); err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.net.Run(context.Background()); err != nil {
		w.t.Fatal(err)
	}
}

// last returns the last run record of a peer.
func (w *world) last(name string) *memnet.RunRecord {
	for i := len(w.runs) - 1; i >= 0; i-- {
		if w.runs[i].Peer.Name == name {
			return w.runs[i]
		}
	}
	w.t.Fatalf("no run on %s", name)
	return nil
}

// trace renders the trace a peer holds in a compact form.
func (w *world) trace(name string) string {
	w.t.Helper()
	d, err := data.Decode(w.net.Peer(w.ids[name]).PrevData("particle-1"), 0)
	if err != nil {
		w.t.Fatal(err)
	}
	return w.unsub(renderTrace(d))
}

func renderTrace(d *data.Data) string {
	var parts []string
	for _, s := range d.Trace {
		parts = append(parts, renderState(s))
	}
	return strings.Join(parts, " ")
}

func renderState(s data.State) string {
	switch s.Kind {
	case data.StatePar:
		return fmt.Sprintf("par(%d,%d)", s.Left, s.Right)
	case data.StateAp:
		return fmt.Sprintf("ap(%d)", s.Generation)
	case data.StateFold:
		var lore []string
		for _, l := range s.Lore {
			lore = append(lore, fmt.Sprintf("{%d (%d,%d) (%d,%d)}", l.ValuePos, l.Before.Pos, l.Before.Len, l.After.Pos, l.After.Len))
		}
		return "fold[" + strings.Join(lore, " ") + "]"
	case data.StateCanon:
		if s.Canon == data.CanonSentBy {
			return "canon_sent(" + s.Peer + ")"
		}
		return "canon"
	case data.StateCall:
		switch s.Call {
		case data.CallSentBy:
			return "sent(" + s.Peer + ")"
		case data.CallSentByWithID:
			return fmt.Sprintf("req(%s,%d)", s.Peer, s.CallID)
		case data.CallScalar:
			return "scalar"
		case data.CallStream:
			return fmt.Sprintf("stream(%d)", s.Generation)
		case data.CallUnused:
			return "unused"
		case data.CallFailed:
			return "failed"
		}
	}
	return "?"
}

// echo answers every call with its first argument (or "ok").
func echo(_ string, req aqua.CallRequest) aqua.CallResult {
	if len(req.Args) > 0 {
		return aqua.Ok(req.Args[0])
	}
	return aqua.Ok(jsonv.StringValue("ok"))
}

// byFunc answers calls by function name with fixed JSON texts; others get "ok".
func byFunc(m map[string]string) func(string, aqua.CallRequest) aqua.CallResult {
	return func(_ string, req aqua.CallRequest) aqua.CallResult {
		if r, ok := m[req.Function]; ok {
			return aqua.CallResult{Result: r}
		}
		return aqua.Ok(jsonv.StringValue("ok"))
	}
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

func equalLists(t testing.TB, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n got: %q\nwant: %q", what, got, want)
	}
}
