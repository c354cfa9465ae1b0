package peer

import (
	"bytes"
	"container/heap"
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/peer/events"
	"github.com/reefhq/reef/peer/particle"
)

// actorKey identifies a particle: its id and its signature, so a forged particle that
// reuses an id can never join an existing particle's actor.
type actorKey struct {
	id  string
	sig string
}

// work is one event for an actor: data arriving from a peer (or this node), or results of
// the actor's own calls.
type work struct {
	data    []byte
	from    string
	results map[uint32]aqua.CallResult
	arrived time.Time // set for traced or watched particles (hopreport.go)
}

// pendingCall is a call request being served.
type pendingCall struct {
	service, function string
	started           time.Time
}

// actor serializes the runs of one particle on this node. Different actors run in
// parallel on the worker pool.
type actor struct {
	key      actorKey
	p        *particle.Particle // the immutable fields (see immutable): no data, no trace
	info     events.Particle
	deadline time.Time
	heapIdx  int

	mu        sync.Mutex
	queue     []work
	scheduled bool
	closed    bool
	prevData  []byte
	pending   map[uint32]pendingCall
	lastPeers []string
	services  ServiceFunc
	onRun     func(Hop, *aqua.Outcome)
	runs      int
	trace     actorTrace // hop reports (hopreport.go)
}

// enqueue adds work and reports whether the actor must be scheduled.
func (a *actor) enqueue(w work) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return false
	}
	a.stampArrival(&w)
	a.queue = append(a.queue, w)
	if a.scheduled {
		return false
	}
	a.scheduled = true
	return true
}

// next pops the next unit of work: one data item, or every call result queued next to
// each other merged into one run (as nox batches ready results). ok is false when the
// queue is empty, and the actor is then unscheduled.
func (a *actor) next() (w work, prev []byte, ok bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.queue) == 0 || a.closed {
		a.scheduled = false
		return work{}, nil, false
	}
	w = a.queue[0]
	a.queue = a.queue[1:]
	if w.results != nil {
		merged := map[uint32]aqua.CallResult{}
		for k, v := range w.results {
			merged[k] = v
		}
		for len(a.queue) > 0 && a.queue[0].results != nil {
			for k, v := range a.queue[0].results {
				merged[k] = v
			}
			a.queue = a.queue[1:]
		}
		w.results = merged
	}
	return w, a.prevData, true
}

// actors is the node's particle table, bounded in count and data bytes, with expiry by
// deadline.
type actors struct {
	mu       sync.Mutex
	byKey    map[actorKey]*actor
	byExpiry expiryHeap
	bytes    int
	maxCount int
	maxBytes int
}

func newActors(maxCount, maxBytes int) *actors {
	return &actors{byKey: map[actorKey]*actor{}, maxCount: maxCount, maxBytes: maxBytes}
}

var errOverloaded = fmt.Errorf("too many particles in flight")

// verified reports whether p is a particle this node already holds and verified: the
// actor key includes the signature, so identical signed fields need no new check.
func (t *actors) verified(p *particle.Particle) bool {
	t.mu.Lock()
	a, ok := t.byKey[actorKey{id: p.ID, sig: string(p.Signature)}]
	t.mu.Unlock()
	return ok && a.p.InitPeerID == p.InitPeerID && a.p.Timestamp == p.Timestamp && a.p.TTL == p.TTL && a.p.Script == p.Script
}

// get returns the actor of p, creating it (ok=true) when absent and the table has room.
func (t *actors) get(p *particle.Particle, deadline time.Time) (*actor, bool, error) {
	key := actorKey{id: p.ID, sig: string(p.Signature)}
	t.mu.Lock()
	defer t.mu.Unlock()
	if a, ok := t.byKey[key]; ok {
		return a, false, nil
	}
	if len(t.byKey) >= t.maxCount || t.bytes >= t.maxBytes {
		return nil, false, errOverloaded
	}
	a := &actor{
		key:      key,
		p:        immutable(p),
		info:     events.Particle{ID: p.ID, InitPeerID: p.InitPeerID, Timestamp: p.Timestamp, TTL: p.TTL},
		deadline: deadline,
		pending:  map[uint32]pendingCall{},
	}
	t.byKey[key] = a
	heap.Push(&t.byExpiry, a)
	return a, true, nil
}

// immutable returns the fields of p an actor keeps for the particle's lifetime: not its
// data (the work queue carries each arrival's data, and the merged result is prevData)
// nor its trace request (adoptTrace keeps a verified copy), and a signature of its own,
// since a received particle's fields alias its frame: the actor would otherwise hold the
// first frame it received, data and all, until the particle expires.
func immutable(p *particle.Particle) *particle.Particle {
	return &particle.Particle{
		ID: p.ID, InitPeerID: p.InitPeerID, Timestamp: p.Timestamp, TTL: p.TTL,
		Script: p.Script, Signature: bytes.Clone(p.Signature),
	}
}

// setData records the actor's new data size.
func (t *actors) setData(a *actor, data []byte) {
	t.mu.Lock()
	a.mu.Lock()
	t.bytes += len(data) - len(a.prevData)
	a.prevData = data
	a.mu.Unlock()
	t.mu.Unlock()
}

// expire removes and returns every actor whose deadline is before now.
func (t *actors) expire(now time.Time) []*actor {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []*actor
	for len(t.byExpiry) > 0 && t.byExpiry[0].deadline.Before(now) {
		a := heap.Pop(&t.byExpiry).(*actor)
		delete(t.byKey, a.key)
		a.mu.Lock()
		a.closed = true
		t.bytes -= len(a.prevData)
		a.prevData = nil
		a.queue = nil
		a.mu.Unlock()
		out = append(out, a)
	}
	return out
}

// closeAll removes every actor (node shutdown).
func (t *actors) closeAll() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, a := range t.byKey {
		a.mu.Lock()
		a.closed = true
		a.queue = nil
		a.mu.Unlock()
	}
	clear(t.byKey)
	t.byExpiry = nil
	t.bytes = 0
}

func (t *actors) stats() (count, bytes int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.byKey), t.bytes
}

type expiryHeap []*actor

func (h expiryHeap) Len() int           { return len(h) }
func (h expiryHeap) Less(i, j int) bool { return h[i].deadline.Before(h[j].deadline) }
func (h expiryHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].heapIdx, h[j].heapIdx = i, j
}
func (h *expiryHeap) Push(x any) {
	a := x.(*actor)
	a.heapIdx = len(*h)
	*h = append(*h, a)
}
func (h *expiryHeap) Pop() any {
	old := *h
	a := old[len(old)-1]
	*h = old[:len(old)-1]
	return a
}

// pendingNames lists the calls an actor is waiting for, for expiry reports.
func (a *actor) pendingNames() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]string, 0, len(a.pending))
	for id, c := range a.pending {
		out = append(out, fmt.Sprintf("%s.%s (call %d, running %s)", c.service, c.function, id, time.Since(c.started).Round(time.Millisecond)))
	}
	sort.Strings(out)
	return out
}

// worker drains actors handed to it until ctx ends.
func (n *Node) worker(ctx context.Context) {
	defer n.wg.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case a := <-n.ready:
			n.drain(ctx, a)
		}
	}
}

func (n *Node) schedule(a *actor) {
	select {
	case n.ready <- a:
	case <-n.ctx.Done():
	}
}

// submit queues work for an actor and schedules it when needed.
func (n *Node) submit(a *actor, w work) {
	if a.enqueue(w) {
		n.schedule(a)
	}
}

// drain runs an actor's queued work, one run at a time.
func (n *Node) drain(ctx context.Context, a *actor) {
	for {
		w, prev, ok := a.next()
		if !ok {
			return
		}
		if ctx.Err() != nil {
			return
		}
		if time.Now().After(a.deadline) {
			// The reaper reports the expiry; drop the work.
			continue
		}
		n.run(ctx, a, w, prev)
	}
}

// run executes one interpreter run and carries out its outcome.
func (n *Node) run(ctx context.Context, a *actor, w work, prev []byte) {
	in := &aqua.Input{
		Script:      a.p.Script,
		PrevData:    prev,
		CurrentData: w.data,
		CallResults: w.results,
		Params: aqua.RunParams{
			InitPeerID:    a.p.InitPeerID,
			CurrentPeerID: n.peerID,
			Timestamp:     a.p.Timestamp,
			TTL:           a.p.TTL,
			ParticleID:    a.p.ID,
			Key:           n.key,
		},
	}
	var observers multiObserver
	if n.cfg.runObserver != nil {
		if o := n.cfg.runObserver(a.info, w.from); o != nil {
			observers = append(observers, o)
		}
	}
	a.mu.Lock()
	onRun := a.onRun
	a.mu.Unlock()
	var hops *hopObserver
	if onRun != nil {
		hops = &hopObserver{self: n.peerID}
		observers = append(observers, hops)
	}
	var opts []aqua.RunOption
	switch len(observers) {
	case 0:
	case 1:
		opts = append(opts, aqua.WithObserver(observers[0]))
	default:
		opts = append(opts, aqua.WithObserver(observers))
	}
	start := time.Now()
	runCtx, cancel := context.WithDeadline(ctx, a.deadline)
	out := n.vm.Run(runCtx, in, opts...)
	cancel()
	dur := time.Since(start)
	rec := n.recordHop(a, w, start, start.Add(dur), out, onRun != nil) // hopreport.go
	a.mu.Lock()
	a.runs++
	for id := range w.results {
		delete(a.pending, id)
	}
	a.mu.Unlock()
	n.metrics.runs.Inc()
	n.metrics.runSeconds.Observe(dur.Seconds())
	n.publish(events.ParticleExecuted{
		Base: events.Base{Time: time.Now()}, Particle: a.info, Duration: dur, Instructions: out.Instructions,
		Calls: len(out.CallRequests), Results: len(w.results), NextPeers: slices.Clone(out.NextPeers),
		RetCode: out.RetCode, Error: out.ErrorMessage,
	})
	if len(n.cfg.runHooks) > 0 {
		r := &Run{Node: n.peerID, Particle: a.info, From: w.from, Start: start, Duration: dur, Input: in, Outcome: out}
		for _, h := range n.cfg.runHooks {
			h(r)
		}
	}
	if onRun != nil {
		data := out.Data
		h := Hop{
			Time: start, From: w.from, Instructions: out.Instructions, Calls: len(out.CallRequests),
			NextPeers: slices.Clone(out.NextPeers), RetCode: out.RetCode, Error: out.ErrorMessage,
			Producers: producers(data), Waiting: dedupSorted(hops.waiting),
		}
		rec.fill(&h, n.peerID)
		onRun(h, out)
	}
	class := aqua.ClassOf(out.RetCode)
	if out.RetCode != 0 {
		n.log.Debug("particle run ended with an error", "particle", a.p.ID, "ret_code", out.RetCode, "error", out.ErrorMessage)
	}
	if out.RetCode != 0 && class != aqua.Catchable && class != aqua.Farewell {
		// The data is unchanged: nothing to forward or call.
		return
	}
	n.actors.setData(a, out.Data)
	for _, to := range out.NextPeers {
		if to == n.peerID {
			n.submit(a, work{data: out.Data, from: n.peerID})
			continue
		}
		n.forward(a, to, out.Data)
	}
	a.mu.Lock()
	if len(out.NextPeers) > 0 {
		a.lastPeers = slices.Clone(out.NextPeers)
	}
	for _, req := range out.CallRequests {
		a.pending[req.ID] = pendingCall{service: req.Service, function: req.Function, started: time.Now()}
	}
	idle := len(a.pending) == 0 && len(a.queue) == 0
	a.mu.Unlock()
	for _, req := range out.CallRequests {
		n.dispatch(a, req)
	}
	if idle && len(out.NextPeers) == 0 {
		n.publish(events.ParticleCompleted{Base: events.Base{Time: time.Now()}, Particle: a.info})
	}
}

// reaper expires particles whose TTL ran out.
func (n *Node) reaper(ctx context.Context) {
	defer n.wg.Done()
	t := time.NewTicker(n.cfg.reapInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			for _, a := range n.actors.expire(now) {
				n.metrics.expired.Inc()
				a.mu.Lock()
				last := slices.Clone(a.lastPeers)
				a.mu.Unlock()
				pending := a.pendingNames()
				n.publish(events.ParticleExpired{Base: events.Base{Time: now}, Particle: a.info, Pending: pending, LastPeers: last})
				n.log.Debug("particle expired", "particle", a.p.ID, "pending", pending, "last_peers", last)
			}
		}
	}
}

// multiObserver fans interpreter steps out to several observers.
type multiObserver []aqua.Observer

func (m multiObserver) Step(s *aqua.Step) {
	for _, o := range m {
		o.Step(s)
	}
}
