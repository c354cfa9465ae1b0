// Package memnet is an in-memory network of AIR peers for tests: it delivers particles
// between N virtual peers, in FIFO, LIFO or seeded random order, without libp2p. Each
// peer keeps its own prev data per particle and answers its call requests through a
// handler, exactly as a node's execution loop does.
package memnet

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/reefhq/reef/aqua"
	"github.com/reefhq/reef/aqua/data"
)

// Handler answers a call request on a peer.
type Handler func(p *Peer, particle *Particle, req aqua.CallRequest) aqua.CallResult

// Order is the order in which pending deliveries are processed.
type Order uint8

// Delivery orders.
const (
	FIFO Order = iota
	LIFO
	Random
)

// ResultMode says how a peer feeds call results back to the interpreter.
type ResultMode uint8

// Result modes.
const (
	// OnePerRun feeds each call result in its own run, in call id order (the JS
	// client's behaviour).
	OnePerRun ResultMode = iota
	// Batched feeds all results of one run's requests together (nox's behaviour).
	Batched
)

// Particle is a particle travelling on the network.
type Particle struct {
	ID         string
	InitPeerID string
	Timestamp  uint64
	TTL        uint32
	Script     string
}

// Peer is one virtual peer.
type Peer struct {
	Name    string
	ID      string
	Key     ed25519.PrivateKey
	Handler Handler
	net     *Network
	prev    map[string][]byte
}

// PrevData returns the data the peer holds for a particle.
func (p *Peer) PrevData(particleID string) []byte { return p.prev[particleID] }

// RunRecord describes one interpreter run on a peer.
type RunRecord struct {
	// Input is what the run consumed (tests and benchmarks may replay it).
	Input    *aqua.Input
	Peer     *Peer
	Particle *Particle
	Outcome  *aqua.Outcome
	// FedResults are the call ids whose results were fed to the run.
	FedResults []uint32
	// FromPeer is the sender of the data the run merged, "" for result-only runs.
	FromPeer string
}

// Network is a set of peers and a queue of deliveries.
type Network struct {
	vm         *aqua.VM
	peers      map[string]*Peer
	order      Order
	rng        *rand.Rand
	mode       ResultMode
	queue      []delivery
	maxRuns    int
	runs       int
	forwardErr bool
	onRun      func(*RunRecord)
	obs        func(*Peer) aqua.Observer
}

// delivery is one event for a peer: data arriving from another peer, or call results
// arriving from the peer's own services.
type delivery struct {
	to       string
	from     string
	particle *Particle
	data     []byte
	results  map[uint32]aqua.CallResult
}

// Option configures a Network.
type Option func(*Network)

// WithOrder sets the delivery order; seed is used for Random.
func WithOrder(o Order, seed uint64) Option {
	return func(n *Network) {
		n.order = o
		n.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	}
}

// WithResultMode sets how call results are fed back (default OnePerRun).
func WithResultMode(m ResultMode) Option { return func(n *Network) { n.mode = m } }

// WithMaxRuns bounds the total interpreter runs of one Run (default 100000).
func WithMaxRuns(max int) Option { return func(n *Network) { n.maxRuns = max } }

// WithVM uses vm instead of a default one.
func WithVM(vm *aqua.VM) Option { return func(n *Network) { n.vm = vm } }

// DropOnError stops a peer from forwarding a particle whose run ended with an error at
// the root (the JS client's behaviour); by default it is forwarded, as nox does.
func DropOnError() Option { return func(n *Network) { n.forwardErr = false } }

// OnRun registers a callback receiving every run.
func OnRun(f func(*RunRecord)) Option { return func(n *Network) { n.onRun = f } }

// WithObserver attaches an interpreter observer (per peer) to every run.
func WithObserver(f func(*Peer) aqua.Observer) Option { return func(n *Network) { n.obs = f } }

// New returns an empty network.
func New(opts ...Option) (*Network, error) {
	n := &Network{peers: map[string]*Peer{}, maxRuns: 100000, forwardErr: true}
	for _, o := range opts {
		o(n)
	}
	if n.vm == nil {
		vm, err := aqua.New()
		if err != nil {
			return nil, err
		}
		n.vm = vm
	}
	if n.rng == nil {
		n.rng = rand.New(rand.NewPCG(1, 2))
	}
	return n, nil
}

// KeyFor derives a deterministic Ed25519 key from a name (SHA-256 of the name as seed).
func KeyFor(name string) ed25519.PrivateKey {
	seed := sha256.Sum256([]byte(name))
	return ed25519.NewKeyFromSeed(seed[:])
}

// AddPeer adds a peer whose key derives from name.
func (n *Network) AddPeer(name string, h Handler) *Peer {
	return n.AddPeerWithKey(name, KeyFor(name), h)
}

// AddPeerWithKey adds a peer with the given key.
func (n *Network) AddPeerWithKey(name string, key ed25519.PrivateKey, h Handler) *Peer {
	p := &Peer{Name: name, ID: data.PeerIDFromKey(key), Key: key, Handler: h, net: n, prev: map[string][]byte{}}
	n.peers[p.ID] = p
	return p
}

// Peer returns the peer with the given id.
func (n *Network) Peer(id string) *Peer { return n.peers[id] }

// Start runs a particle on its init peer (which must be on the network).
func (n *Network) Start(p *Particle) error {
	init := n.peers[p.InitPeerID]
	if init == nil {
		return fmt.Errorf("memnet: init peer %s is not on the network", p.InitPeerID)
	}
	n.queue = append(n.queue, delivery{to: init.ID, particle: p})
	return nil
}

// ErrTooManyRuns is returned when a Run exceeds its run budget.
var ErrTooManyRuns = errors.New("memnet: run budget exhausted (the script may loop)")

// Run processes deliveries until none are left. Deliveries to peers that are not on the
// network are dropped and returned in the error-free Undelivered list of the result.
func (n *Network) Run(ctx context.Context) (undelivered []string, err error) {
	for len(n.queue) > 0 {
		if err := ctx.Err(); err != nil {
			return undelivered, err
		}
		var d delivery
		switch n.order {
		case LIFO:
			d = n.queue[len(n.queue)-1]
			n.queue = n.queue[:len(n.queue)-1]
		case Random:
			i := n.rng.IntN(len(n.queue))
			d = n.queue[i]
			n.queue = slices.Delete(n.queue, i, i+1)
		default:
			d = n.queue[0]
			n.queue = n.queue[1:]
		}
		p := n.peers[d.to]
		if p == nil {
			undelivered = append(undelivered, d.to)
			continue
		}
		if err := n.process(ctx, p, d); err != nil {
			return undelivered, err
		}
	}
	return undelivered, nil
}

// process runs one event on p and queues what follows from it: the data for the next
// peers and the results of the call requests (answered at once, delivered later in queue
// order, one per run or batched).
func (n *Network) process(ctx context.Context, p *Peer, d delivery) error {
	n.runs++
	if n.runs > n.maxRuns {
		return ErrTooManyRuns
	}
	in := &aqua.Input{
		Script:      d.particle.Script,
		PrevData:    p.prev[d.particle.ID],
		CurrentData: d.data,
		CallResults: d.results,
		Params: aqua.RunParams{
			InitPeerID:    d.particle.InitPeerID,
			CurrentPeerID: p.ID,
			Timestamp:     d.particle.Timestamp,
			TTL:           d.particle.TTL,
			ParticleID:    d.particle.ID,
			Key:           p.Key,
		},
	}
	var opts []aqua.RunOption
	if n.obs != nil {
		if o := n.obs(p); o != nil {
			opts = append(opts, aqua.WithObserver(o))
		}
	}
	out := n.vm.Run(ctx, in, opts...)
	rec := &RunRecord{Input: in, Peer: p, Particle: d.particle, Outcome: out, FromPeer: d.from}
	for id := range d.results {
		rec.FedResults = append(rec.FedResults, id)
	}
	slices.Sort(rec.FedResults)
	if n.onRun != nil {
		n.onRun(rec)
	}
	class := aqua.ClassOf(out.RetCode)
	if out.RetCode != 0 && class != aqua.Catchable && class != aqua.Farewell {
		return nil // data unchanged, nothing to send or call
	}
	p.prev[d.particle.ID] = out.Data
	if out.RetCode == 0 || n.forwardErr {
		for _, to := range out.NextPeers {
			n.queue = append(n.queue, delivery{to: to, from: p.ID, particle: d.particle, data: out.Data})
		}
	}
	reqs := slices.Clone(out.CallRequests)
	slices.SortFunc(reqs, func(a, b aqua.CallRequest) int { return int(a.ID) - int(b.ID) })
	batch := map[uint32]aqua.CallResult{}
	for _, req := range reqs {
		var r aqua.CallResult
		if p.Handler == nil {
			r = aqua.Fail(1, fmt.Sprintf("No service found for service call: serviceId='%s', fnName='%s' args='%v'", req.Service, req.Function, req.Args))
		} else {
			r = p.Handler(p, d.particle, req)
		}
		if n.mode == Batched {
			batch[req.ID] = r
			continue
		}
		n.queue = append(n.queue, delivery{to: p.ID, particle: d.particle, results: map[uint32]aqua.CallResult{req.ID: r}})
	}
	if len(batch) > 0 {
		n.queue = append(n.queue, delivery{to: p.ID, particle: d.particle, results: batch})
	}
	return nil
}

// Runs returns the number of interpreter runs so far.
func (n *Network) Runs() int { return n.runs }
