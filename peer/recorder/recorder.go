// Package recorder keeps the recent history of the particles one or more nodes ran: a
// summary per particle, the timeline of its hops with the calls each made and their
// results, what happened around it (forwards, unreachable peers, expiry), and the exact
// inputs of every local run so that a run can be replayed instruction by instruction.
//
// Live execution pays only for recording (a lock and an append per run); the replay
// re-executes a recorded run's input with an interpreter observer, which is deterministic.
// All history is bounded: summaries, detailed particles and hops per particle are ring
// buffers whose sizes are options.
package recorder

import (
	"bytes"
	"context"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/jsonv"
	"github.com/reefhq/reef/peer"
	"github.com/reefhq/reef/peer/events"
)

// Status is where a particle stands.
type Status string

// Particle statuses.
const (
	Running   Status = "running"
	Completed Status = "completed" // nothing left to do on any observed node
	Failed    Status = "failed"    // a run ended with an error
	Expired   Status = "expired"   // the TTL ran out while an observed node held it
)

// Summary is one row of the particle list.
type Summary struct {
	ID         string
	InitPeerID string
	FirstSeen  time.Time
	LastSeen   time.Time
	Deadline   time.Time
	TTL        time.Duration
	Status     Status
	Hops       int
	LastError  string
	// Traced reports whether hop reports were requested for the particle.
	Traced bool
}

// Call is one call a hop issued.
type Call struct {
	ID       uint32
	Service  string
	Function string
	Args     []jsonv.Value
	// Result is set once the result was applied; Failed with Error for service errors.
	Result   *jsonv.Value
	Failed   bool
	Error    string
	Answered time.Time
}

// Hop is one run of the particle on one peer.
type Hop struct {
	Seq          int
	Peer         string
	From         string
	TimeIn       time.Time
	TimeOut      time.Time
	Instructions int
	Calls        []*Call
	// Results are the ids of this peer's calls whose results the run applied.
	Results   []uint32
	NextPeers []string
	RetCode   int64
	Error     string
	// Reported hops come from another node's hop report; they cannot be replayed.
	Reported bool
	run      *peer.Run
}

// Replayable reports whether the hop's input is still recorded.
func (h *Hop) Replayable() bool { return h.run != nil }

// Event is something that happened to the particle between runs.
type Event struct {
	Time   time.Time
	Kind   string // "received", "forwarded", "unreachable", "completed", "expired"
	Peer   string // the observed node
	Other  string // the peer it came from or went to
	Detail string
}

// Diagnosis explains a particle that did not finish.
type Diagnosis struct {
	// LastPeer is the peer of the most recent hop.
	LastPeer string
	LastAt   time.Time
	// Waiting lists what the particle was waiting for: calls without results and peers
	// it was sent to where no hop followed.
	Waiting []string
	// Unreachable lists peers it could not be sent to, with reasons.
	Unreachable []string
}

// Trace is everything known about one particle.
type Trace struct {
	Summary
	Script string
	Hops   []Hop
	Events []Event
	// Diagnosis is set for expired or failed particles and running ones past their
	// deadline.
	Diagnosis *Diagnosis
	// Dropped reports that the particle's timeline was dropped to bound the recorder's
	// memory (WithMaxTimelineBytes): only its summary and diagnosis are left.
	Dropped bool
}

type record struct {
	Summary
	script   string
	hops     []*Hop
	events   []Event
	calls    map[callKey]*Call
	detailed bool
	// compacted records keep only their summary (and diagnosis): see compact.
	compacted bool
	diagnosis *Diagnosis
	// outs are the last output of each node's run (while detailed), which the next run
	// on that node starts from and other nodes' runs merge (see keepData).
	outs map[string][]byte
	// detailedBytes are the bytes of the run inputs and outputs its hops keep.
	detailedBytes int
	// bytes estimates the memory of its timeline (hops, calls, events).
	bytes int
}

// addCall indexes a call for its result (a compacted record has no index left).
func (rec *record) addCall(k callKey, c *Call) {
	if rec.calls == nil {
		rec.calls = map[callKey]*Call{}
	}
	rec.calls[k] = c
}

type callKey struct {
	peer string
	id   uint32
}

type config struct {
	maxParticles int
	maxDetailed  int
	maxBytes     int
	maxTimeline  int
	maxHops      int
	maxEvents    int
}

// Option configures a Recorder.
type Option func(*config)

// WithMaxParticles bounds the particles remembered (default 10,000).
func WithMaxParticles(n int) Option { return func(c *config) { c.maxParticles = max(n, 1) } }

// WithMaxDetailed bounds the particles whose run inputs are kept for replay (default 500;
// older particles keep their timeline but not their inputs).
func WithMaxDetailed(n int) Option { return func(c *config) { c.maxDetailed = max(n, 0) } }

// DefaultMaxDetailedBytes is the default of WithMaxDetailedBytes: with the demo's
// scripts (fan-outs over 12 peers, folds of 50 calls) a particle keeps about 100 KB of
// data for its replay, so this holds the last 80 or so, the last minute of the demo; with
// the scripts a developer runs by hand, many more.
const DefaultMaxDetailedBytes = 8 << 20

// WithMaxDetailedBytes bounds the bytes of particle data the kept run inputs and outputs
// hold (default DefaultMaxDetailedBytes): beyond it the oldest particles lose their
// inputs, as beyond WithMaxDetailed. Data the runs share (a run's output is the input of
// the next run on its node, and the data another recorded peer merges) is counted once.
// The most recent particle always keeps its inputs.
func WithMaxDetailedBytes(n int) Option { return func(c *config) { c.maxBytes = max(n, 0) } }

// DefaultMaxTimelineBytes is the default of WithMaxTimelineBytes: about 580 particles of
// the demo's scripts, whose timelines take about 18 KB each, or 20,000 summaries.
const DefaultMaxTimelineBytes = 10 << 20

// WithMaxTimelineBytes bounds the memory of the particles' timelines (hops, calls with
// their arguments and results, events; default DefaultMaxTimelineBytes): beyond it the
// oldest particles' timelines are dropped and only their summaries (and, for those that
// did not finish, the diagnosis) are kept, up to WithMaxParticles; when even the
// summaries exceed it, the oldest particles are forgotten. Sizes are estimates from the
// values' lengths; the most recent particle is always kept whole.
func WithMaxTimelineBytes(n int) Option { return func(c *config) { c.maxTimeline = max(n, 0) } }

// WithMaxHops bounds the hops kept per particle (default 512; the oldest are dropped).
func WithMaxHops(n int) Option { return func(c *config) { c.maxHops = max(n, 1) } }

// Recorder is safe for concurrent use.
type Recorder struct {
	cfg config
	vm  *aqua.VM

	mu    sync.Mutex
	byID  map[string]*record
	order []string // ids by first sight, oldest first
	// whole is the index in order of the oldest particle whose timeline is kept: those
	// before it are compacted to their summaries.
	whole    int
	detailed []string // ids whose inputs are kept, oldest first
	// detailedBytes is the sum of the detailed records' detailedBytes.
	detailedBytes int
	// timelineBytes is the sum of the records' bytes.
	timelineBytes int
	// scripts interns particle scripts: particles of one program share its text.
	scripts map[string]string
	// internedBytes is the size of the interned scripts.
	internedBytes int
	rejected      []events.ParticleRejected
	arrivals      []time.Time // recent arrivals, for Rate
	// watched are the nodes whose runs arrive through the run hook; hop reports from
	// them would duplicate those runs.
	watched map[string]bool
}

// New returns an empty recorder.
func New(opts ...Option) *Recorder {
	cfg := config{maxParticles: 10_000, maxDetailed: 500, maxBytes: DefaultMaxDetailedBytes, maxTimeline: DefaultMaxTimelineBytes, maxHops: 512, maxEvents: 256}
	for _, o := range opts {
		o(&cfg)
	}
	vm, _ := aqua.New(aqua.WithScriptCache(64))
	return &Recorder{cfg: cfg, vm: vm, byID: map[string]*record{}, scripts: map[string]string{}, watched: map[string]bool{}}
}

// Hook returns the run hook to install on nodes with peer.WithRunHook.
func (r *Recorder) Hook() func(*peer.Run) { return r.recordRun }

// Watch follows a node's events until ctx ends or the node closes.
func (r *Recorder) Watch(ctx context.Context, n *peer.Node) {
	r.mu.Lock()
	r.watched[n.ID()] = true
	r.mu.Unlock()
	sub := n.Events().Subscribe(4096)
	go func() {
		defer sub.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-sub.C:
				if !ok {
					return
				}
				r.apply(n.ID(), ev)
			}
		}
	}()
}

// get returns the record of a particle, creating it. Called with r.mu held.
func (r *Recorder) get(p events.Particle) *record {
	rec, ok := r.byID[p.ID]
	if ok {
		return rec
	}
	rec = &record{
		Summary: Summary{
			ID: p.ID, InitPeerID: p.InitPeerID, Status: Running,
			Deadline: p.Deadline(), TTL: time.Duration(p.TTL) * time.Millisecond,
		},
		calls: map[callKey]*Call{},
	}
	r.byID[p.ID] = rec
	r.order = append(r.order, p.ID)
	r.grow(rec, recordBytes)
	return rec
}

// Estimated sizes of a timeline's parts, beyond the lengths of their strings and values:
// the structs with their allocation overhead (a jsonv.Value is 80 bytes on 64-bit
// machines, more than most strings it holds).
const (
	recordBytes = 512
	hopBytes    = 256
	callBytes   = 160
	eventBytes  = 160
	valueBytes  = int(unsafe.Sizeof(jsonv.Value{}))
	peerBytes   = 64
)

// grow adds n bytes to rec's timeline. While the timelines hold too many bytes it drops
// the oldest particles' timelines, keeping their summaries; it forgets the oldest
// particles while there are too many, or while the summaries alone are too many bytes.
// The newest particle is never touched. Called with r.mu held.
func (r *Recorder) grow(rec *record, n int) {
	rec.bytes += n
	r.timelineBytes += n
	for r.timelineBytes > r.cfg.maxTimeline && r.whole < len(r.order)-1 {
		r.compact(r.byID[r.order[r.whole]])
		r.whole++
	}
	for len(r.order) > 1 && (len(r.order) > r.cfg.maxParticles || r.timelineBytes > r.cfg.maxTimeline) {
		old := r.order[0]
		r.order = r.order[1:]
		r.whole = max(r.whole-1, 0)
		if o := r.byID[old]; o != nil {
			r.dropDetail(o)
			r.timelineBytes -= o.bytes
		}
		delete(r.byID, old)
	}
}

// compact drops a particle's timeline and replay inputs, keeping its summary and, when it
// did not finish, its diagnosis (which needs the timeline). Called with r.mu held.
func (r *Recorder) compact(rec *record) {
	if rec == nil || rec.compacted {
		return
	}
	if rec.Status != Completed {
		rec.diagnosis = diagnose(rec)
	}
	r.dropDetail(rec)
	rec.compacted = true
	rec.script, rec.hops, rec.events, rec.calls = "", nil, nil, nil
	r.timelineBytes -= rec.bytes - recordBytes
	rec.bytes = recordBytes
	if rec.diagnosis != nil {
		rec.bytes += diagnosisSize(rec.diagnosis)
		r.timelineBytes += diagnosisSize(rec.diagnosis)
	}
}

// dropDetail drops a particle's replay inputs. Called with r.mu held.
func (r *Recorder) dropDetail(rec *record) {
	if !rec.detailed {
		return
	}
	r.detailedBytes -= rec.detailedBytes
	rec.detailed, rec.detailedBytes, rec.outs = false, 0, nil
	for _, h := range rec.hops {
		h.run = nil
	}
}

func diagnosisSize(d *Diagnosis) int {
	n := recordBytes / 4
	for _, s := range slices.Concat(d.Waiting, d.Unreachable) {
		n += 16 + len(s)
	}
	return n
}

// valueSize estimates the memory of a JSON value.
func valueSize(v jsonv.Value) int {
	n := valueBytes
	switch v.Kind() {
	case jsonv.String:
		s, _ := v.Str()
		n += len(s)
	case jsonv.Array:
		for _, e := range v.Elems() {
			n += valueSize(e)
		}
	case jsonv.Object:
		for _, m := range v.Members() {
			n += len(m.Key) + valueSize(m.Value)
		}
	}
	return n
}

// hopSize estimates the memory of a hop and its calls.
func hopSize(h *Hop) int {
	n := hopBytes + len(h.Error) + peerBytes*len(h.NextPeers) + 4*len(h.Results)
	for _, c := range h.Calls {
		n += callBytes + len(c.Service) + len(c.Function)
		for _, a := range c.Args {
			n += valueSize(a)
		}
	}
	return n
}

// intern returns the interned copy of a script and whether it is interned (shared, so
// not counted against the particle). Called with r.mu held.
func (r *Recorder) intern(script string) (string, bool) {
	if s, ok := r.scripts[script]; ok {
		return s, true
	}
	if len(script) <= maxInternedScript && r.internedBytes+len(script) <= maxInternedBytes {
		r.scripts[script] = script
		r.internedBytes += len(script)
		return script, true
	}
	return script, false
}

// A console sees a few programs many times, so their scripts are interned, up to these
// bounds; past them (a peer sending many distinct or huge scripts) a script is kept, and
// counted, per particle.
const (
	maxInternedScript = 64 << 10
	maxInternedBytes  = 4 << 20
)

func (r *Recorder) recordRun(run *peer.Run) {
	in := *run.Input
	in.Params.Key = nil // the replay does not sign; do not keep keys around
	// The replay needs only the input; the outcome's data is kept apart (record.outs) to
	// share it with the runs it feeds.
	kept := &peer.Run{Node: run.Node, Particle: run.Particle, From: run.From, Start: run.Start, Duration: run.Duration, Input: &in}
	r.mu.Lock()
	defer r.mu.Unlock()
	script, shared := r.intern(in.Script)
	in.Script = script
	rec := r.get(run.Particle)
	if rec.script == "" {
		rec.script = script
		if !shared {
			r.grow(rec, len(script))
		}
	}
	touch(rec, run.Start)
	h := &Hop{
		Peer: run.Node, From: run.From, TimeIn: run.Start, TimeOut: run.Start.Add(run.Duration),
		Instructions: run.Outcome.Instructions, NextPeers: slices.Clone(run.Outcome.NextPeers),
		RetCode: run.Outcome.RetCode, Error: run.Outcome.ErrorMessage,
	}
	for _, req := range run.Outcome.CallRequests {
		c := &Call{ID: req.ID, Service: req.Service, Function: req.Function, Args: req.Args}
		h.Calls = append(h.Calls, c)
		rec.addCall(callKey{run.Node, req.ID}, c)
	}
	results := 0 // bytes of the results applied to earlier calls
	for id, res := range in.CallResults {
		h.Results = append(h.Results, id)
		if c := rec.calls[callKey{run.Node, id}]; c != nil {
			c.Answered = run.Start
			if res.RetCode != 0 {
				c.Failed, c.Error = true, res.Result
				results += len(c.Error)
			} else if v, err := jsonv.ParseString(res.Result); err == nil {
				c.Result = &v
				results += valueSize(v)
			} else {
				c.Failed, c.Error = true, "not JSON: "+res.Result
				results += len(c.Error)
			}
		}
	}
	slices.Sort(h.Results)
	if r.cfg.maxDetailed > 0 {
		h.run = kept
		if !rec.detailed {
			rec.detailed = true
			r.detailed = append(r.detailed, rec.ID)
		}
		var out []byte
		if run.Outcome != nil {
			out = run.Outcome.Data
		}
		n := rec.keepData(run.Node, run.From, &in, out)
		rec.detailedBytes += n
		r.detailedBytes += n
	}
	r.addHop(rec, h, results)
	r.trimDetailed()
	if h.RetCode != 0 {
		rec.LastError = h.Error
		if aqua.ClassOf(h.RetCode) != aqua.Farewell {
			rec.Status = Failed
		}
	}
}

// keepData makes a kept run's input share the particle data the record already holds
// and returns the bytes it adds. A node's run starts from its previous run's output
// (PrevData is that very slice), and a run merging data from another peer of the
// console (CurrentData) merges what that peer's last run produced: with the devnet in
// the process, every node's runs are recorded, so the record keeps each buffer once.
// Data from elsewhere is copied to its exact size (it aliases the frame it came in,
// script and all). The node's output is kept for the runs of other nodes that merge
// it. Called with the recorder's lock held.
func (rec *record) keepData(node, from string, in *aqua.Input, out []byte) int {
	n := 0
	if !sameBuffer(in.PrevData, rec.outs[node]) {
		n += len(in.PrevData)
	}
	if len(in.CurrentData) > 0 {
		if sent, ok := rec.outs[from]; ok && bytes.Equal(sent, in.CurrentData) {
			in.CurrentData = sent
		} else {
			in.CurrentData = bytes.Clone(in.CurrentData)
			n += len(in.CurrentData)
		}
	}
	for _, res := range in.CallResults {
		n += len(res.Result)
	}
	if rec.outs == nil {
		rec.outs = map[string][]byte{}
	}
	if !sameBuffer(out, in.PrevData) {
		n += len(out) // an output equal to the input (a failed run) is not new
	}
	rec.outs[node] = out
	return n
}

// sameBuffer reports whether a and b are the same bytes in memory (both empty counts).
func sameBuffer(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// trimDetailed drops the inputs of the oldest detailed particles while there are too
// many or they hold too many bytes, keeping the most recent one. Called with r.mu held.
func (r *Recorder) trimDetailed() {
	for len(r.detailed) > 1 && (len(r.detailed) > r.cfg.maxDetailed || r.detailedBytes > r.cfg.maxBytes) {
		if old := r.byID[r.detailed[0]]; old != nil {
			r.dropDetail(old)
		}
		r.detailed = r.detailed[1:]
	}
}

// addHop appends a hop; results are the bytes of the results it applied to earlier
// calls. Hops dropped beyond maxHops stay counted (the estimate errs high).
func (r *Recorder) addHop(rec *record, h *Hop, results int) {
	rec.hops = append(rec.hops, h)
	if len(rec.hops) > r.cfg.maxHops {
		rec.hops = rec.hops[len(rec.hops)-r.cfg.maxHops:]
	}
	rec.Hops++
	h.Seq = rec.Hops
	r.grow(rec, hopSize(h)+results)
}

func touch(rec *record, t time.Time) {
	if rec.FirstSeen.IsZero() || t.Before(rec.FirstSeen) {
		rec.FirstSeen = t
	}
	if t.After(rec.LastSeen) {
		rec.LastSeen = t
	}
}

func (r *Recorder) event(rec *record, e Event) {
	rec.events = append(rec.events, e)
	if len(rec.events) > r.cfg.maxEvents {
		rec.events = rec.events[len(rec.events)-r.cfg.maxEvents:]
	}
	touch(rec, e.Time)
	r.grow(rec, eventBytes+len(e.Detail))
}

func (r *Recorder) apply(node string, ev events.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch e := ev.(type) {
	case events.ParticleReceived:
		rec := r.get(e.Particle)
		r.event(rec, Event{Time: e.Time, Kind: "received", Peer: node, Other: e.From})
		r.arrivals = append(r.arrivals, e.Time)
		if len(r.arrivals) > 4096 {
			r.arrivals = r.arrivals[len(r.arrivals)-4096:]
		}
	case events.ParticleForwarded:
		r.event(r.get(e.Particle), Event{Time: e.Time, Kind: "forwarded", Peer: node, Other: e.To, Detail: e.Duration.String()})
	case events.ParticleUnreachable:
		r.event(r.get(e.Particle), Event{Time: e.Time, Kind: "unreachable", Peer: node, Other: e.To, Detail: e.Reason})
	case events.ParticleCompleted:
		rec := r.get(e.Particle)
		r.event(rec, Event{Time: e.Time, Kind: "completed", Peer: node})
		if rec.Status == Running {
			rec.Status = Completed
		}
	case events.ParticleExpired:
		rec := r.get(e.Particle)
		detail := ""
		if len(e.Pending) > 0 {
			detail = "pending: " + strings.Join(e.Pending, "; ")
		}
		r.event(rec, Event{Time: e.Time, Kind: "expired", Peer: node, Detail: detail})
		if rec.Status == Running || rec.Status == Completed && pendingCalls(rec) > 0 {
			rec.Status = Expired
		}
	case events.HopReport:
		r.applyReport(e)
	case events.ParticleRejected:
		r.rejected = append(r.rejected, e)
		if len(r.rejected) > 256 {
			r.rejected = r.rejected[len(r.rejected)-256:]
		}
	}
}

// applyReport adds a hop another node reported, unless that node is watched here (its
// runs are recorded by the hook already).
func (r *Recorder) applyReport(e events.HopReport) {
	rep := e.Report
	if r.watched[rep.Reporter] {
		return
	}
	rec := r.get(events.Particle{ID: rep.ParticleID, InitPeerID: rep.InitPeerID, Timestamp: rep.Timestamp, TTL: rep.TTL})
	rec.Traced = true
	touch(rec, rep.TimeIn)
	h := &Hop{
		Peer: rep.Reporter, From: rep.From, TimeIn: rep.TimeIn, TimeOut: rep.TimeOut,
		Instructions: rep.Instructions, NextPeers: slices.Clone(rep.NextPeers),
		RetCode: rep.RetCode, Error: rep.Error, Reported: true,
	}
	for _, c := range rep.Calls {
		call := &Call{ID: c.ID, Service: c.Service, Function: c.Function}
		if v, err := jsonv.ParseString(c.Args); err == nil {
			call.Args = v.Elems()
		}
		h.Calls = append(h.Calls, call)
		rec.addCall(callKey{rep.Reporter, c.ID}, call)
	}
	results := 0
	for _, res := range rep.Results {
		h.Results = append(h.Results, res.ID)
		if c := rec.calls[callKey{rep.Reporter, res.ID}]; c != nil {
			c.Answered = rep.TimeIn
			if res.RetCode != 0 {
				c.Failed, c.Error = true, res.Text
			} else if v, err := jsonv.ParseString(res.Text); err == nil {
				c.Result = &v
			} else {
				c.Failed, c.Error = false, "result cut to fit the report: "+res.Text
			}
			results += valueBytes + len(res.Text)
		}
	}
	r.addHop(rec, h, results)
	// Keep hops in time order: reports arrive after the fact.
	sort.SliceStable(rec.hops, func(i, j int) bool { return rec.hops[i].TimeIn.Before(rec.hops[j].TimeIn) })
	if h.RetCode != 0 {
		rec.LastError = h.Error
	}
}

func pendingCalls(rec *record) int {
	n := 0
	for _, c := range rec.calls {
		if c.Answered.IsZero() {
			n++
		}
	}
	return n
}

// Filter selects particles in Particles.
type Filter struct {
	// Text matches a substring of the id, the init peer id, the status or the last error.
	Text string
	// Status, when set, keeps only particles with that status.
	Status Status
	// Limit bounds the result (0: no bound).
	Limit int
}

// Particles returns summaries, most recently active first.
func (r *Recorder) Particles(f Filter) []Summary {
	r.mu.Lock()
	out := make([]Summary, 0, len(r.byID))
	for _, rec := range r.byID {
		s := rec.Summary
		if s.Status == Running && !s.Deadline.IsZero() && time.Now().After(s.Deadline) {
			s.Status = Expired
		}
		if f.Status != "" && s.Status != f.Status {
			continue
		}
		if f.Text != "" && !matches(s, f.Text) {
			continue
		}
		out = append(out, s)
	}
	r.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		if !out[i].LastSeen.Equal(out[j].LastSeen) {
			return out[i].LastSeen.After(out[j].LastSeen)
		}
		return out[i].ID < out[j].ID
	})
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out
}

func matches(s Summary, text string) bool {
	text = strings.ToLower(text)
	for _, f := range []string{s.ID, s.InitPeerID, string(s.Status), s.LastError} {
		if strings.Contains(strings.ToLower(f), text) {
			return true
		}
	}
	return false
}

// Len returns how many particles are remembered.
func (r *Recorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.byID)
}

// Stats is what a recorder holds, against its bounds.
type Stats struct {
	// Particles are the particles remembered; Replayable those whose hops keep their
	// inputs for replay.
	Particles, Replayable int
	// ReplayBytes are the bytes of particle data the replayable hops keep (each buffer
	// counted once; see WithMaxDetailedBytes); TimelineBytes estimate the timelines
	// (see WithMaxTimelineBytes); ScriptBytes are the interned scripts.
	ReplayBytes, TimelineBytes, ScriptBytes int
}

// Stats returns what the recorder holds.
func (r *Recorder) Stats() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := Stats{Particles: len(r.byID), ReplayBytes: r.detailedBytes, TimelineBytes: r.timelineBytes, ScriptBytes: r.internedBytes}
	for _, id := range r.detailed {
		if rec := r.byID[id]; rec != nil && rec.detailed {
			st.Replayable++
		}
	}
	return st
}

// Rate returns particles received per second over the last window.
func (r *Recorder) Rate(window time.Duration) float64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	cut := time.Now().Add(-window)
	i := sort.Search(len(r.arrivals), func(i int) bool { return r.arrivals[i].After(cut) })
	return float64(len(r.arrivals)-i) / window.Seconds()
}

// Rejected returns the most recent rejections.
func (r *Recorder) Rejected() []events.ParticleRejected {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.rejected)
}

// Trace returns everything known about a particle.
func (r *Recorder) Trace(id string) (*Trace, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	rec, ok := r.byID[id]
	if !ok {
		return nil, false
	}
	t := &Trace{Summary: rec.Summary, Script: rec.script, Events: slices.Clone(rec.events), Dropped: rec.compacted}
	for _, h := range rec.hops {
		hc := *h
		hc.Calls = make([]*Call, len(h.Calls))
		for i, c := range h.Calls {
			cc := *c
			hc.Calls[i] = &cc
		}
		t.Hops = append(t.Hops, hc)
	}
	past := !rec.Deadline.IsZero() && time.Now().After(rec.Deadline)
	if rec.Status == Expired || rec.Status == Failed || (rec.Status == Running && past) {
		t.Diagnosis = rec.diagnosis
		if !rec.compacted {
			t.Diagnosis = diagnose(rec)
		}
		if rec.Status == Running && past {
			t.Status = Expired
		}
	}
	return t, true
}

// diagnose explains where an unfinished particle stopped.
func diagnose(rec *record) *Diagnosis {
	d := &Diagnosis{}
	if n := len(rec.hops); n > 0 {
		last := rec.hops[n-1]
		d.LastPeer, d.LastAt = last.Peer, last.TimeOut
	}
	var waiting []string
	for _, h := range rec.hops {
		for _, c := range h.Calls {
			if c.Answered.IsZero() {
				waiting = append(waiting, h.Peer+": call "+c.Service+"."+c.Function+" (no result)")
			}
		}
	}
	// Peers the particle was sent to where no hop followed.
	lastHopAt := map[string]time.Time{}
	for _, h := range rec.hops {
		if h.TimeIn.After(lastHopAt[h.Peer]) {
			lastHopAt[h.Peer] = h.TimeIn
		}
	}
	for _, e := range rec.events {
		switch e.Kind {
		case "forwarded":
			if t, ok := lastHopAt[e.Other]; !ok || t.Before(e.Time) {
				waiting = append(waiting, e.Other+": sent at "+e.Time.Format("15:04:05.000")+" by "+e.Peer+", no hop seen there after")
			}
		case "unreachable":
			d.Unreachable = append(d.Unreachable, e.Other+": "+e.Detail)
		}
	}
	d.Waiting = dedup(waiting)
	d.Unreachable = dedup(d.Unreachable)
	return d
}

func dedup(s []string) []string {
	seen := map[string]bool{}
	out := s[:0]
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
