package peer

// Hop reports (docs/protocol.md, "Hop reports"): a particle whose init peer asked for
// tracing (particle.TraceRequest) makes every node that runs it send a signed report of
// each run to the trace destination. This file holds the node's side of it: deciding
// after a run whether to report, building, signing and sending reports off the worker,
// receiving them on hopreport.ProtocolID, and either publishing them (the node is the
// init peer) or forwarding them to the client whose relay it is.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	lpeer "github.com/libp2p/go-libp2p/core/peer"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/peer/events"
	"github.com/reefhq/reef/peer/hopreport"
	"github.com/reefhq/reef/peer/particle"
)

// HopReportLimits bound what a node spends on hop reports. Zero fields take the
// defaults of DefaultHopReportLimits.
type HopReportLimits struct {
	// PerParticle is how many reports a node sends for one particle (its runs beyond
	// that are not reported). Default 256.
	PerParticle int
	// SendRate and SendBurst shape a token bucket per destination: reports per second
	// and the burst. Defaults 200/s and 400.
	SendRate  float64
	SendBurst int
	// ReceiveRate and ReceiveBurst shape a token bucket per sending peer for incoming
	// reports, and per client for reports a relay forwards. Defaults 1000/s and 2000.
	ReceiveRate  float64
	ReceiveBurst int
	// Senders is how many reports are sent at once; Queue how many wait (beyond it new
	// reports are dropped). Defaults 8 and 1024.
	Senders, Queue int
	// SendTimeout bounds delivering one report (never past the particle's deadline plus
	// the clock-skew allowance). Default 5 s.
	SendTimeout time.Duration
}

// DefaultHopReportLimits returns the default limits.
func DefaultHopReportLimits() HopReportLimits {
	return HopReportLimits{PerParticle: 256, SendRate: 200, SendBurst: 400, ReceiveRate: 1000, ReceiveBurst: 2000,
		Senders: 8, Queue: 1024, SendTimeout: 5 * time.Second}
}

func (l HopReportLimits) withDefaults() HopReportLimits {
	d := DefaultHopReportLimits()
	if l.PerParticle <= 0 {
		l.PerParticle = d.PerParticle
	}
	if l.SendRate <= 0 {
		l.SendRate = d.SendRate
	}
	if l.SendBurst <= 0 {
		l.SendBurst = d.SendBurst
	}
	if l.ReceiveRate <= 0 {
		l.ReceiveRate = d.ReceiveRate
	}
	if l.ReceiveBurst <= 0 {
		l.ReceiveBurst = d.ReceiveBurst
	}
	if l.Senders <= 0 {
		l.Senders = d.Senders
	}
	if l.Queue <= 0 {
		l.Queue = d.Queue
	}
	if l.SendTimeout <= 0 {
		l.SendTimeout = d.SendTimeout
	}
	return l
}

// WithHopReportLimits sets the hop report limits (see HopReportLimits for defaults).
func WithHopReportLimits(l HopReportLimits) Option {
	return func(c *config) error { c.hopReports = l; return nil }
}

// Hop sources.
const (
	HopLocal    = "local"    // a run on this node
	HopReported = "reported" // a run on another node, from its hop report
)

// HopCall is a call request a run issued.
type HopCall struct {
	ID       uint32 `json:"id"`
	Service  string `json:"service"`
	Function string `json:"function"`
	// Args is the JSON text of the argument array, cut to 1 KiB ("…" marks a cut).
	Args string `json:"args"`
}

// HopResult is a call result a run applied.
type HopResult struct {
	ID       uint32 `json:"id"`
	Service  string `json:"service,omitempty"`
	Function string `json:"function,omitempty"`
	OK       bool   `json:"ok"`
	RetCode  int32  `json:"ret_code,omitempty"`
	// Text is the JSON text of the value, or the error, cut to 256 bytes.
	Text string `json:"text"`
}

// Tracing state of an actor (under actor.mu).
type actorTrace struct {
	// req is the verified trace request, nil when the particle is not traced.
	req *particle.TraceRequest
	// sent counts the reports this node queued for the particle.
	sent int
}

// traceRequest returns the actor's verified trace request.
func (a *actor) traceRequest() *particle.TraceRequest {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.trace.req
}

// ownTrace is a traced particle this node started.
type ownTrace struct {
	sig      []byte // the trace request's signature
	deadline time.Time
	sink     func(*hopreport.Report) // may be nil
}

// tracer is the node's hop report machinery.
type tracer struct {
	lim   HopReportLimits
	queue chan *outgoingReport
	send  *buckets // per destination
	recv  *buckets // per sending peer
	fwd   *buckets // per client (relay forwarding)

	mu  sync.Mutex
	own map[string]*ownTrace // by particle id
}

func newTracer(l HopReportLimits) *tracer {
	l = l.withDefaults()
	return &tracer{
		lim:   l,
		queue: make(chan *outgoingReport, l.Queue),
		send:  newBuckets(l.SendRate, l.SendBurst),
		recv:  newBuckets(l.ReceiveRate, l.ReceiveBurst),
		fwd:   newBuckets(l.ReceiveRate, l.ReceiveBurst),
		own:   map[string]*ownTrace{},
	}
}

// outgoingReport is a report to build, sign and send, or (raw set) a report from
// another node to forward as it is.
type outgoingReport struct {
	to       string
	deadline time.Time
	// To build:
	info     events.Particle
	req      *particle.TraceRequest
	rec      *hopRecord
	local    bool // deliver without the network (this node is the destination)
	raw      []byte
	reporter string // of a forwarded report, for logs
}

// hopRecord is what the worker captures of a run for a hop (cheap: references only).
type hopRecord struct {
	from        string
	arrived     time.Time
	start, end  time.Time
	out         *aqua.Outcome
	results     map[uint32]aqua.CallResult
	resultNames map[uint32]pendingCall
}

// startTracing registers the report protocol and starts the senders.
func (n *Node) startTracing() {
	n.net.Host().SetStreamHandler(hopreport.ProtocolID, n.handleTraceStream)
	for range n.trace.lim.Senders {
		n.wg.Add(1)
		go n.reportSender()
	}
	n.wg.Add(1)
	go n.traceJanitor()
}

func (n *Node) stopTracing() { n.net.Host().RemoveStreamHandler(hopreport.ProtocolID) }

// stampArrival stamps work for a traced or watched particle with its arrival time
// (under a.mu).
func (a *actor) stampArrival(w *work) {
	if w.arrived.IsZero() && (a.trace.req != nil || a.onRun != nil) {
		w.arrived = time.Now()
	}
}

// adoptTrace takes the trace request of an arriving particle for its actor when the
// actor has none yet and the request verifies. An invalid request is ignored (the
// particle still runs) and counted.
func (n *Node) adoptTrace(a *actor, p *particle.Particle) {
	if p.Trace == nil || a.traceRequest() != nil {
		return
	}
	if err := p.VerifyTrace(); err != nil {
		n.metrics.traceInvalid.Inc()
		n.log.Debug("trace request ignored", "particle", p.ID, "to", p.Trace.To, "error", err)
		return
	}
	req := &particle.TraceRequest{To: p.Trace.To, Signature: bytes.Clone(p.Trace.Signature)}
	a.mu.Lock()
	if a.trace.req == nil {
		a.trace.req = req
	}
	a.mu.Unlock()
}

// checkOwnTrace checks the trace request of a particle this node starts: it must verify
// and ask for reports to this node or its relay.
func (n *Node) checkOwnTrace(p *particle.Particle) error {
	if p.Trace == nil {
		return nil
	}
	if p.Trace.To != n.peerID && p.Trace.To != n.relayID {
		return fmt.Errorf("peer: particle %s asks for hop reports to %s, which is neither this node nor its relay", p.ID, p.Trace.To)
	}
	return p.VerifyTrace()
}

// startOwnTrace starts tracing a particle this node starts (checked by checkOwnTrace):
// reports for it are accepted until it expires, handed to sink (if not nil) and
// published.
func (n *Node) startOwnTrace(a *actor, p *particle.Particle, sink func(*hopreport.Report)) {
	if p.Trace == nil {
		return
	}
	a.mu.Lock()
	a.trace.req = p.Trace
	a.mu.Unlock()
	n.trace.mu.Lock()
	n.trace.own[p.ID] = &ownTrace{sig: p.Trace.Signature, deadline: a.deadline, sink: sink}
	n.trace.mu.Unlock()
}

// NewTracedParticle creates a particle signed by this node that asks every node running
// it for hop reports: to this node, or to its relay in client mode (which forwards
// them). Start it with Execute; reports arrive as events.HopReport.
func (n *Node) NewTracedParticle(script string, ttl time.Duration) *particle.Particle {
	p := n.NewParticle(script, ttl)
	p.RequestTrace(n.key, n.traceDestination())
	return p
}

// traceDestination is where reports for this node's particles go.
func (n *Node) traceDestination() string {
	if n.relayID != "" {
		return n.relayID
	}
	return n.peerID
}

// recordHop captures a run for its hop report and the local hop (watched is set when
// the particle's starter watches its runs). It runs on the worker before the run's call
// results are forgotten, and only queues work: reports are built and sent by the
// senders. It returns nil when there is nothing to record.
func (n *Node) recordHop(a *actor, w work, start, end time.Time, out *aqua.Outcome, watched bool) *hopRecord {
	a.mu.Lock()
	req := a.trace.req
	report := req != nil && a.p.InitPeerID != n.peerID
	capped := report && a.trace.sent >= n.trace.lim.PerParticle
	if report && !capped {
		a.trace.sent++
	}
	if !report && !watched {
		a.mu.Unlock()
		return nil
	}
	var names map[uint32]pendingCall
	if len(w.results) > 0 {
		names = make(map[uint32]pendingCall, len(w.results))
		for id := range w.results {
			names[id] = a.pending[id]
		}
	}
	a.mu.Unlock()
	rec := &hopRecord{from: w.from, arrived: w.arrived, start: start, end: end, out: out, results: w.results, resultNames: names}
	if rec.arrived.IsZero() {
		rec.arrived = start
	}
	if !report {
		return rec
	}
	switch {
	case capped:
		n.metrics.reportUnsent("particle-cap")
	case n.relayID != "" && req.To != n.relayID:
		n.metrics.reportUnsent("unroutable") // a client reaches only its relay
	case !n.trace.send.allow(req.To, end):
		n.metrics.reportUnsent("rate-limit")
	default:
		n.enqueueReport(&outgoingReport{to: req.To, deadline: a.deadline, info: a.info, req: req, rec: rec, local: req.To == n.peerID})
	}
	return rec
}

func (n *Node) enqueueReport(r *outgoingReport) {
	select {
	case n.trace.queue <- r:
	default:
		n.metrics.reportUnsent("queue-full")
	}
}

// reportSender builds, signs and delivers queued reports.
func (n *Node) reportSender() {
	defer n.wg.Done()
	for {
		select {
		case <-n.ctx.Done():
			return
		case r := <-n.trace.queue:
			n.deliverReport(r)
		}
	}
}

func (n *Node) deliverReport(r *outgoingReport) {
	body := r.raw
	if body == nil {
		rep := r.rec.report(r.info, r.req)
		var err error
		if body, err = hopreport.Seal(rep, n.key); err != nil {
			n.metrics.reportUnsent("failed")
			n.log.Debug("hop report not built", "particle", r.info.ID, "error", err)
			return
		}
		if r.local {
			// This node is the destination (the relay of a client init peer): route the
			// report as if it had arrived.
			n.routeReport(rep, body, n.peerID, true)
			return
		}
	}
	if err := n.sendReport(r.to, body, r.deadline); err != nil {
		n.metrics.reportUnsent("failed")
		n.log.Debug("hop report not delivered", "particle", r.info.ID, "to", r.to, "forwarded_from", r.reporter, "error", err)
		return
	}
	if r.raw != nil {
		n.metrics.reportsForwarded.Inc()
	} else {
		n.metrics.reportsSent.Inc()
	}
}

// sendReport writes one report frame on a new stream to a peer.
func (n *Node) sendReport(to string, body []byte, deadline time.Time) error {
	pid, err := lpeer.Decode(to)
	if err != nil {
		return fmt.Errorf("%q is not a peer id: %w", to, err)
	}
	timeout := min(n.trace.lim.SendTimeout, time.Until(deadline.Add(n.cfg.clockSkew)))
	if timeout <= 0 {
		return errors.New("the particle expired before its report could be sent")
	}
	ctx, cancel := context.WithTimeout(n.ctx, timeout)
	defer cancel()
	if err := n.net.Connect(ctx, pid); err != nil {
		return err
	}
	s, err := n.net.Host().NewStream(ctx, pid, hopreport.ProtocolID)
	if err != nil {
		return fmt.Errorf("opening a trace stream: %w", err)
	}
	_ = s.SetWriteDeadline(time.Now().Add(timeout))
	if _, err := s.Write(hopreport.Frame(body)); err != nil {
		_ = s.Reset()
		return fmt.Errorf("writing the report: %w", err)
	}
	return s.Close()
}

// handleTraceStream reads one report per stream.
func (n *Node) handleTraceStream(s network.Stream) {
	from := s.Conn().RemotePeer().String()
	if !n.trace.recv.allow(from, time.Now()) {
		_ = s.Reset()
		n.dropReport("rate-limit", "", from, nil)
		return
	}
	_ = s.SetReadDeadline(time.Now().Add(n.cfg.readTimeout))
	rep, body, err := hopreport.ReadFrame(bufio.NewReaderSize(s, 512))
	if err != nil {
		_ = s.Reset()
		reason := "malformed"
		if r, ok := hopreport.ReasonOf(err); ok {
			reason = r.String()
		}
		n.dropReport(reason, "", from, err)
		return
	}
	_ = s.Close()
	n.routeReport(rep, body, from, false)
}

// routeReport handles a report that arrived from a peer (or, with own, one this node
// just made as a relay): publish it if this node started the particle with tracing on,
// forward it if this node is the trace destination of a connected client's particle,
// drop it otherwise.
func (n *Node) routeReport(rep *hopreport.Report, body []byte, from string, own bool) {
	if err := rep.CheckExpiry(time.Now(), n.cfg.clockSkew); err != nil {
		n.dropReport(reasonOf(err), rep.ParticleID, from, err)
		return
	}
	switch {
	case rep.InitPeerID == n.peerID:
		n.trace.mu.Lock()
		ot := n.trace.own[rep.ParticleID]
		n.trace.mu.Unlock()
		if ot == nil || !bytes.Equal(ot.sig, rep.TraceSignature) {
			n.dropReport("untraced", rep.ParticleID, from, nil)
			return
		}
		if err := rep.Verify(); err != nil {
			n.dropReport("signature", rep.ParticleID, from, err)
			return
		}
		n.metrics.reportsReceived.Inc()
		if ot.sink != nil {
			ot.sink(rep)
		}
		n.publish(events.HopReport{Base: events.Base{Time: time.Now()}, Report: *rep, Via: from})
	case rep.TraceTo == n.peerID && rep.TraceTo != rep.InitPeerID:
		client, err := lpeer.Decode(rep.InitPeerID)
		if err != nil || n.net.Host().Network().Connectedness(client) != network.Connected {
			n.dropReport("no-client", rep.ParticleID, from, err)
			return
		}
		if !own {
			if err := rep.VerifyTrace(); err != nil {
				n.dropReport("signature", rep.ParticleID, from, err)
				return
			}
			if err := rep.Verify(); err != nil {
				n.dropReport("signature", rep.ParticleID, from, err)
				return
			}
		}
		if !n.trace.fwd.allow(rep.InitPeerID, time.Now()) {
			n.metrics.reportUnsent("rate-limit")
			return
		}
		deadline, _ := rep.Deadline()
		n.enqueueReport(&outgoingReport{to: rep.InitPeerID, deadline: deadline, info: events.Particle{ID: rep.ParticleID}, raw: body, reporter: rep.Reporter})
	default:
		n.dropReport("not-destination", rep.ParticleID, from, nil)
	}
}

func reasonOf(err error) string {
	if r, ok := hopreport.ReasonOf(err); ok {
		return r.String()
	}
	return "malformed"
}

// dropReport counts and logs (at debug) an incoming report this node refuses.
func (n *Node) dropReport(reason, id, from string, err error) {
	n.metrics.reportDropped(reason)
	n.log.Debug("hop report dropped", "reason", reason, "particle", id, "from", from, "error", err)
}

// traceJanitor forgets this node's traced particles once they expire.
func (n *Node) traceJanitor() {
	defer n.wg.Done()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-n.ctx.Done():
			return
		case now := <-t.C:
			n.trace.mu.Lock()
			for id, ot := range n.trace.own {
				if now.After(ot.deadline.Add(n.cfg.clockSkew)) {
					delete(n.trace.own, id)
				}
			}
			n.trace.mu.Unlock()
			n.trace.send.sweep(now)
			n.trace.recv.sweep(now)
			n.trace.fwd.sweep(now)
		}
	}
}

// report builds the hop report of a recorded run (on a sender, off the worker).
func (rec *hopRecord) report(info events.Particle, req *particle.TraceRequest) *hopreport.Report {
	out := rec.out
	rep := &hopreport.Report{
		ParticleID: info.ID, InitPeerID: info.InitPeerID, Timestamp: info.Timestamp, TTL: info.TTL,
		TraceTo: req.To, TraceSignature: req.Signature,
		From: rec.from, TimeIn: rec.arrived, Start: rec.start, TimeOut: rec.end,
		Instructions: out.Instructions, RetCode: out.RetCode, Error: out.ErrorMessage,
		NextPeers: slices.Sorted(slices.Values(out.NextPeers)),
	}
	for _, c := range rec.calls() {
		rep.Calls = append(rep.Calls, hopreport.Call(c))
	}
	for _, r := range rec.resultList() {
		rep.Results = append(rep.Results, hopreport.Result{ID: r.ID, Service: r.Service, Function: r.Function, RetCode: r.RetCode, Text: r.Text})
	}
	return rep
}

// calls lists the run's call requests, arguments cut to hopreport.MaxArgsLen.
func (rec *hopRecord) calls() []HopCall {
	if len(rec.out.CallRequests) == 0 {
		return nil
	}
	out := make([]HopCall, 0, len(rec.out.CallRequests))
	for _, req := range rec.out.CallRequests {
		out = append(out, HopCall{ID: req.ID, Service: hopreport.Truncate(req.Service, hopreport.MaxNameLen),
			Function: hopreport.Truncate(req.Function, hopreport.MaxNameLen), Args: argsText(req)})
	}
	return out
}

// argsText renders a call's arguments as a JSON array, stopping once past the limit.
func argsText(req aqua.CallRequest) string {
	b := []byte{'['}
	for i, a := range req.Args {
		if i > 0 {
			b = append(b, ',')
		}
		b = a.Append(b)
		if len(b) > hopreport.MaxArgsLen {
			break
		}
	}
	b = append(b, ']')
	return hopreport.Truncate(string(b), hopreport.MaxArgsLen)
}

// resultList lists the call results the run applied, by call id.
func (rec *hopRecord) resultList() []HopResult {
	if len(rec.results) == 0 {
		return nil
	}
	ids := make([]uint32, 0, len(rec.results))
	for id := range rec.results {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]HopResult, 0, len(ids))
	for _, id := range ids {
		r, name := rec.results[id], rec.resultNames[id]
		out = append(out, HopResult{ID: id, Service: hopreport.Truncate(name.service, hopreport.MaxNameLen),
			Function: hopreport.Truncate(name.function, hopreport.MaxNameLen), OK: r.RetCode == 0, RetCode: r.RetCode,
			Text: hopreport.Truncate(r.Result, hopreport.MaxResultLen)})
	}
	return out
}

// fill adds what the record knows to a local hop.
func (rec *hopRecord) fill(h *Hop, self string) {
	if rec == nil {
		return
	}
	h.Peer, h.Source = self, HopLocal
	h.TimeIn, h.TimeOut = rec.arrived, rec.end
	h.CallsIssued, h.ResultsApplied = rec.calls(), rec.resultList()
}

// hopFromReport turns a verified report into a hop.
func hopFromReport(r *hopreport.Report) Hop {
	h := Hop{
		Time: r.Start, Peer: r.Reporter, Source: HopReported, From: r.From, TimeIn: r.TimeIn, TimeOut: r.TimeOut,
		Instructions: r.Instructions, Calls: len(r.Calls), NextPeers: r.NextPeers, RetCode: r.RetCode, Error: r.Error,
		Omitted: r.Omitted,
	}
	for _, c := range r.Calls {
		h.CallsIssued = append(h.CallsIssued, HopCall(c))
	}
	for _, x := range r.Results {
		h.ResultsApplied = append(h.ResultsApplied, HopResult{ID: x.ID, Service: x.Service, Function: x.Function, OK: x.OK(), RetCode: x.RetCode, Text: x.Text})
	}
	return h
}

// sortHops orders hops by the time their run started (stable: equal times keep their
// order).
func sortHops(hops []Hop) {
	sort.SliceStable(hops, func(i, j int) bool { return hops[i].Time.Before(hops[j].Time) })
}

// reportsSettled reports whether the hops explain each other: every arrival of data at
// a peer Y from a peer X has a reported run of X that sent to Y (for each pair, the
// arrivals are no more than such runs), and every call result a reported run applied
// has the reported run that issued the call. self's runs are all local.
func reportsSettled(hops []Hop, self string) bool {
	type edge struct{ from, to string }
	type call struct {
		peer string
		id   uint32
	}
	balance := map[edge]int{}
	calls := map[call]int{}
	for _, h := range hops {
		if h.From != "" && h.From != self && h.From != h.Peer {
			balance[edge{h.From, h.Peer}]++
		}
		if h.Source != HopReported {
			continue
		}
		for _, to := range h.NextPeers {
			balance[edge{h.Peer, to}]--
		}
		for _, c := range h.CallsIssued {
			calls[call{h.Peer, c.ID}]--
		}
		for _, r := range h.ResultsApplied {
			calls[call{h.Peer, r.ID}]++
		}
	}
	for _, b := range balance {
		if b > 0 {
			return false
		}
	}
	for _, b := range calls {
		if b > 0 {
			return false
		}
	}
	return true
}

// buckets are token buckets by key (a peer id), bounded in number.
type buckets struct {
	rate  float64
	burst float64
	mu    sync.Mutex
	m     map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// maxBuckets bounds the peers a node keeps a bucket for; idle buckets are swept.
const maxBuckets = 4096

func newBuckets(rate float64, burst int) *buckets {
	return &buckets{rate: rate, burst: float64(burst), m: map[string]*bucket{}}
}

// allow takes a token from key's bucket, reporting whether there was one.
func (b *buckets) allow(key string, now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	k, ok := b.m[key]
	if !ok {
		if len(b.m) >= maxBuckets {
			b.sweepLocked(now)
			if len(b.m) >= maxBuckets {
				return false
			}
		}
		k = &bucket{tokens: b.burst, last: now}
		b.m[key] = k
	}
	if dt := now.Sub(k.last).Seconds(); dt > 0 {
		k.tokens = min(b.burst, k.tokens+dt*b.rate)
		k.last = now
	}
	if k.tokens < 1 {
		return false
	}
	k.tokens--
	return true
}

// sweep forgets buckets that have refilled (their peers have been idle).
func (b *buckets) sweep(now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.sweepLocked(now)
}

func (b *buckets) sweepLocked(now time.Time) {
	for key, k := range b.m {
		if k.tokens+now.Sub(k.last).Seconds()*b.rate >= b.burst {
			delete(b.m, key)
		}
	}
}

// HopReportStats counts the node's hop reports.
type HopReportStats struct {
	// Sent: reports of this node's runs delivered to another node; Forwarded: reports
	// a relay delivered to its client (other nodes' and its own); Received: reports
	// accepted for particles this node started.
	Sent, Forwarded, Received uint64
	// Unsent are reports this node did not send or forward, by reason: "particle-cap",
	// "rate-limit", "queue-full", "unroutable", "failed".
	Unsent map[string]uint64
	// Dropped are incoming reports refused, by reason: "malformed", "oversize",
	// "unsupported-version", "signature", "expired", "future", "transport",
	// "rate-limit", "untraced", "not-destination", "no-client".
	Dropped map[string]uint64
	// InvalidRequests counts particles whose trace request did not verify (ignored).
	InvalidRequests uint64
}

// HopReportStats returns the node's hop report counters.
func (n *Node) HopReportStats() HopReportStats {
	m := n.metrics
	return HopReportStats{
		Sent: m.reportsSent.value(), Forwarded: m.reportsForwarded.value(), Received: m.reportsReceived.value(),
		Unsent: m.unsent.snapshot(), Dropped: m.dropped.snapshot(), InvalidRequests: m.traceInvalid.value(),
	}
}
