package peer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/data"
	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/internal/aquafn"
	"github.com/reefhq/reef/peer/events"
	"github.com/reefhq/reef/peer/hopreport"
)

// Hop is one interpreter run of a particle: on this node ("local"), or on another node
// that sent a hop report ("reported", for particles started with tracing on). The JSON
// names are stable (reef run --trace writes one hop per line).
type Hop struct {
	// Time is when the run started (the clock of the peer that ran it).
	Time time.Time `json:"time"`
	// Peer is the node that ran the particle; Source is "local" or "reported".
	Peer   string `json:"peer,omitempty"`
	Source string `json:"source,omitempty"`
	// From is the peer whose data the run merged; empty for runs that only fed the
	// results of the node's own calls.
	From string `json:"from,omitempty"`
	// TimeIn is when the run's input (data or a call result) arrived at the node,
	// TimeOut when the run ended.
	TimeIn       time.Time `json:"time_in,omitzero"`
	TimeOut      time.Time `json:"time_out,omitzero"`
	Instructions int       `json:"instructions"`
	// Calls is the number of call requests the run issued.
	Calls     int      `json:"calls"`
	NextPeers []string `json:"next_peers,omitempty"`
	RetCode   int64    `json:"ret_code"`
	Error     string   `json:"error,omitempty"`
	// CallsIssued are the call requests (arguments cut to 1 KiB), ResultsApplied the
	// call results the run applied (texts cut to 256 bytes).
	CallsIssued    []HopCall   `json:"calls_issued,omitempty"`
	ResultsApplied []HopResult `json:"results_applied,omitempty"`
	// Omitted counts next peers, calls and results a report left out to stay within its
	// size limit.
	Omitted int `json:"omitted,omitempty"`
	// Producers are the peers whose results the data holds after the run, in the order
	// they first appear in the trace (local hops only).
	Producers []string `json:"producers,omitempty"`
	// Waiting lists the calls the run could not finish: "peer service.function" (local
	// hops only).
	Waiting []string `json:"waiting,omitempty"`
}

// FunctionResult is the outcome of a compiled Aqua function called as a client.
type FunctionResult struct {
	// Value is what the script passed to callbackSrv.response (null when nothing).
	Value jsonv.Value
	// ErrorObject is what the script passed to errorHandlingSrv.error, if anything.
	ErrorObject *jsonv.Value
	// Hops are every run of the particle on this node and, with WithTracing, every run
	// on other nodes that reported it, ordered by the time the run started.
	Hops []Hop
}

// CallOption configures CallFunction.
type CallOption func(*callConfig)

type callConfig struct {
	tracing bool
	started func(particleID string)
}

// WithTracing starts the particle with tracing on: every node that runs it sends a
// signed hop report (to this node, or through its relay in client mode), and the
// result's Hops include those runs. Once the function returns, CallFunction waits up
// to HopSettleTime for reports of the runs that led to the result.
func WithTracing() CallOption { return func(c *callConfig) { c.tracing = true } }

// WithParticleStarted calls f with the particle's id once the node has started it
// (before its first run), so that a caller can follow the particle's events while
// CallFunction is still running.
func WithParticleStarted(f func(particleID string)) CallOption {
	return func(c *callConfig) { c.started = f }
}

// HopSettleTime bounds how long a traced CallFunction waits, after the result, for the
// reports of the runs that led to it.
const HopSettleTime = time.Second

// TimeoutError reports a particle whose TTL ran out before the function returned, with
// what the client knows about where it went.
type TimeoutError struct {
	ParticleID string
	TTL        time.Duration
	// LastFrom is the last peer whose data reached this node.
	LastFrom string
	// Reached are the peers whose results the last data holds.
	Reached []string
	// Waiting are the calls the particle was waiting for ("peer service.function").
	Waiting []string
	// SentTo are the peers this node sent the particle to.
	SentTo []string
	// Unreachable are the peers this node failed to send the particle to, with reasons.
	Unreachable []string
	// Silent, for a particle started WithTracing, are the peers the particle was sent to
	// (by this node or, per their hop reports, by other nodes) that never reported
	// running it, as "PEER (sent by SENDER)": where the particle was lost. The peer is
	// down or unreachable from its sender, or its hop reports were lost.
	Silent []string
}

func (e *TimeoutError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the particle %s expired after its TTL of %s without a result", e.ParticleID, e.TTL)
	if len(e.SentTo) > 0 {
		fmt.Fprintf(&b, "\n  sent to: %s", strings.Join(e.SentTo, ", "))
	}
	if e.LastFrom != "" {
		fmt.Fprintf(&b, "\n  last data came from: %s", e.LastFrom)
	} else {
		b.WriteString("\n  no data came back from the network")
	}
	if len(e.Reached) > 0 {
		fmt.Fprintf(&b, "\n  peers that produced results: %s", strings.Join(e.Reached, ", "))
	}
	if len(e.Waiting) > 0 {
		fmt.Fprintf(&b, "\n  still waiting for: %s", strings.Join(e.Waiting, "; "))
	}
	for _, u := range e.Unreachable {
		fmt.Fprintf(&b, "\n  unreachable: %s", u)
	}
	for _, s := range e.Silent {
		fmt.Fprintf(&b, "\n  sent to, never reported a run: %s", s)
	}
	return b.String()
}

// ErrNotClient is returned by CallFunction on a node that is not a client and has no
// relay to name as "-relay-".
var ErrNotClient = errors.New("peer: CallFunction needs a client node (WithClientMode) or an explicit relay")

// CallFunction runs a compiled Aqua function from this node (normally a client): it
// serves getDataSrv with args and "-relay-", and returns what the script delivers to
// callbackSrv.response or errorHandlingSrv.error. A function without a result returns
// null once this node's run issues no more calls. If the TTL runs out first the error is
// a *TimeoutError saying where the particle went.
func (n *Node) CallFunction(ctx context.Context, script string, args map[string]jsonv.Value, ttl time.Duration, opts ...CallOption) (*FunctionResult, error) {
	var cc callConfig
	for _, o := range opts {
		o(&cc)
	}
	relay := n.relayID
	if relay == "" {
		relay = n.peerID
	}
	client := aquafn.New(args, relay)
	void := aquafn.Void(script)
	p := n.NewParticle(script, ttl)
	if cc.tracing {
		p.RequestTrace(n.key, n.traceDestination())
	}
	var mu sync.Mutex
	res := &FunctionResult{}
	finished := false // once CallFunction returns, res belongs to the caller
	addHop := func(h Hop) {
		mu.Lock()
		if !finished {
			res.Hops = append(res.Hops, h)
		}
		mu.Unlock()
	}
	finish := func() {
		mu.Lock()
		finished = true
		sortHops(res.Hops)
		mu.Unlock()
	}
	reported := make(chan struct{}, 1)
	var onReport func(*hopreport.Report)
	if cc.tracing {
		onReport = func(r *hopreport.Report) {
			addHop(hopFromReport(r))
			select {
			case reported <- struct{}{}:
			default:
			}
		}
	}
	var unreachable, sentTo []string
	sub := n.events.Subscribe(256)
	defer sub.Close()
	onRun := func(h Hop, out *aqua.Outcome) {
		addHop(h)
		if void && len(out.CallRequests) == 0 && out.RetCode == 0 {
			client.Finish()
		}
	}
	err := n.executeLocal(p, localParticle{
		services: func(_ context.Context, req aqua.CallRequest) (aqua.CallResult, bool) {
			if r, ok := client.Handle(req); ok {
				return r, true
			}
			if req.Service == "getDataSrv" {
				return aqua.Fail(1, fmt.Sprintf("argument '%s' was not given", req.Function)), true
			}
			return aqua.CallResult{}, false
		},
		onRun:    onRun,
		onReport: onReport,
	})
	if err != nil {
		return nil, err
	}
	if cc.started != nil {
		cc.started(p.ID)
	}
	deadline, _ := p.Deadline()
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	for {
		select {
		case <-client.Done():
			if cc.tracing {
				n.settleReports(ctx, &mu, res, reported, deadline)
			}
			finish()
			res.Value, res.ErrorObject, _ = client.Outcome()
			return res, nil
		case ev, ok := <-sub.C:
			if !ok {
				finish()
				return nil, errors.New("peer: the node stopped")
			}
			switch e := ev.(type) {
			case events.ParticleUnreachable:
				if e.Particle.ID == p.ID {
					unreachable = append(unreachable, e.To+": "+e.Reason)
				}
			case events.ParticleForwarded:
				if e.Particle.ID == p.ID {
					sentTo = append(sentTo, e.To+" at "+e.Time.Format("15:04:05.000"))
				}
			}
		case <-timer.C:
			finish()
			te := &TimeoutError{ParticleID: p.ID, TTL: ttl, Unreachable: unreachable, SentTo: sentTo}
			var local []Hop // what reached this node (reported hops are elsewhere)
			for _, h := range res.Hops {
				if h.Source == HopLocal {
					local = append(local, h)
				}
			}
			for i := len(local) - 1; i >= 0; i-- {
				h := local[i]
				if te.LastFrom == "" && h.From != "" && h.From != n.peerID {
					te.LastFrom = h.From
				}
			}
			if len(local) > 0 {
				last := local[len(local)-1]
				for _, p := range last.Producers {
					if p != n.peerID {
						te.Reached = append(te.Reached, p)
					}
				}
				te.Waiting = last.Waiting
			}
			if cc.tracing {
				te.Silent = silentPeers(res.Hops, n.peerID)
			}
			return res, te
		case <-ctx.Done():
			finish()
			return res, ctx.Err()
		}
	}
}

// silentPeers lists the peers that runs sent the particle to more often than runs of
// theirs merged data from that sender, as "PEER (sent by SENDER)", sorted. self is left
// out: what reached it is known without reports.
func silentPeers(hops []Hop, self string) []string {
	type edge struct{ from, to string }
	balance := map[edge]int{}
	for _, h := range hops {
		at := h.Peer
		if at == "" {
			at = self // a local hop
		}
		if h.From != "" && h.From != at {
			balance[edge{h.From, at}]--
		}
		for _, to := range h.NextPeers {
			if to != at {
				balance[edge{at, to}]++
			}
		}
	}
	var out []string
	for e, b := range balance {
		if b > 0 && e.to != self {
			out = append(out, e.to+" (sent by "+e.from+")")
		}
	}
	sort.Strings(out)
	return out
}

// settleReports waits, at most HopSettleTime (and never past the deadline or ctx), until
// every run that sent data on the way to the result has reported (reportsSettled).
// Reports travel beside the particle, so the last ones usually arrive within a hop's
// latency of the result.
func (n *Node) settleReports(ctx context.Context, mu *sync.Mutex, res *FunctionResult, reported <-chan struct{}, deadline time.Time) {
	limit := time.NewTimer(min(HopSettleTime, time.Until(deadline)))
	defer limit.Stop()
	for {
		mu.Lock()
		done := reportsSettled(res.Hops, n.peerID)
		mu.Unlock()
		if done {
			return
		}
		select {
		case <-reported:
		case <-limit.C:
			return
		case <-ctx.Done():
			return
		}
	}
}

// localParticle is what a node keeps for a particle it started itself.
type localParticle struct {
	services ServiceFunc
	onRun    func(Hop, *aqua.Outcome)
	onReport func(*hopreport.Report) // verified reports of a traced particle
}

// hopObserver collects the calls a run could not finish.
type hopObserver struct {
	self    string
	waiting []string
}

func (o *hopObserver) Step(s *aqua.Step) {
	switch {
	case s.Call != nil && (s.Call.Outcome == aqua.CallRouted || s.Call.Outcome == aqua.CallWaiting) && s.Call.Peer != o.self:
		o.waiting = append(o.waiting, s.Call.Peer+" "+s.Call.Service+"."+s.Call.Function)
	case s.Canon != nil && s.Canon.Outcome == aqua.CallRouted && s.Canon.Peer != o.self:
		o.waiting = append(o.waiting, s.Canon.Peer+" (a hop: canon on that peer)")
	}
}

// producers lists the peers whose results data holds, in trace order.
func producers(raw []byte) []string {
	d, err := data.Decode(raw, 0)
	if err != nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		if p != "" && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, s := range d.Trace {
		switch {
		case s.Kind == data.StateCall && (s.Call == data.CallScalar || s.Call == data.CallStream || s.Call == data.CallFailed):
			if sr, ok := d.ServiceResults[s.CID]; ok {
				add(d.Tetraplets[sr.Tetraplet].PeerPK)
			}
		case s.Kind == data.StateCanon && s.Canon == data.CanonExecuted:
			if cr, ok := d.CanonResults[s.CID]; ok {
				add(d.Tetraplets[cr.Tetraplet].PeerPK)
			}
		}
	}
	return out
}

func dedupSorted(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return slices.Compact(s)
}
